/**
 * Replies end to end: the record page's `POST /api/replies` → an outbound Social_Post__c in the dev org
 * → the dispatcher → the X stand-in, and back: Sent with X's id, the answered post's response time.
 * Exactly once under a double submit, two server instances, a crash between sending and recording;
 * a refusal by the network, a rate limit, and the per-network rules.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig, startSyncServer, type SyncServer, type SyncServerOptions } from '@socialcrm/server';
import { X_USER_TOKEN, eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface PostRow {
  Id: string;
  Status__c: string | null;
  Network_Post_Id__c: string | null;
  External_Id__c: string | null;
  Failure_Reason__c: string | null;
  Replied_At__c: string | null;
  First_Response_Minutes__c: number | null;
  Needs_Reply__c: boolean;
  Contact__c: string | null;
}

const REPLY_TUNING = { pollMs: 200, leaseMs: 1500, backoffMs: 300 };

/** The embedded default able to reply on X as @socialcrm_demo, with short waits and `env` on top. */
function startWithXReplies(
  env: Record<string, string> = {},
  replies: SyncServerOptions['replies'] = REPLY_TUNING,
): Promise<Embedded> {
  return startEmbedded({
    replies,
    env: { X_USER_ACCESS_TOKEN: X_USER_TOKEN, X_USERNAME: 'socialcrm_demo', ...env },
  });
}

