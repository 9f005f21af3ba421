import { z } from 'zod';

// People read validation messages (operators at start-up, users of the API): zod speaks French,
// and a missing field is said plainly rather than as "undefined received". Imported for its effect.
z.config(z.locales.fr());
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'champ obligatoire' : undefined),
});

export { z };

/** Control characters other than tab and line breaks: PostgreSQL refuses NUL, and none is typed by people. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Text people type: at most `max` characters as sent (the length the OpenAPI document states, so
 * that a client following it is never refused on length), trimmed, without control characters.
 */
export const typedText = (max: number) =>
  z.string().max(max, `au plus ${max} caractères`).trim().refine((v) => !CONTROL_CHARACTERS.test(v), 'contient un caractère de contrôle');

/**
 * `typedText`, not empty once trimmed. No `min(1)` before the trim: an empty string would be said
 * twice, and an aborting check would stop the object's own refinements (cross-field rules).
 */
export const requiredText = (max: number) => typedText(max).refine((v) => v.length > 0, 'ne doit pas être vide');
