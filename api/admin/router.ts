import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';
import { logsRoutes } from './logs';
import { organisationsRoutes } from './organisations';
import { describePolicy } from './policy-view';
import { usersRoutes } from './users';

/**
 * Administration (/api/admin/…): accounts, organisations, the audit and mail logs, the policy in
 * force. Administration runs the platform and never reads case files (see the policy). Failed
 * mails are shown in the mail log and can be sent again from it (mail-retry.ts).
 */
export function adminRoutes(ctx: ApiContext): Route[] {
  return [
    ...usersRoutes(ctx),
    ...organisationsRoutes(ctx),
    ...logsRoutes(ctx),
    defineRoute({
      method: 'get', path: '/api/admin/policy', tag: TAGS.admin, access: 'admin.policy', summary: 'Règles en vigueur : délais, seuils et capacités du programme', responses: { 200: 'La politique et ses libellés.' },
    }, {
      handle(_req, res) {
        res.json({ policy: ctx.policy, settings: describePolicy(ctx.policy) });
      },
    }),
  ];
}