describe('replies from the record page reach X exactly once', function () {
  this.timeout(60_000);
  let e: Embedded;

  before(async () => {
    e = await startWithXReplies({ REPLY_POLL_SECONDS: '1' });
  });
  after(async () => e?.close());

  /** A mention of us on X, synced into the org; returns its Social_Post__c Id and tweet id. */
  async function mention(
    text: string,
    author = `fan_${randomUUID().slice(0, 6)}`,
  ): Promise<{ postId: string; tweetId: string }> {
    const added = await e.x.addMention({ author, text });
    const row = await eventually(
      async () =>
        e.conn.query<PostRow>(`SELECT Id FROM Social_Post__c WHERE External_Id__c = 'x:${added.tweet.id}'`),
      (r) => r.totalSize === 1,
      { what: 'the mention in the org' },
    );
    return { postId: row.records[0]!.Id, tweetId: added.tweet.id };
  }

  async function submit(
    server: SyncServer,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/api/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const post = async (id: string): Promise<PostRow> =>
    (
      await e.conn.query<PostRow>(
        `SELECT Id, Status__c, Network_Post_Id__c, External_Id__c, Failure_Reason__c, Replied_At__c, First_Response_Minutes__c, Needs_Reply__c, Contact__c FROM Social_Post__c WHERE Id = '${id}'`,
      )
    ).records[0]!;

  const untilStatus = (id: string, statuses: string[]): Promise<PostRow> =>
    eventually(
      () => post(id),
      (p) => statuses.includes(p.Status__c ?? ''),
      { what: `reply ${id} ${statuses.join('/')}` },
    );

  const repliesTo = (tweetId: string) =>
    e.x
      .sentTweets()
      .filter((t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === tweetId));

  it('two concurrent submits with one key make one record, Sent with X’s id, and one post on X', async () => {
    const { postId, tweetId } = await mention('@socialcrm_demo my order 1142 never arrived');
    const body = {
      postId,
      text: '@fan sorry about that! We are on it.',
      idempotencyKey: `key-${randomUUID()}`,
    };
    const [a, b] = await Promise.all([submit(e.server, body), submit(e.server, body)]);
    expect([a.status, b.status]).to.deep.equal([202, 202]);
    expect(a.body['replyId']).to.be.a('string').and.equal(b.body['replyId']);
    expect([a.body['duplicate'], b.body['duplicate']].filter(Boolean)).to.have.length(1);
    const replyId = String(a.body['replyId']);
    const sent = await untilStatus(replyId, ['Sent']);
    const onX = repliesTo(tweetId);
    expect(onX).to.have.length(1);
    expect(sent.Network_Post_Id__c).to.equal(onX[0]!.id);
    expect(sent.External_Id__c).to.equal(`x:${onX[0]!.id}`);
    const answered = await post(postId);
    expect(answered.Replied_At__c).to.be.a('string');
    expect(answered.First_Response_Minutes__c).to.be.a('number').and.at.least(0);
    expect(answered.Needs_Reply__c).to.equal(false);
    // The same key later (a retry after a lost response) is still that one reply.
    const again = await submit(e.server, body);
    expect(again.body).to.include({ replyId, status: 'Sent', duplicate: true });
    expect(repliesTo(tweetId)).to.have.length(1);
    const replies = await e.conn.query(`SELECT Id FROM Social_Post__c WHERE In_Reply_To__c = '${postId}'`);
    expect(replies.totalSize).to.equal(1);
    const metrics = await (await fetch(`${e.server.url}/metrics`)).text();
    expect(metrics).to.match(/socialcrm_replies_total\{network="x",outcome="sent"\} [1-9]/);
    expect(metrics).to.match(/socialcrm_first_response_minutes_count\{network="x"\} [1-9]/);
  });

  it('two server instances polling the org send each reply once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-second-'));
    const second = await startSyncServer(loadConfig({ ...e.env, DATA_DIR: dataDir }), {
      replies: { ...REPLY_TUNING, pollMs: 50 },
    });
    try {
      const targets = await Promise.all(
        [1, 2, 3, 4].map((n) => mention(`@socialcrm_demo question ${n} about sizes`)),
      );
      // Created in the org directly, as the Lightning wrapper does: both instances learn of them by polling.
      const created = await e.conn.sobject('Social_Post__c').create(
        targets.map((t, n) => ({
          Is_Outbound__c: true,
          Status__c: 'Pending',
          Network__c: 'x',
          Body__c: `Thanks for asking, here is the size chart #${n}`,
          In_Reply_To__c: t.postId,
          Idempotency_Key__c: `lwc-${randomUUID()}`,
        })),
      );
      const ids = created.map((r) => (r as { id: string }).id);
      e.server.replies.nudge();
      second.replies.nudge();
      for (const id of ids) await untilStatus(id, ['Sent']);
      for (const t of targets) expect(repliesTo(t.tweetId), t.tweetId).to.have.length(1);
      const claims = await e.conn.query<{ Claimed_By__c: string }>(
        `SELECT Claimed_By__c FROM Social_Reply_Claim__c WHERE Reply__c IN ('${ids.join("','")}')`,
      );
      expect(claims.totalSize).to.be.at.least(ids.length);
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('after a crash between sending and recording, the next attempt finds the post on X instead of sending again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-crash-'));
    // This instance "dies" right after X accepted the post: nothing is recorded.
    const crashing = await startSyncServer(
      loadConfig({ ...e.env, DATA_DIR: dataDir, REPLY_POLL_SECONDS: '3600' }),
      {
        replies: {
          ...REPLY_TUNING,
          pollMs: 3_600_000,
          afterPublish: async () => {
            throw new Error('process killed');
          },
        },
      },
    );
    await e.server.replies.stop(); // only the crashing instance sends at first
    try {
      const { postId, tweetId } = await mention('@socialcrm_demo where is my refund?');
      const { body } = await submit(crashing, {
        postId,
        text: 'Checking your refund now',
        idempotencyKey: `key-${randomUUID()}`,
      });
      const replyId = String(body['replyId']);
      await eventually(
        () => Promise.resolve(repliesTo(tweetId).length),
        (n) => n === 1,
        { what: 'the post on X' },
      );
      expect((await post(replyId)).Status__c).to.equal('Sending');
      await crashing.close();
      e.server.replies.start(); // the survivor takes over once the claim expires
      const sent = await untilStatus(replyId, ['Sent']);
      expect(repliesTo(tweetId)).to.have.length(1);
      expect(sent.Network_Post_Id__c).to.equal(repliesTo(tweetId)[0]!.id);
    } finally {
      await crashing.close();
      e.server.replies.start();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a reply X refuses is Failed with X’s reason', async () => {
    const first = await mention('@socialcrm_demo love the new jacket');
    const second = await mention('@socialcrm_demo the jacket is great');
    const text = 'Thank you so much, enjoy it!';
    const a = await submit(e.server, { postId: first.postId, text, idempotencyKey: `key-${randomUUID()}` });
    await untilStatus(String(a.body['replyId']), ['Sent']);
    // X refuses the same text twice (duplicate content).
    const b = await submit(e.server, { postId: second.postId, text, idempotencyKey: `key-${randomUUID()}` });
    const failed = await untilStatus(String(b.body['replyId']), ['Failed']);
    expect(failed.Failure_Reason__c).to.match(/^X refused the reply: .*duplicate content/);
    expect(repliesTo(second.tweetId)).to.have.length(0);
  });

  it('a rate-limited reply is Queued with when it goes out, then Sent', async () => {
    const { postId, tweetId } = await mention('@socialcrm_demo do you ship to Norway?');
    e.x.exhaustRateLimit('tweets:create', 2);
    const { body } = await submit(e.server, {
      postId,
      text: 'Yes, we ship to Norway.',
      idempotencyKey: `key-${randomUUID()}`,
    });
    const replyId = String(body['replyId']);
    const queued = await untilStatus(replyId, ['Queued']);
    expect(queued.Failure_Reason__c).to.match(
      /X rate limit reached: it goes out automatically at \d\d:\d\d UTC/,
    );
    await untilStatus(replyId, ['Sent']);
    expect(repliesTo(tweetId)).to.have.length(1);
  });

  it('the rules of X are checked before saving: length, and only posts that mention us', async () => {
    const { postId } = await mention('@socialcrm_demo hi');
    const long = await submit(e.server, {
      postId,
      text: 'a'.repeat(281),
      idempotencyKey: `key-${randomUUID()}`,
    });
    expect(long.status).to.equal(400);
    expect(JSON.stringify(long.body)).to.contain('X allows 280 characters in a reply; this one has 281');
    const [other] = await e.conn.sobject('Social_Post__c').create([
      {
        Network__c: 'x',
        Network_Post_Id__c: '1234567890',
        External_Id__c: `x:${Date.now()}`,
        Body__c: 'no mention of the brand here',
        Author_Handle__c: 'someone',
      },
    ]);
    const refused = await submit(e.server, {
      postId: (other as { id: string }).id,
      text: 'Hello!',
      idempotencyKey: `key-${randomUUID()}`,
    });
    expect(refused.status).to.equal(400);
    expect(JSON.stringify(refused.body)).to.contain(
      'X only lets us reply when the author mentioned or quoted @socialcrm_demo',
    );
    const bad = await submit(e.server, { postId, text: 'ok', idempotencyKey: 'short' });
    expect(bad.status).to.equal(400);
  });

  it('shows who answered a post and who else has it open', async () => {
    const { postId } = await mention('@socialcrm_demo can someone call me?');
    const put = (viewerId: string) =>
      fetch(`${e.server.url}/api/posts/${postId}/presence`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ viewerId }),
      });
    expect((await put('viewer-one-123')).status).to.equal(204);
    const activity = (await (
      await fetch(`${e.server.url}/api/posts/${postId}/activity?viewer=viewer-two-456`)
    ).json()) as {
      viewers: { user: string }[];
      answered: unknown;
      rules: { canReply: boolean };
    };
    expect(activity.viewers).to.have.length(1);
    expect(activity.answered).to.equal(null);
    expect(activity.rules.canReply).to.equal(true);
    const { body } = await submit(e.server, {
      postId,
      text: 'Calling you now',
      idempotencyKey: `key-${randomUUID()}`,
    });
    await untilStatus(String(body['replyId']), ['Sent']);
    const after = (await (await fetch(`${e.server.url}/api/posts/${postId}/activity`)).json()) as {
      answered: { at: string } | null;
      viewers: unknown[];
    };
    expect(after.answered?.at).to.be.a('string');
    expect(after.viewers).to.have.length(1);
  });
});

