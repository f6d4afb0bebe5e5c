import { expect } from 'chai';
import { metaJson, startMetaStandIn } from '../../../../stand-ins/src/index.ts';
import type { MetaStandIn } from '../../../../stand-ins/src/index.ts';
import { GraphMentionResolver } from '../../../src/connectors/meta/graph-resolver.ts';
import { signMetaPayload } from '../../../src/connectors/meta/signature.ts';
import { createMetaWebhookRouter } from '../../../src/http/routes/webhooks-meta.ts';
import type { MetaWebhookRouterDeps } from '../../../src/http/routes/webhooks-meta.ts';
import type { RunningServer } from '../../../src/http/server.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { FakeSink, ownAccounts, startApp } from '../x/fakes.ts';

const SECRET = 'dev-meta-secret';
const VERIFY = 'dev-meta-verify';
const PAGE = '104123456789012';
const PAGE_TOKEN = 'EAAGstandinpagetoken';

function feedComment(message: string): unknown {
  return {
    object: 'page',
    entry: [
      {
        id: PAGE,
        time: 1717000000,
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: '6789', name: 'Zoë' },
              message,
              post_id: `${PAGE}_1`,
              comment_id: '1_2',
              parent_id: `${PAGE}_1`,
              created_time: 1717000000,
              item: 'comment',
              verb: 'add',
            },
          },
        ],
      },
    ],
  };
}

describe('GET/POST /webhooks/meta', () => {
  let server: RunningServer | undefined;
  let sink: FakeSink;

  async function start(extra: Partial<MetaWebhookRouterDeps> = {}): Promise<string> {
    sink = new FakeSink();
    server = await startApp([
      createMetaWebhookRouter({
        appSecret: SECRET,
        verifyToken: VERIFY,
        ownAccounts: ownAccounts({}),
        sink,
        logger: silentLogger(),
        ...extra,
      }),
    ]);
    return server.url;
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function post(
    url: string,
    body: string,
    signature: string | null = signMetaPayload(SECRET, body),
  ): Promise<Response> {
    return fetch(`${url}/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body,
    });
  }

  it('echoes hub.challenge as text/plain for the right verify token, 403 for a wrong one', async () => {
    const url = await start();
    const ok = await fetch(
      `${url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`,
    );
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('content-type')).to.match(/^text\/plain/);
    expect(await ok.text()).to.equal('1158201444');
    const wrong = await fetch(
      `${url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).to.equal(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).to.equal('forbidden');
  });

  it('verifies the escaped-unicode body as sent and queues the comment with its accents', async () => {
    const url = await start();
    const body = metaJson(feedComment('Très déçue 😞 https://shop.example/a'));
    expect(body).to.include('Tr\\u00e8s d\\u00e9\\u00e7ue \\ud83d\\ude1e https:\\/\\/shop.example\\/a');
    const res = await post(url, body);
    expect(res.status).to.equal(200);
    expect(sink.accepted.map((m) => m.text)).to.deep.equal(['Très déçue 😞 https://shop.example/a']);
  });

  it('answers 401 for a missing or wrong signature, and for a signature over re-encoded JSON', async () => {
    const url = await start();
    const escaped = metaJson(feedComment('café'));
    const plain = JSON.stringify(feedComment('café'));
    for (const res of [
      await post(url, escaped, null),
      await post(url, escaped, signMetaPayload('other', escaped)),
      await post(url, plain, signMetaPayload(SECRET, escaped)),
    ]) {
      expect(res.status).to.equal(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');
    }
    expect(sink.calls).to.equal(0);
  });

  it('answers 400 validation_failed naming the bad field', async () => {
    const url = await start();
    const res = await post(url, JSON.stringify({ object: 'page', entry: [{ id: PAGE, changes: [] }] }));
    expect(res.status).to.equal(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).to.equal('validation_failed');
    expect(json.error.message).to.include('entry.0.time');
  });

  it('answers 503 when the sink fails and only answers after it resolved', async () => {
    const url = await start();
    sink.failWith = new Error('queue down');
    expect((await post(url, metaJson(feedComment('a')))).status).to.equal(503);
    sink.failWith = null;

    const entered = sink.hold();
    let answered = false;
    const pending = post(url, metaJson(feedComment('b'))).then((res) => {
      answered = true;
      return res;
    });
    await entered;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).to.equal(false);
    sink.release();
    expect((await pending).status).to.equal(200);
  });

  describe('with the Meta stand-in', () => {
    let meta: MetaStandIn;

    beforeEach(async () => {
      meta = await startMetaStandIn({
        appSecret: SECRET,
        verifyToken: VERIFY,
        pageId: PAGE,
        pageToken: PAGE_TOKEN,
      });
    });

    afterEach(async () => {
      await meta.close();
    });

    async function startWithResolver(): Promise<string> {
      return start({
        resolver: new GraphMentionResolver({
          pageAccessToken: PAGE_TOKEN,
          ownAccounts: ownAccounts({}),
          baseUrl: meta.url,
        }),
      });
    }

    it('performs the handshake on registration and delivers signed page and Instagram comments', async () => {
      const url = await start();
      await meta.registerWebhook(`${url}/webhooks/meta`);
      const fb = await meta.addPageComment({
        from: { name: 'Zoë Müller' },
        message: 'Où est ma commande ? 📦',
      });
      expect(fb.delivery?.status).to.equal(200);
      const ig = await meta.addInstagramComment({ username: 'joao.silva', text: 'Ótimo atendimento 👏' });
      expect(ig.delivery?.status).to.equal(200);
      expect(sink.accepted.map((m) => [m.network, m.id, m.text])).to.deep.equal([
        ['facebook', fb.commentId, 'Où est ma commande ? 📦'],
        ['instagram', ig.commentId, 'Ótimo atendimento 👏'],
      ]);
      expect(sink.accepted[0]?.inReplyToAuthorId).to.equal(PAGE);
    });

    it('refuses to register when the verify token differs', async () => {
      const url = await start({ verifyToken: 'something-else' });
      let failure: unknown;
      await meta.registerWebhook(`${url}/webhooks/meta`).catch((error: unknown) => (failure = error));
      expect(String(failure)).to.include('verification');
    });

    it('resolves Instagram mentions through the Graph API lookup', async () => {
      const url = await startWithResolver();
      await meta.registerWebhook(`${url}/webhooks/meta`);
      const mention = await meta.addInstagramMention({ username: 'ana_b', text: 'obsessed with this ✨' });
      expect(mention.delivery?.status).to.equal(200);
      expect(sink.accepted).to.have.length(1);
      expect(sink.accepted[0]).to.deep.include({
        network: 'instagram',
        id: mention.commentId,
        text: '@socialcrm_demo obsessed with this ✨',
        kind: 'mention',
        inReplyToId: mention.mediaId,
      });
      expect(sink.accepted[0]?.author.handle).to.equal('ana_b');
      expect(
        meta.requests.some((r) => r.method === 'GET' && r.path.endsWith(meta.instagramAccountId)),
      ).to.equal(true);
    });

    it('answers 503 when the Graph lookup fails (revoked token), so Meta retries', async () => {
      const url = await startWithResolver();
      await meta.registerWebhook(`${url}/webhooks/meta`);
      await meta.setFaults({ tokenRevoked: true });
      const mention = await meta.addInstagramMention({ username: 'ana_b', text: 'hi' });
      expect(mention.delivery?.status).to.equal(503);
      expect(sink.accepted).to.have.length(0);
    });
  });
});
