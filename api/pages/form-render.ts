import type { FormErrors } from './forms';
import type { Choices, FormField, LeafField } from './form-fields';

/**
 * A form's fields as the govuk-frontend macros' parameters, drawn by views/forms/fields.njk. Ids
 * carry the page's prefix (several forms may share a page); error messages are looked up by the
 * unprefixed id, as forms.ts formErrors names them.
 */
export interface Option { value: string; text: string }

export interface RenderOptions {
  values: Record<string, string>;
  errors?: FormErrors['fields'];
  prefix?: string;
  /** The directory's lists, for fields choosing a person or an organisation. */
  directory?: Partial<Record<'educators' | 'partnerOrganisations', Option[]>>;
  /** Hints known only when drawn (the suggested time slot of a contact task). */
  hints?: Record<string, string>;
}

export type RenderedField =
  | { macro: 'govukInput' | 'govukCharacterCount' | 'govukRadios' | 'govukSelect' | 'govukDateInput'; params: Record<string, unknown> }
  | { macro: 'fieldset'; params: Record<string, unknown>; fields: RenderedField[] };

/** govuk's character count speaks English unless told otherwise. */
const CHARACTER_COUNT_FR = {
  textareaDescriptionText: 'Vous pouvez saisir jusqu’à %{count} caractères',
  charactersUnderLimitText: { one: 'Il reste %{count} caractère', other: 'Il reste %{count} caractères' },
  charactersAtLimitText: 'Vous n’avez plus de caractère disponible',
  charactersOverLimitText: { one: '%{count} caractère de trop', other: '%{count} caractères de trop' },
};

const legend = (text: string) => ({ legend: { text, classes: 'govuk-fieldset__legend--s' } });

function options(choices: Choices, options: RenderOptions): Option[] {
  if (typeof choices === 'string') return options.directory?.[choices] ?? [];
  return choices.codes.map((code) => ({ value: code, text: choices.labels[code] ?? code }));
}

function leaf(field: LeafField, o: RenderOptions): RenderedField {
  const prefix = o.prefix ?? '';
  const id = prefix + field.name;
  const value = o.values[field.name];
  const error = o.errors?.[field.kind === 'date' ? `${field.name}-day` : field.name];
  const label = field.optional ? `${field.label} (facultatif)` : field.label;
  const hintText = o.hints?.[field.name] ?? field.hint;
  const common = { ...(hintText && { hint: { text: hintText } }), ...(error && { errorMessage: error }) };
  switch (field.kind) {
    case 'text':
    case 'euros':
      return {
        macro: 'govukInput',
        params: {
          id, name: field.name, value, label: { text: label }, ...common,
          ...(field.kind === 'euros' && { inputmode: 'decimal', suffix: { text: '€' }, classes: 'govuk-input--width-10' }),
          ...(field.kind === 'text' && field.type && { type: field.type, autocomplete: 'off', spellcheck: false }),
          ...(field.kind === 'text' && field.width && { classes: `govuk-input--width-${field.width}` }),
        },
      };
    case 'textarea':
      return { macro: 'govukCharacterCount', params: { id, name: field.name, value, maxlength: field.maxLength, label: { text: label, classes: 'govuk-label--s' }, ...common, ...CHARACTER_COUNT_FR } };
    case 'date': {
      const part = (name: string, text: string, width: number) => ({
        name, label: text, value: o.values[`${field.name}-${name}`], classes: `govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`,
      });
      return {
        macro: 'govukDateInput',
        params: {
          id, namePrefix: field.name, fieldset: legend(label), hint: { text: hintText ?? 'Par exemple, 15 3 2026' }, ...(error && { errorMessage: error }),
          items: [part('day', 'Jour', 2), part('month', 'Mois', 2), part('year', 'Année', 4)],
        },
      };
    }
    case 'radios':
      return {
        macro: 'govukRadios',
        params: {
          idPrefix: id, name: field.name, classes: 'app-tap-choices', formGroup: { classes: 'app-tap-group' }, fieldset: legend(label), ...common,
          items: options(field.choices, o).map((item) => ({ ...item, checked: item.value === value })),
        },
      };
    case 'select':
      return {
        macro: 'govukSelect',
        params: {
          id, name: field.name, label: { text: label }, ...common,
          items: [{ value: '', text: field.placeholder ?? 'Choisir' }, ...options(field.choices, o).map((item) => ({ ...item, selected: item.value === value }))],
        },
      };
  }
}

/** The fields to draw, and the custom part's view if the form has one (drawn after them). */
export function renderFields(fields: readonly FormField[], o: RenderOptions): { fields: RenderedField[]; custom?: string } {
  let custom: string | undefined;
  const draw = (list: readonly FormField[]): RenderedField[] => list.flatMap((field): RenderedField[] => {
    if (field.kind === 'custom') {
      custom = field.view;
      return [];
    }
    if (field.kind === 'alias') return [];
    if (field.kind === 'group') return [{ macro: 'fieldset', params: legend(field.legend), fields: draw(field.fields) }];
    return [leaf(field, o)];
  });
  return { fields: draw(fields), ...(custom && { custom }) };
}
