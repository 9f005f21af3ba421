-- CreateEnum
CREATE TYPE "Role" AS ENUM ('coordinator', 'committee_member', 'educator', 'landlord_agent', 'partner_worker', 'admin');

-- CreateEnum
CREATE TYPE "ReferralSource" AS ENUM ('proximity', 'pre_litigation', 'litigation', 'social_management');

-- CreateEnum
CREATE TYPE "ProcedureStage" AS ENUM ('none', 'caf_report', 'ccapex_referral', 'payment_order', 'summons', 'hearing', 'judgment', 'lease_terminated', 'order_to_leave', 'police_assistance_requested');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('open', 'claimed', 'completed', 'cancelled');

-- CreateTable
CREATE TABLE "landlords" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "landlords_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_organisations" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_organisations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "landlord_id" UUID,
    "partner_organisation_id" UUID,
    "password_hash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "households" (
    "id" UUID NOT NULL,
    "landlord_id" UUID NOT NULL,
    "tenancy_reference" TEXT NOT NULL,
    "head_name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "phone" TEXT,
    "email" TEXT,
    "lease_start_date" DATE NOT NULL,
    "monthly_rent_cents" INTEGER NOT NULL,
    "arrears_cents" INTEGER NOT NULL,
    "procedure_stage" "ProcedureStage" NOT NULL,
    "referral_source" "ReferralSource" NOT NULL,
    "referral_note" TEXT,
    "referred_by_id" UUID,
    "phase" TEXT NOT NULL DEFAULT 'referred',
    "track" TEXT,
    "outcome" TEXT,
    "workflow_id" TEXT NOT NULL,
    "workflow_started_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "households_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referrals" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "source" "ReferralSource" NOT NULL,
    "arrears_cents" INTEGER NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "household_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "candidate_role" "Role" NOT NULL,
    "assignee_id" UUID,
    "due_at" TIMESTAMP(3),
    "priority" INTEGER NOT NULL DEFAULT 0,
    "status" "TaskStatus" NOT NULL DEFAULT 'open',
    "form" JSONB,
    "result" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_events" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "household_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "data" JSONB,

    CONSTRAINT "timeline_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "household_id" UUID,
    "request_id" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mail_messages" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "message_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "mail_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "landlords_code_key" ON "landlords"("code");

-- CreateIndex
CREATE UNIQUE INDEX "partner_organisations_code_key" ON "partner_organisations"("code");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "households_workflow_id_key" ON "households"("workflow_id");

-- CreateIndex
CREATE INDEX "households_landlord_id_phase_idx" ON "households"("landlord_id", "phase");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_household_id_key" ON "referrals"("household_id");

-- CreateIndex
CREATE UNIQUE INDEX "tasks_idempotency_key_key" ON "tasks"("idempotency_key");

-- CreateIndex
CREATE INDEX "tasks_status_candidate_role_idx" ON "tasks"("status", "candidate_role");

-- CreateIndex
CREATE INDEX "tasks_household_id_idx" ON "tasks"("household_id");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_events_idempotency_key_key" ON "timeline_events"("idempotency_key");

-- CreateIndex
CREATE INDEX "timeline_events_household_id_occurred_at_idx" ON "timeline_events"("household_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_household_id_at_idx" ON "audit_events"("household_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_actor_at_idx" ON "audit_events"("actor", "at");

-- CreateIndex
CREATE UNIQUE INDEX "mail_messages_idempotency_key_key" ON "mail_messages"("idempotency_key");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_landlord_id_fkey" FOREIGN KEY ("landlord_id") REFERENCES "landlords"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_partner_organisation_id_fkey" FOREIGN KEY ("partner_organisation_id") REFERENCES "partner_organisations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "households" ADD CONSTRAINT "households_landlord_id_fkey" FOREIGN KEY ("landlord_id") REFERENCES "landlords"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A tenancy can have only one open case at a time: a second referral of the same tenancy while the
-- first is still followed is a duplicate (HTTP 409). Once closed, the tenancy can be referred again.
CREATE UNIQUE INDEX "households_open_tenancy_key" ON "households"("landlord_id", "tenancy_reference") WHERE "closed_at" IS NULL;

-- The audit log is append-only: refuse updates and deletes at the database level.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
