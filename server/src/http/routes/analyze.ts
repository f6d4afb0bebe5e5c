/**
 * POST /api/analyze: language, sentiment, intent and needs-reply for up to 1,000 texts, in order.
 * Body `{"texts": ["…", …]}`; a malformed body is a 400 `validation_failed` naming what is wrong.
 * An operator route: off loopback it needs OPS_TOKEN or an org session (operator-access.ts).
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { analyzeMany } from '../../analysis/index.ts';
import type { Analysis } from '../../analysis/index.ts';
import { AppError } from '../../domain/errors.ts';

export const MAX_TEXTS = 1000;
export const MAX_TEXT_LENGTH = 10_000;

export const AnalyzeRequest = z.strictObject({
  texts: z
    .array(z.string().max(MAX_TEXT_LENGTH, `each text must be at most ${MAX_TEXT_LENGTH} characters`))
    .min(1, 'texts must hold at least one text')
    .max(MAX_TEXTS, `texts must hold at most ${MAX_TEXTS} texts`),
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequest>;

export interface AnalyzeResponse {
  results: Analysis[];
}

export interface AnalyzeRouterDeps {
  /** The operator access guard (operator-access.ts); open when not given (tests of the route alone). */
  guard?: RequestHandler;
}

export function createAnalyzeRouter(deps: AnalyzeRouterDeps = {}): Router {
  const router = Router();
  const guard: RequestHandler = deps.guard ?? ((_req, _res, next) => next());
  router.post('/api/analyze', guard, (req, res) => {
    const parsed = AnalyzeRequest.safeParse(req.body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
      throw new AppError('validation_failed', `Request is invalid: ${summary}`, {
        details,
        hint: `Send JSON {"texts": ["…"]} with 1 to ${MAX_TEXTS} strings of at most ${MAX_TEXT_LENGTH} characters each.`,
      });
    }
    const body: AnalyzeResponse = { results: analyzeMany(parsed.data.texts) };
    res.json(body);
  });
  return router;
}
