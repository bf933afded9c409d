-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ScriptFormat" AS ENUM ('fountain', 'plain');

-- CreateEnum
CREATE TYPE "JobMode" AS ENUM ('full', 'partial', 'retry');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'succeeded', 'partially_failed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped');

-- CreateTable
CREATE TABLE "scripts" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "format" "ScriptFormat" NOT NULL,
    "scene_count" INTEGER NOT NULL,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "scripts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scenes" (
    "id" UUID NOT NULL,
    "script_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "heading" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "characters" TEXT[],
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "scenes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis_jobs" (
    "id" UUID NOT NULL,
    "script_id" UUID NOT NULL,
    "mode" "JobMode" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "force" BOOLEAN NOT NULL DEFAULT false,
    "model_role" TEXT NOT NULL,
    "model" TEXT,
    "resolved_model" TEXT,
    "total_scenes" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error_type" TEXT,
    "error_message" TEXT,
    "trace_id" TEXT,
    "parent_job_id" UUID,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "analysis_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scene_tasks" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "scene_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error_type" TEXT,
    "error_message" TEXT,
    "summary_id" UUID,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "scene_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scene_summaries" (
    "id" UUID NOT NULL,
    "scene_id" UUID NOT NULL,
    "content_hash" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "characters" TEXT[],
    "mood" TEXT NOT NULL,
    "key_events" TEXT[],
    "input_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "cache_read_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION,
    "latency_ms" INTEGER NOT NULL,
    "job_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scene_summaries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "scripts_idempotency_key_key" ON "scripts"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "scenes_script_id_position_key" ON "scenes"("script_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "analysis_jobs_idempotency_key_key" ON "analysis_jobs"("idempotency_key");

-- CreateIndex
CREATE INDEX "analysis_jobs_script_id_created_at_idx" ON "analysis_jobs"("script_id", "created_at");

-- CreateIndex
CREATE INDEX "analysis_jobs_status_idx" ON "analysis_jobs"("status");

-- CreateIndex
CREATE INDEX "scene_tasks_job_id_status_idx" ON "scene_tasks"("job_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "scene_tasks_job_id_scene_id_key" ON "scene_tasks"("job_id", "scene_id");

-- CreateIndex
CREATE INDEX "scene_summaries_scene_id_created_at_idx" ON "scene_summaries"("scene_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "scene_summaries_scene_id_content_hash_model_key" ON "scene_summaries"("scene_id", "content_hash", "model");

-- AddForeignKey
ALTER TABLE "scenes" ADD CONSTRAINT "scenes_script_id_fkey" FOREIGN KEY ("script_id") REFERENCES "scripts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis_jobs" ADD CONSTRAINT "analysis_jobs_script_id_fkey" FOREIGN KEY ("script_id") REFERENCES "scripts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scene_tasks" ADD CONSTRAINT "scene_tasks_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "analysis_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scene_tasks" ADD CONSTRAINT "scene_tasks_scene_id_fkey" FOREIGN KEY ("scene_id") REFERENCES "scenes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scene_tasks" ADD CONSTRAINT "scene_tasks_summary_id_fkey" FOREIGN KEY ("summary_id") REFERENCES "scene_summaries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scene_summaries" ADD CONSTRAINT "scene_summaries_scene_id_fkey" FOREIGN KEY ("scene_id") REFERENCES "scenes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

