import pg from 'pg';

/**
 * Calls `onRunning` the moment a job's row turns `running` (the orchestrator's fan-out
 * commits the tasks and the status together, then publishes the tasks): a trigger in the
 * scenario's own test database notifies, and the callback runs synchronously on arrival,
 * so a fault can strike in the middle of the fan-out rather than after it.
 */
export async function onJobRunning(databaseUrl: string, onRunning: (jobId: string) => void): Promise<{ close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`
    CREATE OR REPLACE FUNCTION fault_suite_job_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'running' AND OLD.status <> 'running' THEN PERFORM pg_notify('fault_suite_job_running', NEW.id::text); END IF;
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS fault_suite_job_status ON analysis_jobs;
    CREATE TRIGGER fault_suite_job_status AFTER UPDATE OF status ON analysis_jobs FOR EACH ROW EXECUTE FUNCTION fault_suite_job_status();
    LISTEN fault_suite_job_running;`);
  client.on('notification', (n) => {
    if (n.payload) onRunning(n.payload);
  });
  return { close: () => client.end() };
}
