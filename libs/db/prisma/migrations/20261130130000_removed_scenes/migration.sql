-- A revision that drops a scene detaches it from its script instead of deleting it, so the
-- tasks of past jobs (which reference the scene, ON DELETE CASCADE) and their counts stay.

-- AlterTable
ALTER TABLE "scenes" ADD COLUMN     "removed_at" TIMESTAMPTZ(3),
ADD COLUMN     "removed_from_script_id" UUID,
ALTER COLUMN "script_id" DROP NOT NULL;

-- A scene belongs to its script or was removed from one: never both, never neither.
ALTER TABLE "scenes" ADD CONSTRAINT "scenes_in_or_removed_from_script"
  CHECK (("script_id" IS NULL) <> ("removed_from_script_id" IS NULL));

-- CreateIndex
CREATE INDEX "scenes_removed_from_script_id_idx" ON "scenes"("removed_from_script_id");

-- AddForeignKey
ALTER TABLE "scenes" ADD CONSTRAINT "scenes_removed_from_script_id_fkey" FOREIGN KEY ("removed_from_script_id") REFERENCES "scripts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
