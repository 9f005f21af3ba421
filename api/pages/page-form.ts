import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from '../../lib/zod-fr';
import { AppError, ValidationError } from '../errors';
import { toValidationError } from '../validation';
import { fieldError, formBody, formErrors, type FieldSpec, type FormErrors } from './forms';

/**
 * One error mapping for every page form (see README.md, « Forms »): the handler does the work and
 * redirects; what the person must correct comes back as the same form, re-rendered by `show`.
 *
 * - a typed validation error (the app's ValidationError, or a ZodError) → `show` with the typed
 *   values and the errors beside each field, 400;
 * - a refusal of the rules (409: ConflictError, RefusedError; 504: no answer in time) → `show`
 *   with the message, the statuses of `refused.statuses`;
 * - anything else → `next(error)`: the error pages (api/pages/errors.ts).
 */

/** What a form page is shown with after a failed POST. */
export interface FormState {
  values?: Record<string, string>;
  errors?: FormErrors;
}

/** Shows the form's page (the GET's renderer, with the typed values and the errors). */
export type ShowForm = (req: Request, res: Response, form: FormState, status: number) => unknown;

/** Does the POST's work from the form's values (and redirects, usually with a notice). */
export type FormHandler = (req: Request, res: Response, values: Record<string, string>) => unknown;

export interface PostFormOptions {
  /** Labels (and input ids) of the fields a ValidationError names; a function when they depend on what was typed. */
  fields?: Record<string, FieldSpec> | ((values: Record<string, string>) => Record<string, FieldSpec>);
  /** Replaces the field mapping for a form whose fields are not named after the schema (say, a batch). */
  validation?: (error: ValidationError, values: Record<string, string>) => FormErrors | Promise<FormErrors>;
  /** Where a refusal is shown, and which statuses are refusals (default 409 and 504); a function when it depends on the request. */
  refused?: RefusalPlacement | ((req: Request) => RefusalPlacement);
  /** What goes back into the form (default: everything typed; never a password). */
  keep?: (values: Record<string, string>) => Record<string, string>;
}

export interface RefusalPlacement {
  /** The statuses shown in the form; others go to the error pages. Default `[409, 504]`. */
  statuses?: readonly number[];
  /** The field the refusal belongs to (its message beside it), with the label the summary names. */
  field?: string;
  label?: string;
  /** Else, the summary's link (default `#main-content`). */
  href?: string;
}

export const REFUSAL_STATUSES: readonly number[] = [409, 504];

/** A ZodError as the app's ValidationError; the app's errors as they are; anything else undefined. */
export function appErrorOf(error: unknown): AppError | undefined {
  if (error instanceof z.ZodError) return toValidationError(error);
  return error instanceof AppError ? error : undefined;
}

/**
 * The app's error as the pages' error summary (and per-field messages): a ValidationError names
 * each field (with `fields`' labels), any other error is one line of the summary, or one field's
 * message when `placement.field` says where it belongs.
 */
export function pageErrors(error: AppError, fields: Record<string, FieldSpec> = {}, placement: RefusalPlacement = {}): FormErrors {
  if (error instanceof ValidationError) return formErrors(error, fields);
  if (placement.field) return fieldError(placement.field, placement.label ?? fields[placement.field]?.label ?? '', error.message);
  return { summary: [{ text: error.message, href: placement.href ?? '#main-content' }], fields: {} };
}

/** A POST route for a form: `router.post(path, postForm(show, handler, options))`. */
export function postForm(show: ShowForm, handler: FormHandler, options: PostFormOptions = {}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const values = formBody(req);
    const refused = typeof options.refused === 'function' ? options.refused(req) : options.refused ?? {};
    try {
      await handler(req, res, values);
    } catch (caught) {
      try {
        const error = appErrorOf(caught);
        const kept = options.keep ? options.keep(values) : values;
        if (error instanceof ValidationError) {
          const errors = options.validation
            ? await options.validation(error, values)
            : formErrors(error, typeof options.fields === 'function' ? options.fields(values) : options.fields);
          return await show(req, res, { values: kept, errors }, error.status);
        }
        if (error && (refused.statuses ?? REFUSAL_STATUSES).includes(error.status)) {
          const fields = typeof options.fields === 'function' ? options.fields(values) : options.fields;
          return await show(req, res, { values: kept, errors: pageErrors(error, fields, refused) }, error.status);
        }
        next(caught);
      } catch (failed) {
        next(failed);
      }
    }
  };
}

/**
 * A read that may refuse its filters (a GET form): its result, or the fallback and the errors to
 * show above the filters. Only a ValidationError is shown; anything else is thrown.
 */
export async function readOrErrors<T>(read: () => Promise<T>, fallback: T, fields?: Record<string, FieldSpec>): Promise<{ value: T; errors?: FormErrors }> {
  try {
    return { value: await read() };
  } catch (caught) {
    const error = appErrorOf(caught);
    if (!(error instanceof ValidationError)) throw caught;
    return { value: fallback, errors: formErrors(error, fields) };
  }
}
