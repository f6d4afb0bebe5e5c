/**
 * X Account Activity webhooks: `GET /webhooks/x?crc_token=T` answers X's challenge-response check,
 * `POST /webhooks/x` takes signed events. The POST answers 200 only once the sink has durably queued
 * the mentions, and 503 when it cannot, so that X retries rather than the mention being lost.
 * Bad input is never a 5xx: a tweet that cannot be a mention (malformed, nested too deep, an author
 * handle X would not allow) is refused on its own and reported, the rest of the delivery is queued and
 * answered 200; a body that is not a delivery, or whose every tweet was refused, is a 400.
 */
import { Router } from 'express';
import { crcResponse } from '../../connectors/x/crc.ts';
import { X_SIGNATURE_HEADER, verifyXSignature } from '../../connectors/x/signature.ts';
import { parseXDelivery } from '../../connectors/x/payload.ts';
import type { MentionSink, OwnAccounts } from '../../connectors/connector.ts';
import { refuseUnusable, type RejectionLog } from '../../connectors/rejections.ts';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { rawBodyOf } from '../raw-body.ts';

export interface XWebhookRouterDeps {
  /** The X app's consumer (API key) secret: the HMAC key of CRC answers and event signatures. */
  consumerSecret: string;
  ownAccounts: OwnAccounts;
  sink: MentionSink;
  metrics?: Metrics;
  logger: Logger;
  /** Where refused tweets are reported (log, metric, `/api/status`); logged only without one. */
  rejections?: RejectionLog;
}

export const X_WEBHOOK_PATH = '/webhooks/x';

export function createXWebhookRouter(deps: XWebhookRouterDeps): Router {
  const router = Router();

  router.get(X_WEBHOOK_PATH, (req, res) => {
    const token = req.query['crc_token'];
    if (typeof token !== 'string' || token === '') {
      throw new AppError('bad_request', 'crc_token query parameter is required', {
        hint: 'X calls GET /webhooks/x?crc_token=<token> to check the webhook; other GETs are not expected.',
      });
    }
    res.json(crcResponse(deps.consumerSecret, token));
  });

  router.post(X_WEBHOOK_PATH, async (req, res) => {
    if (!verifyXSignature(deps.consumerSecret, rawBodyOf(req), req.get(X_SIGNATURE_HEADER))) {
      throw new AppError('unauthorized', `Missing or invalid ${X_SIGNATURE_HEADER} header`, {
        hint: 'The body must be signed with HMAC-SHA256 of the X app consumer secret (X_CONSUMER_SECRET).',
      });
    }
    const { mentions, rejected, items } = parseXDelivery(req.body, deps.ownAccounts);
    if (rejected.length > 0) {
      if (deps.rejections) deps.rejections.record('x-webhook', rejected);
      else deps.logger.warn({ network: 'x', refused: rejected }, 'x webhook: tweets refused');
    }
    refuseUnusable('X webhook payload', items, rejected);
    if (mentions.length > 0) {
      try {
        await deps.sink.accept(mentions);
      } catch (error) {
        throw new AppError('unavailable', 'Could not queue the mentions; retry later', {
          cause: error,
          hint: 'The durable queue is unavailable; X retries the delivery.',
        });
      }
      deps.metrics?.mentionsReceived.labels('x').inc(mentions.length);
    }
    deps.logger.info(
      { network: 'x', queued: mentions.length, refused: rejected.length, ids: mentions.map((m) => m.id) },
      'x webhook',
    );
    res.status(200).json({});
  });

  return router;
}
