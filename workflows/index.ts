// The workflow bundle's entry point: every workflow type the worker runs.
export { householdWorkflow } from './household/workflow';
export { arrearsImportWorkflow } from './jobs/arrears-import';
export { committeeAgendaWorkflow } from './jobs/committee-agenda';
export { dailyDigestWorkflow } from './jobs/daily-digest';
export { overdueEscalationWorkflow } from './jobs/overdue-escalation';
export { retentionWorkflow } from './jobs/retention';
