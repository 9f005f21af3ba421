-- The workflow's view, projected by the activity that records each step (docs/design/architecture.md).
ALTER TABLE "households" ADD COLUMN "view" JSONB;
ALTER TABLE "households" ADD COLUMN "view_seq" INTEGER NOT NULL DEFAULT 0;
