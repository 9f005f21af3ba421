import { randomUUID } from 'node:crypto';

/**
 * Invalid request bodies derived from a JSON Schema (the OpenAPI document's), each one invalid by
 * construction: a value of the wrong type, a required property left out, a property the strict
 * schema does not know, a value out of bounds or outside its list, or a body that is no object.
 * Deterministic: the same seed gives the same cases.
 */
export type Schema = Record<string, any>;

export interface FuzzCase {
  name: string;
  /** A JSON value, or raw text when `raw` is set (sent as is, with the given content type). */
  body: unknown;
  raw?: { text: string; contentType: string };
}

/** mulberry32: small, fast, good enough to vary the cases, and reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const NASTY_STRINGS = ['', ' ', '\u0000', '<script>alert(1)</script>', '\'; DROP TABLE households; --', '🏠'.repeat(5), '\u202Eabc', '../../etc/passwd', '%00', 'null'];

function randomText(random: Random, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzÀÉèçœ0123456789 -_./\'"\\\n\t<>{}';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

/** The schema a value must follow at this level (the first variant of a union). */
function resolve(schema: Schema): Schema {
  const variants = schema.oneOf ?? schema.anyOf;
  return variants ? resolve(variants[0]) : schema;
}

function typeOf(schema: Schema): string | undefined {
  const type = resolve(schema).type;
  return Array.isArray(type) ? type[0] : type;
}

/** A value of the right shape (not necessarily accepted: refinements are not in the schema). */
export function sample(schema: Schema, random: Random, depth = 0): unknown {
  const s = resolve(schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return pick(random, s.enum);
  if ('default' in s) return s.default;
  switch (typeOf(s)) {
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date') return '2024-02-29';
      if (s.format === 'date-time') return '2024-02-29T10:00:00.000Z';
      if (s.format === 'email') return 'fuzz@exemple.fr';
      return 'a'.repeat(Math.max(1, Math.min(s.minLength ?? 1, 20)));
    case 'number':
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return false;
    case 'array':
      return depth > 4 || !s.items ? [] : Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items, random, depth + 1));
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const [name, property] of Object.entries<Schema>(s.properties ?? {})) object[name] = sample(property, random, depth + 1);
      if (s.propertyNames?.enum && s.additionalProperties && typeof s.additionalProperties === 'object') {
        object[s.propertyNames.enum[0]] = sample(s.additionalProperties, random, depth + 1);
      }
      return object;
    }
    default:
      return 'x';
  }
}

/** Values that are not of the schema's type (and not null when null is allowed, etc.). */
function wrongTypes(schema: Schema, random: Random): unknown[] {
  const type = typeOf(schema);
  const candidates: Record<string, unknown[]> = {
    string: [42, true, [], {}, -1.5],
    number: ['12', true, [], {}, '1e3'],
    integer: ['7', 1.5, true, [], {}],
    boolean: ['true', 1, 0, [], {}],
    array: ['liste', 3, {}, true],
    object: ['objet', 7, [], true],
  };
  const values = [...(candidates[type ?? ''] ?? [Symbol.for('none')])].filter((v) => typeof v !== 'symbol');
  // null is wrong unless the schema allows it.
  if (!JSON.stringify(schema).includes('"null"')) values.push(null);
  return [pick(random, values), pick(random, values)].filter((v, i, all) => all.indexOf(v) === i);
}

/** Values of the right type that break a bound, a list, a format or a length. */
function outOfBounds(schema: Schema, random: Random): unknown[] {
  const s = resolve(schema);
  const values: unknown[] = [];
  if (Array.isArray(s.enum)) values.push(`${String(s.enum[0])}_inconnu`, String(s.enum[0]).toUpperCase() === String(s.enum[0]) ? 'zz' : String(s.enum[0]).toUpperCase());
  if ('const' in s) values.push(`${String(s.const)}_autre`);
  if (typeof s.maximum === 'number') values.push(s.maximum + 1, Number.MAX_SAFE_INTEGER * 10);
  if (typeof s.minimum === 'number') values.push(s.minimum - 1, -1e12);
  if (typeOf(s) === 'integer') values.push(1.5);
  if (typeof s.maxLength === 'number') values.push('x'.repeat(s.maxLength + 1));
  // Only the empty string: blanks would pass where the schema does not trim (passwords).
  if (typeof s.minLength === 'number' && s.minLength > 0) values.push('');
  if (s.format === 'uuid') values.push('pas-un-uuid', `${randomUUID()}x`);
  if (s.format === 'date') values.push('2024-02-30', '31/12/2024', 'demain');
  if (s.format === 'email') values.push('pas une adresse', 'a@b', `a b${randomText(random, 300)}@exemple.fr`);
  if (typeOf(s) === 'array' && typeof s.minItems === 'number' && s.minItems > 0) values.push([]);
  if (typeOf(s) === 'array' && typeof s.maxItems === 'number') values.push(Array.from({ length: s.maxItems + 1 }, () => sample(s.items ?? {}, random)));
  return values;
}

