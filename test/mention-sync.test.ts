/**
 * Listen → analyze → relate, end to end on the embedded default: signed X webhooks (delivered by the X
 * stand-in) through the sync server's durable queue into the dev org, read back with jsforce.
 */
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { xDate } from '@socialcrm/stand-ins';
import { eventually, startEmbedded, X_SECRET, type Embedded } from './support/embedded.ts';

interface PostRow {
  External_Id__c: string;
  Contact__c: string | null;
  Sentiment__c: string;
  Intent__c: string;
  Language__c: string;
  Case__c: string | null;
  Persona__r: { Influence_Score__c: number | null } | null;
}

async function countPosts(e: Embedded, prefix: string): Promise<number> {
  const result = await e.conn.query(
    `SELECT COUNT() FROM Social_Post__c WHERE Author_Handle__c LIKE '${prefix}%'`,
  );
  return result.totalSize;
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('mentions from X webhooks reach the CRM exactly once', function () {
  this.timeout(120_000);
  let e: Embedded;

  before(async () => {
    // Alerts at a lower influence than the default 70, so a plausible big account triggers one here.
    e = await startEmbedded({
      sync: { flushWindowMs: 250 },
      env: { CASE_RULES: '{"alertInfluenceThreshold":50}' },
    });
    // Warm up: the first batch also reads the org's schema and people once; measure the steady state.
    await e.x.addMention({ author: 'warmup_author', text: 'Hello there' });
    await eventually(
      () => countPosts(e, 'warmup_'),
      (n) => n === 1,
      { what: 'the warm-up post' },
    );
  });
  after(async () => {
    await e.close();
  });

  it('turns 1,000 signed webhook mentions into exactly 1,000 posts with ≤ 15 CRM API calls, and redelivery changes nothing', async () => {
    const texts = [
      'Where can I buy the Trailhead 40L pack? Do you ship to Canada?',
      'My order arrived broken and support never answered. Third time I ask!',
      'Love my new boots, best purchase this year 😍',
      'Is the Summit tent waterproof in heavy rain?',
      'El pedido llegó tarde y roto, ¿me pueden ayudar?',
      'Super service client, merci beaucoup !',
    ];
    // Most authors post once; some post several times (processed in order, one at a time).
    const mentions = Array.from({ length: 1000 }, (_, i) => ({
      author: `bulk_${i < 900 ? i : i % 50}`,
      text: `${texts[i % texts.length]} #${i}`,
      lang: i % 6 === 4 ? 'es' : i % 6 === 5 ? 'fr' : 'en',
    }));
    const before = await crmCalls(e);
    const delivered: { id: string; username: string }[] = [];
    await inParallel(mentions, 25, async (m) => {
      const added = await e.x.addMention(m);
      delivered.push({ id: added.tweet.id, username: m.author });
    });
    expect(delivered).to.have.length(1000);
    await eventually(
      () => countPosts(e, 'bulk_'),
      (n) => n === 1000,
      { what: '1,000 posts', timeoutMs: 90_000 },
    );
    const calls = (await crmCalls(e)) - before;
    expect(calls, 'CRM API calls for 1,000 mentions').to.be.at.most(15);

    // X redelivers: the same payloads again change nothing, and cost no CRM call.
    const afterFirst = await crmCalls(e);
    const stats = await e.server.intake.queue.stats();
    expect(stats.deadLetters).to.equal(0);
    const redelivered = await resend(e, delivered.slice(0, 200));
    expect(redelivered.every((s) => s === 200)).to.equal(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await countPosts(e, 'bulk_')).to.equal(1000);
    expect((await crmCalls(e)) - afterFirst).to.equal(0);

    const sample = await e.conn.query<PostRow>(
      "SELECT External_Id__c, Sentiment__c, Intent__c, Language__c, Persona__r.Influence_Score__c FROM Social_Post__c WHERE Author_Handle__c = 'bulk_4'",
    );
    const row = sample.records[0]!;
    expect(row.External_Id__c).to.match(/^x:\d+$/);
    expect(row.Language__c).to.equal('es');
    expect(row.Sentiment__c).to.equal('negative');
    expect(row.Persona__r?.Influence_Score__c).to.be.a('number');
  });

  it('links a post to the Contact whose Social_Handles__c lists the author, and opens a Case for the complaint', async () => {
    const contact = (
      await e.conn.query<{ Id: string; Name: string; AccountId: string; Social_Handles__c: string | null }>(
        'SELECT Id, Name, AccountId, Social_Handles__c FROM Contact WHERE AccountId != null',
      )
    ).records.find((c) => /^x:@\w+$/m.test(c.Social_Handles__c ?? ''))!;
    const handle = /^x:@(\w+)$/m.exec(contact.Social_Handles__c!)![1]!;
    // The author shows a display name that is not the CRM name: only the listed handle ties them.
    await e.x.addMention({
      author: { username: handle, name: 'trail runner ⛰️' },
      text: 'My order arrived broken, please help!',
    });
    const post = await eventually(
      async () =>
        (
          await e.conn.query<PostRow & { Account__c: string | null }>(
            `SELECT External_Id__c, Contact__c, Account__c, Case__c, Intent__c, Sentiment__c FROM Social_Post__c WHERE Author_Handle__c = '${handle}' AND Intent__c = 'complaint'`,
          )
        ).records[0],
      (r) => r !== undefined,
      { what: 'the linked post' },
    );
    expect(post!.Contact__c).to.equal(contact.Id);
    expect(post!.Account__c).to.equal(contact.AccountId);
    expect(post!.Intent__c).to.equal('complaint');
    expect(post!.Case__c).to.be.a('string');
    const kase = await e.conn.sobject('Case').retrieve(post!.Case__c!);
    expect(kase['ContactId']).to.equal(contact.Id);
    expect(kase['Origin']).to.equal('Social');
    expect(kase['Status']).to.equal('New');
    const rolled = await e.conn.sobject('Contact').retrieve(contact.Id);
    expect(rolled['Last_Social_Activity__c']).to.be.a('string');
    expect(rolled['Social_Sentiment__c']).to.be.lessThan(0);
  });

  it('opens a High priority Case and alerts with a Task when a high-influence stranger complains', async () => {
    await e.x.addMention({
      author: {
        username: 'big_reviewer',
        name: 'Gear Reviews Daily',
        followers_count: 2_400_000,
        following_count: 300,
        verified: true,
      },
      text: 'Three weeks and my replacement tent still has not shipped. Terrible support, avoid.',
      likes: 40_000,
      reposts: 9_000,
    });
    const post = await eventually(
      async () =>
        (
          await e.conn.query<{ Case__c: string | null; Persona__r: { Influence_Score__c: number } }>(
            "SELECT Case__c, Persona__r.Influence_Score__c FROM Social_Post__c WHERE Author_Handle__c = 'big_reviewer'",
          )
        ).records[0],
      (r) => r !== undefined,
      { what: 'the reviewer’s post' },
    );
    expect(post!.Persona__r.Influence_Score__c).to.be.at.least(50);
    expect(post!.Case__c, 'a case for a high-influence complaint').to.be.a('string');
    const kase = await e.conn.sobject('Case').retrieve(post!.Case__c!);
    expect(kase['Priority']).to.equal('High');
    expect(kase['ContactId']).to.equal(null);
    const tasks = await eventually(
      async () =>
        (
          await e.conn.query<{ Subject: string; Priority: string; WhatId: string }>(
            "SELECT Subject, Priority, WhatId FROM Task WHERE Subject LIKE 'High-influence complaint%big_reviewer'",
          )
        ).records,
      (r) => r.length > 0,
      { what: 'the alert task' },
    );
    expect(tasks).to.have.length(1);
    expect(tasks[0]!.Priority).to.equal('High');
    expect(tasks[0]!.WhatId).to.equal(post!.Case__c);
  });

  it('makes a Lead of an unknown author who wants to buy, and links the post to it', async () => {
    await e.x.addMention({
      author: { username: 'new_buyer', name: 'Priya Raman' },
      text: 'How much is the Summit 2 tent? I want to order two for our club.',
    });
    const post = await eventually(
      async () =>
        (
          await e.conn.query<{ Lead__c: string | null; Intent__c: string }>(
            "SELECT Lead__c, Intent__c FROM Social_Post__c WHERE Author_Handle__c = 'new_buyer'",
          )
        ).records[0],
      (r) => r !== undefined,
      { what: 'the buyer’s post' },
    );
    expect(post!.Intent__c).to.equal('purchase_intent');
    const lead = await e.conn.sobject('Lead').retrieve(post!.Lead__c!);
    expect(lead['LeadSource']).to.equal('Social');
    expect(lead['LastName']).to.equal('Raman');
    expect(lead['FirstName']).to.equal('Priya');
    expect(lead['Social_Handles__c']).to.equal('x:@new_buyer');
  });

  it('answers 401 to a bad or missing signature and 400 with a clear error to a malformed body, queuing nothing', async () => {
    const body = JSON.stringify({ for_user_id: e.x.ownUser.id, tweet_create_events: [] });
    const unsigned = await fetch(`${e.server.url}/webhooks/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).to.equal(401);
    const wrong = await fetch(`${e.server.url}/webhooks/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': 'sha256=AAAA' },
      body,
    });
    expect(wrong.status).to.equal(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');

    const malformed = JSON.stringify({
      for_user_id: e.x.ownUser.id,
      tweet_create_events: [{ id_str: 'not a tweet' }],
    });
    const res = await fetch(`${e.server.url}/webhooks/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(malformed) },
      body: malformed,
    });
    expect(res.status).to.equal(400);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).to.equal('validation_failed');
    expect(error.message).to.match(/tweet_create_events/);

    const crc = await fetch(`${e.server.url}/webhooks/x?crc_token=abc`);
    expect(((await crc.json()) as { response_token: string }).response_token).to.equal(
      `sha256=${createHmac('sha256', X_SECRET).update('abc').digest('base64')}`,
    );
  });

  it('exposes the contract metrics', async () => {
    const text = await (await fetch(`${e.server.url}/metrics`)).text();
    for (const name of [
      'socialcrm_mentions_received_total',
      'socialcrm_mentions_synced_total',
      'socialcrm_crm_api_calls_total',
      'socialcrm_queue_depth',
      'socialcrm_sync_lag_seconds',
    ]) {
      expect(text).to.include(name);
    }
    expect(text).to.match(/socialcrm_mentions_synced_total\{network="x"\} (\d+)/);
    const synced = Number(/socialcrm_mentions_synced_total\{network="x"\} (\d+)/.exec(text)![1]);
    expect(synced).to.be.at.least(1000);
  });

  it('a backfill of a network the server cannot pull says what to set, network by network', async () => {
    const ask = async (
      network: string,
    ): Promise<{ status: number; error: { code: string; hint: string } }> => {
      const res = await fetch(`${e.server.url}/api/backfill`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ network, since: '1d' }),
      });
      return { status: res.status, ...((await res.json()) as { error: { code: string; hint: string } }) };
    };
    const x = await ask('x');
    expect(x.status).to.equal(404);
    expect(x.error.code).to.equal('not_found');
    expect(x.error.hint).to.contain('X_API_URL').and.contain('X_BEARER_TOKEN').and.contain('sf social serve');
    expect((await ask('mastodon')).error.hint).to.contain('MASTODON_ACCESS_TOKEN');
    expect((await ask('facebook')).error.hint).to.contain('arrive by webhook');
  });
});

/** CRM API calls the sync server made so far, from its own metrics. */
async function crmCalls(e: Embedded): Promise<number> {
  const text = await (await fetch(`${e.server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('socialcrm_crm_api_calls_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

function sign(body: string): string {
  return `sha256=${createHmac('sha256', X_SECRET).update(body).digest('base64')}`;
}

/** Sends X's Account Activity payloads for these tweets again, as X does when it retries a delivery. */
async function resend(e: Embedded, sent: readonly { id: string; username: string }[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const { id, username } of sent) {
    const tweet = e.x.tweet(id)!;
    const body = JSON.stringify({
      for_user_id: e.x.ownUser.id,
      tweet_create_events: [
        {
          created_at: xDate(new Date(tweet.created_at)),
          id_str: tweet.id,
          text: tweet.text,
          lang: tweet.lang,
          user: {
            id_str: tweet.author_id,
            screen_name: username,
            name: username,
            followers_count: 1,
            friends_count: 1,
          },
          entities: { user_mentions: [], hashtags: [], urls: [] },
        },
      ],
    });
    const res = await fetch(`${e.server.url}/webhooks/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': sign(body) },
      body,
    });
    statuses.push(res.status);
  }
  return statuses;
}
