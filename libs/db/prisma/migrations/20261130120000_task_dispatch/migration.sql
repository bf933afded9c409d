-- AlterTable
ALTER TABLE "scene_tasks" ADD COLUMN     "dispatched_at" TIMESTAMPTZ(3);

-- Before dispatch windows every task was published when it was created: mark the unfinished
-- ones dispatched, so they are neither published again nor overlooked by the stall check.
UPDATE "scene_tasks" SET "dispatched_at" = "queued_at" WHERE "status" IN ('queued', 'running');