interface Path {
  /** Where the property is, from the body's root (array items as index 0). */
  keys: (string | number)[];
  schema: Schema;
  required: boolean;
}

/** Every property of the body, nested objects and first array items included (bounded depth). */
function properties(schema: Schema, keys: (string | number)[] = [], depth = 0): Path[] {
  if (depth > 4) return [];
  const s = resolve(schema);
  const out: Path[] = [];
  if (typeOf(s) === 'object') {
    const required = new Set<string>(s.required ?? []);
    for (const [name, property] of Object.entries<Schema>(s.properties ?? {})) {
      out.push({ keys: [...keys, name], schema: property, required: required.has(name) });
      out.push(...properties(property, [...keys, name], depth + 1));
    }
  } else if (typeOf(s) === 'array' && s.items) {
    out.push(...properties(s.items, [...keys, 0], depth + 1));
  }
  return out;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function setAt(root: unknown, keys: (string | number)[], value: unknown, remove = false): unknown {
  const copy = clone(root);
  let node: any = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  const last = keys[keys.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

function nested(depth: number): unknown {
  let value: unknown = { fin: true };
  for (let i = 0; i < depth; i++) value = { niveau: value };
  return value;
}

/** The cases for one operation's body schema. */
export function invalidBodies(schema: Schema, random: Random): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const base = sample(schema, random);
  const root = resolve(schema);
  const isStrictObject = typeOf(root) === 'object' && root.additionalProperties === false;

  // Not an object at all.
  for (const body of [null, [], [base], 'texte', 0, true]) cases.push({ name: `body ${JSON.stringify(body).slice(0, 30)}`, body });
  cases.push({ name: 'not JSON', body: undefined, raw: { text: '{"ouvert": ', contentType: 'application/json' } });
  cases.push({ name: 'not JSON (form)', body: undefined, raw: { text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' } });
  cases.push({ name: 'text/plain', body: undefined, raw: { text: JSON.stringify(base), contentType: 'text/plain' } });
  cases.push({ name: 'over the size limit', body: undefined, raw: { text: JSON.stringify({ x: 'y'.repeat(150_000) }), contentType: 'application/json' } });
  cases.push({ name: 'deeply nested array', body: undefined, raw: { text: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' } });

  // An object, but not an accepted one.
  const required = (root.required ?? []) as string[];
  if (required.length > 0) cases.push({ name: 'empty object', body: {} });
  if (isStrictObject) {
    cases.push({ name: 'extra property', body: { ...(base as object), [`inconnu_${Math.floor(random() * 1e6)}`]: randomText(random, 8) } });
    cases.push({ name: 'extra property, hostile text', body: { ...(base as object), [pick(random, NASTY_STRINGS) || 'vide']: pick(random, NASTY_STRINGS) } });
    cases.push({ name: 'deeply nested extra property', body: { ...(base as object), imbrique: nested(500) } });
    cases.push({ name: 'prototype pollution', body: JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(base).slice(1, -1) || '"x": 1'}}`) });
  }
  for (const path of properties(schema)) {
    const where = path.keys.join('.');
    if (path.required) cases.push({ name: `missing ${where}`, body: setAt(base, path.keys, undefined, true) });
    for (const value of wrongTypes(path.schema, random)) cases.push({ name: `${where} = ${JSON.stringify(value)}`, body: setAt(base, path.keys, value) });
    for (const value of outOfBounds(path.schema, random)) cases.push({ name: `${where} = ${JSON.stringify(value).slice(0, 40)}`, body: setAt(base, path.keys, value) });
  }
  return cases;
}
