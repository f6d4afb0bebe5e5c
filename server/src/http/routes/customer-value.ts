/**
 * `POST /api/customer-value/refresh` (operator route): recompute and write every customer value now, after
 * the run under way if any. 200 `{ run }` with what it did; 503 `unavailable` with the job's hint when the
 * org could not be read or written. The job's state is on `GET /api/status` (`customerValue`).
 */
import { Router, type RequestHandler } from 'express';
import { AppError } from '../../domain/errors.ts';
import type { CustomerValueJob } from '../../sync/customer-value-job.ts';

export function createCustomerValueRouter(deps: {
  job: Pick<CustomerValueJob, 'refreshNow' | 'state'>;
  guard: RequestHandler;
}): Router {
  const router = Router();
  router.post('/api/customer-value/refresh', deps.guard, async (_req, res) => {
    try {
      res.json({ run: await deps.job.refreshNow() });
    } catch (error) {
      const state = deps.job.state;
      throw new AppError(
        'unavailable',
        `customer values could not be refreshed: ${state.lastError ?? String(error)}`,
        {
          ...(state.hint ? { hint: state.hint } : {}),
        },
      );
    }
  });
  return router;
}
