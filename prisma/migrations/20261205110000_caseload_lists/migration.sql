-- Partner caseload lists as keyed pseudonyms (docs/privacy/caseload-lists.md): no name, no address.

-- CreateTable
CREATE TABLE "caseload_lists" (
    "id" UUID NOT NULL,
    "partner_organisation_id" UUID NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "uploaded_at" TIMESTAMP(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "line_count" INTEGER NOT NULL,

    CONSTRAINT "caseload_lists_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "caseload_keys" (
    "list_id" UUID NOT NULL,
    "key_hex" CHAR(64) NOT NULL,

    CONSTRAINT "caseload_keys_pkey" PRIMARY KEY ("list_id","key_hex")
);

-- CreateIndex
CREATE UNIQUE INDEX "caseload_lists_partner_organisation_id_key" ON "caseload_lists"("partner_organisation_id");

-- CreateIndex
CREATE INDEX "caseload_keys_key_hex_idx" ON "caseload_keys"("key_hex");

-- AddForeignKey
ALTER TABLE "caseload_lists" ADD CONSTRAINT "caseload_lists_partner_organisation_id_fkey" FOREIGN KEY ("partner_organisation_id") REFERENCES "partner_organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "caseload_keys" ADD CONSTRAINT "caseload_keys_list_id_fkey" FOREIGN KEY ("list_id") REFERENCES "caseload_lists"("id") ON DELETE CASCADE ON UPDATE CASCADE;
