-- CreateIndex
CREATE INDEX "tasks_inbox_order_idx" ON "tasks"("candidate_role", "status", "priority" DESC, "due_at", "created_at", "id", "assignee_id");
