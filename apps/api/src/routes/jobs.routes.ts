import type { Database } from '@scenewise/db';
import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../http-errors';
import { jobView } from '../views';

export function jobRoutes(deps: { db: Database; jaegerUiUrl: string }): Router {
  const router = Router();

  router.get('/jobs/:id', async (req, res) => {
    const id = req.params.id;
    const job = z.uuid().safeParse(id).success
      ? await deps.db.analysisJob.findUnique({
          where: { id },
          include: { tasks: { orderBy: { position: 'asc' }, include: { scene: { select: { heading: true } } } } },
        })
      : null;
    if (!job) throw notFound('job', id);
    res.json(jobView(job, deps.jaegerUiUrl));
  });

  return router;
}
