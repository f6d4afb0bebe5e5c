import { expect, fixture, html } from '@open-wc/testing';
import type { SocialInbox, SocialPersonaCard, SocialRespondBox, SocialTimeline } from '../src/index.ts';
import type { InboxItem, SocialPersona, SocialPost } from '../src/types.ts';
import { $, $$, post, root, until } from './helpers.ts';

declare global {
  var __pwned: string | undefined;
}

/** Each payload, if it ever ran, records itself in `window.__pwned`. */
const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `"><script>window.__pwned='script'</script>`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `<svg><script>window.__pwned='svg-script'</script></svg>`,
  `javascript:window.__pwned='js-url'`,
  `JaVaScRiPt:window.__pwned='js-url-case'`,
  ` javascript:window.__pwned='js-url-space'`,
  `java\tscript:window.__pwned='js-url-tab'`,
  `data:text/html,<script>window.__pwned='data'</script>`,
  `vbscript:msgbox(1)`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  `<a href="javascript:window.__pwned='a'">click</a>`,
  `https://example.com/"><img src=x onerror="window.__pwned='url-break'">`,
  `https://example.com/?q=<script>window.__pwned='url-q'</script>`,
  `<details open ontoggle="window.__pwned='details'">`,
  `<math><mi xlink:href="javascript:window.__pwned='math'">x</mi></math>`,
  `{{constructor.constructor('window.__pwned="tpl"')()}}`,
  `\${window.__pwned='lit-expr'}`,
  `<style>@import 'javascript:window.__pwned="css"';</style>`,
  `<object data="javascript:window.__pwned='object'"></object>`,
];

const FORBIDDEN =
  'script, iframe, object, embed, img, style, details, math, form form, [onerror], [onload], [ontoggle]';

