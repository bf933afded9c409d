/** The API's responses as the CLI reads them (the full shapes are in GET /api/openapi.json). */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'partially_failed' | 'failed' | 'cancelled';
export const terminalStatuses: readonly JobStatus[] = ['succeeded', 'partially_failed', 'failed', 'cancelled'];
export const isTerminal = (status: string) => (terminalStatuses as readonly string[]).includes(status);

export interface ScriptView {
  id: string;
  title: string;
  format: string;
  sceneCount: number;
}

export interface ScriptRevision extends ScriptView {
  revision: { unchanged: number; edited: number; added: number; removed: number };
}

export interface SceneView {
  id: string;
  position: number;
  heading: string;
  characters: string[];
  summary: { summary: string; mood: string; model: string } | null;
}

export interface JobCounts {
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
}

export interface JobView {
  id: string;
  scriptId: string;
  mode: string;
  status: JobStatus;
  model: string | null;
  resolvedModel: string | null;
  counts: JobCounts & { pending: number };
  error: { type: string; message: string | null } | null;
  errorsByType: Array<{ type: string; count: number; message: string }>;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  links: { self: string; script: string; trace?: string };
  scenes: Array<{
    position: number;
    heading: string;
    status: string;
    attempts: number;
    error: { type: string; message: string | null } | null;
  }>;
}

export interface AnalysisAccepted {
  jobId: string;
  status: JobStatus;
  links: { self: string; trace?: string };
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  problems: string[];
  models: Array<{ role: string; model: string; status: 'ok' | 'unavailable'; resolvedId?: string; message?: string; replacement?: string }>;
}

/** The API answered with an error (`{ error: { type, message } }`), or could not be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly type?: string,
  ) {
    super(message);
  }
}

function unreachable(url: string, err: unknown): ApiError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return new ApiError(`could not reach ${url} (${cause?.code ?? cause?.message ?? (err as Error).message})`);
}

export interface ApiClientOptions {
  apiUrl: string;
  apiKey?: string | undefined;
}

interface ScriptOptions {
  title?: string | undefined;
  format?: string | undefined;
}

/** An upload's or revision's title and format, as the query of a raw text body. */
function scriptQuery(options: ScriptOptions): string {
  const query = new URLSearchParams();
  if (options.title) query.set('title', options.title);
  if (options.format) query.set('format', options.format);
  return query.size ? `?${query}` : '';
}

export function createApiClient({ apiUrl, apiKey }: ApiClientOptions) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...extra });

  async function call<T>(method: string, path: string, body?: { data: string | Uint8Array; type: string }, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}/api${path}`, {
        method,
        headers: headers(body ? { 'content-type': body.type } : {}),
        body: body?.data,
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw unreachable(apiUrl, err);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: { type?: string; message?: string } } | undefined)?.error;
      throw new ApiError(error?.message ?? `${method} ${path} answered ${response.status}`, response.status, error?.type);
    }
    return json as T;
  }

  return {
    apiUrl,
    uploadScript(text: Uint8Array, options: ScriptOptions): Promise<ScriptView> {
      return call('POST', `/scripts${scriptQuery(options)}`, { data: text, type: 'text/plain; charset=utf-8' });
    },
    reviseScript(scriptId: string, text: Uint8Array, options: ScriptOptions): Promise<ScriptRevision> {
      return call('PUT', `/scripts/${encodeURIComponent(scriptId)}${scriptQuery(options)}`, { data: text, type: 'text/plain; charset=utf-8' });
    },
    analyze(scriptId: string, request: { mode: 'full' | 'partial'; force: boolean }): Promise<AnalysisAccepted> {
      return call('POST', `/scripts/${encodeURIComponent(scriptId)}/analyze`, { data: JSON.stringify(request), type: 'application/json' });
    },
    job(jobId: string, signal?: AbortSignal): Promise<JobView> {
      return call('GET', `/jobs/${encodeURIComponent(jobId)}`, undefined, signal);
    },
    scenes(scriptId: string): Promise<{ scriptId: string; scenes: SceneView[] }> {
      return call('GET', `/scripts/${encodeURIComponent(scriptId)}/scenes`);
    },
    /** The raw response of the job's event stream; the caller reads it. */
    async openEvents(jobId: string, signal: AbortSignal): Promise<Response> {
      try {
        return await fetch(`${apiUrl}/api/jobs/${encodeURIComponent(jobId)}/events`, { headers: headers({ accept: 'text/event-stream' }), signal });
      } catch (err) {
        if (signal.aborted) throw err;
        throw unreachable(apiUrl, err);
      }
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** GET /health: 200 when everything is fine, 503 when degraded; both carry the report. */
export async function fetchHealth(healthUrl: string): Promise<HealthReport> {
  let response: Response;
  try {
    response = await fetch(`${healthUrl}/health`);
  } catch (err) {
    throw unreachable(healthUrl, err);
  }
  const report = (await response.json().catch(() => undefined)) as HealthReport | undefined;
  if (!report?.models) throw new ApiError(`${healthUrl}/health answered ${response.status} without a health report`, response.status);
  return report;
}
