import type { Dashboard, RecentJob } from './dashboard';
import type { StatusReport } from './status-report';

/*
 * The status page's body, rendered on the server and, every few seconds, in the browser from
 * GET /status.json: the page ships these functions' own source (see `sectionRenderersSource`),
 * so there is one renderer, not two that drift apart. Hence the rule for this file: each
 * function uses only its arguments, the built-ins and the other functions listed below.
 * Every value that reaches the HTML goes through `esc`.
 */

type Model = StatusReport['models'][number];
type State = 'ok' | 'down' | 'degraded' | 'neutral' | 'active';

function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function pill(state: State, label: string): string {
  return `<span class="pill" data-state="${esc(state)}">${esc(label)}</span>`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function formatMs(ms: number | null): string {
  return ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** ISO timestamps as UTC wall-clock time, the same on the server and in any browser. */
function formatTime(iso: string | null, withDate: boolean): string {
  if (!iso) return '—';
  return `${withDate ? `${iso.slice(5, 10)} ` : ''}${iso.slice(11, 19)} UTC`;
}

function card(id: string, title: string, state: State, label: string, body: string): string {
  return `<section class="card" id="${esc(id)}"><h2>${esc(title)} ${pill(state, label)}</h2>${body}</section>`;
}

function table(head: string[], rows: string[][], empty: string): string {
  if (!rows.length) return `<p class="muted">${esc(empty)}</p>`;
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.map((cells) => `<tr>${cells.join('')}</tr>`).join('')}</tbody></table>`;
}

function renderServices(report: StatusReport): string {
  const rows = report.services.map((s) => {
    const alive = s.instances.filter((i) => i.alive);
    const versions = [...new Set(s.instances.map((i) => i.version))].join(', ') || '—';
    const lastSeen = s.instances.map((i) => i.lastSeen).sort().pop() ?? null;
    return [
      `<td data-service="${esc(s.service)}">${esc(s.service)}</td>`,
      `<td>${s.status === 'up' ? pill('ok', 'up') : pill('down', 'down')}</td>`,
      `<td class="num" title="${esc(s.instances.map((i) => `${i.instanceId}${i.alive ? '' : ' (gone)'}`).join('\n'))}">${alive.length} of ${s.instances.length} alive</td>`,
      `<td>${esc(versions)}</td>`,
      `<td>${esc(formatTime(lastSeen, false))}</td>`,
    ];
  });
  const down = report.services.filter((s) => s.status === 'down').length;
  const body = table(['service', 'state', 'instances', 'version', 'last heartbeat'], rows, 'No services are required.');
  return card('services', 'Services', down ? 'down' : 'ok', down ? `${down} down` : 'all up', body);
}

function modelState(model: Model): [State, string] {
  if (model.status === 'ok') return ['ok', 'ok'];
  if (model.reason === 'unreachable') return ['degraded', 'unreachable'];
  return ['down', model.reason === 'retired' ? 'retired' : 'not found'];
}

function renderModels(report: StatusReport): string {
  const rows = report.models.map((m) => {
    const [state, label] = modelState(m);
    const detail = m.status === 'ok' ? `resolves to <code>${esc(m.resolvedId)}</code>` : m.replacement ? `replace with <code>${esc(m.replacement)}</code>` : esc(m.message);
    return [`<td data-role="${esc(m.role)}">${esc(m.role)}</td>`, `<td><code>${esc(m.model)}</code><br><span class="muted">${detail}</span></td>`, `<td>${pill(state, label)}</td>`];
  });
  const bad = report.models.filter((m) => m.status !== 'ok').length;
  return card('models', 'Models', bad ? 'down' : 'ok', bad ? `${bad} unavailable` : 'all ok', table(['role', 'model', 'state'], rows, 'No model roles.'));
}

function renderMessaging(report: StatusReport): string {
  const nats = report.nats;
  if (nats.status !== 'ok') return card('messaging', 'NATS and JetStream', 'down', 'down', `<p class="error">${esc(nats.error)}</p>`);
  const rows = nats.consumers.map((c) => [
    `<td>${esc(c.consumer)}</td>`,
    `<td class="num">${formatCount(c.pending)}</td>`,
    `<td class="num">${formatCount(c.ackPending)}</td>`,
    `<td class="num">${c.redelivered ? pill('degraded', formatCount(c.redelivered)) : '0'}</td>`,
  ]);
  const dead = `<p>Dead letters: ${nats.deadLetters ? pill('degraded', formatCount(nats.deadLetters)) : '<span class="num">0</span>'}</p>`;
  const body = `<p class="muted">${esc(nats.server)}</p>${table(['consumer', 'pending', 'in flight', 'redelivered'], rows, 'No consumers.')}${dead}`;
  const noisy = nats.deadLetters > 0 || nats.consumers.some((c) => c.redelivered > 0);
  return card('messaging', 'NATS and JetStream', noisy ? 'degraded' : 'ok', noisy ? 'ok, with redeliveries' : 'ok', body);
}

function renderDatabase(report: StatusReport): string {
  const db = report.database;
  if (db.status !== 'ok') return card('database', 'PostgreSQL', 'down', 'down', `<p class="error">${esc(db.error)}</p>`);
  return card('database', 'PostgreSQL', 'ok', 'ok', `<p>Answered <code>SELECT 1</code> in ${esc(formatMs(db.latencyMs ?? null))}.</p>`);
}

function tile(id: string, title: string, value: string, note: string): string {
  return `<div class="tile" id="${esc(id)}"><h3>${esc(title)}</h3><p class="value">${esc(value)}</p><p class="muted">${esc(note)}</p></div>`;
}

function renderMetrics(dashboard: Dashboard): string {
  const jobs = dashboard.jobsLastHour;
  const byStatus = Object.entries(jobs.byStatus).map(([status, n]) => `${n} ${status.replace('_', ' ')}`).join(' · ');
  const rate = dashboard.sceneFailureRate;
  const latency = dashboard.modelLatencyMs;
  const usage = dashboard.usageToday;
  const notPriced = usage.unpricedCalls ? `; ${plural(usage.unpricedCalls, 'call')} to unpriced models not included` : '';
  return [
    tile('jobs-per-hour', 'Jobs finished, last hour', formatCount(jobs.total), byStatus || 'none'),
    tile('job-duration', 'Average job duration, last 24 h', formatSeconds(dashboard.averageJobSeconds.value), `start to finish, over ${plural(dashboard.averageJobSeconds.jobs, 'job')}`),
    tile(
      'error-rate',
      'Claude API error rate, last hour',
      rate.value === null ? '—' : `${(rate.value * 100).toFixed(1)} %`,
      `scene tasks that failed after their retries: ${rate.failed} of ${rate.finished} that succeeded or failed`,
    ),
    tile('model-latency', 'Model latency p50 / p95, last hour', `${formatMs(latency.p50)} / ${formatMs(latency.p95)}`, `over ${plural(latency.calls, 'Claude call')}`),
    tile('tokens-today', 'Tokens today (UTC)', `${formatCount(usage.inputTokens)} in · ${formatCount(usage.outputTokens)} out`, `${plural(usage.calls, 'Claude call')}; input includes cached prompt tokens`),
    tile('cost-today', 'Cost today (UTC)', `$${usage.costUsd.toFixed(usage.costUsd < 1 ? 4 : 2)}`, `at list prices${notPriced}`),
  ].join('');
}

function jobState(status: string): State {
  if (status === 'succeeded') return 'ok';
  if (status === 'failed') return 'down';
  if (status === 'partially_failed') return 'degraded';
  return status === 'cancelled' ? 'neutral' : 'active';
}

/** "refused: scenes 5, 18" per reason; positions are 1-based, as the CLI numbers them. */
function renderFailures(failures: RecentJob['failures']): string {
  if (failures.length === 0) return '';
  const reasons = failures.map(({ type, positions }) => {
    const shown = positions.slice(0, 12).map((p) => p + 1).join(', ');
    return `<li><code>${esc(type)}</code>: ${positions.length === 1 ? 'scene' : 'scenes'} ${shown}${positions.length > 12 ? ` and ${positions.length - 12} more` : ''}</li>`;
  });
  return `<ul class="failures">${reasons.join('')}</ul>`;
}

function renderJobs(jobs: RecentJob[]): string {
  const rows = jobs.map((j) => [
    `<td>${esc(formatTime(j.createdAt, true))}</td>`,
    `<td class="title">${esc(j.scriptTitle)}</td>`,
    `<td data-job="${esc(j.id)}" title="${esc(j.errorMessage ?? j.id)}">${pill(jobState(j.status), j.status.replace('_', ' '))}</td>`,
    `<td class="num">${j.succeeded} ok · ${j.failed} failed · ${j.cancelled + j.skipped} other / ${j.totalScenes}${renderFailures(j.failures)}</td>`,
    `<td class="num">${esc(formatSeconds(j.durationSeconds))}${j.finishedAt || j.durationSeconds === null ? '' : ' so far'}</td>`,
    `<td><code>${esc(j.id.slice(0, 8))}</code></td>`,
  ]);
  return table(['created', 'script', 'status', 'scenes', 'duration', 'job'], rows, 'No jobs yet.');
}

function renderStatusBody(report: StatusReport): string {
  const degraded = report.status !== 'ok';
  const banner = degraded
    ? `<div class="banner" role="alert"><strong>Degraded: the pipeline cannot do its whole job.</strong><ul>${report.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`
    : '';
  const d = report.dashboard;
  const metrics = 'unavailable' in d ? `<p class="error">Dashboard unavailable: ${esc(d.unavailable)}</p>` : `<div class="tiles">${renderMetrics(d)}</div>`;
  const jobs = 'unavailable' in d ? '' : `<section class="card wide" id="jobs"><h2>Recent jobs</h2>${renderJobs(d.recentJobs)}</section>`;
  return [
    `<header><h1>scenewise ${pill(degraded ? 'degraded' : 'ok', report.status)}</h1>`,
    `<p class="muted">checked ${esc(formatTime(report.checkedAt, false))} · refreshes itself</p></header>`,
    banner,
    `<div class="cards">${renderServices(report)}${renderModels(report)}${renderMessaging(report)}${renderDatabase(report)}</div>`,
    `<h2 class="section">Last hour and today</h2>${metrics}${jobs}`,
  ].join('');
}

/** What the browser needs to render the body: each function's source, in the order above. */
export function sectionRenderersSource(): string {
  const renderers = [esc, pill, plural, formatCount, formatSeconds, formatMs, formatTime, card, table, renderServices, modelState, renderModels, renderMessaging, renderDatabase, tile, renderMetrics, jobState, renderFailures, renderJobs, renderStatusBody];
  return `${renderers.map(String).join('\n')}\nvar renderStatusBody = ${renderStatusBody.name};`;
}

export { renderStatusBody };
