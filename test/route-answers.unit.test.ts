import { ANSWER_FIELDS, NEVER_FOR_PARTNERS, answerVisibleTo, visibleTo, type FieldTree } from '../api/access/fields';
import { PERMISSIONS, type Permission } from '../api/access/permissions';
import type { ApiContext } from '../api/context';
import { routeDocs } from '../api/routes';

// The declarations read the context only when a request comes: none comes here.
const ROUTES = routeDocs({} as ApiContext);

const OUTSIDERS = ['landlord_agent', 'partner_worker'] as const;
const openToOutsiders = (access: Permission | 'public') =>
  access !== 'public' && OUTSIDERS.some((role) => (PERMISSIONS[access] as readonly string[]).includes(role));

/**
 * Routes a landlord or a partner may call that answer nothing of a household's case file, each with
 * why. Any other route open to them must declare `answers`, so that its JSON goes through the
 * allowlist: a route added tomorrow without it fails here.
 */
const NO_CASE_FILE_IN_ANSWER: Record<string, string> = {
  'post /api/households': 'the new id, its workflow id and the first phase: what the referrer just sent',
  'get /api/me': 'the signed-in person only',
  'post /api/me/password': 'the person\'s own password change',
  'get /api/caseload-list': 'the date and line count of the organisation\'s own list (never its keys)',
  'put /api/caseload-list': 'the same, for the list just uploaded',
  'delete /api/caseload-list': 'no body',
  'get /api/me/tokens': 'the person\'s own tokens',
  'post /api/me/tokens': 'the new token',
  'delete /api/me/tokens/:tokenId': 'no body',
  'post /api/arrears-imports': 'the import\'s id and status: the landlord\'s own file',
  'get /api/arrears-imports/:id': 'the landlord\'s own import (scoped to it)',
  'get /api/arrears-imports/:id/errors': 'the lines of the landlord\'s own file that were refused',
};

describe('every answer open to a landlord or a partner goes through the allowlist', () => {
  const open = ROUTES.filter((route) => openToOutsiders(route.access));

  it.each(open.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (key, route) => {
    const signal = route.responses[202] !== undefined && route.responses[200] === undefined;
    if (signal) return expect(route.answers).toBeUndefined(); // 202 { accepted: true }
    if (NO_CASE_FILE_IN_ANSWER[key]) return expect(route.answers).toBeUndefined();
    expect(route.answers).toBeDefined();
  });

  it('covers the household, task and partner check routes (the walk is not empty)', () => {
    const declared = open.filter((route) => route.answers).map((route) => `${route.method} ${route.path}`);
    expect(declared).toEqual(expect.arrayContaining([
      'get /api/households', 'get /api/households/:id', 'post /api/households/:id/partner-answers',
      'get /api/tasks', 'get /api/tasks/:id', 'post /api/tasks/:id/complete',
      'get /api/partner-checks', 'get /api/partner-checks/:taskId', 'post /api/partner-checks/:taskId/answer',
    ]));
  });
});

describe('the allowlists', () => {
  const fieldNames = (tree: FieldTree): string[] =>
    Object.entries(tree).flatMap(([name, rule]) => (rule === true ? [name] : [name, ...fieldNames(rule)]));

  it.each(Object.keys(ANSWER_FIELDS))('no partner allowlist of %s names a field partners never read', (resource) => {
    const tree = (ANSWER_FIELDS as Record<string, Record<string, unknown>>)[resource]!.partner_worker as FieldTree | undefined;
    if (!tree) return;
    expect(fieldNames(tree).filter((name) => (NEVER_FOR_PARTNERS as readonly string[]).includes(name))).toEqual([]);
  });

  it('picks named fields only, inside objects and arrays; a scalar where an object was expected is dropped', () => {
    const household = {
      id: 'h', headName: 'Mme A', address: '1 rue', phase: 'support', arrears: 1200,
      landlord: { id: 'l', name: 'Plurial', contact: 'x@y' }, workflow: { state: { finances: {} } },
    };
    expect(visibleTo('household', 'partner_worker', household)).toEqual({ id: 'h', headName: 'Mme A', address: '1 rue', phase: 'support', landlord: { name: 'Plurial' } });
    expect(visibleTo('household', 'educator', household)).toBe(household);
    expect(visibleTo('task', 'partner_worker', { id: 't', household: 'not an object', notes: ['x'] })).toEqual({ id: 't', household: null });
    expect(answerVisibleTo({ resource: 'householdRow', listAt: 'households' }, 'partner_worker', {
      households: [{ id: 'a', arrears: 3, headName: 'B' }], page: { total: 1 },
    })).toEqual({ households: [{ id: 'a', headName: 'B' }], page: { total: 1 } });
  });

  it('refuses to shape an answer for a role the table does not name (never a full copy)', () => {
    expect(() => visibleTo('partnerCheck', 'landlord_agent', { taskId: 't' })).toThrow(/not sent/);
    expect(() => visibleTo('household', 'admin', { id: 'h' })).toThrow(/not sent/);
  });
});
