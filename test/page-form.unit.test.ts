import type { Request, Response } from 'express';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../api/errors';
import { RefusedError } from '../api/households/process-service';
import { pageErrors, postForm, readOrErrors, type FormState } from '../api/pages/page-form';
import { z } from '../lib/zod-fr';

/**
 * The pages' one error mapping (api/pages/page-form.ts): a validation error re-renders the form
 * by field, a refusal re-renders it with the message, anything else goes to the error pages.
 */

const request = (body: Record<string, unknown>) => ({ body }) as unknown as Request;
const response = {} as Response;

async function post(handler: () => unknown, options: Parameters<typeof postForm>[2] = {}, body: Record<string, unknown> = { name: 'Jeton', _csrf: 'x' }) {
  const shown: { form: FormState; status: number }[] = [];
  const next = jest.fn();
  await postForm((_req, _res, form, status) => { shown.push({ form, status }); }, handler, options)(request(body), response, next);
  return { shown, next, first: () => { const [one] = shown; if (!one) throw new Error('nothing shown'); return one; } };
}

test('the handler succeeds: nothing shown, nothing passed on', async () => {
  const handler = jest.fn();
  const { shown, next } = await post(handler);
  expect(handler).toHaveBeenCalledWith(expect.anything(), response, { name: 'Jeton' });
  expect(shown).toEqual([]);
  expect(next).not.toHaveBeenCalled();
});

test('a ValidationError re-renders the form by field, 400, with what was typed', async () => {
  const { shown, next } = await post(() => { throw new ValidationError([{ field: 'name', message: 'champ obligatoire' }]); }, { fields: { name: { label: 'Nom du jeton' } } });
  expect(next).not.toHaveBeenCalled();
  expect(shown).toEqual([{
    status: 400,
    form: {
      values: { name: 'Jeton' },
      errors: { summary: [{ text: 'Nom du jeton : champ obligatoire', href: '#name' }], fields: { name: { text: 'Champ obligatoire', visuallyHiddenText: 'Erreur' } } },
    },
  }]);
});

test('a ZodError is a validation error too; fields may depend on the values; keep drops a password', async () => {
  const schema = z.object({ password: z.string().min(12, 'trop court') });
  const { first } = await post(() => schema.parse({ password: 'x' }), {
    fields: (values) => ({ password: { label: values.name ?? '?' } }),
    keep: ({ password: _password, ...rest }) => rest,
  }, { name: 'Mot de passe', password: 'x' });
  expect(first().status).toBe(400);
  expect(first().form.values).toEqual({ name: 'Mot de passe' });
  expect(first().form.errors?.summary).toEqual([{ text: 'Mot de passe : trop court', href: '#password' }]);
});

test('a custom validation mapping replaces the fields', async () => {
  const errors = { summary: [{ text: 'Lot', href: '#lot' }], fields: {} };
  const { first } = await post(() => { throw new ValidationError([]); }, { validation: async () => errors });
  expect(first().form.errors).toBe(errors);
});

test('a refusal (ConflictError, RefusedError, 504) re-renders with the message, where it belongs', async () => {
  const conflict = await post(() => { throw new ConflictError('Référence déjà utilisée.'); }, { refused: { field: 'ref', label: 'Référence' } });
  expect(conflict.first()).toEqual({
    status: 409,
    form: { values: { name: 'Jeton' }, errors: { summary: [{ text: 'Référence : Référence déjà utilisée.', href: '#ref' }], fields: { ref: { text: 'Référence déjà utilisée.', visuallyHiddenText: 'Erreur' } } } },
  });
  const refused = await post(() => { throw new RefusedError('household_closed', 'Dossier clôturé.'); }, { refused: { href: '#answer' } });
  expect(refused.first().form.errors).toEqual({ summary: [{ text: 'Dossier clôturé.', href: '#answer' }], fields: {} });
  const late = await post(() => { throw new (class extends ConflictError {})('x'); });
  expect(late.first().form.errors?.summary[0]?.href).toBe('#main-content');
});

test('other statuses as refusals when asked (sign-in: 401, 429); the default ones then pass on', async () => {
  const signIn = { refused: { statuses: [401, 429], href: '#email' } };
  const refused = await post(() => { throw new UnauthenticatedError('Identifiants incorrects.'); }, signIn);
  expect(refused.first().status).toBe(401);
  const conflict = await post(() => { throw new ConflictError('x'); }, signIn);
  expect(conflict.shown).toEqual([]);
  expect(conflict.next).toHaveBeenCalledWith(expect.any(ConflictError));
});

test('anything else goes to next: not found, a crash, a failing show', async () => {
  for (const error of [new NotFoundError(), new Error('boom')]) {
    const { shown, next } = await post(() => { throw error; });
    expect(shown).toEqual([]);
    expect(next).toHaveBeenCalledWith(error);
  }
  const next = jest.fn();
  const broken = new Error('render failed');
  await postForm(() => { throw broken; }, () => { throw new ValidationError([]); })(request({}), response, next);
  expect(next).toHaveBeenCalledWith(broken);
});

test('pageErrors: a ValidationError by field, another error as one line', () => {
  expect(pageErrors(new ValidationError([{ field: 'a', message: 'm' }])).summary).toEqual([{ text: 'M', href: '#a' }]);
  expect(pageErrors(new ConflictError('Déjà fait.'))).toEqual({ summary: [{ text: 'Déjà fait.', href: '#main-content' }], fields: {} });
  expect(pageErrors(new ConflictError('Pris.'), { email: { label: 'E-mail' } }, { field: 'email' }).summary).toEqual([{ text: 'E-mail : Pris.', href: '#email' }]);
});

test('readOrErrors: the value, or the fallback and the errors of a refused filter', async () => {
  await expect(readOrErrors(async () => 3, 0)).resolves.toEqual({ value: 3 });
  const refused = await readOrErrors(async () => { throw new ValidationError([{ field: 'userId', message: 'UUID attendu' }]); }, 0, { userId: { label: 'Personne', id: 'personne' } });
  expect(refused.value).toBe(0);
  expect(refused.errors?.summary).toEqual([{ text: 'Personne : UUID attendu', href: '#personne' }]);
  await expect(readOrErrors(async () => { throw new NotFoundError(); }, 0)).rejects.toBeInstanceOf(NotFoundError);
});

test('where a refusal goes may depend on the request', async () => {
  const { first } = await post(() => { throw new ConflictError('Déjà accusé.'); }, { refused: (req) => ({ href: `#relais-${String(req.body.name)}` }) });
  expect(first().form.errors?.summary).toEqual([{ text: 'Déjà accusé.', href: '#relais-Jeton' }]);
});
