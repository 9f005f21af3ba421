import { Prisma } from '../generated/prisma/client';

/**
 * The personal data inventory in a form the code and the tests read (docs/privacy/data-inventory.md
 * shows the same table): every database column that holds personal data, and how it is erased. The
 * retention job clears exactly the columns listed here (`householdErasure`, `AGE_ERASURE`), and a
 * unit test (test/personal-data.unit.test.ts) checks both this list against prisma/schema.prisma
 * and the document against this list: a new column whose name looks personal fails it until it is
 * listed here, erased by retention or marked not personal with a reason.
 */

/** How a column's content goes away. */
export interface Erasure {
  /** Cleared when the retention job anonymises the closed household (`householdErasure`). */
  anonymisation?: true;
  /** Cleared (or its row deleted) by the retention job once older than the policy's `recordsRetentionMs` (`AGE_ERASURE`). */
  age?: true;
  /** Erased otherwise, or kept on purpose: said in words (the document shows it). */
  other?: string;
}

export interface PersonalColumn {
  /** `table.column`, as in PostgreSQL. */
  column: string;
  /** What it holds, in a few words (shown in the document). */
  holds: string;
  erasure: Erasure;
}

export const PERSONAL_COLUMNS: readonly PersonalColumn[] = [
  { column: 'households.head_name', holds: 'name of the head of household', erasure: { anonymisation: true } },
  { column: 'households.address', holds: 'address', erasure: { anonymisation: true } },
  { column: 'households.phone', holds: 'phone', erasure: { anonymisation: true } },
  { column: 'households.email', holds: 'e-mail', erasure: { anonymisation: true } },
  { column: 'households.referral_note', holds: 'free text of the referral', erasure: { anonymisation: true } },
  { column: 'households.tenancy_reference', holds: 'the landlord\'s tenancy reference', erasure: { anonymisation: true } },
  { column: 'notes.body', holds: 'free text: notes, goals, reasons', erasure: { anonymisation: true } },
  { column: 'referent_workers.name', holds: 'a partner\'s social worker: name', erasure: { anonymisation: true } },
  { column: 'referent_workers.email', holds: 'a partner\'s social worker: e-mail', erasure: { anonymisation: true } },
  { column: 'referent_workers.phone', holds: 'a partner\'s social worker: phone', erasure: { anonymisation: true } },
  { column: 'tasks.result', holds: 'a task\'s answer (may quote a referent)', erasure: { anonymisation: true } },
  { column: 'task_events.details', holds: 'what was done on a task (may quote an answer)', erasure: { anonymisation: true } },
  { column: 'mail_messages.recipient', holds: 'the address a mail went to', erasure: { anonymisation: true, age: true } },
  { column: 'mail_messages.subject', holds: 'a mail\'s subject (tenancy reference)', erasure: { anonymisation: true, age: true } },
  { column: 'mail_messages.text', holds: 'a mail\'s text (references; names on an agenda)', erasure: { anonymisation: true, age: true } },
  { column: 'mail_messages.last_error', holds: 'the SMTP server\'s answer (quotes the address)', erasure: { anonymisation: true, age: true } },
  { column: 'arrears_import_rows.tenancy_reference', holds: 'a line of a landlord\'s arrears file', erasure: { anonymisation: true, age: true } },
  { column: 'arrears_import_rows.household_id', holds: 'the household a line was matched to', erasure: { anonymisation: true } },
  { column: 'arrears_import_rows.error', holds: 'why a line was refused (may quote a cell)', erasure: { age: true } },
  { column: 'arrears_imports.content', holds: 'the uploaded arrears file', erasure: { other: 'cleared when the import ends (activities/arrears-import-activities.ts)' } },
  { column: 'users.email', holds: 'a user\'s e-mail', erasure: { other: 'kept with the account: the audit log names who did what' } },
  { column: 'users.display_name', holds: 'a user\'s name', erasure: { other: 'kept with the account: the audit log names who did what' } },
  { column: 'users.password_hash', holds: 'a user\'s password (scrypt hash)', erasure: { other: 'replaced at each change; kept with the account' } },
  { column: 'caseload_keys.key_hex', holds: 'a keyed pseudonym (HMAC) of a name and address a partner follows', erasure: { other: 'replaced by each upload, deleted with the list by its organisation (docs/privacy/caseload-lists.md)' } },
];

