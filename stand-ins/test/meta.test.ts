import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { metaJson, startMetaStandIn } from '../src/index.ts';
import type { MetaStandIn } from '../src/index.ts';

const SECRET = 'app-secret';
const TOKEN = 'EAAGpagetoken';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A bare callback server that answers the handshake and records deliveries. */
async function callback(
  verifyToken: string,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET') {
        const ok = url.searchParams.get('hub.verify_token') === verifyToken;
        res.writeHead(ok ? 200 : 403).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'no');
      } else res.writeHead(200).end('EVENT_RECEIVED');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Meta stand-in', () => {
  let meta: MetaStandIn;

  beforeEach(async () => {
    meta = await startMetaStandIn({
      appSecret: SECRET,
      verifyToken: 'verify',
      pageId: '104000000000001',
      pageToken: TOKEN,
    });
  });

  afterEach(async () => {
    await meta.close();
  });

  const graph = (path: string, init: RequestInit = {}, token: string | null = TOKEN): Promise<Response> =>
    fetch(`${meta.url}/v21.0${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
    });

  it('escapes JSON the way Meta does', () => {
    expect(metaJson({ m: 'Café 😀 a/b' })).to.equal('{"m":"Caf\\u00e9 \\ud83d\\ude00 a\\/b"}');
  });

  it('does the hub.challenge handshake, then delivers payloads signed over the exact bytes', async () => {
    const hook = await callback('verify');
    try {
      await meta.registerWebhook(hook.url);
      const handshake = new URL(hook.received[0]?.url ?? '', 'http://x').searchParams;
      expect(handshake.get('hub.mode')).to.equal('subscribe');
      expect(handshake.get('hub.verify_token')).to.equal('verify');
      expect(handshake.get('hub.challenge')).to.match(/^\d+$/);

      const { commentId, postId, delivery } = await meta.addPageComment({
        from: { name: 'Zoë' },
        message: 'Très bien',
      });
      expect(delivery?.status).to.equal(200);
      const post = hook.received[1];
      expect(post?.headers['content-type']).to.equal('application/json');
      const raw = post?.body ?? Buffer.alloc(0);
      expect(raw.toString()).to.include('Tr\\u00e8s bien').and.include('Zo\\u00eb');
      expect(post?.headers['x-hub-signature-256']).to.equal(
        `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`,
      );
      expect(post?.headers['x-hub-signature']).to.equal(
        `sha1=${createHmac('sha1', SECRET).update(raw).digest('hex')}`,
      );
      const body = JSON.parse(raw.toString()) as {
        object: string;
        entry: { id: string; changes: { value: Record<string, unknown> }[] }[];
      };
      expect(body.object).to.equal('page');
      expect(body.entry[0]?.id).to.equal(meta.pageId);
      expect(body.entry[0]?.changes[0]?.value).to.deep.include({
        comment_id: commentId,
        post_id: postId,
        item: 'comment',
        verb: 'add',
        message: 'Très bien',
      });
    } finally {
      await hook.close();
    }
  });

  it('refuses a callback that does not echo the challenge', async () => {
    const hook = await callback('another-token');
    try {
      let error: unknown;
      await meta.registerWebhook(hook.url).catch((e: unknown) => (error = e));
      expect(String(error)).to.include('verification');
      expect(meta.webhookUrl).to.equal(null);
    } finally {
      await hook.close();
    }
  });

  it('replies to Facebook comments and Instagram comments and mentions, recording them', async () => {
    const fb = await meta.addPageComment({ from: { name: 'Al' }, message: 'hi' });
    const ig = await meta.addInstagramComment({ username: 'bea', text: 'love it' });
    const igMention = await meta.addInstagramMention({ username: 'cy', text: 'see this' });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    const a = await graph(`/${fb.commentId}/comments`, {
      method: 'POST',
      headers: form,
      body: 'message=Thanks%20Al',
    });
    const b = await graph(`/${ig.commentId}/replies?message=Thanks%20Bea`, { method: 'POST' });
    const c = await graph(`/${meta.instagramAccountId}/mentions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        comment_id: igMention.commentId,
        media_id: igMention.mediaId,
        message: 'Thanks Cy',
      }),
    });
    for (const res of [a, b, c]) {
      expect(res.status).to.equal(200);
      expect(((await res.json()) as { id: string }).id).to.match(/^[\d_]+$/);
    }
    expect(meta.sentReplies().map((r) => [r.network, r.endpoint, r.parentId, r.message])).to.deep.equal([
      ['facebook', 'comments', fb.commentId, 'Thanks Al'],
      ['instagram', 'replies', ig.commentId, 'Thanks Bea'],
      ['instagram', 'mentions', igMention.commentId, 'Thanks Cy'],
    ]);
  });

  it('answers Graph errors: 190 for bad tokens, 100 for unknown objects and missing messages', async () => {
    const bad = await graph('/1_2/comments?message=x', { method: 'POST' }, 'nope');
    expect(bad.status).to.equal(400);
    expect(bad.headers.get('www-authenticate')).to.include('invalid_token');
    const badBody = (await bad.json()) as { error: Record<string, unknown> };
    expect(badBody.error).to.include({ type: 'OAuthException', code: 190 });
    expect(badBody.error['fbtrace_id']).to.be.a('string');

    const unknown = (await (await graph('/999_999/comments?message=x', { method: 'POST' })).json()) as {
      error: Record<string, unknown>;
    };
    expect(unknown.error).to.include({ code: 100, error_subcode: 33, type: 'GraphMethodException' });

    const post = meta.addPagePost('hello');
    const empty = (await (await graph(`/${post.postId}/comments`, { method: 'POST' })).json()) as {
      error: Record<string, unknown>;
    };
    expect(empty.error).to.include({ code: 100 });

    await meta.setFaults({ tokenRevoked: true });
    const revoked = (await (await graph('/me')).json()) as { error: Record<string, unknown> };
    expect(revoked.error).to.include({ code: 190, error_subcode: 460 });
  });

  it('answers rate-limit errors 4, 32 and 613 with usage headers', async () => {
    for (const code of [4, 32, 613] as const) {
      await meta.setFaults({ rateLimited: code });
      const res = await graph('/me');
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).to.include({ code, type: 'OAuthException', is_transient: true });
      expect(res.headers.get(code === 32 ? 'x-business-use-case-usage' : 'x-app-usage')).to.be.a('string');
    }
    await meta.setFaults({ rateLimited: false });
    expect(await (await graph('/me')).json()).to.deep.equal({ name: 'Social CRM Demo', id: meta.pageId });
  });

  it('serves the mentioned comment lookup on the Instagram account', async () => {
    const m = await meta.addInstagramMention({ username: 'cy', text: 'hello @socialcrm_demo' });
    const fields = `mentioned_comment.comment_id(${m.commentId}){id,text,timestamp,username,like_count,media{id,permalink}}`;
    const res = await graph(`/${meta.instagramAccountId}?fields=${encodeURIComponent(fields)}`);
    const body = (await res.json()) as { mentioned_comment: Record<string, unknown> };
    expect(body.mentioned_comment).to.include({
      id: m.commentId,
      text: 'hello @socialcrm_demo',
      username: 'cy',
    });
    expect(body.mentioned_comment['timestamp']).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
  });

  it('plays outages: 503 with a transient Graph error, and connection refused', async () => {
    await meta.setFaults({ down: 'unavailable' });
    const res = await graph('/me');
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { error: Record<string, unknown> }).error).to.include({
      code: 2,
      is_transient: true,
    });
    await meta.setFaults({ down: 'refused' });
    let error: unknown;
    await graph('/me').catch((e: unknown) => (error = e));
    expect((error as { cause?: { code?: string } }).cause?.code).to.equal('ECONNREFUSED');
    await meta.setFaults({ down: false });
    expect((await graph('/me')).status).to.equal(200);
  });
});
