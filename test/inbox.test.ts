/**
 * The social inbox as support agents work it: the embedded default in-process (seeded dev org, X
 * stand-in, sync server), the page in headless Chromium. A stranger's mention lands in the queue its
 * routing rule picks, with a due time in business hours; an agent answers it from the inbox and it leaves
 * the list with its first response recorded; a colleague's take of a held post is refused with who holds
 * it; an overdue post is escalated once; bad requests change nothing; ten posts are triaged by keyboard.
 */
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/browser.ts';
import { X_USER_TOKEN, eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface Item {
  postId: string;
  externalId: string;
  ownerId: string;
  ownerName: string;
  status: string;
  priority: string;
  receivedAt: string;
  dueAt: string | null;
  routedBy?: string | null;
  author: { handle: string };
}

describe('social inbox, end to end in a browser', function () {
  this.timeout(180_000);
  let e: Embedded;
  let browser: Browser;
  let page: Page;
  let users: { id: string; name: string }[];
  const userId = (name: string): string => users.find((u) => u.name === name)!.id;
  const problems: string[] = [];

  async function api<T>(
    method: string,
    path: string,
    body?: unknown,
    as?: string,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${e.server.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(as ? { 'x-socialcrm-user': as } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const openItems = async (): Promise<Item[]> =>
    (await api<{ items: Item[] }>('GET', '/api/inbox?limit=500')).body.items;
  const post = async (id: string): Promise<Record<string, unknown>> =>
    (
      await e.conn.query<Record<string, unknown>>(
        `SELECT Id, Inbox_Status__c, OwnerId, Priority__c, Done_Reason__c, Done_By__c, Target_Met__c, First_Response_Minutes__c, Escalated_At__c, Reply_Due__c FROM Social_Post__c WHERE Id = '${id}'`,
      )
    ).records[0]!;

  before(async () => {
    e = await startEmbedded({
      env: { X_USER_ACCESS_TOKEN: X_USER_TOKEN, X_USERNAME: 'socialcrm_demo' },
      replies: { pollMs: 200, leaseMs: 5000 },
      // The sweep runs when a test asks (sweepNow), not on the clock.
      inbox: { sweepIntervalMs: 3_600_000 },
    });
    users = (await api<{ users: { id: string; name: string }[] }>('GET', '/api/inbox/options')).body.users;
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: [...CHROMIUM_ARGS] });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
  });

  after(async () => {
    await browser?.close();
    await e?.close();
  });

  it("routes a stranger's mention to the queue its rule picks, due within the target, and shows it live", async () => {
    await page.goto(`${e.server.url}/inbox`);
    await page.locator('social-inbox [part~="row"]').first().waitFor({ timeout: 15_000 });
    await page.selectOption('#inbox-actor', { label: 'Priya Raman' });
    await page.locator('.live[data-live-state="live"]').waitFor();

    const added = await e.x.addMention({
      author: { username: 'fresh_camper_91', name: 'Robin Vale' },
      text: '@socialcrm_demo I want to buy three Basecamp 4 tents for our club, how do I order?',
    });
    const item = (
      await eventually(openItems, (items) => items.some((i) => i.externalId === `x:${added.tweet.id}`), {
        what: 'the mention in the inbox',
      })
    ).find((i) => i.externalId === `x:${added.tweet.id}`)!;
    expect(item.ownerName).to.equal('Social Sales');
    expect(item.routedBy).to.equal('Sales_Leads');
    expect(item.status).to.equal('needs_reply');
    expect(item.priority).to.equal('High');
    // High: 60 business minutes; the seeded default business hours are open around the clock.
    expect(Date.parse(item.dueAt!) - Date.parse(item.receivedAt)).to.equal(60 * 60_000);

    // Without a reload: the open inbox reads it when the server says it changed. (Due in an hour, it sorts
    // after the seeded overdue posts: the agent finds it by the author's handle.)
    await page.getByPlaceholder('Author, handle or text').fill('fresh_camper_91');
    const row = page.locator(`social-inbox [part~="row"][data-post-id="${item.postId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).to.contain('Social Sales queue');
    expect(await row.locator('[part~="due"]').textContent()).to.match(
      /^Due in (5\d min|1 h( 0 min)?|1 h 1 min)$/,
    );
  });

  it('answers from the inbox: the post leaves the list with its first response and target recorded', async () => {
    const item = (await openItems()).find((i) => i.author.handle === 'fresh_camper_91')!;
    const row = page.locator(`social-inbox [part~="row"][data-post-id="${item.postId}"]`);
    await row.click();
    await page.keyboard.press('r');
    const box = page.locator('social-inbox social-respond-box');
    const textarea = box.locator('textarea');
    await eventually(
      () =>
        textarea.evaluate(
          (t) =>
            (t as unknown as { getRootNode(): { activeElement: unknown } }).getRootNode().activeElement === t,
        ),
      Boolean,
      { timeoutMs: 5_000, what: 'the reply text focused' },
    );
    await textarea.press('End');
    await textarea.pressSequentially(' Thanks Robin! Our sales team will DM you a club quote today.');
    await textarea.press('Control+Enter');
    await box.locator('[part~="status"].ok').waitFor({ timeout: 15_000 });
    await row.waitFor({ state: 'detached', timeout: 10_000 });

    const saved = await post(item.postId);
    expect(saved['Inbox_Status__c']).to.equal('Done');
    expect(saved['Done_Reason__c']).to.equal('Replied');
    expect(saved['Target_Met__c']).to.equal(true);
    expect(saved['First_Response_Minutes__c']).to.be.a('number');
    const metrics = await (await fetch(`${e.server.url}/metrics`)).text();
    expect(metrics).to.match(/socialcrm_first_response_seconds_count\{network="x",target_met="yes"\} [1-9]/);
  });

  it("refuses a second agent's take of a held post, naming who holds it; the holder's page shows it live", async () => {
    await page.getByPlaceholder('Author, handle or text').fill('');
    const target = (await openItems()).find(
      (i) => i.status === 'needs_reply' && i.ownerId.startsWith('00G'),
    )!;
    const priya = userId('Priya Raman');
    const mateo = userId('Mateo Alvarez');
    const taken = await api<{ updated: string[] }>(
      'POST',
      '/api/inbox/assign',
      { postIds: [target.postId], ownerId: 'me' },
      priya,
    );
    expect(taken.status).to.equal(200);
    expect(taken.body.updated).to.deep.equal([target.postId]);
    const row = page.locator(`social-inbox [part~="row"][data-post-id="${target.postId}"]`);
    await eventually(
      async () => (await row.textContent()) ?? '',
      (t) => t.includes('Assigned to you'),
      {
        what: "Priya's page showing the post as hers",
      },
    );

    const refused = await api<{ error: { message: string } }>(
      'POST',
      '/api/inbox/assign',
      { postIds: [target.postId], ownerId: 'me' },
      mateo,
    );
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.contain('Priya Raman');
    expect((await post(target.postId))['OwnerId']).to.equal(priya);
  });

  it("takes the next post of the agent's queues with one click: the soonest due becomes theirs and opens", async () => {
    const mateo = userId('Mateo Alvarez');
    const support = (
      await api<{ queues: { id: string; name: string }[] }>('GET', '/api/inbox/options')
    ).body.queues.find((q) => q.name === 'Social Support')!;
    const waiting = (await openItems()).filter((i) => i.status === 'needs_reply' && i.ownerId === support.id);
    const soonest = waiting.sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0]!;
    await page.locator('#take-next').click();
    const pane = page.locator('social-inbox [part="pane"]');
    await eventually(
      async () => (await pane.textContent()) ?? '',
      (t) => t.includes('Assigned to you'),
      {
        what: 'the taken post open in the pane',
      },
    );
    const saved = await post(soonest.postId);
    expect(saved['OwnerId']).to.equal(userId('Priya Raman'));
    // Mateo's next is another post: Priya holds this one.
    const next = await api<{ item: Item }>('POST', '/api/inbox/take-next', {}, mateo);
    expect(next.status).to.equal(200);
    expect(next.body.item.postId).to.not.equal(soonest.postId);
    expect(next.body.item.ownerId).to.equal(mateo);
    // The admin is in no Social queue with open posts... but in Social VIP: nothing waits there.
    const none = await api<{ error: { message: string } }>(
      'POST',
      '/api/inbox/take-next',
      {},
      userId('Dev Admin'),
    );
    expect(none.status).to.equal(404);
    expect(none.body.error.message).to.contain('Nothing is waiting');
  });

  it('escalates an overdue post once: priority up, a Task for the supervisor', async () => {
    const added = await e.x.addMention({
      author: { username: 'late_tester', name: 'Kim Late' },
      text: '@socialcrm_demo does the Alpine Fleece come in a size small?',
    });
    const target = (
      await eventually(openItems, (items) => items.some((i) => i.externalId === `x:${added.tweet.id}`), {
        what: 'the mention in the inbox',
      })
    ).find((i) => i.externalId === `x:${added.tweet.id}`)!;
    expect(target.priority).to.equal('Normal');
    // Its target passed five minutes ago.
    await e.conn.sobject('Social_Post__c').update({
      Id: target.postId,
      Reply_Due__c: new Date(Date.now() - 5 * 60_000).toISOString(),
    });
    const escalated = await e.server.inbox.sweep.sweepNow();
    expect(escalated).to.include(target.postId);
    const saved = await post(target.postId);
    expect(saved['Priority__c']).to.equal('High');
    expect(saved['Escalated_At__c']).to.be.a('string');
    const tasks = await e.conn.query<{ Subject: string; Description: string; Owner: { Name: string } }>(
      `SELECT Subject, Description, Owner.Name FROM Task WHERE Subject LIKE '%@${target.author.handle} %'`,
    );
    expect(tasks.records).to.have.length(1);
    expect(tasks.records[0]!.Subject).to.contain(`@${target.author.handle}`);
    expect(tasks.records[0]!.Owner.Name).to.equal('Dev Admin');
    expect(tasks.records[0]!.Description).to.contain(target.postId).and.contain('Normal → High');

    expect(await e.server.inbox.sweep.sweepNow()).to.not.include(target.postId);
    const again = await e.conn.query(`SELECT Id FROM Task WHERE Subject LIKE '%@${target.author.handle} %'`);
    expect(again.totalSize).to.equal(1);
    const status = await api<{ inbox: { open: unknown; answeredToday: { withinTarget: number } } }>(
      'GET',
      '/api/status',
    );
    expect(status.body.inbox.answeredToday.withinTarget).to.be.at.least(1);
  });

  it('answers bad requests with a clear 4xx and changes nothing', async () => {
    const priya = userId('Priya Raman');
    const open = (await openItems()).find((i) => i.status === 'needs_reply' && i.ownerId.startsWith('00G'))!;
    const before = await post(open.postId);
    const done = (
      await e.conn.query<{ Id: string }>(
        "SELECT Id FROM Social_Post__c WHERE Inbox_Status__c = 'Done' LIMIT 1",
      )
    ).records[0]!.Id;
    // A queue that does not take social posts (a Case queue).
    const caseQueue = await e.conn
      .sobject('Group')
      .create({ Name: 'Billing', DeveloperName: 'Billing', Type: 'Queue' });
    const cases: [string, unknown, number, RegExp][] = [
      [
        '/api/inbox/assign',
        { postIds: [open.postId], ownerId: '005000000000000AAA' },
        404,
        /No user or queue has the Id/,
      ],
      [
        '/api/inbox/assign',
        { postIds: [open.postId], ownerId: '00G000000000000AAA' },
        404,
        /No queue has the Id/,
      ],
      [
        '/api/inbox/assign',
        { postIds: [open.postId], ownerId: (caseQueue as { id: string }).id },
        409,
        /no longer takes social posts/,
      ],
      ['/api/inbox/assign', { postIds: [done], ownerId: 'me' }, 409, /done|closed/i],
      ['/api/inbox/done', { postIds: [done], reason: 'Spam' }, 409, /done|closed/i],
      ['/api/inbox/done', { postIds: [open.postId], reason: 'Because' }, 400, /reason|expected one of/i],
      ['/api/inbox/assign', { postIds: ['not-an-id'], ownerId: 'me' }, 400, /Salesforce record Id/],
      ['/api/inbox/assign', { postIds: [], ownerId: 'me' }, 400, /postIds/],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await api<{ error: { message: string } }>('POST', path, body, priya);
      expect(res.status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).to.equal(status);
      expect(res.body.error.message).to.match(message);
    }
    const badQuery = await api<{ error: { message: string } }>('GET', '/api/inbox?status=open');
    expect(badQuery.status).to.equal(400);
    expect(await post(open.postId)).to.deep.equal(before);
    const notJson = await fetch(`${e.server.url}/api/inbox/done`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ postIds: [open.postId], reason: 'Spam' }),
    });
    expect(notJson.status).to.be.within(400, 499);
    expect(await post(open.postId)).to.deep.equal(before);
  });

  it('triages ten posts by keyboard alone: e then 1 closes the focused post and moves on', async () => {
    await page.reload();
    await page.locator('social-inbox [part~="row"]').first().waitFor({ timeout: 15_000 });
    const priya = userId('Priya Raman');
    // The posts waiting in the queues (colleagues' posts are theirs to close).
    await page.locator('social-inbox select[name="scope"]').selectOption('unassigned');
    const startCount = (await openItems()).filter((i) => i.ownerId.startsWith('00G')).length;
    expect(startCount).to.be.at.least(11);
    // Focus the list from the search box by keyboard: "/" goes to search, Escape back to the list.
    await page.locator('social-inbox [part~="row"][aria-posinset="1"]').focus();
    const firstTen = await page.locator('social-inbox [part~="row"]').evaluateAll((rows) =>
      rows
        .map((r) => r as unknown as { dataset: { postId: string }; getAttribute(n: string): string | null })
        .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
        .slice(0, 10)
        .map((r) => r.dataset.postId),
    );
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('e');
      await page.locator('social-inbox [part~="menu"]').waitFor();
      await page.keyboard.press('1');
      await page.locator('social-inbox [part~="menu"]').waitFor({ state: 'detached' });
    }
    const closed = await eventually(
      async () =>
        (
          await e.conn.query<{ Id: string }>(
            `SELECT Id FROM Social_Post__c WHERE Done_Reason__c = 'No reply needed' AND Done_By__c = '${priya}'`,
          )
        ).records.map((r) => r.Id),
      (ids) => ids.length >= 10,
      { what: 'ten posts closed' },
    );
    expect([...closed].sort()).to.deep.equal([...firstTen].sort());
    await eventually(
      () => page.locator('social-inbox [part~="row"]').count(),
      (n) => n === startCount - 10,
      { what: 'the closed posts leaving the list' },
    );
    await page.screenshot({ path: '/tmp/inbox-e2e.png' });
    expect(problems).to.deep.equal([]);
  });
});
