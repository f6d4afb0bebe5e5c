/**
 * Replies on Mastodon: `POST /api/v1/statuses` with `in_reply_to_id`, as our account (a token with
 * write:statuses). The visibility follows the post answered (a direct message is answered directly,
 * never in public). Mastodon keeps an `Idempotency-Key` for an hour and answers the same status for it
 * again, so an earlier attempt is found by posting again with the reply's key.
 */
import { SendError, type ReplySender, type SendRequest } from '../../replies/ports.ts';
import type { PublishedReply } from '../../replies/reply.ts';

export interface MastodonReplySenderOptions {
  instanceUrl: string;
  accessToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface StatusJson {
  id: string;
  url?: string | null;
  uri?: string;
  visibility?: string;
  error?: string;
}

const VISIBILITY_FOR_REPLY: Record<string, string> = {
  public: 'public',
  unlisted: 'unlisted',
  private: 'private',
  direct: 'direct',
};

export class MastodonReplySender implements ReplySender {
  readonly network = 'mastodon' as const;
  readonly #origin: string;
  readonly #options: MastodonReplySenderOptions;
  readonly #fetch: typeof fetch;

  constructor(options: MastodonReplySenderOptions) {
    this.#options = options;
    this.#origin = new URL(options.instanceUrl).origin;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async #call(path: string, init: RequestInit = {}): Promise<StatusJson> {
    let res: Response;
    try {
      res = await this.#fetch(`${this.#origin}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${this.#options.accessToken}`,
          accept: 'application/json',
          ...(init.headers as Record<string, string> | undefined),
        },
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 20_000),
      });
    } catch (error) {
      throw new SendError('unavailable', error instanceof Error ? error.message : String(error));
    }
    const body = (await res.json().catch(() => ({}))) as StatusJson;
    if (res.ok) return body;
    const message = body.error ?? `HTTP ${res.status}`;
    if (res.status === 429) {
      const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
      throw new SendError('rate_limited', message, Number.isNaN(reset) ? null : new Date(reset + 500));
    }
    if (res.status === 401 || res.status === 403) throw new SendError('auth', message);
    if (res.status >= 500) throw new SendError('unavailable', message);
    throw new SendError('rejected', message);
  }

  async send(request: SendRequest): Promise<PublishedReply> {
    const parent = await this.#call(`/api/v1/statuses/${encodeURIComponent(request.target.networkPostId)}`);
    const status = await this.#call('/api/v1/statuses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey },
      body: JSON.stringify({
        status: request.text,
        in_reply_to_id: request.target.networkPostId,
        visibility: VISIBILITY_FOR_REPLY[parent.visibility ?? ''] ?? 'public',
      }),
    });
    return { networkPostId: status.id, url: status.url ?? status.uri ?? null };
  }

  /** Posting again with the same Idempotency-Key returns the status an earlier attempt created (within an hour). */
  async findSent(request: SendRequest): Promise<PublishedReply | null> {
    return this.send(request);
  }
}
