/**
 * One person across networks, for reps (guarded like the record page and `/api/inbox/link`: loopback, or a
 * signed-in user of the org):
 * - `POST /api/persons/split` `{personaId}` → `{personaId, personaKey, splitFrom, postsUnlinked}`: a wrong
 *   join undone (salesforce/person-store.ts); the sync never makes it again from the same evidence.
 *   409 when the profile is not joined to another, 404 when there is no such profile.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { SplitResult } from '../../salesforce/person-store.ts';

export interface PersonsRouterDeps {
  split: (personaId: string) => Promise<SplitResult>;
  guard: RequestHandler;
}

const SplitBody = z
  .object({
    personaId: z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a Salesforce record Id'),
  })
  .strict();

export function createPersonsRouter(deps: PersonsRouterDeps): Router {
  const router = Router();
  router.post('/api/persons/split', deps.guard, async (req, res) => {
    const parsed = SplitBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      throw new AppError('validation_failed', `the request body is not valid: ${issues.join('; ')}`, {
        details: parsed.error.issues,
      });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.split(parsed.data.personaId));
  });
  return router;
}
