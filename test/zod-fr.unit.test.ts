import { requiredText, typedText, z } from '../lib/zod-fr';

// Text people type: the length the OpenAPI document states is the length checked (before the
// trim), and no control character reaches PostgreSQL (NUL would fail the insert: a 500).
describe('requiredText(5)', () => {
  const table: [string, string | null][] = [
    ['abc', 'abc'],
    [' abc ', 'abc'],
    ['a\nb', 'a\nb'],
    ['a\tb', 'a\tb'],
    ['abcdef', null],
    ['  abcd', null],
    ['', null],
    ['   ', null],
    ['a\u0000b', null],
    ['a\u0015b', null],
    ['a\u0085b', null],
    ['a\u007fb', null],
  ];
  test.each(table)('%j → %j', (input, expected) => {
    const parsed = requiredText(5).safeParse(input);
    expect(parsed.success ? parsed.data : null).toBe(expected);
  });
  test('says why, in French', () => {
    const messages = (v: string) => requiredText(5).safeParse(v).error?.issues.map((i) => i.message);
    expect(messages('abcdef')).toEqual(['au plus 5 caractères']);
    expect(messages('   ')).toEqual(['ne doit pas être vide']);
    expect(messages('')).toEqual(['ne doit pas être vide']);
    expect(messages('a\u0000b')).toEqual(['contient un caractère de contrôle']);
  });
  test('the document states the length checked', () => {
    expect(z.toJSONSchema(requiredText(5))).toMatchObject({ type: 'string', maxLength: 5 });
  });
  test('the object\'s own rules still run beside an empty field', () => {
    const body = z.strictObject({ name: requiredText(5), a: z.number(), b: z.number() }).refine((v) => v.a < v.b, { message: 'a < b', path: ['b'] });
    const parsed = body.safeParse({ name: '', a: 2, b: 1 });
    expect(parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['name: ne doit pas être vide', 'b: a < b']);
  });
});

describe('typedText(5)', () => {
  test.each([['', ''], ['  ', ''], [' ab ', 'ab'], ['abcdef', null], ['a\u0000', null]] as [string, string | null][])('%j → %j', (input, expected) => {
    const parsed = typedText(5).safeParse(input);
    expect(parsed.success ? parsed.data : null).toBe(expected);
  });
});