/**
 * Columns whose name or type looks personal but that hold none, with the reason. Everything in the
 * schema not listed in either table is plain figures, dates, codes or ids.
 */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  'landlords.name': 'an organisation\'s name',
  'partner_organisations.name': 'an organisation\'s name',
  'partner_organisations.email': 'an organisation\'s functional mailbox, set by the administrator',
  'sessions.csrf_token': 'a random token',
  'api_tokens.name': 'the label its owner gives a token (an integration\'s name)',
  'api_tokens.token_hash': 'a SHA-256 of a random token',
  'caseload_lists.key_id': 'the id of the deployment key the list was made with',
  'password_links.token_hash': 'a SHA-256 of a one-time random token (an invitation or reset link); the row goes once used',
  'tasks.idempotency_key': 'workflow id and event number',
  'tasks.form': 'codes, ids and dates only (activities/household-tasks.ts)',
  'committee_decisions.decision': 'codes and ids only (committeeDecisionSchema: the only text is a session reference)',
  'timeline_events.idempotency_key': 'workflow id and event number',
  'timeline_events.data': 'the event without its type: codes, figures, ids; free text is a note id (docs/design/architecture.md)',
  'audit_events.details': 'ids and codes only (api/audit.ts takes no free text)',
  'mail_messages.idempotency_key': 'workflow, user, task or session ids',
  'mail_messages.message_id': 'a hash of the idempotency key',
  'arrears_imports.file_name': 'the name of a landlord\'s whole arrears file, not of a household',
  'arrears_imports.format': 'csv or xlsx',
  'arrears_imports.failure': 'why a whole file was refused, in the code\'s words (header, format)',
  'rate_limits.key': 'a prefix and a SHA-256 of the e-mail or address (api/auth/rate-limit.ts)',
  'notes.author': 'the id of the user who wrote it',
  'households.workflow_id': '`household-` and the household id',
  'households.view': 'the workflow\'s view: ids, codes, figures and dates only (domain/household/state.ts keeps names and notes out)',
};

/** What the household's anonymisation writes, per Prisma model: read by `anonymiseHousehold`, checked against PERSONAL_COLUMNS. */
export const ANONYMISED_HEAD_NAME = 'Ménage anonymisé';
export const ANONYMISED_REFERENT = 'Référent anonymisé';
export const ANONYMISED_MAIL = '[anonymisé]';
/** Unique per household (the open-tenancy index is partial, but a report may still group by reference). */
export const anonymisedReference = (householdId: string) => `anonymise-${householdId}`;

export function householdErasure(householdId: string) {
  return {
    household: {
      headName: ANONYMISED_HEAD_NAME, address: '', phone: null, email: null, referralNote: null, tenancyReference: anonymisedReference(householdId),
    },
    note: { body: '' },
    referentWorker: { name: ANONYMISED_REFERENT, email: null, phone: null },
    task: { result: Prisma.DbNull },
    taskEvent: { details: Prisma.DbNull },
    mailMessage: { recipient: ANONYMISED_MAIL, subject: ANONYMISED_MAIL, text: null, lastError: null },
    arrearsImportRow: { tenancyReference: null, householdId: null },
  } satisfies {
    household: Prisma.HouseholdUpdateManyMutationInput;
    note: Prisma.NoteUpdateManyMutationInput;
    referentWorker: Prisma.ReferentWorkerUpdateManyMutationInput;
    task: Prisma.TaskUpdateManyMutationInput;
    taskEvent: Prisma.TaskEventUpdateManyMutationInput;
    mailMessage: Prisma.MailMessageUpdateManyMutationInput;
    arrearsImportRow: Prisma.ArrearsImportRowUncheckedUpdateManyInput;
  };
}

/**
 * What the retention job erases by age, whatever the household: mails linked to no household (daily
 * digests, committee agendas) are deleted whole; the others keep their subject and recipient until
 * the household's anonymisation but lose their text and error; the lines of the landlords' files
 * lose their reference and error (most name tenancies APRIL does not follow).
 */
export const AGE_ERASURE = {
  /** Deleted rows: every personal column of the model goes. */
  deleted: { mailMessage: ['recipient', 'subject', 'text', 'lastError'] },
  cleared: {
    mailMessage: { text: null, lastError: null },
    arrearsImportRow: { tenancyReference: null, error: null },
  },
} satisfies {
  deleted: Record<string, string[]>;
  cleared: { mailMessage: Prisma.MailMessageUpdateManyMutationInput; arrearsImportRow: Prisma.ArrearsImportRowUpdateManyMutationInput };
};
