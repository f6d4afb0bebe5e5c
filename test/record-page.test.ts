/**
 * The standalone record page as a newcomer meets it: the embedded default in-process, the page in
 * headless Chromium. A contact's posts render in <social-timeline>; a new X mention by that contact
 * appears without a reload; untrusted text stays text; the CSP holds; replying shows its state.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/browser.ts';
import { X_USER_TOKEN, eventually, startEmbedded, type Embedded } from './support/embedded.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../ui-components/dist/social-components.js', import.meta.url));
const SCREENSHOT = '/tmp/record-page.png';
const XSS_BODY = `<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2</script> is this text?`;

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
    page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
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
    await page.locator('social-timeline [part~="post"]', { hasText: liveMarker }).click();
    const box = page.locator('social-respond-box');
    const textarea = box.locator('textarea');
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
    // The reply itself joins the conversation, marked Sent.
    await page
      .locator('social-timeline')
      .getByText('The Alpine Fleece is back in stock in every size', { exact: false })
      .waitFor({ timeout: 5_000 });
    await page.screenshot({ path: '/tmp/record-page-replied.png', fullPage: true });
  });

  it('keeps the CSP: no violations, no page errors', () => {
    expect(cspViolations).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
  });

  it('lists the contact on / with a link to its page', async () => {
    await page.goto(`${e.server.url}/`);
    const link = page.locator(`a[href="/records/${annId}"]`);
    expect(await link.textContent()).to.equal('Ann Lee');
    await link.click();
    await page.waitForURL(`**/records/${annId}`);
  });
});