describe('replies that need approval', function () {
  this.timeout(60_000);
  let e: Embedded;
  before(async () => {
    e = await startWithXReplies({ REPLY_APPROVAL_INFLUENCE: '0' });
  });
  after(async () => e?.close());

  it('wait in Pending Approval; approved ones go out, rejected ones keep the note and never do', async () => {
    const sent = () => e.x.sentTweets().length;
    const added = await Promise.all([
      e.x.addMention({ author: 'influencer_a', text: '@socialcrm_demo your tent leaked' }),
      e.x.addMention({ author: 'influencer_b', text: '@socialcrm_demo your stove broke' }),
    ]);
    const ids = await Promise.all(
      added.map(async (m) => {
        const rows = await eventually(
          async () =>
            e.conn.query<{ Id: string }>(
              `SELECT Id FROM Social_Post__c WHERE External_Id__c = 'x:${m.tweet.id}'`,
            ),
          (r) => r.totalSize === 1,
        );
        return rows.records[0]!.Id;
      }),
    );
    const replyIds: string[] = [];
    for (const [n, postId] of ids.entries()) {
      const res = await fetch(`${e.server.url}/api/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          postId,
          text: `We are sorry, reply ${n}`,
          idempotencyKey: `key-${randomUUID()}`,
        }),
      });
      const body = (await res.json()) as { replyId: string; status: string };
      expect(body.status).to.equal('Pending Approval');
      replyIds.push(body.replyId);
    }
    await new Promise((r) => setTimeout(r, 800));
    expect(sent()).to.equal(0);
    const decide = (id: string, approve: boolean, note: string) =>
      fetch(`${e.server.url}/api/replies/${id}/approval`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ approve, note }),
      });
    expect((await decide(replyIds[0]!, true, 'ok')).status).to.equal(200);
    expect((await decide(replyIds[1]!, false, 'Too casual: call them instead')).status).to.equal(200);
    await eventually(
      async () =>
        e.conn.query<{ Status__c: string }>(
          `SELECT Status__c FROM Social_Post__c WHERE Id = '${replyIds[0]}'`,
        ),
      (r) => r.records[0]?.Status__c === 'Sent',
    );
    const rejected = await e.conn.query<{ Status__c: string; Approval_Note__c: string }>(
      `SELECT Status__c, Approval_Note__c FROM Social_Post__c WHERE Id = '${replyIds[1]}'`,
    );
    expect(rejected.records[0]).to.include({
      Status__c: 'Rejected',
      Approval_Note__c: 'Too casual: call them instead',
    });
    expect(sent()).to.equal(1);
    // A decision on a reply no longer pending approval is refused.
    const late = await decide(replyIds[1]!, true, 'changed my mind');
    expect(late.status).to.equal(409);
  });
});

describe('replies written in the org (the Lightning panel) go out on its change event', function () {
  this.timeout(60_000);
  let e: Embedded;
  before(async () => {
    // No poll in this test's lifetime: only the change event can start the send.
    e = await startWithXReplies({ REPLY_POLL_SECONDS: '3600' }, { pollMs: 3_600_000, leaseMs: 5_000 });
  });
  after(async () => e?.close());

  it('sends a Pending reply created with the agent’s own permissions, once', async () => {
    await eventually(
      async () => e.server.replyEvents.subscribed,
      (up) => up,
      { what: 'the change-event subscription' },
    );
    const added = await e.x.addMention({
      author: 'lwc_fan',
      text: '@socialcrm_demo is the store open on Sunday?',
    });
    const [inbound] = await eventually(
      async () =>
        e.conn.query<{ Id: string }>(
          `SELECT Id FROM Social_Post__c WHERE External_Id__c = 'x:${added.tweet.id}'`,
        ),
      (r) => r.totalSize === 1,
    ).then((r) => r.records);
    // Once the first round after start-up has passed, only a change event can wake the dispatcher.
    await new Promise((r) => setTimeout(r, 300));
    const created = await e.conn.sobject('Social_Post__c').create({
      Is_Outbound__c: true,
      Status__c: 'Pending',
      Network__c: 'x',
      Body__c: 'Yes, 10:00 to 16:00 on Sundays.',
      In_Reply_To__c: inbound!.Id,
      Idempotency_Key__c: `lwc-${randomUUID()}`,
    });
    const sent = await eventually(
      async () =>
        e.conn.query<{ Status__c: string; Network_Post_Id__c: string }>(
          `SELECT Status__c, Network_Post_Id__c FROM Social_Post__c WHERE Id = '${created.id}'`,
        ),
      (r) => r.records[0]?.Status__c === 'Sent',
      { timeoutMs: 10_000, what: 'the reply Sent through the change event' },
    );
    const onX = e.x
      .sentTweets()
      .filter((t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === added.tweet.id));
    expect(onX.map((t) => t.id)).to.deep.equal([sent.records[0]!.Network_Post_Id__c]);
  });
});

describe('replies by users in the approval permission set', function () {
  this.timeout(60_000);
  let e: Embedded;
  before(async () => {
    e = await startWithXReplies({ REPLY_APPROVAL_PERMISSION_SET: 'Social_CRM_Trainee' });
  });
  after(async () => e?.close());

  it('wait for approval when written in Salesforce by a trainee, and go out once approved', async () => {
    const trainee = (
      await e.conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${e.org.adminUsername}'`)
    ).records[0]!.Id;
    const permissionSet = await e.conn
      .sobject('PermissionSet')
      .create({ Name: 'Social_CRM_Trainee', Label: 'Social CRM Trainee' });
    const added = await e.x.addMention({ author: 'new_customer', text: '@socialcrm_demo hello?' });
    const [inbound] = await eventually(
      async () =>
        e.conn.query<{ Id: string }>(
          `SELECT Id FROM Social_Post__c WHERE External_Id__c = 'x:${added.tweet.id}'`,
        ),
      (r) => r.totalSize === 1,
    ).then((r) => r.records);
    const reply = (fields: Record<string, unknown>) =>
      e.conn.sobject('Social_Post__c').create({
        Is_Outbound__c: true,
        Status__c: 'Pending',
        Network__c: 'x',
        In_Reply_To__c: inbound!.Id,
        Idempotency_Key__c: `lwc-${randomUUID()}`,
        ...fields,
      });
    // Not (yet) a trainee: the reply goes out.
    const first = await reply({ Body__c: 'Hi! How can we help?' });
    await eventually(
      async () =>
        e.conn.query<{ Status__c: string }>(`SELECT Status__c FROM Social_Post__c WHERE Id = '${first.id}'`),
      (r) => r.records[0]?.Status__c === 'Sent',
    );
    await e.conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: trainee, PermissionSetId: permissionSet.id });
    const second = await reply({ Body__c: 'Following up on your question.' });
    e.server.replies.nudge();
    await eventually(
      async () =>
        e.conn.query<{ Status__c: string }>(`SELECT Status__c FROM Social_Post__c WHERE Id = '${second.id}'`),
      (r) => r.records[0]?.Status__c === 'Pending Approval',
      { what: 'the trainee’s reply waiting for approval' },
    );
    const onX = () =>
      e.x
        .sentTweets()
        .filter((t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === added.tweet.id));
    expect(onX()).to.have.length(1);
    const approved = await fetch(`${e.server.url}/api/replies/${second.id}/approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approve: true, note: 'Fine' }),
    });
    expect(approved.status).to.equal(200);
    await eventually(
      async () =>
        e.conn.query<{ Status__c: string }>(`SELECT Status__c FROM Social_Post__c WHERE Id = '${second.id}'`),
      (r) => r.records[0]?.Status__c === 'Sent',
    );
    expect(onX()).to.have.length(2);
  });
});
