import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { CommandType } from '../../../domain/household';
import { z } from '../../../lib/zod-fr';
import type { Permission } from '../../access/permissions';
import type { Principal } from '../../auth/principal';
import type { FormField } from '../../pages/form-fields';
import { RefusedError, type ProcessService } from '../process-service';

/**
 * One household action, declared once (docs/design/architecture.md, « Adding a household action »): its
 * name and French words, who may take it, its zod body, how the body becomes the workflow's
 * command, whether that is an Update or a Signal, and its form. The JSON route (routes.ts), the
 * household's action page (api/pages/routes/household-action.ts), the task completions
 * (api/tasks/completions.ts) and the OpenAPI document are all generated from these entries.
 */
export type ExecuteContext = Parameters<ProcessService['execute']>[3];

/** What turning a body into a command may write first (free text, a referent): removed if the rules refuse. */
export interface CommandWriter {
  /** A person's free text goes to the case file; the workflow only gets its id. */
  note(kind: string, text: string | undefined): Promise<string | undefined>;
  /** A partner's social worker (name and contact stay in PostgreSQL). */
  referent(partnerOrgId: string, referent: { name: string; email?: string; phone?: string }): Promise<string>;
}

export interface ActionEnv {
  householdId: string;
  principal: Principal;
  process: ProcessService;
  ctx: ExecuteContext;
}

type Message<P> =
  | { kind: 'update'; definition: UpdateDefinition<void, [P]> }
  | { kind: 'signal'; definition: SignalDefinition<[P]> };

type Shape = z.ZodRawShape;
type Body<S extends Shape> = z.output<z.ZodObject<S>>;

export interface ActionDeclaration<S extends Shape, P> {
  /** The workflow command it sends (what `acceptedCommands` lists at each phase). */
  command: CommandType;
  permission: Permission;
  /** JSON route: POST /api/households/:id/<route>. */
  route: string;
  /** Page: /menages/:id/actions/<slug>. */
  slug: string;
  /** French: the link, the page's title and the OpenAPI summary. */
  title: string;
  /** French: more words for the OpenAPI document, when the title does not say it all. */
  description?: string;
  /** French: the notice shown after success. */
  done: string;
  /** French: the form's button. */
  submit: string;
  /** The button says it cannot be undone (closure, withdrawal). */
  warning?: boolean;
  /** French: a paragraph above the form (what happens next, who is told). */
  intro?: string;
  /** The body's fields, and its cross-field rules (kept apart so that a task can omit what it already knows). */
  shape: S;
  rules?: { check: (body: Body<S>) => boolean; message: string; path: string[] }[];
  message: Message<P>;
  /** Body fields the signed-in person fixes (a partner answers for its own organisation): not in the form. */
  fixedFor?(principal: Principal): Partial<Body<S>> | undefined;
  /** Checks needing the database that change nothing (the named educator exists): before any write. */
  check?(body: Body<S>, env: ActionEnv): Promise<void>;
  /** The body as the workflow's command: free text written first, euros in cents, days as instants. */
  toCommand(body: Body<S>, write: CommandWriter, env: ActionEnv): Promise<Omit<P, 'by' | 'at' | 'type'>> | Omit<P, 'by' | 'at' | 'type'>;
  /** The form: its fields, from which the page draws it and reads its values back. */
  form: FormField[];
}

export interface HouseholdAction<S extends Shape = Shape> extends ActionDeclaration<S, object> {
  /** The body schema (shape + rules), as the API parses it. */
  body: z.ZodType<Body<S>>;
  /** The body without some fields (what a task already knows), the rules that need them dropped. */
  bodyWithout(fields: readonly string[]): z.ZodType;
}

export function defineAction<S extends Shape, P>(declaration: ActionDeclaration<S, P>): HouseholdAction {
  const withRules = (shape: Shape, rules: ActionDeclaration<S, P>['rules'] = []) => rules.reduce<z.ZodType>(
    (schema, rule) => (schema as z.ZodObject).refine(rule.check as (b: unknown) => boolean, { message: rule.message, path: rule.path }),
    z.strictObject(shape),
  );
  const body = withRules(declaration.shape, declaration.rules);
  return {
    ...(declaration as unknown as ActionDeclaration<Shape, object>),
    body: body as z.ZodType<Body<Shape>>,
    bodyWithout: (fields) => withRules(
      Object.fromEntries(Object.entries(declaration.shape).filter(([name]) => !fields.includes(name))),
      declaration.rules?.filter((rule) => !fields.includes(rule.path[0] ?? '')),
    ),
  };
}

export interface ActionOutcome {
  /** The household's new state after an Update; undefined for a Signal (accepted, applied in order). */
  state?: Awaited<ReturnType<ProcessService['execute']>>;
  /** The command sent, without its author. */
  payload: Record<string, unknown>;
  /** The ids of the notes written for it (a task records them in its result). */
  noteIds: string[];
}

/**
 * Takes the action: the checks, then what the body writes, then the Update (answer: the new
 * state) or the Signal (accepted). A refusal — the rules', or a closed household's, which
 * `execute` and `signal` check — removes what was written.
 */
export async function runAction(action: HouseholdAction, body: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  const { process, householdId, ctx } = env;
  await action.check?.(body as never, env);
  const written = { noteIds: [] as (string | undefined)[], referentIds: [] as (string | undefined)[] };
  const write: CommandWriter = {
    note: async (kind, text) => {
      const id = await process.writeNote(householdId, kind, text, ctx);
      written.noteIds.push(id);
      return id;
    },
    referent: async (partnerOrgId, referent) => {
      const id = await process.saveReferent(householdId, partnerOrgId, referent);
      written.referentIds.push(id);
      return id;
    },
  };
  try {
    const payload = await action.toCommand(body as never, write, env) as Record<string, unknown>;
    const noteIds = written.noteIds.filter((x): x is string => !!x);
    if (action.message.kind === 'signal') {
      await process.signal(householdId, action.message.definition, payload, ctx);
      return { payload, noteIds };
    }
    return { state: await process.execute(householdId, action.message.definition, payload, ctx), payload, noteIds };
  } catch (error) {
    // Refused: nothing happened, so nothing written stays. Anything else (a timeout) may still be
    // applied by the workflow, which would then point at what was written: it stays.
    if (error instanceof RefusedError) await process.discard(written);
    throw error;
  }
}
