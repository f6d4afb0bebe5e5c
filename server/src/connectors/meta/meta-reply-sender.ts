/**
 * Replies on Facebook and Instagram through the Graph API, as our Page (a Page access token with
 * pages_manage_engagement / instagram_manage_comments):
 * - Facebook: `POST /{comment-or-post-id}/comments` with `message`;
 * - Instagram: `POST /{ig-comment-id}/replies` with `message`.
 * Graph errors carry `code`: 4, 17, 32, 613 are rate limits; 190 an invalid token; `is_transient` or
 * 1, 2 a temporary problem. Graph has no idempotency key: an earlier attempt is found by reading the
 * parent's comments for one from our Page (or Instagram account) with the same text.
 */
import { SendError, type ReplySender, type SendRequest } from '../../replies/ports.ts';
import type { PublishedReply } from '../../replies/reply.ts';
import { GRAPH_API_BASE_URL, GRAPH_API_VERSION } from './graph-resolver.ts';

export interface MetaReplySenderOptions {
  network: 'facebook' | 'instagram';
  pageAccessToken: string;
  /** Our Page id (Facebook) or Instagram professional account id: the author of our replies. */
  ownId: string;
  baseUrl?: string;
  apiVersion?: string;
  fetch?: typeof fetch;
}

interface GraphErrorBody {
  error?: { message?: string; code?: number; is_transient?: boolean };
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);

export class MetaReplySender implements ReplySender {
  readonly network: 'facebook' | 'instagram';
  readonly #options: MetaReplySenderOptions;
  readonly #fetch: typeof fetch;

  constructor(options: MetaReplySenderOptions) {
    this.network = options.network;
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  #url(path: string): URL {
    const base = (this.#options.baseUrl ?? GRAPH_API_BASE_URL).replace(/\/+$/, '');
    return new URL(`${base}/${this.#options.apiVersion ?? GRAPH_API_VERSION}/${path}`);
  }

  async #call<T>(url: URL, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await this.#fetch(url, {
        ...init,
        headers: {
          authorization: `Bearer ${this.#options.pageAccessToken}`,
          ...(init.headers as Record<string, string> | undefined),
        },
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new SendError('unavailable', error instanceof Error ? error.message : String(error));
    }
    const body = (await res.json().catch(() => ({}))) as T & GraphErrorBody;
    if (res.ok && !body.error) return body;
    const code = body.error?.code ?? 0;
    const message = body.error?.message ?? `HTTP ${res.status}`;
    if (RATE_LIMIT_CODES.has(code))
      throw new SendError('rate_limited', message, new Date(Date.now() + 5 * 60_000));
    if (code === 190 || res.status === 401) throw new SendError('auth', message);
    if (body.error?.is_transient || code === 1 || code === 2 || res.status >= 500)
      throw new SendError('unavailable', message);
    throw new SendError('rejected', message);
  }

  #edge(): string {
    return this.network === 'instagram' ? 'replies' : 'comments';
  }

  #published(id: string): PublishedReply {
    return { networkPostId: id, url: this.network === 'facebook' ? `https://www.facebook.com/${id}` : null };
  }

  async send(request: SendRequest): Promise<PublishedReply> {
    const url = this.#url(`${encodeURIComponent(request.target.networkPostId)}/${this.#edge()}`);
    const body = await this.#call<{ id?: string }>(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ message: request.text }).toString(),
    });
    if (!body.id) throw new SendError('unavailable', 'Graph answered without the id of the new comment');
    return this.#published(body.id);
  }

  async findSent(request: SendRequest): Promise<PublishedReply | null> {
    const url = this.#url(`${encodeURIComponent(request.target.networkPostId)}/${this.#edge()}`);
    url.search = new URLSearchParams({
      fields: this.network === 'instagram' ? 'id,text,from' : 'id,message,from',
      limit: '100',
    }).toString();
    const page = await this.#call<{
      data?: { id: string; message?: string; text?: string; from?: { id?: string } }[];
    }>(url);
    const wanted = request.text.trim();
    const found = (page.data ?? []).find(
      (c) => c.from?.id === this.#options.ownId && (c.message ?? c.text ?? '').trim() === wanted,
    );
    return found ? this.#published(found.id) : null;
  }
}
