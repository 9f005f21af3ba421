-- CreateIndex
CREATE INDEX "households_phase_created_at_id_idx" ON "households"("phase", "created_at", "id");
