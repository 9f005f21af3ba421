-- CreateTable
CREATE TABLE "arrears_imports" (
    "id" UUID NOT NULL,
    "landlord_id" UUID NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "content" BYTEA,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "applied_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "arrears_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "arrears_import_rows" (
    "import_id" UUID NOT NULL,
    "row_number" INTEGER NOT NULL,
    "tenancy_reference" TEXT,
    "arrears_cents" INTEGER,
    "monthly_rent_cents" INTEGER,
    "household_id" UUID,
    "status" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "arrears_import_rows_pkey" PRIMARY KEY ("import_id","row_number")
);

-- CreateIndex
CREATE INDEX "arrears_imports_landlord_id_created_at_idx" ON "arrears_imports"("landlord_id", "created_at");

-- CreateIndex
CREATE INDEX "arrears_import_rows_import_id_status_idx" ON "arrears_import_rows"("import_id", "status");

-- AddForeignKey
ALTER TABLE "arrears_import_rows" ADD CONSTRAINT "arrears_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "arrears_imports"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
