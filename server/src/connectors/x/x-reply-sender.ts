/**
 * Replies on X: `POST /2/tweets` with `reply.in_reply_to_tweet_id`, as our account (an OAuth 2.0
 * user-context token with tweet.write). X refuses a reply unless the author mentioned or quoted us
 * (403), and counts posts per user per 15 minutes (429 with `x-rate-limit-reset`).
 *
 * X has no idempotency key, so an earlier attempt is found by reading our own timeline
 * (`GET /2/users/:id/tweets`) for a reply to the same post with the same text.
 */
import { ApiRequestError, ApiResponseError, type TwitterApiv2 } from 'twitter-api-v2';
import { SendError, type ReplySender, type SendRequest } from '../../replies/ports.ts';
import type { PublishedReply } from '../../replies/reply.ts';
import { createXClient } from './x-client.ts';

export interface XReplySenderOptions {
  /** OAuth 2.0 user-context token of our account (scopes tweet.read tweet.write users.read). */
  userAccessToken: string;
  userId: string;
  username: string;
  baseUrl?: string;
}

// X shortens links to t.co and may normalise whitespace: compare texts without them.
const comparable = (text: string): string =>
  text
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

function detailOf(error: ApiResponseError): string {
  const data = error.data as
    { detail?: unknown; title?: unknown; errors?: { message?: unknown }[] } | undefined;
  const text = data?.detail ?? data?.errors?.[0]?.message ?? data?.title;
  return typeof text === 'string' ? text : `HTTP ${error.code}`;
}

export function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (error instanceof ApiResponseError) {
    const detail = detailOf(error);
    if (error.code === 429) {
      const reset = error.rateLimit?.reset;
      return new SendError('rate_limited', detail, reset ? new Date(reset * 1000 + 500) : null);
    }
    if (error.code === 401) return new SendError('auth', detail);
    if (error.code >= 500) return new SendError('unavailable', detail);
    return new SendError('rejected', detail);
  }
  if (error instanceof ApiRequestError)
    return new SendError('unavailable', error.requestError?.message ?? error.message);
  return new SendError('unavailable', error instanceof Error ? error.message : String(error));
}

export class XReplySender implements ReplySender {
  readonly network = 'x' as const;
  readonly #client: TwitterApiv2;
  readonly #options: XReplySenderOptions;

  constructor(options: XReplySenderOptions) {
    this.#options = options;
    this.#client = createXClient(options.userAccessToken, options.baseUrl);
  }

  #published(id: string): PublishedReply {
    return { networkPostId: id, url: `https://x.com/${this.#options.username}/status/${id}` };
  }

  async send(request: SendRequest): Promise<PublishedReply> {
    try {
      const { data } = await this.#client.tweet({
        text: request.text,
        reply: { in_reply_to_tweet_id: request.target.networkPostId },
      });
      return this.#published(data.id);
    } catch (error) {
      throw toSendError(error);
    }
  }

  async findSent(request: SendRequest): Promise<PublishedReply | null> {
    const since = new Date(Date.parse(request.createdAt) - 60_000);
    try {
      const page = await this.#client.get<{
        data?: { id: string; text: string; referenced_tweets?: { type: string; id: string }[] }[];
      }>(`users/${this.#options.userId}/tweets`, {
        max_results: 100,
        start_time: since.toISOString(),
        'tweet.fields': 'referenced_tweets,created_at',
      });
      const wanted = comparable(request.text);
      const found = (page.data ?? []).find(
        (t) =>
          t.referenced_tweets?.some(
            (r) => r.type === 'replied_to' && r.id === request.target.networkPostId,
          ) && comparable(t.text) === wanted,
      );
      return found ? this.#published(found.id) : null;
    } catch (error) {
      throw toSendError(error);
    }
  }
}
