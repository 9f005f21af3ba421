-- AlterTable
ALTER TABLE "households" ADD COLUMN     "educator_id" UUID;

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "partner_organisation_id" UUID;

-- CreateTable
CREATE TABLE "notes" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "author" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referent_workers" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "partner_organisation_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referent_workers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notes_household_id_created_at_idx" ON "notes"("household_id", "created_at");

-- CreateIndex
CREATE INDEX "referent_workers_household_id_idx" ON "referent_workers"("household_id");

-- AddForeignKey
ALTER TABLE "notes" ADD CONSTRAINT "notes_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referent_workers" ADD CONSTRAINT "referent_workers_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
