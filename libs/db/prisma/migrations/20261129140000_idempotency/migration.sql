-- AlterTable
ALTER TABLE "scripts" ADD COLUMN     "idempotency_request_hash" TEXT;

-- AlterTable
ALTER TABLE "analysis_jobs" ADD COLUMN     "idempotency_request_hash" TEXT;

