// The workflow bundle's entry point: every workflow type the worker runs.
export { householdWorkflow } from './household/workflow';
