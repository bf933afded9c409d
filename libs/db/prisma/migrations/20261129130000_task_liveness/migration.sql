-- AlterTable
ALTER TABLE "scene_tasks" ADD COLUMN     "resends" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "scene_tasks_status_updated_at_idx" ON "scene_tasks"("status", "updated_at");

