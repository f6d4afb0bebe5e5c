/**
 * Meta webhooks (Facebook Page and Instagram): `GET /webhooks/meta` answers the hub.challenge handshake,
 * `POST /webhooks/meta` takes signed, batched changes. The POST answers 200 only once the sink has durably
 * queued the mentions (503 otherwise, so Meta retries). Bad input is never a 5xx: a change that cannot be
 * a mention (malformed, nested too deep, a handle the network would not allow), or whose Graph API
 * lookup answers something that cannot be one, is refused on its own and reported while the rest is
 * queued; a body that is not a delivery, or whose every change was refused, is a 400.
 */
import { Router } from 'express';
import type { MentionSink, OwnAccounts } from '../../connectors/connector.ts';
import {
  refuseUnusable,
  rejectionOf,
  type Rejection,
  type RejectionLog,
} from '../../connectors/rejections.ts';
import type { MetaMentionResolver } from '../../connectors/meta/graph-resolver.ts';
import { answerHubChallenge } from '../../connectors/meta/handshake.ts';
import { parseMetaWebhook } from '../../connectors/meta/payload.ts';
import { META_SIGNATURE_HEADER, verifyMetaSignature } from '../../connectors/meta/signature.ts';
import { AppError } from '../../domain/errors.ts';
import type { Mention } from '../../domain/mention.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { rawBodyOf } from '../raw-body.ts';

export interface MetaWebhookRouterDeps {
  /** The Meta app secret: the HMAC key of X-Hub-Signature-256. */
  appSecret: string;
  /** What we told Meta to send as hub.verify_token. */
  verifyToken: string;
  ownAccounts: OwnAccounts;
  sink: MentionSink;
  logger: Logger;
  metrics?: Metrics;
  /**
   * Looks up mentions Meta announces by id only (Instagram `mentions`, Page `mention` without text).
   * Without one they are logged and skipped.
   */
  resolver?: MetaMentionResolver;
  /** Where refused changes are reported (log, metric, `/api/status`); logged only without one. */
  rejections?: RejectionLog;
}

export const META_WEBHOOK_PATH = '/webhooks/meta';

export function createMetaWebhookRouter(deps: MetaWebhookRouterDeps): Router {
  const router = Router();

  router.get(META_WEBHOOK_PATH, (req, res) => {
    const challenge = answerHubChallenge(req.query as Record<string, unknown>, deps.verifyToken);
    res.status(200).type('text/plain').send(challenge);
  });

  router.post(META_WEBHOOK_PATH, async (req, res) => {
    if (!verifyMetaSignature(deps.appSecret, rawBodyOf(req), req.get(META_SIGNATURE_HEADER))) {
      throw new AppError('unauthorized', `Missing or invalid ${META_SIGNATURE_HEADER} header`, {
        hint: 'The body must be signed with HMAC-SHA256 of the Meta app secret (META_APP_SECRET).',
      });
    }
    const { mentions, references, rejected, items } = parseMetaWebhook(req.body, deps.ownAccounts);
    const report = (refused: readonly Rejection[]): void => {
      if (refused.length === 0) return;
      if (deps.rejections) deps.rejections.record('meta-webhook', refused);
      else deps.logger.warn({ network: 'meta', refused }, 'meta webhook: changes refused');
    };
    report(rejected);
    refuseUnusable('Meta webhook payload', items, rejected);

    const resolved: Mention[] = [];
    const refusedLookups: Rejection[] = [];
    if (references.length > 0 && !deps.resolver) {
      deps.logger.warn(
        { network: 'meta', skipped: references.length },
        'meta webhook: no resolver for id-only mentions',
      );
    } else if (deps.resolver) {
      for (const reference of references) {
        try {
          const mention = await deps.resolver.resolve(reference);
          if (mention) resolved.push(mention);
        } catch (error) {
          const id =
            reference.network === 'instagram'
              ? reference.commentId
              : (reference.commentId ?? reference.postId);
          const rejection = rejectionOf(error, reference.network, id);
          if (rejection) {
            refusedLookups.push({ ...rejection, reason: `the Graph API's answer: ${rejection.reason}` });
            continue;
          }
          throw new AppError('unavailable', 'Could not look up the mentioned comments; retry later', {
            cause: error,
            hint: 'The Graph API lookup failed (token, rate limit or network); Meta retries the delivery.',
          });
        }
      }
      report(refusedLookups);
    }

    const all = [...mentions, ...resolved];
    if (all.length > 0) {
      try {
        await deps.sink.accept(all);
      } catch (error) {
        throw new AppError('unavailable', 'Could not queue the mentions; retry later', {
          cause: error,
          hint: 'The durable queue is unavailable; Meta retries the delivery.',
        });
      }
      for (const mention of all) deps.metrics?.mentionsReceived.labels(mention.network).inc();
    }
    deps.logger.info(
      {
        network: 'meta',
        queued: all.length,
        refused: rejected.length + refusedLookups.length,
        ids: all.map((m) => m.id),
      },
      'meta webhook',
    );
    res.status(200).type('text/plain').send('EVENT_RECEIVED');
  });

  return router;
}
