import { randomBytes } from 'node:crypto';
import type { StatusReport } from './status-report';
import { renderStatusBody, sectionRenderersSource } from './status-sections';

/**
 * The status page: one server-rendered HTML document, no external assets. A few lines of
 * inline script fetch GET /status.json every `refreshSeconds` and re-render the body with the
 * same functions the server used; without JavaScript a <noscript> meta refresh reloads it.
 */

export interface StatusPageOptions {
  /** @default 5 */
  refreshSeconds?: number;
  /** Allows the inline style and script under the page's Content-Security-Policy. */
  nonce: string;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Only the page's own inline style and script run, and it may only fetch from its own origin. */
export function statusPageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function renderStatusPage(report: StatusReport, options: StatusPageOptions): string {
  const refreshSeconds = options.refreshSeconds ?? 5;
  const nonce = options.nonce;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scenewise: ${report.status === 'ok' ? 'ok' : 'degraded'}</title>
<link rel="icon" href="data:,">
<noscript><meta http-equiv="refresh" content="${refreshSeconds}"></noscript>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main id="status" aria-live="polite">${renderStatusBody(report)}</main>
<p id="refresh-error" class="error" hidden></p>
<script nonce="${nonce}">
${sectionRenderersSource()}
(function () {
  var root = document.getElementById('status'), note = document.getElementById('refresh-error');
  async function refresh() {
    try {
      var res = await fetch('status.json', { cache: 'no-store', headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      var report = await res.json();
      root.innerHTML = renderStatusBody(report);
      document.title = 'scenewise: ' + (report.status === 'ok' ? 'ok' : 'degraded');
      note.hidden = true;
    } catch (err) {
      note.textContent = 'Could not refresh (' + (err && err.message) + '); showing the last answer.';
      note.hidden = false;
    }
  }
  setInterval(refresh, ${refreshSeconds * 1000});
})();
</script>
</body>
</html>
`;
}

const STYLE = `
:root { --ok: #1a7f37; --ok-bg: #dafbe1; --down: #cf222e; --down-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --active: #0969da; --active-bg: #ddf4ff; --muted: #59636e; --line: #d1d9e0; --card: #fff; --page: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--page); color: #1f2328;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; }
header { display: flex; align-items: baseline; justify-content: space-between; flex-wrap: wrap; gap: 8px; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 15px; margin: 0 0 10px; display: flex; align-items: center; gap: 8px; }
h2.section { margin: 24px 0 10px; }
h3 { font-size: 13px; font-weight: 600; color: var(--muted); margin: 0 0 4px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted { color: var(--muted); margin: 4px 0; }
.error { color: var(--down); margin: 4px 0; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.pill[data-state="ok"] { color: var(--ok); background: var(--ok-bg); }
.pill[data-state="down"] { color: var(--down); background: var(--down-bg); }
.pill[data-state="degraded"] { color: var(--warn); background: var(--warn-bg); }
.pill[data-state="active"] { color: var(--active); background: var(--active-bg); }
.pill[data-state="neutral"] { color: var(--muted); background: var(--page); }
h1 .pill { font-size: 14px; vertical-align: middle; }
.banner { border: 1px solid var(--warn); background: var(--warn-bg); color: #4d3800; border-radius: 8px;
  padding: 12px 16px; margin: 0 0 16px; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; align-items: start; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; overflow-x: auto; }
.card.wide { margin-top: 16px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.tile .value { font-size: 22px; font-weight: 600; margin: 0; }
.tile .muted { font-size: 12px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr:last-child td { border-bottom: 0; }
td.num { font-variant-numeric: tabular-nums; }
ul.failures { margin: 4px 0 0; padding-left: 1.2em; font-size: 12px; color: var(--muted); }
td.title { max-width: 320px; overflow-wrap: anywhere; }
td code { white-space: nowrap; }
#refresh-error { max-width: 1200px; margin: 12px auto 0; }
`;
