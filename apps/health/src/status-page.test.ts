import { runInNewContext, Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderStatusPage, statusPageCsp } from './status-page';
import { renderStatusBody, sectionRenderersSource } from './status-sections';
import { dashboardFixture, recentJobFixture, statusReportFixture } from './testing';

const nonce = 'bm9uY2UtZm9yLXRlc3Rz';
const page = (report = statusReportFixture()) => renderStatusPage(report, { nonce });
/** What the page shows (the inline script holds the renderers' source, markup included). */
const shown = (report = statusReportFixture()) => {
  const html = page(report);
  return html.slice(0, html.indexOf('<script'));
};
/** The row of a table whose first cell carries `attr="value"`. */
const row = (html: string, attr: string, value: string) => html.match(new RegExp(`<tr><td ${attr}="${value}">.*?</tr>`))?.[0] ?? '';

const malicious = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`;
const hostileReport = () => {
  const report = statusReportFixture({
    down: ['summarizer'],
    dashboard: dashboardFixture({ recentJobs: [recentJobFixture({ scriptTitle: malicious, status: 'failed', errorMessage: `"><svg onload=alert(1)>` })] }),
  });
  return { ...report, problems: [...report.problems, malicious], database: { status: 'down' as const, error: malicious } };
};

describe('status page', () => {
  it('shows every part green when the pipeline is ok, with the dashboard and the recent job', () => {
    const html = shown();
    expect(html).toContain('<title>scenewise: ok</title>');
    expect(html).toContain('<h1>scenewise <span class="pill" data-state="ok">ok</span></h1>');
    expect(html).not.toContain('class="banner"');
    for (const service of ['api', 'orchestrator', 'summarizer']) {
      expect(row(html, 'data-service', service)).toContain('data-state="ok">up</span>');
    }
    const model = row(html, 'data-role', 'sceneSummary');
    expect(model).toContain('<code>claude-haiku-4-5</code><br><span class="muted">resolves to <code>claude-haiku-4-5-20251001</code></span>');
    expect(model).toContain('data-state="ok">ok</span>');
    expect(html).toContain('<p class="value">2.5 %</p>');
    expect(html).toContain('<p class="value">850 ms / 2.30 s</p>');
    expect(html).toContain('<p class="value">48,200 in · 9,100 out</p>');
    expect(html).toContain('<p class="value">$0.0937</p>');
    expect(html).toContain('<td class="title">The Night Shift</td>');
    expect(html).toContain('<td class="num">43 s</td>');
  });

  it("names each failed scene's reason in the recent jobs, numbered from 1, escaped", () => {
    const failures = [{ type: 'refused', positions: [4, 17] }, { type: '<b>x</b>', positions: [2] }];
    const html = shown(statusReportFixture({ dashboard: dashboardFixture({ recentJobs: [recentJobFixture({ status: 'partially_failed', failed: 3, failures })] }) }));
    expect(html).toContain('<ul class="failures"><li><code>refused</code>: scenes 5, 18</li><li><code>&lt;b&gt;x&lt;/b&gt;</code>: scene 3</li></ul>');
  });

  it('shows a retired model in red with its replacement, under a degraded banner that says why', () => {
    const html = shown(statusReportFixture({ retiredRole: 'sceneSummary' }));
    expect(html).toContain('<title>scenewise: degraded</title>');
    expect(html).toContain('<h1>scenewise <span class="pill" data-state="degraded">degraded</span></h1>');
    expect(html).toMatch(/<div class="banner" role="alert">.*<li>model claude-3-5-sonnet-20241022 \(role sceneSummary\) was retired on 2025-10-22; set MODEL_SCENE_SUMMARY to claude-sonnet-4-5<\/li>/);
    const model = row(html, 'data-role', 'sceneSummary');
    expect(model).toContain('<code>claude-3-5-sonnet-20241022</code>');
    expect(model).toContain('data-state="down">retired</span>');
    expect(model).toContain('replace with <code>claude-sonnet-4-5</code>');
    expect(row(html, 'data-role', 'scriptAnalysis')).toContain('data-state="ok">ok</span>');
  });

  it('shows a service without live instances as down', () => {
    const html = shown(statusReportFixture({ down: ['summarizer'] }));
    expect(row(html, 'data-service', 'summarizer')).toContain('data-state="down">down</span>');
    expect(row(html, 'data-service', 'summarizer')).toContain('0 of 1 alive');
    expect(html).toContain('<li>no live summarizer instance</li>');
    expect(html).toContain('data-state="down">1 down</span>');
  });

  it('escapes user data everywhere: titles, error messages, problems', () => {
    const html = page(hostileReport());
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).toContain('<td class="title">&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;</td>');
    expect(html).toContain('title="&quot;&gt;&lt;svg onload=alert(1)&gt;"');
  });

  it('says why the dashboard is missing when PostgreSQL cannot give it', () => {
    const html = shown(statusReportFixture({ dashboard: { unavailable: 'connect ECONNREFUSED 127.0.0.1:5432' } }));
    expect(html).toContain('Dashboard unavailable: connect ECONNREFUSED 127.0.0.1:5432');
    expect(html).not.toContain('id="jobs"');
  });

  it('refreshes itself: script every 5 s, meta refresh without JavaScript, both allowed by the nonce only', () => {
    const html = page();
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain("fetch('status.json'");
    expect(html).toContain('setInterval(refresh, 5000)');
    expect(statusPageCsp(nonce)).toContain(`script-src 'nonce-${nonce}'`);
    expect(statusPageCsp(nonce)).toContain("default-src 'none'");
    const open = `<script nonce="${nonce}">`;
    const script = html.slice(html.indexOf(open) + open.length, html.indexOf('</script>'));
    expect(() => new Script(script)).not.toThrow();
  });

  it('ships a renderer to the browser that draws exactly what the server drew', () => {
    const renderInBrowser = runInNewContext(`${sectionRenderersSource()}; renderStatusBody`) as typeof renderStatusBody;
    for (const report of [statusReportFixture(), statusReportFixture({ retiredRole: 'sceneSummary', down: ['api'] }), hostileReport()]) {
      expect(renderInBrowser(JSON.parse(JSON.stringify(report)))).toBe(renderStatusBody(report));
    }
  });
});
