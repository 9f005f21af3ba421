import { dateFromParts, frenchNumber, optional, type FieldSpec } from './forms';

/**
 * A form described as data: each field says what the person sees (its French label, its kind)
 * and where its value goes in the body the API's zod schema checks (`path`, default `name`).
 * One description draws the form (form-render.ts), reads it back (`formToBody`) and names its
 * fields in the error summary (`fieldSpecs`): the household's action pages and the task inbox
 * both use the household action table's forms (api/households/actions/).
 */
export type Choices =
  | { codes: readonly string[]; labels: Readonly<Record<string, string>> }
  /** Read when the page is drawn (api/directory/service.ts). */
  | 'educators' | 'partnerOrganisations';

interface Base {
  /** The input's name (and id, after the page's prefix). */
  name: string;
  /** Where the value goes in the body, dotted (`decision.track`); default `name`. */
  path?: string;
  /** French: the label, and the field's name in the error summary. */
  label: string;
  hint?: string;
  /** Blank → absent, and « (facultatif) » after the label. */
  optional?: boolean;
  /** Replaces the schema's message for this field (« choisissez le parcours »). */
  message?: string;
  /** Sent only when another field has this value (the track only for an admission). */
  when?: { name: string; is: string };
}

export type FormField =
  | (Base & { kind: 'text'; type?: 'email' | 'tel'; width?: 10 | 20 })
  | (Base & { kind: 'textarea'; maxLength: number })
  | (Base & { kind: 'euros' })
  | (Base & { kind: 'date' })
  | (Base & { kind: 'radios' | 'select'; choices: Choices; placeholder?: string; parse?: (value: string) => unknown })
  | { kind: 'group'; legend: string; fields: FormField[] }
  /** Draws nothing: names a path the rules may blame as a whole (`decision` when no kind is chosen). */
  | { kind: 'alias'; path: string; spec: FieldSpec }
  /** Drawn by views/forms/custom/<view>.njk, read back by `toBody`; last in a form. */
  | {
    kind: 'custom'; view: string; specs: Record<string, FieldSpec>; toBody(values: Record<string, string>): Record<string, unknown>;
    /** What the view draws from besides the values: a directory list, the support plan as it stands. */
    needs?: readonly Source[];
  };

/** What a form may need read before it is drawn. */
export type Source = 'educators' | 'partnerOrganisations' | 'supportPlan';

export type LeafField = Exclude<FormField, { kind: 'group' | 'custom' | 'alias' }>;
type Special = Extract<FormField, { kind: 'custom' | 'alias' }>;
type Values = Record<string, string>;

/** Every field, groups opened. */
export function leaves(fields: readonly FormField[]): (LeafField | Special)[] {
  return fields.flatMap((f) => (f.kind === 'group' ? leaves(f.fields) : [f]));
}

/** The fields without those whose path is given (what a task or the signed-in person already fixes). */
export function withoutPaths(fields: readonly FormField[], paths: readonly string[]): FormField[] {
  return fields.flatMap((f): FormField[] => {
    if (f.kind === 'group') {
      const kept = withoutPaths(f.fields, paths);
      return kept.length ? [{ ...f, fields: kept }] : [];
    }
    if (f.kind === 'custom') return [f];
    const path = f.kind === 'alias' ? f.path : f.path ?? f.name;
    return paths.some((p) => path === p || path.startsWith(`${p}.`)) ? [] : [f];
  });
}

function valueOf(field: LeafField, values: Values): unknown {
  switch (field.kind) {
    case 'euros': return frenchNumber(values[field.name]);
    case 'date': return dateFromParts(values, field.name);
    case 'radios':
    case 'select': {
      const value = optional(values[field.name]);
      return value !== undefined && field.parse ? field.parse(value) : value;
    }
    default: return field.optional ? optional(values[field.name]) : (optional(values[field.name]) ?? values[field.name]);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/** The form's values as the body: blank optional fields absent, amounts and dates read the French way. */
export function formToBody(fields: readonly FormField[], values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of leaves(fields)) {
    if (field.kind === 'custom') {
      Object.assign(body, field.toBody(values));
      continue;
    }
    if (field.kind === 'alias') continue;
    if (field.when && values[field.when.name] !== field.when.is) continue;
    const value = valueOf(field, values);
    if (value !== undefined) setPath(body, field.path ?? field.name, value);
  }
  return withoutBlankGroups(body) as Record<string, unknown>;
}

/** A group left blank (no referent named) is absent, so the rules speak of the group, not of its first field. */
function withoutBlankGroups(value: unknown, nested = false): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, withoutBlankGroups(inner, true)] as const).filter(([, inner]) => inner !== undefined);
  if (nested && entries.length > 0 && entries.every(([, inner]) => inner === '')) return undefined;
  return Object.fromEntries(entries);
}

/** Each body path's French name and input id, for the error summary (forms.ts formErrors). */
export function fieldSpecs(fields: readonly FormField[]): Record<string, FieldSpec> {
  const specs: Record<string, FieldSpec> = {};
  for (const field of leaves(fields)) {
    if (field.kind === 'custom') {
      Object.assign(specs, field.specs);
      continue;
    }
    if (field.kind === 'alias') {
      specs[field.path] = field.spec;
      continue;
    }
    const id = field.kind === 'date' ? `${field.name}-day` : field.name;
    specs[field.path ?? field.name] = { label: field.label, id, ...(field.message && { message: field.message }) };
  }
  return specs;
}

/** What the fields choose from or show (read only when a form needs it). */
export function sourcesNeeded(fields: readonly FormField[]): Set<Source> {
  const needed = new Set<Source>();
  for (const field of leaves(fields)) {
    if ((field.kind === 'radios' || field.kind === 'select') && typeof field.choices === 'string') needed.add(field.choices);
    if (field.kind === 'custom') field.needs?.forEach((source) => needed.add(source));
  }
  return needed;
}