function assertSafe(el: HTMLElement & { renderRoot: HTMLElement | DocumentFragment }): void {
  const r = el.renderRoot as ShadowRoot;
  for (const a of r.querySelectorAll('[href], [src], [xlink\\:href]')) {
    const url = a.getAttribute('href') ?? a.getAttribute('src') ?? '';
    expect(url, `${a.localName} ${url}`).to.match(/^https?:\/\//i);
    expect(url.toLowerCase()).to.not.contain('javascript:');
  }
  expect(r.querySelectorAll(FORBIDDEN).length, 'injected elements').to.equal(0);
  // Only the sparkline SVGs the card draws itself.
  for (const s of r.querySelectorAll('svg')) expect(s.getAttribute('part')).to.equal('sparkline');
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

describe('untrusted text never runs (XSS corpus)', () => {
  beforeEach(() => {
    window.__pwned = undefined;
  });
  afterEach(() => {
    expect(window.__pwned, 'a payload ran').to.equal(undefined);
  });

  it('control: the payloads do run when inserted as markup, so the checks below mean something', async () => {
    const probe = document.createElement('div');
    document.body.append(probe);
    probe.innerHTML = PAYLOADS[0]!;
    await until(() => window.__pwned === 'img', 'the control payload');
    probe.remove();
    window.__pwned = undefined;
  });

  it('<social-timeline>: post text, author names, handles, failure reasons, URLs', async () => {
    const posts: SocialPost[] = PAYLOADS.map((p, i) =>
      post({
        id: `x${i}`,
        body: `${p} and ${p}`,
        authorName: p,
        authorHandle: p,
        url: p,
        isOutbound: i % 2 === 1,
        status: 'Failed',
        failureReason: p,
        needsReply: true,
        language: p,
      }),
    );
    const el = await fixture<SocialTimeline>(
      html`<social-timeline
        style="--social-timeline-height: 400rem"
        .posts=${posts}
        .error=${PAYLOADS[0]}
      ></social-timeline>`,
    );
    await until(() => $$(el, 'article').length >= 10, 'rows');
    await settle();
    // The payload text is shown as text.
    expect(root(el).textContent).to.contain(`<img src=x onerror="window.__pwned='img'">`);
    assertSafe(el);
  });

  it('<social-respond-box>: the quoted post, saved replies, rule, collision and failure messages', async () => {
    const el = await fixture<SocialRespondBox>(html`<social-respond-box></social-respond-box>`);
    el.post = post({
      id: 'p',
      body: PAYLOADS.join(' '),
      authorName: PAYLOADS[1],
      authorHandle: PAYLOADS[2]!,
    });
    el.savedReplies = PAYLOADS.map((p, i) => ({ id: `s${i}`, name: p, body: p }));
    el.context = { firstName: PAYLOADS[0], caseNumber: PAYLOADS[4] };
    el.rules = { canReply: false, reason: PAYLOADS[3] };
    el.collision = { user: PAYLOADS[0]!, since: PAYLOADS[1]! };
    el.status = 'failed';
    el.statusMessage = PAYLOADS.join(' ');
    await el.updateComplete;
    const select = root(el).querySelector('select')!;
    for (const option of select.options) {
      select.value = option.value;
      (root(el).querySelector('[part="saved"] button') as HTMLButtonElement).click();
      await el.updateComplete;
    }
    await settle();
    expect(el.text).to.contain(PAYLOADS[0]);
    assertSafe(el);
  });

  it('<social-persona-card>: handles, display names, profile URLs, match reasons', async () => {
    const personas: SocialPersona[] = PAYLOADS.map((p, i) => ({
      id: `i${i}`,
      network: 'x',
      handle: p,
      displayName: p,
      profileUrl: p,
      matchReason: p,
    }));
    const el = await fixture<SocialPersonaCard>(
      html`<social-persona-card
        .personas=${personas}
        .suggestions=${personas}
        .heading=${PAYLOADS[0]}
        .influenceTrend=${[1, 2]}
      ></social-persona-card>`,
    );
    await settle();
    // Of all these profile URLs only the two that are real https URLs become links (percent-encoded).
    const hrefs = [...root(el).querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect([...new Set(hrefs)].sort()).to.deep.equal([
      `https://example.com/%22%3E%3Cimg%20src=x%20onerror=%22window.__pwned='url-break'%22%3E`,
      'https://example.com/?q=%3Cscript%3Ewindow.__pwned=%27url-q%27%3C/script%3E',
    ]);
    assertSafe(el);
  });

  it('<social-inbox>: post text, authors, owners, records, suggestions, queues, users, threads, languages', async () => {
    const items: InboxItem[] = PAYLOADS.map((p, i) => ({
      postId: `i${i}`,
      network: 'x',
      externalId: p,
      url: p,
      author: { handle: p, name: p, influence: 10 },
      text: `${p} and ${p}`,
      language: p,
      intent: 'question',
      priority: 'Normal',
      receivedAt: new Date().toISOString(),
      dueAt: i % 2 ? null : new Date(Date.now() + 60_000).toISOString(),
      status: i % 5 === 4 ? 'done' : 'needs_reply',
      doneReason: p,
      ownerId: p,
      ownerName: p,
      ownerIsQueue: i % 2 === 0,
      recordId: i % 3 === 0 ? p : null,
      recordName: p,
      threadId: p,
      suggestions: [{ recordId: p, recordType: 'Contact', name: p, confidence: 50, reason: p }],
    }));
    const el = await fixture<SocialInbox>(
      html`<social-inbox
        .items=${items}
        .queues=${PAYLOADS.map((p, i) => ({ id: `q${i}`, name: p }))}
        .users=${PAYLOADS.map((p, i) => ({ id: `u${i}`, name: p }))}
        .threads=${{ i1: PAYLOADS.map((p, i) => post({ id: `t${i}`, body: p, authorName: p, authorHandle: p, url: p })) }}
        .error=${PAYLOADS[0]}
        heading=${PAYLOADS[1]!}
      ></social-inbox>`,
    );
    await until(() => $$(el, 'article').length >= 3, 'rows');
    // Every row, a screenful at a time (only rows in the window's view are in the DOM).
    const feed = $(el, '[part="list"]')!;
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < items.length; i++) {
      for (const a of $$(el, 'article')) seen.add(a.dataset.postId!);
      assertSafe(el);
      feed.scrollTop += 300;
      await settle();
    }
    expect(seen.size, 'rows checked').to.equal(items.length);
    feed.scrollTop = 0;
    await until(() => !!$(el, 'article[data-post-id="i1"]'), 'row i1');
    $(el, 'article[data-post-id="i1"]')!.click();
    await el.updateComplete;
    ($$(el, '[part="pane"] .actions button')[1] as HTMLButtonElement).click(); // Assign…: queue and user names
    await until(() => $$(el, '[role="menuitem"]').length > PAYLOADS.length, 'assign menu');
    await settle();
    expect(root(el).textContent).to.contain(`<img src=x onerror="window.__pwned='img'">`);
    assertSafe(el);
  });
});
