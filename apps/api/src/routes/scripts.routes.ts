import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { activeTraceId } from '@scenewise/telemetry';
import express, { type Request, Router } from 'express';
import { z } from 'zod';
import { callerLogger } from '../auth';
import { ApiError, notFound, parseInput } from '../http-errors';
import { hashRequest, markReplayed, readIdempotency, runIdempotent } from '../idempotency';
import { acceptedView, queueAnalysis } from '../queue-analysis';
import { reviseScript } from '../script-revision';
import { readScriptUpload, type ScriptUpload, type UploadLimits } from '../script-upload';
import { revisionView, sceneView, scriptView } from '../views';

export interface ScriptRoutesDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
  limits: UploadLimits;
  jaegerUiUrl: string;
}

const uuid = z.uuid();

export const AnalyzeRequestSchema = z.strictObject({
  mode: z.enum(['full', 'partial']).default('full'),
  /** With `partial`: summarize every scene again even if its text is unchanged. */
  force: z.boolean().default(false),
});

const rawTypes = ['text/*', 'application/octet-stream', 'application/x-fountain'];

/** The body of an upload or a revision: JSON `{title, text, format}`, or the script itself as text. */
const scriptBodyParsers = (limits: UploadLimits) => [
  express.json({ limit: limits.maxUploadBytes }),
  express.raw({ type: rawTypes, limit: limits.maxUploadBytes }),
];

function readScriptRequest(req: Request, limits: UploadLimits): ScriptUpload {
  const isRaw = Buffer.isBuffer(req.body);
  if (!isRaw && !req.is('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'send JSON {"title", "text"} or the script itself as text/plain');
  }
  return readScriptUpload(isRaw ? { raw: req.body, query: req.query } : { json: req.body }, limits);
}

export function scriptRoutes(deps: ScriptRoutesDeps): Router {
  const router = Router();
  const { db } = deps;

  const findScript = async (id: string) => {
    const script = uuid.safeParse(id).success ? await db.script.findUnique({ where: { id } }) : null;
    if (!script) throw notFound('script', id);
    return script;
  };

  router.post('/scripts', ...scriptBodyParsers(deps.limits), async (req, res) => {
    const upload = readScriptRequest(req, deps.limits);
    const idempotency = readIdempotency(req, res, upload.requestHash);
    const { result: script, replayed } = await runIdempotent(idempotency, {
      find: (key) => db.script.findUnique({ where: { idempotencyKey: key } }),
      replay: (stored) => stored,
      create: async () => {
        const created = await db.script.create({
          data: {
            title: upload.title ?? upload.parsed.title ?? 'Untitled',
            format: upload.parsed.format,
            sceneCount: upload.parsed.scenes.length,
            idempotencyKey: idempotency?.key,
            idempotencyRequestHash: idempotency?.requestHash,
            scenes: {
              createMany: {
                data: upload.parsed.scenes.map((s) => ({
                  position: s.position,
                  heading: s.heading,
                  text: s.text,
                  characters: s.characters,
                  contentHash: s.contentHash,
                })),
              },
            },
          },
        });
        callerLogger(deps.logger, res).info({ scriptId: created.id, scenes: created.sceneCount, format: created.format }, 'script uploaded');
        return created;
      },
    });
    markReplayed(res, replayed);
    res.status(201).location(`/api/scripts/${script.id}`).json(scriptView(script));
  });

  /**
   * A revised text for the script: unchanged scenes keep their rows and summaries. PUT is
   * idempotent by itself (sending a revision again finds every scene unchanged), so it takes
   * no Idempotency-Key.
   */
  router.put('/scripts/:id', ...scriptBodyParsers(deps.limits), async (req, res) => {
    const current = await findScript(req.params.id);
    const upload = readScriptRequest(req, deps.limits);
    const { script, revision } = await reviseScript(db, current.id, upload);
    callerLogger(deps.logger, res).info({ scriptId: script.id, scenes: script.sceneCount, ...revision }, 'script revised');
    res.json(revisionView(script, revision));
  });

  router.get('/scripts/:id', async (req, res) => {
    res.json(scriptView(await findScript(req.params.id)));
  });

  router.get('/scripts/:id/scenes', async (req, res) => {
    const script = await findScript(req.params.id);
    const scenes = await db.scene.findMany({
      where: { scriptId: script.id },
      orderBy: { position: 'asc' },
      include: { summaries: { orderBy: { createdAt: 'desc' } } },
    });
    res.json({ scriptId: script.id, scenes: scenes.map(sceneView) });
  });

  router.post('/scripts/:id/analyze', express.json({ limit: '16kb' }), async (req, res) => {
    const script = await findScript(req.params.id);
    const request = parseInput(AnalyzeRequestSchema, req.body ?? {});
    const idempotency = readIdempotency(req, res, hashRequest('analyze', script.id, request.mode, request.force));
    const { result, replayed } = await runIdempotent(idempotency, {
      find: (key) => db.analysisJob.findUnique({ where: { idempotencyKey: key } }),
      replay: (job) => acceptedView(job, deps.jaegerUiUrl),
      create: () =>
        queueAnalysis(
          { ...deps, logger: callerLogger(deps.logger, res) },
          { scriptId: script.id, mode: request.mode, force: request.force, traceId: activeTraceId(), idempotency },
        ),
    });
    markReplayed(res, replayed);
    res.status(202).location(result.links.self).json(result);
  });

  return router;
}
