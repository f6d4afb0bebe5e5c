import { expect } from 'chai';
import { startXStandIn } from '../../../../stand-ins/src/index.ts';
import type { XStandIn } from '../../../../stand-ins/src/index.ts';
import { createXWebhookRouter } from '../../../src/http/routes/webhooks-x.ts';
import type { RunningServer } from '../../../src/http/server.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { FakeSink, ownAccounts, startApp } from './fakes.ts';

describe('X stand-in → /webhooks/x end to end', () => {
  let x: XStandIn;
  let server: RunningServer;
  let sink: FakeSink;

  beforeEach(async () => {
    x = await startXStandIn({ consumerSecret: 'dev-x-secret', bearerToken: 'bearer' });
    sink = new FakeSink();
    server = await startApp([
      createXWebhookRouter({
        consumerSecret: 'dev-x-secret',
        ownAccounts: ownAccounts({}),
        sink,
        logger: silentLogger(),
      }),
    ]);
  });

  afterEach(async () => {
    await server.close();
    await x.close();
  });

  it('registers the webhook after a CRC check, and a new mention arrives signed and is queued', async () => {
    await x.registerWebhook(`${server.url}/webhooks/x`);
    expect(x.requests).to.have.length(0); // the CRC GET goes from the stand-in to us, not to the stand-in
    const added = await x.addMention({
      author: { username: 'ann_lee', name: 'Ann Lee', followers_count: 1520 },
      text: 'où est ma commande ? #retard https://shop.example/orders/9',
      lang: 'fr',
    });
    expect(added.delivery?.status).to.equal(200);
    expect(sink.accepted).to.have.length(1);
    const [mention] = sink.accepted;
    expect(mention).to.deep.include({
      network: 'x',
      id: added.tweet.id,
      text: added.tweet.text,
      languageHint: 'fr',
      hashtags: ['retard'],
      urls: ['https://shop.example/orders/9'],
      kind: 'mention',
    });
    expect(mention?.text).to.match(/^@socialcrm_demo où est ma commande \? #retard https:\/\/t\.co\/\w{10}$/);
    expect(mention?.author).to.deep.include({ handle: 'ann_lee', displayName: 'Ann Lee', followers: 1520 });
    // X's created_at has whole seconds.
    expect(Date.parse(mention?.createdAt ?? '')).to.equal(
      Math.floor(Date.parse(added.tweet.created_at) / 1000) * 1000,
    );
  });

  it('delivers a reply to our post as kind reply, and long posts with their full text', async () => {
    await x.registerWebhook(`${server.url}/webhooks/x`);
    const root = await x.addMention({ author: 'bob', text: 'is the store open?' });
    const res = await fetch(`${x.url}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${x.userAccessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '@bob yes, until 8pm!', reply: { in_reply_to_tweet_id: root.tweet.id } }),
    });
    const ours = ((await res.json()) as { data: { id: string } }).data.id;
    const long = `thanks! ${'great service, '.repeat(12)}`.trim();
    const reply = await x.addMention({ author: 'bob', text: long, inReplyToTweetId: ours });
    expect(reply.delivery?.status).to.equal(200);
    const last = sink.accepted.at(-1);
    expect(last).to.deep.include({ kind: 'reply', inReplyToId: ours, inReplyToAuthorId: x.ownUser.id });
    expect(last?.text).to.equal(`@socialcrm_demo ${long}`);
  });

  it('refuses to register a URL that fails the CRC check', async () => {
    const wrong = await startApp([
      createXWebhookRouter({
        consumerSecret: 'other-secret',
        ownAccounts: ownAccounts({}),
        sink,
        logger: silentLogger(),
      }),
    ]);
    try {
      let failure: unknown;
      await x.registerWebhook(`${wrong.url}/webhooks/x`).catch((error: unknown) => (failure = error));
      expect(String(failure)).to.include('CRC check');
      expect(x.webhookUrl).to.equal(null);
    } finally {
      await wrong.close();
    }
  });
});
