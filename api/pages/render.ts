import path from 'node:path';
import type { Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { registerFilters } from './filters';
import { readFlash, type Flash } from './forms';
import { navigationFor } from './navigation';
import { PROJECT_ROOT } from '../../lib/project-root';
import { ROLE_LABELS } from '../../domain/labels';

const ROOT = PROJECT_ROOT;

let environment: nunjucks.Environment | undefined;

/**
 * One Nunjucks environment for every page: our views first, then the govuk-frontend and MOJ
 * macros from the installed packages (`{% from "govuk/components/…/macro.njk" import … %}`,
 * `{% from "moj/components/…/macro.njk" import … %}`). Autoescape is on: only `| safe` on
 * markup we built ourselves.
 */
export function pagesEnvironment(): nunjucks.Environment {
  if (environment) return environment;
  const loader = new nunjucks.FileSystemLoader([
    path.join(__dirname, 'views'),
    path.join(ROOT, 'node_modules/govuk-frontend/dist'),
    path.join(ROOT, 'node_modules/@ministryofjustice/frontend'),
  ], { noCache: process.env.NODE_ENV === 'development' });
  environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  registerFilters(environment);
  return environment;
}

/** What every page's layout reads: who is signed in, the navigation, the CSRF token, the flash. */
export interface LayoutLocals {
  user?: { displayName: string; role: string; roleLabel: string };
  navigation: { href: string; text: string; active: boolean }[];
  csrfToken?: string;
  flash?: Flash;
  currentPath: string;
}

export function layoutLocals(req: Request, res: Response): LayoutLocals {
  const principal = req.principal;
  return {
    ...(principal && { user: { displayName: principal.displayName, role: principal.role, roleLabel: ROLE_LABELS[principal.role] } }),
    navigation: principal ? navigationFor(principal.role, req.path) : [],
    ...(req.authentication?.kind === 'session' && { csrfToken: req.authentication.csrfToken }),
    flash: readFlash(req, res),
    currentPath: req.originalUrl,
  };
}

/**
 * Renders a view of api/pages/views with the layout's locals; `status` for error and
 * re-rendered forms (400, 403, 404, 409). Pages are never cached: they hold personal data.
 */
export function render(req: Request, res: Response, view: string, locals: Record<string, unknown> = {}, status = 200): void {
  const html = pagesEnvironment().render(view, { ...layoutLocals(req, res), ...locals });
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.type('html').send(html);
}
