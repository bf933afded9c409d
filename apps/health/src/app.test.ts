import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createHealthApp } from './app';
import { dashboardFixture, statusReportFixture } from './testing';

function appWith(options: Parameters<typeof statusReportFixture>[0] = {}, dashboard = async () => dashboardFixture()) {
  const { dashboard: _ignored, ...report } = statusReportFixture(options);
  return createHealthApp({ report: async () => report, dashboard });
}

describe('health app', () => {
  it('serves the status page at / and /status, locked down to its own inline style and script', async () => {
    for (const path of ['/', '/status']) {
      const res = await request(appWith()).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(res.text).toContain(`<script nonce="${nonce}">`);
      expect(res.text).toContain('<td class="title">The Night Shift</td>');
    }
  });

  it('uses a fresh nonce for every page', async () => {
    const app = appWith();
    const [a, b] = await Promise.all([request(app).get('/'), request(app).get('/')]);
    expect(a.headers['content-security-policy']).not.toBe(b.headers['content-security-policy']);
  });

  it('answers /status.json with the health report and the dashboard, 200 even when degraded', async () => {
    const res = await request(appWith({ retiredRole: 'sceneSummary' })).get('/status.json').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      status: 'degraded',
      problems: [expect.stringContaining('was retired')],
      models: expect.arrayContaining([expect.objectContaining({ role: 'sceneSummary', status: 'unavailable', reason: 'retired' })]),
      dashboard: { jobsLastHour: { total: 3 }, recentJobs: [expect.objectContaining({ scriptTitle: 'The Night Shift' })] },
    });
  });

  it('still answers when the dashboard cannot be read, and says why', async () => {
    const app = appWith({}, async () => {
      throw new Error("\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`");
    });
    const json = await request(app).get('/status.json').expect(200);
    expect(json.body.dashboard).toEqual({ unavailable: "Can't reach database server at 127.0.0.1:5432" });
    const page = await request(app).get('/').expect(200);
    expect(page.text).toContain('Dashboard unavailable: Can&#39;t reach database server at 127.0.0.1:5432');
  });

  it('keeps GET /health for probes: 503 when degraded', async () => {
    const res = await request(appWith({ down: ['summarizer'] })).get('/health').expect(503);
    expect(res.body.problems).toEqual(['no live summarizer instance']);
    expect(res.body).not.toHaveProperty('dashboard');
  });
});
