/** A tiny client for the API, for end-to-end tests and benchmarks. */

export interface JobView {
  id: string;
  status: string;
  model: string | null;
  resolvedModel: string | null;
  counts: { total: number; succeeded: number; failed: number; cancelled: number; skipped: number; pending: number };
  error: { type: string; message: string } | null;
  errorsByType: Array<{ type: string; count: number; message: string }>;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  traceId: string | null;
  scenes: Array<{ taskId: string; sceneId: string; position: number; heading: string; status: string; attempts: number; error: { type: string; message: string } | null }>;
}

export const terminalStatuses = ['succeeded', 'partially_failed', 'failed', 'cancelled'];

export function apiClient(baseUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const expectOk = <T>(result: { status: number; body: T }, what: string): T => {
    if (result.status >= 300) throw new Error(`${what} → ${result.status}: ${JSON.stringify(result.body)}`);
    return result.body;
  };

  return {
    call,
    async uploadScript(text: string, title = 'Test script'): Promise<{ id: string; sceneCount: number }> {
      return expectOk(await call('POST', '/scripts', { title, text }), 'upload');
    },
    /** PUT /api/scripts/{id}: a revised text for the script. */
    async reviseScript(
      scriptId: string,
      text: string,
      title?: string,
    ): Promise<{ id: string; sceneCount: number; revision: { unchanged: number; edited: number; added: number; removed: number } }> {
      return expectOk(await call('PUT', `/scripts/${scriptId}`, { text, ...(title === undefined ? {} : { title }) }), 'revise');
    },
    async scenes(scriptId: string): Promise<Array<{ id: string; position: number; heading: string; contentHash: string }>> {
      return expectOk(await call<{ scenes: Array<{ id: string; position: number; heading: string; contentHash: string }> }>('GET', `/scripts/${scriptId}/scenes`), 'scenes').scenes;
    },
    async analyze(scriptId: string, body: { mode?: 'full' | 'partial'; force?: boolean } = {}): Promise<{ jobId: string }> {
      return expectOk(await call('POST', `/scripts/${scriptId}/analyze`, body), 'analyze');
    },
    async job(jobId: string): Promise<JobView> {
      return expectOk(await call<JobView>('GET', `/jobs/${jobId}`), 'job');
    },
    async waitForJob(jobId: string, timeoutMs = 60_000): Promise<JobView> {
      const started = Date.now();
      for (;;) {
        const job = await this.job(jobId);
        if (terminalStatuses.includes(job.status)) return job;
        if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms: ${JSON.stringify(job.counts)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
