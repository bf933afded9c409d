-- CreateIndex
CREATE INDEX "analysis_jobs_finished_at_idx" ON "analysis_jobs"("finished_at");

-- CreateIndex
CREATE INDEX "analysis_jobs_created_at_idx" ON "analysis_jobs"("created_at");

-- CreateIndex
CREATE INDEX "scene_tasks_finished_at_idx" ON "scene_tasks"("finished_at");

-- CreateIndex
CREATE INDEX "scene_summaries_created_at_idx" ON "scene_summaries"("created_at");

