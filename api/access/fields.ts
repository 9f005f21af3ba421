import type { Role } from '../../generated/prisma/client';

/**
 * What each role may read of each kind of answer, field by field (docs/design/roles-and-access.md,
 * « Ce que chaque rôle lit »). The services shape their answers per role already; this table is the
 * last word at the edge: every JSON route declared with `answers` (api/http/route.ts) and every
 * page showing a case file passes its data through `visibleTo` before it leaves the process, so a
 * field a service adds tomorrow reaches a landlord or a partner only once it is written here.
 *
 * - `'all'`: the association's team (coordination, committee, educators) follows every household
 *   of the programme and reads the whole case file the service builds;
 * - a field tree: only the fields named (`true` copies the value as it is; a nested tree picks inside
 *   an object, or inside each element of an array);
 * - no entry: the role never receives this kind of answer (an error, never a silent full copy).
 */
export type FieldTree = { readonly [field: string]: true | FieldTree };
export type Allowance = 'all' | FieldTree;

const landlordOf = { id: true, name: true } as const;

/** A household action's answer for those who do not read the whole case file: where it stands now. */
const stateOnly: FieldTree = { phase: true, acceptedCommands: true };

/** A task as a partner worker sees it: whom it is about (name only), what is asked, its own answer. */
const partnerTask: FieldTree = {
  id: true, type: true, label: true, household: { id: true, headName: true },
  partnerOrganisationId: true, dueAt: true, overdue: true, status: true,
  // Checks carry the organisation asked; handoffs the scheme, the referent and what the household agreed to share.
  form: { partnerOrgId: true, scheme: true },
  handoff: { scheme: true, referent: { displayName: true, contact: true }, sharedWithPartner: true },
  result: { partnerOrgId: true, answer: true, referentWorkerRef: true, scheme: true, acknowledged: true },
  createdAt: true, completedAt: true,
};

export const ANSWER_FIELDS = {
  /** GET /api/households/:id and the household page. */
  household: {
    coordinator: 'all', committee_member: 'all', educator: 'all',
    landlord_agent: {
      id: true, landlord: landlordOf, tenancyReference: true, headName: true, address: true,
      leaseStartDate: true, monthlyRent: true, arrears: true, procedureStage: true, referralSource: true,
      phase: true, track: true, outcome: true, createdAt: true, closedAt: true,
      workflow: { available: true, phase: true, reason: true },
    },
    // Enough to recognise the household and to answer what was asked of the organisation.
    partner_worker: { id: true, landlord: { name: true }, headName: true, address: true, phase: true },
  },
  /** A row of a household list (GET /api/households, the list pages, the landlord space). */
  householdRow: {
    coordinator: 'all', committee_member: 'all', educator: 'all',
    landlord_agent: {
      id: true, landlordId: true, landlordName: true, tenancyReference: true, headName: true,
      phase: true, track: true, arrears: true, createdAt: true,
    },
    partner_worker: { id: true, landlordId: true, landlordName: true, headName: true, phase: true, createdAt: true },
  },
  /** A task of the inbox (GET /api/tasks, /api/tasks/:id, claim, release). */
  task: {
    coordinator: 'all', committee_member: 'all', educator: 'all',
    partner_worker: partnerTask,
  },
  /** A task completed from the inbox: the task and, for the team, the household's new state. */
  taskCompletion: {
    coordinator: 'all', committee_member: 'all', educator: 'all',
    // The Update's view, cut to where the household stands (the view's own shape).
    partner_worker: { task: partnerTask, workflow: { state: { phase: true }, acceptedCommands: true } },
  },
  /** A partner check (GET /api/partner-checks…, the checks page). */
  partnerCheck: {
    coordinator: 'all',
    partner_worker: {
      taskId: true, householdId: true, headName: true, address: true, landlord: true,
      question: true, askedOn: true, dueAt: true, status: true,
      ownAnswer: { answer: true, referentName: true, referentContact: true, answeredOn: true },
      correctableUntil: true,
    },
  },
  /** The answer to a partner check's answer. */
  partnerCheckAnswer: {
    coordinator: 'all',
    partner_worker: { taskId: true, householdId: true, answer: true, referentId: true, phase: true },
  },
  /** The answer of a household action sent as an Update. */
  actionAnswer: {
    coordinator: 'all', committee_member: 'all', educator: 'all',
    landlord_agent: stateOnly,
    partner_worker: stateOnly,
  },
} as const satisfies Record<string, Partial<Record<Role, Allowance>>>;

export type AnswerResource = keyof typeof ANSWER_FIELDS;

/** Where a route's answer holds the resource: the whole body, or a list under one of its keys. */
export interface AnswerShape {
  resource: AnswerResource;
  /** The body's key holding a list of the resource (the other keys, a page's counts, are kept). */
  listAt?: string;
}

/** Fields no partner answer may ever hold, whatever the table says (the access matrix asserts it). */
export const NEVER_FOR_PARTNERS = [
  'finances', 'arrears', 'arrearsCents', 'monthlyRent', 'procedure', 'procedureStage', 'partnerAnswers',
  'notes', 'note', 'supportPlan', 'contactAttempts', 'deferrals', 'tenancyReference', 'educatorId', 'phone', 'email',
] as const;

export class FieldsNotAllowedError extends Error {
  constructor(resource: string, role: Role) {
    super(`no field of ${resource} is allowed to ${role}: the answer was not sent`);
  }
}

/** The part of `value` that `role` may read of `resource` (a copy; the value is not changed). */
export function visibleTo(resource: AnswerResource, role: Role, value: unknown): unknown {
  const allowance = (ANSWER_FIELDS[resource] as Partial<Record<Role, Allowance>>)[role];
  if (allowance === undefined) throw new FieldsNotAllowedError(resource, role);
  return allowance === 'all' ? value : pick(value, allowance);
}

/** An answer shaped as `shape` says, for `role`. */
export function answerVisibleTo(shape: AnswerShape, role: Role, body: unknown): unknown {
  if (!shape.listAt) return visibleTo(shape.resource, role, body);
  const record = body as Record<string, unknown>;
  const list = record[shape.listAt];
  return { ...record, [shape.listAt]: Array.isArray(list) ? list.map((item) => visibleTo(shape.resource, role, item)) : list };
}

function pick(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, tree));
  // A nested rule expects an object: anything else (null, a scalar where a record was meant) is not copied.
  if (value === null || typeof value !== 'object') return null;
  const source = value as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(tree)) {
    if (!(field in source) || source[field] === undefined) continue;
    picked[field] = rule === true ? source[field] : pick(source[field], rule);
  }
  return picked;
}
