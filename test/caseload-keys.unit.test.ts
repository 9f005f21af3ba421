import { createHmac } from 'node:crypto';
import { caseloadKey } from '../api/caseloads/keys';
import { readCaseloadFile } from '../api/caseloads/file';
import {
  canonicalAddress, canonicalBirthDate, canonicalName, householdKeyMaterials, lineKeyMaterials, words,
} from '../domain/caseload/normalise';
import { isFresh } from '../api/caseloads/matching';
import { days, defaultProgrammePolicy } from '../domain/programme/policy';
import { caseloadListKeyFor, ConfigError, EMBEDDED_CASELOAD_LIST_KEY, loadConfig, parseCaseloadListKey, requireCaseloadListKey, type CaseloadListKey } from '../lib/config';

const KEY: CaseloadListKey = { id: 'k1', secret: Buffer.alloc(32, 1) };
const OTHER_KEY: CaseloadListKey = { id: 'k2', secret: Buffer.alloc(32, 2) };

describe('the words of a text', () => {
  test.each([
    ['  Élodie   MÜLLER ', ['elodie', 'muller']],
    ['l’Œuvre d\'Ève', ['l', 'oeuvre', 'd', 'eve']],
    ['Jean-Pierre — Dupont–Martin', ['jean', 'pierre', 'dupont', 'martin']],
    ['« Les Châtillons », 3', ['les', 'chatillons', '3']],
    ['', []],
  ])('%j → %j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});

describe('a name: titles dropped, words in alphabetical order, two words at least', () => {
  test.each([
    [['Dupont', 'Claire'], 'claire dupont'],
    [['Mme Claire Dupont'], 'claire dupont'],
    [['DUPONT Claire'], 'claire dupont'],
    [['  dupont ', ' CLAIRE  '], 'claire dupont'],
    [['Hélène', 'Lefèvre'], 'helene lefevre'],
    [['Mme Helene LEFEVRE'], 'helene lefevre'],
    [['Dupont-Martin', 'Jean-Pierre'], 'dupont jean martin pierre'],
    [['M. Jean Pierre Dupont Martin'], 'dupont jean martin pierre'],
    [['N\'Diaye', 'Aïssatou'], 'aissatou diaye n'],
    [['Madame NDIAYE Aissatou'], 'aissatou ndiaye'],
  ])('%j → %s', (parts, expected) => {
    expect(canonicalName(...parts)).toBe(expected);
  });

  test('a surname alone (or a title and a surname) is too weak to name anyone', () => {
    expect(canonicalName('Mme Exemple')).toBeUndefined();
    expect(canonicalName('Dupont', '')).toBeUndefined();
    expect(canonicalName('M.', 'Dupont')).toBeUndefined();
  });

  test('N\'Diaye and NDIAYE are different spellings: left apart (a missed match costs a check, a false one a wrong question)', () => {
    expect(canonicalName('N\'Diaye Aïssatou')).not.toBe(canonicalName('NDIAYE Aïssatou'));
  });
});

describe('an address: number and street, abbreviations spelled out, from the postcode on left out', () => {
  const same: [string, string][] = [
    ['12 av. Jean Jaurès', '12 avenue Jean-Jaurès'],
    ['12 AVENUE JEAN JAURES, 51100 REIMS', '12 av jean jaures'],
    ['3 bd de la Paix', '3 boulevard de la Paix 51100 Reims'],
    ['3 Bd. de la Paix', '3 bld la paix'],
    ['7 r. de l’Égalité', '7 rue de l\'Egalite'],
    ['7 R. Égalité, 51100 Reims CEDEX', '7 rue de l’égalité'],
    ['12bis rue Chanzy', '12 bis rue Chanzy'],
    ['12 b rue Chanzy', '12 BIS, rue Chanzy'],
    ['5ter pl. d\'Erlon', '5 ter place d’Erlon'],
    ['4 fg Cérès', '4 faubourg Ceres'],
    ['  10   chem.  des   Vignes ', '10 chemin des vignes'],
    ['2 imp. St-Jean', '2 impasse Saint Jean'],
  ];
  test.each(same)('%j = %j', (a, b) => {
    expect(canonicalAddress(a)).toBe(canonicalAddress(b));
    expect(canonicalAddress(a)).toBeDefined();
  });

  const different: [string, string][] = [
    ['12 rue Chanzy', '12 bis rue Chanzy'],
    ['12 bis rue Chanzy', '12 ter rue Chanzy'],
    ['12 rue Chanzy', '21 rue Chanzy'],
    ['12 rue Chanzy', '12 avenue Chanzy'],
    ['3 rue de Vesle', '3 rue de Venise'],
  ];
  test.each(different)('%j ≠ %j', (a, b) => {
    expect(canonicalAddress(a)).not.toBe(canonicalAddress(b));
  });

  test('the canonical form itself', () => {
    expect(canonicalAddress('12 Bis, Av. de l’Yser – 51100 Reims')).toBe('12 bis avenue yser');
    expect(canonicalAddress('51100 Reims')).toBeUndefined();
    expect(canonicalAddress('')).toBeUndefined();
  });
});

describe('a date of birth', () => {
  test.each([
    ['1984-03-07', '1984-03-07'],
    ['07/03/1984', '1984-03-07'],
    ['7/3/1984', '1984-03-07'],
    ['07.03.1984', '1984-03-07'],
    ['31/02/1984', undefined],
    ['1984', undefined],
    ['', undefined],
  ])('%j → %j', (text, expected) => {
    expect(canonicalBirthDate(text)).toBe(expected);
  });
});

describe('keys', () => {
  test('a caseload line and the household it names give the same name-and-address key', () => {
    const line = lineKeyMaterials({ surname: 'DUPONT', firstName: 'Claire', address: '12 bis av. Jean-Jaurès', birthDate: '07/03/1984' });
    const household = householdKeyMaterials({ headName: 'Mme Claire Dupont', address: '12bis avenue Jean Jaurès, 51100 Reims' });
    expect(line.map((m) => m.kind)).toEqual(['name_address', 'name_birth']);
    expect(household.map((m) => m.kind)).toEqual(['name_address']);
    expect(caseloadKey(KEY, household[0]!.material)).toBe(caseloadKey(KEY, line[0]!.material));
  });

  test('a key is HMAC-SHA-256 with the deployment key, in hex: another key gives another value', () => {
    const { material } = householdKeyMaterials({ headName: 'Claire Dupont', address: '12 rue Chanzy' })[0]!;
    expect(caseloadKey(KEY, material)).toBe(createHmac('sha256', KEY.secret).update(material).digest('hex'));
    expect(caseloadKey(KEY, material)).toMatch(/^[0-9a-f]{64}$/);
    expect(caseloadKey(OTHER_KEY, material)).not.toBe(caseloadKey(KEY, material));
  });

  test('the kinds never collide: a name with an address never equals a name with a date', () => {
    const line = lineKeyMaterials({ surname: 'Dupont', firstName: 'Claire', address: '1984-03-07', birthDate: '1984-03-07' });
    expect(new Set(line.map((m) => m.material)).size).toBe(line.length);
  });

  test('a line or a household without a usable name gives no key', () => {
    expect(lineKeyMaterials({ surname: 'Dupont', firstName: '', address: '12 rue Chanzy' })).toEqual([]);
    expect(lineKeyMaterials({ surname: 'Dupont-Martin', firstName: '', address: '12 rue Chanzy' })).toEqual([]);
    expect(lineKeyMaterials({ surname: 'Dupont', firstName: 'Mme', address: '12 rue Chanzy' })).toEqual([]);
    expect(householdKeyMaterials({ headName: 'Mme Exemple', address: '12 rue de l’Exemple' })).toEqual([]);
    expect(lineKeyMaterials({ surname: 'Dupont', firstName: 'Claire', address: '' })).toEqual([]);
  });
});

describe('the caseload file', () => {
  const csv = (text: string) => new TextEncoder().encode(text);

  test('columns found by their heading, whatever the case, accents or separator', () => {
    const read = readCaseloadFile(csv('\ufeffNOM;Prénom;Adresse;Date de naissance\r\nDupont;Claire;"12 rue Chanzy; bât. A";07/03/1984\r\n;;;\r\nMartin;Paul;3 bd de la Paix;\r\n'));
    expect(read.blankLines).toBe(1);
    expect(read.lines).toEqual([
      { number: 2, line: { surname: 'Dupont', firstName: 'Claire', address: '12 rue Chanzy; bât. A', birthDate: '07/03/1984' } },
      { number: 4, line: { surname: 'Martin', firstName: 'Paul', address: '3 bd de la Paix' } },
    ]);
    expect(readCaseloadFile(csv('prenom,nom,adresse\nClaire,Dupont,12 rue Chanzy\n')).lines[0]!.line).toEqual({ surname: 'Dupont', firstName: 'Claire', address: '12 rue Chanzy' });
  });

  test('a missing column, a file not in UTF-8, too many lines: refused with the line or column, never a cell', () => {
    expect(() => readCaseloadFile(csv('nom;adresse\nDupont;12 rue Chanzy\n'))).toThrow(/colonne absente : « prénom »/);
    expect(() => readCaseloadFile(new Uint8Array([0x6e, 0x6f, 0x6d, 0x3b, 0xe9, 0x0a]))).toThrow(/UTF-8/);
    const many = `nom;prenom;adresse\n${'Dupont;Claire;12 rue Chanzy\n'.repeat(20_001)}`;
    expect(() => readCaseloadFile(csv(many))).toThrow(/20\u202f000 lignes|20 000 lignes/);
    const unclosed = () => readCaseloadFile(csv('nom;prenom;adresse\nDupont;Claire;12 rue Chanzy\nMartin;"Paul;3 bd de la Paix\n'));
    expect(unclosed).toThrow(/illisible à la ligne 3/);
    expect(unclosed).not.toThrow(/Dupont|Claire|Chanzy|Martin|Paul|Paix/);
  });
});

describe('the key setting', () => {
  test('id:base64 of 32 bytes or more', () => {
    expect(parseCaseloadListKey(`k1:${Buffer.alloc(32, 9).toString('base64')}`)).toEqual({ id: 'k1', secret: Buffer.alloc(32, 9) });
    expect(() => parseCaseloadListKey(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(/32 octets/);
    expect(() => parseCaseloadListKey('sans-separateur')).toThrow(/id:cléBase64/);
    expect(() => parseCaseloadListKey('k1:pas du base64!')).toThrow(/base64/);
  });
});

describe('a list answers for its organisation while fresh, and under the current key only', () => {
  const at = new Date('2027-01-31T12:00:00Z');
  const list = (daysOld: number, keyId = KEY.id) => ({ keyId, uploadedAt: new Date(at.getTime() - days(daysOld)) });

  test('31 days by default, the policy\'s otherwise', () => {
    expect(isFresh(list(0), KEY, defaultProgrammePolicy, at)).toBe(true);
    expect(isFresh(list(31), KEY, defaultProgrammePolicy, at)).toBe(true);
    expect(isFresh(list(31.01), KEY, defaultProgrammePolicy, at)).toBe(false);
    const { caseloadListFreshMs: _default, ...older } = defaultProgrammePolicy.partnerCheck;
    expect(isFresh(list(31.01), KEY, { ...defaultProgrammePolicy, partnerCheck: older }, at)).toBe(false);
    expect(isFresh(list(8), KEY, { ...defaultProgrammePolicy, partnerCheck: { ...older, caseloadListFreshMs: days(7) } }, at)).toBe(false);
  });

  test('after a rotation (another key id) a list is stale whatever its age', () => {
    expect(isFresh(list(0, 'k0'), KEY, defaultProgrammePolicy, at)).toBe(false);
  });

  test('the key: CASELOAD_LIST_KEY, else the embedded one, never in production', () => {
    const spec = `c7:${Buffer.alloc(32, 3).toString('base64')}`;
    expect(caseloadListKeyFor(loadConfig({ CASELOAD_LIST_KEY: spec })).id).toBe('c7');
    expect(caseloadListKeyFor(loadConfig({}))).toBe(EMBEDDED_CASELOAD_LIST_KEY);
    expect(() => caseloadListKeyFor(loadConfig({ NODE_ENV: 'production' }))).toThrow(ConfigError);
    expect(() => requireCaseloadListKey(loadConfig({}))).toThrow(/CASELOAD_LIST_KEY/);
    expect(() => loadConfig({ CASELOAD_LIST_KEY: 'c7:court' })).toThrow(/CASELOAD_LIST_KEY/);
  });
});
