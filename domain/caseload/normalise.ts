/**
 * The canonical forms a partner's caseload line and a referred household are compared in
 * (docs/privacy/caseload-lists.md). Pure: no key, no clock. Only the canonical strings leave this
 * module, to be reduced at once to keyed hashes (api/caseloads/keys.ts); they are never stored.
 *
 * The same spelling written two ways must give the same form (case, accents, spacing, apostrophes,
 * hyphens, street abbreviations, « 12bis » / « 12 bis »); two different people must not. When in
 * doubt the form is left apart: a missed match costs a partner check as today, a false match would
 * ask an organisation about a household it does not follow.
 */

/** Civil titles written before a name: not part of the person's name. */
const TITLES = new Set(['m', 'mr', 'mme', 'mlle', 'melle', 'monsieur', 'madame', 'mademoiselle', 'mmes', 'mm', 'dr']);

/** Street-type abbreviations, as French addresses write them, to their full word. */
const STREET_WORDS: Record<string, string> = {
  av: 'avenue', ave: 'avenue', avn: 'avenue',
  bd: 'boulevard', bld: 'boulevard', blvd: 'boulevard', boul: 'boulevard', bvd: 'boulevard',
  r: 'rue',
  pl: 'place',
  ch: 'chemin', chem: 'chemin',
  imp: 'impasse',
  all: 'allee',
  sq: 'square',
  fg: 'faubourg', fbg: 'faubourg',
  rte: 'route',
  crs: 'cours',
  qu: 'quai', qua: 'quai',
  pass: 'passage',
  res: 'residence', resid: 'residence',
  st: 'saint', ste: 'sainte',
};

/** Words an address may carry or not for the same place (« rue de l’Égalité » / « rue Égalité »). */
const ADDRESS_LINK_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'et', 'a', 'au', 'aux']);

/** « 12 b », « 12bis »: the repetition indices of a street number, to one spelling. */
const NUMBER_SUFFIXES: Record<string, string> = { b: 'bis', bis: 'bis', t: 'ter', ter: 'ter', q: 'quater', quater: 'quater' };

/**
 * Lower case, accents and ligatures removed, every apostrophe, hyphen, dash and punctuation mark a
 * space, spaces collapsed: the words of a text, in order.
 */
export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    // Anything that is not a letter or a digit separates words: ' ’ ‘ ` - – — . , ; : / ( ) " « »…
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded === '' ? [] : folded.split(' ');
}

/**
 * A person's name, as the words of surname and first names without civil titles, in alphabetical
 * order: the case file keeps one string (`headName`: « Mme Claire Dupont », « DUPONT Claire »,
 * « Dupont-Martin Claire »), in whichever order it was typed, so surname and first name cannot be
 * told apart there. Sorting makes « Dupont Claire » and « Claire Dupont » one name; the price is that
 * « Martin Paul » and « Paul Martin » are one name too (see the threat model). Undefined when fewer
 * than two words remain (a surname alone, « Mme Exemple »): too weak to say anything either way.
 */
export function canonicalName(...parts: string[]): string | undefined {
  const tokens = parts.flatMap(words).filter((w) => !TITLES.has(w));
  if (tokens.length < 2) return undefined;
  return [...tokens].sort().join(' ');
}

/**
 * A postal address reduced to its number and street: abbreviations spelled out, « 12bis »,
 * « 12 b » and « 12 bis » alike, link words (de, la, l’…) dropped, and everything from the postcode
 * on (postcode, city, CEDEX) left out, since one side often omits the city of a programme that covers
 * one conurbation. Undefined when nothing is left.
 */
export function canonicalAddress(address: string): string | undefined {
  const tokens: string[] = [];
  for (const raw of words(address).flatMap(splitNumberSuffix)) {
    if (/^\d{5}$/.test(raw)) break; // a French postcode: the city follows
    const previous = tokens.at(-1);
    if (previous !== undefined && /^\d+$/.test(previous) && NUMBER_SUFFIXES[raw]) {
      tokens.push(NUMBER_SUFFIXES[raw]);
      continue;
    }
    if (ADDRESS_LINK_WORDS.has(raw)) continue;
    tokens.push(STREET_WORDS[raw] ?? raw);
  }
  return tokens.length > 0 ? tokens.join(' ') : undefined;
}

/** « 12bis » → « 12 », « bis »; « 12b » → « 12 », « b »; other words unchanged. */
function splitNumberSuffix(word: string): string[] {
  const match = /^(\d+)(bis|ter|quater|b|t|q)$/.exec(word);
  return match ? [match[1]!, match[2]!] : [word];
}

/** A date of birth as YYYY-MM-DD, from « 1984-03-07 » or « 07/03/1984 »; undefined otherwise. */
export function canonicalBirthDate(text: string): string | undefined {
  const value = text.trim();
  let year: number, month: number, day: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
    if (!match) return undefined;
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** What a key is derived from: its kind, then its canonical parts. */
export type KeyMaterial = string;

/** The kinds of keys: one string each, prefixed so that two kinds never collide. */
export const KEY_KINDS = ['name_address', 'name_birth'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

const material = (kind: KeyKind, ...parts: string[]): KeyMaterial => `v1|${kind}|${parts.join('|')}`;

/** One line of a partner's caseload file, as read. */
export interface CaseloadLine {
  surname: string;
  firstName: string;
  address: string;
  birthDate?: string;
}

/**
 * The key materials of one caseload line: name and address when both are usable, name and date of
 * birth when a valid date was given. Empty when the line cannot identify anyone.
 */
export function lineKeyMaterials(line: CaseloadLine): { kind: KeyKind; material: KeyMaterial }[] {
  // The file has both columns: a line must fill both (« Dupont-Martin » alone is two words, not a name).
  const named = (text: string) => words(text).some((w) => !TITLES.has(w));
  if (!named(line.surname) || !named(line.firstName)) return [];
  const name = canonicalName(line.surname, line.firstName);
  if (!name) return [];
  const out: { kind: KeyKind; material: KeyMaterial }[] = [];
  const address = canonicalAddress(line.address);
  if (address) out.push({ kind: 'name_address', material: material('name_address', name, address) });
  const birth = line.birthDate ? canonicalBirthDate(line.birthDate) : undefined;
  if (birth) out.push({ kind: 'name_birth', material: material('name_birth', name, birth) });
  return out;
}

/**
 * The key materials of a referred household: the case file holds a name and an address, no date of
 * birth, so only the name-and-address key. Empty when the name is a surname alone: then no list
 * can answer for an organisation, which gets a check as before.
 */
export function householdKeyMaterials(household: { headName: string; address: string; birthDate?: string }): { kind: KeyKind; material: KeyMaterial }[] {
  const name = canonicalName(household.headName);
  if (!name) return [];
  const out: { kind: KeyKind; material: KeyMaterial }[] = [];
  const address = canonicalAddress(household.address);
  if (address) out.push({ kind: 'name_address', material: material('name_address', name, address) });
  const birth = household.birthDate ? canonicalBirthDate(household.birthDate) : undefined;
  if (birth) out.push({ kind: 'name_birth', material: material('name_birth', name, birth) });
  return out;
}
