/**
 * The standalone record page as a newcomer meets it: the embedded default in-process, the page in
 * headless Chromium. A contact's posts render in <social-timeline>; a new X mention by that contact
 * appears without a reload; untrusted text stays text; the CSP holds; every score says what it is and
 * shows one number; replying from the agent's usual view (Needs reply, one network) shows its state,
 * links the sent reply and marks the post answered; the list of records follows new mentions live.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/browser.ts';
import { X_USER_TOKEN, eventually, startEmbedded, type Embedded } from './support/embedded.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../ui-components/dist/social-components.js', import.meta.url));
const SCREENSHOT = '/tmp/record-page.png';
const XSS_BODY = `<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2</script> is this text?`;

/** Text as a person reads it: whitespace runs as one space. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** An element's box, as the page measures it (this project's Node types have no DOM lib). */
type Measured = { getBoundingClientRect(): { left: number; right: number; top: number; bottom: number } };

/** Whether the element is wholly inside the page's viewport. */
function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = (el as unknown as Measured).getBoundingClientRect();
    const view = globalThis as unknown as { innerHeight: number };
    return r.top >= 0 && r.bottom <= view.innerHeight;
  });
}

function buildComponents(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '-w', 'ui-components'], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build -w ui-components exited ${code}`)),
    );
  });
}

describe('standalone record page in a browser', function () {
  this.timeout(180_000);
  let e: Embedded;
  let browser: Browser;
  let page: Page;
  let annId: string;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    if (!existsSync(BUNDLE)) await buildComponents();
    e = await startEmbedded({
      env: { X_USER_ACCESS_TOKEN: X_USER_TOKEN, X_USERNAME: 'socialcrm_demo' },
      replies: { pollMs: 200, leaseMs: 5000 },
    });
    const ann = await e.conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE Name = 'Ann Lee'");
    annId = ann.records[0]!.Id;
    // The profile was rescored since the contact's roll-up was written (Social_Influence__c lags it):
    // the page shows the profile's number everywhere, the definition of the person's influence.
    const profiles = await e.conn.query<{ Id: string }>(
      `SELECT Id FROM Social_Persona__c WHERE Contact__c = '${annId}'`,
    );
    for (const { Id } of profiles.records)
      await e.conn.sobject('Social_Persona__c').update({ Id, Influence_Score__c: 24 });
    await e.conn.sobject('Social_Persona__c').create({
      Name: 'x:e2e-suggested',
      External_Id__c: 'x:e2e-suggested',
      Network__c: 'x',
      Handle__c: '@ann_lee_outdoors',
      Display_Name__c: 'Ann Lee',
      Followers__c: 0,
      Suggested_Contact__c: annId,
      Match_Confidence__c: 71,
      Match_Reason__c: 'Same name',
    });
    await e.conn.sobject('Social_Post__c').create({
      External_Id__c: 'x:e2e-xss',
      Network__c: 'x',
      Body__c: XSS_BODY,
      Posted_At__c: new Date(Date.now() - 60_000).toISOString(),
      Author_Handle__c: '@ann_lee',
      Contact__c: annId,
    });
    browser = await chromium.launch({
      executablePath: await chromiumExecutable(),
      args: [...CHROMIUM_ARGS],
    });
    // A context of its own, so the agent can open a second window of the same browser.
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1100 } })).newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  after(async () => {
    await browser?.close();
    await e?.close();
  });

  it("renders the contact's posts in <social-timeline>, with the record's header and details", async () => {
    await page.goto(`${e.server.url}/records/${annId}`);
    expect(await page.locator('h1#record-title').textContent()).to.equal('Ann Lee');
    const timeline = page.locator('social-timeline');
    // Playwright's CSS locators pierce open shadow roots.
    await timeline
      .getByText('Still no answer on order #48213', { exact: false })
      .waitFor({ timeout: 10_000 });
    await timeline.getByText('just showed up with the box crushed', { exact: false }).waitFor();
    expect(await timeline.locator('[part~="post"]').count()).to.equal(4);
    await page.locator('social-persona-card').getByText('@ann_lee').first().waitFor();
    expect(await page.locator('.details').textContent()).to.contain('Northwind Outfitters');
    await page.locator('.live[data-live-state="live"]').waitFor();
  });

  it('renders an XSS payload in a post as text: no dialog, no script run', async () => {
    const timeline = page.locator('social-timeline');
    await timeline.getByText('is this text?', { exact: false }).waitFor();
    const shown = await timeline.locator('[part~="post"]', { hasText: 'is this text?' }).textContent();
    expect(shown).to.contain('<img src=x onerror=');
    expect(shown).to.contain('<script>window.__pwned=2</script>');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).to.equal(undefined);
    expect(dialogs).to.deep.equal([]);
  });

  it('shows one number per score, saying what it is: influence of each profile and their highest', async () => {
    const card = page.locator('social-persona-card');
    const influence = card.locator('[part="score"]').nth(0);
    expect(await text(influence)).to.equal('Influence 24 highest of their profiles');
    const details = page.locator('.details [data-live-field="influence"]');
    expect(await text(details)).to.equal('Social influence (highest of their profiles) 24 / 100');
    const chips = await page
      .locator('social-timeline [part~="post"] .chip', { hasText: 'Influence' })
      .allTextContents();
    expect(chips.length).to.be.greaterThan(0);
    expect(new Set(chips.map((c) => c.trim()))).to.deep.equal(new Set(['Influence 24']));
    expect(
      await page.locator('social-timeline .chip', { hasText: 'Influence' }).first().getAttribute('title'),
    ).to.equal('Influence of @ann_lee on X (this profile), 0 to 100');
  });

  it('shows the average sentiment in Details and on the card, and each post its own', async () => {
    const details = await text(page.locator('.details [data-live-field="sentiment"] dd'));
    expect(details).to.match(/^(Positive|Neutral|Negative) (\+|\u2212)?\d\.\d\d$/);
    const card = page.locator('social-persona-card [part="score"]').nth(2);
    expect(await text(card)).to.equal(`Average sentiment ${details} recent posts weigh most`);
    const post = page.locator('social-timeline [part~="post"] .chip', { hasText: /^\s*Negative/ }).first();
    expect(await post.getAttribute('title')).to.match(
      /^Sentiment of this post: \u2212\d\.\d\d \(\u22121 to 1\)$/,
    );
  });

  it('keeps a space between a profile name and its followers, in the built bundle too', async () => {
    const suggestion = page.locator('social-persona-card [part="suggestion"]', {
      hasText: '@ann_lee_outdoors',
    });
    const name = suggestion.locator('.name');
    const followers = suggestion.locator('.followers');
    expect(await text(followers)).to.equal('0 followers');
    const gap = await name.evaluate(
      (n, f) =>
        (f as unknown as Measured).getBoundingClientRect().left -
        (n as unknown as Measured).getBoundingClientRect().right,
      await followers.elementHandle(),
    );
    expect(gap).to.be.greaterThan(2);
  });

  let liveMarker = '';
  let liveTweetId = '';

  it("shows a new X mention by the contact's handle live, without a reload", async () => {
    const marker = `Live from the trail ${Date.now()}`;
    liveMarker = marker;
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const sent = Date.now();
    const added = await e.x.addMention({
      author: 'ann_lee',
      text: `${marker} — is the Alpine Fleece back in stock?`,
    });
    liveTweetId = added.tweet.id;
    await page.locator('social-timeline').getByText(marker, { exact: false }).waitFor({ timeout: 5_000 });
    const tookMs = Date.now() - sent;
    expect(tookMs).to.be.below(5_000);
    expect(navigations).to.deep.equal([]);
    expect(await page.locator('social-timeline [part~="post"]').count()).to.equal(5);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('answers the selected post from the respond box and shows sending → sent live', async () => {
    // The agent's usual view: posts waiting for a reply, on one network.
    const timeline = page.locator('social-timeline');
    await timeline.locator('select[name="network"]').selectOption('x');
    await timeline.locator('input[name="needsReply"]').check();
    const waiting = async () => Number(/^(\d+) of/.exec(await text(timeline.locator('.count')))?.[1]);
    await eventually(waiting, (n) => n > 0, { timeoutMs: 5_000, what: 'posts waiting for a reply' });
    const waitingBefore = await waiting();
    // Selected in a short window, the post puts the respond box out of view: selecting brings it in.
    await page.setViewportSize({ width: 1440, height: 700 });
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await page.locator('social-timeline [part~="post"]', { hasText: liveMarker }).click();
    const box = page.locator('social-respond-box');
    const textarea = box.locator('textarea');
    await eventually(
      () =>
        textarea.evaluate(
          (t) =>
            (t as unknown as { getRootNode(): { activeElement: unknown } }).getRootNode().activeElement === t,
        ),
      (focused) => focused,
      { timeoutMs: 5_000, what: 'the reply text focused' },
    );
    await eventually(
      () => inView(box),
      (shown) => shown,
      { timeoutMs: 5_000, what: 'the respond box in view' },
    );
    await page.setViewportSize({ width: 1440, height: 1100 });
    await eventually(
      () => textarea.inputValue(),
      (v) => v.startsWith('@ann_lee'),
      { timeoutMs: 5_000, what: 'the respond box prefilled with @ann_lee' },
    );
    await textarea.fill('@ann_lee Yes! The Alpine Fleece is back in stock in every size.');
    // Every status the box renders, recorded in the page as it renders it (a poll from here could miss
    // a short 'sending').
    await box.evaluate((el) => {
      // Runs in the page (this project's Node types have no DOM lib: the page's globals are typed here).
      const page = globalThis as unknown as {
        replyStates: string[];
        MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
      };
      const box = el as unknown as { status: string; shadowRoot: unknown };
      const seen: string[] = [];
      page.replyStates = seen;
      const record = () => {
        if (seen.at(-1) !== box.status) seen.push(box.status);
      };
      new page.MutationObserver(record).observe(box.shadowRoot, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
      record();
    });
    await box.locator('[part~="send"]').click();
    await box.locator('[part~="status"].ok').waitFor({ timeout: 10_000 });
    expect(await box.locator('[part="collision"]').count()).to.equal(0);
    const states = await page.evaluate(
      () => (globalThis as unknown as { replyStates: string[] }).replyStates,
    );
    expect(states).to.include('sending');
    expect(states.indexOf('sending')).to.be.below(states.indexOf('sent'));
    const onX = e.x
      .sentTweets()
      .filter((t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === liveTweetId));
    expect(onX).to.have.length(1);
    expect(onX[0]!.text).to.equal('@ann_lee Yes! The Alpine Fleece is back in stock in every size.');
    // The answered post leaves the agent's view, and the view goes on updating.
    await eventually(waiting, (n) => n === waitingBefore - 1, {
      timeoutMs: 10_000,
      what: 'one post fewer waiting',
    });
    expect(await timeline.locator('[part~="post"]').count()).to.equal(waitingBefore - 1);
    // Where the reply went, on X: in the respond box, and on the reply in the conversation.
    const sentLink = box.locator('[part="sent-link"]');
    await sentLink.waitFor({ timeout: 10_000 });
    expect(await text(sentLink)).to.equal('View it on X');
    expect(await sentLink.getAttribute('href')).to.contain(`/status/${onX[0]!.id}`);
    await timeline.locator('input[name="needsReply"]').uncheck();
    await timeline.locator('select[name="network"]').selectOption('');
    // The reply itself joins the conversation, marked Sent, under the post it answers, now Answered.
    const reply = timeline.locator('[part~="post"]', {
      hasText: 'The Alpine Fleece is back in stock in every size',
    });
    await reply.waitFor({ timeout: 5_000 });
    expect(await reply.locator('[part~="permalink"]').getAttribute('href')).to.contain(
      `/status/${onX[0]!.id}`,
    );
    const answered = timeline.locator('[part~="post"]', { hasText: liveMarker }).first();
    await answered.locator('[part~="answered"]').waitFor({ timeout: 5_000 });
    expect(await answered.locator('[part~="sla"]').count()).to.equal(0);
    await page.screenshot({ path: '/tmp/record-page-replied.png', fullPage: true });
  });

  it("warns about a colleague's window on the same post, never about the agent's own closed one", async () => {
    const postId = await page
      .locator('social-timeline [part~="post"]', { hasText: liveMarker })
      .first()
      .getAttribute('data-post-id');
    const viewers = async (): Promise<number> => {
      const res = await fetch(`${e.server.url}/api/posts/${postId}/activity?viewer=e2e-test-probe`);
      return ((await res.json()) as { viewers: unknown[] }).viewers.length;
    };
    /** Opens the record in `p`, selects the post and waits for the page's collision check. */
    const openPost = async (p: Page): Promise<void> => {
      await p.goto(`${e.server.url}/records/${annId}`);
      const checked = p.waitForResponse((r) => r.url().includes(`/api/posts/${postId}/activity`));
      await p.locator(`social-timeline [part~="post"][data-post-id="${postId}"]`).click();
      await checked;
      await p
        .locator('social-respond-box')
        .evaluate((el) => (el as unknown as { updateComplete: Promise<boolean> }).updateComplete);
    };
    // This window leaves the post first (its goodbye on pagehide), so the server lists nobody.
    await page.goto(`${e.server.url}/`);
    await eventually(viewers, (n) => n === 0, { timeoutMs: 10_000, what: 'nobody on the post' });
    // The agent's other window on the post, gone without a goodbye: its tab crashed (no pagehide).
    const own = await page.context().newPage();
    await openPost(own);
    expect(await viewers()).to.equal(1);
    const crashed = own.waitForEvent('crash', { timeout: 20_000 });
    const cdp = await page.context().newCDPSession(own);
    void cdp.send('Page.crash').catch(() => undefined); // answers never: the tab is gone
    await crashed;
    await own.close();
    expect(await viewers(), 'the crashed window is still listed').to.equal(1);
    await openPost(page);
    expect(await viewers()).to.equal(2);
    expect(await page.locator('social-respond-box [part="collision"]').count()).to.equal(0);
    // A colleague: another browser.
    const colleagueContext = await browser.newContext();
    try {
      const colleague = await colleagueContext.newPage();
      await openPost(colleague);
      const warning = colleague.locator('social-respond-box [part="collision"]');
      expect(await text(warning)).to.contain('started replying to this post');
    } finally {
      await colleagueContext.close();
    }
  });

  it('keeps the CSP: no violations, no page errors', () => {
    expect(cspViolations).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
  });

  it('lists the contact on / with a link to its page, and follows new mentions live', async () => {
    await page.goto(`${e.server.url}/`);
    await page.locator('.live[data-live-state="live"]').waitFor();
    const row = page.locator(`tr[data-record-id="${annId}"]`);
    const posts = async () => Number(await text(row.locator('td.num')));
    const before = await posts();
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await e.x.addMention({
      author: 'ann_lee',
      text: `Back on the trail ${Date.now()}, thanks @socialcrm_demo!`,
    });
    await eventually(posts, (n) => n === before + 1, { timeoutMs: 10_000, what: 'the new post counted' });
    expect(navigations).to.deep.equal([]);
    // Most recently active first: the contact (with its account and case, as active) comes to the top.
    const top = await page.locator('tbody tr').first().locator('time').getAttribute('datetime');
    expect(await row.locator('time').getAttribute('datetime')).to.equal(top);
    const link = page.locator(`a[href="/records/${annId}"]`);
    expect(await link.textContent()).to.equal('Ann Lee');
    await link.click();
    await page.waitForURL(`**/records/${annId}`);
  });
});
