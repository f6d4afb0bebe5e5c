import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SocialRespondBox } from '../src/index.ts';
import type { ReplyDetail } from '../src/events.ts';
import type { Network, SocialPost } from '../src/types.ts';
import { $, $$, minutesAgo, post, root, until } from './helpers.ts';

async function box(p: SocialPost | null, extra: Partial<SocialRespondBox> = {}): Promise<SocialRespondBox> {
  const el = await fixture<SocialRespondBox>(html`<social-respond-box .post=${p}></social-respond-box>`);
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

async function type(el: SocialRespondBox, text: string): Promise<void> {
  const ta = $(el, 'textarea') as HTMLTextAreaElement;
  ta.value = text;
  ta.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await el.updateComplete;
}

const counter = (el: SocialRespondBox): string =>
  $(el, '[part~="counter"]')!.textContent!.replace(/\s+/g, ' ').trim();
const sendButton = (el: SocialRespondBox): HTMLButtonElement => $(el, '[part="send"]') as HTMLButtonElement;

/** Collects `social-reply` events. */
function replies(el: SocialRespondBox): ReplyDetail[] {
  const got: ReplyDetail[] = [];
  el.addEventListener('social-reply', (e) => got.push(e.detail));
  return got;
}

describe('<social-respond-box>', () => {
  it('asks to select a post when none is selected', async () => {
    const el = await box(null);
    expect(root(el).textContent).to.contain('Select a post in the timeline');
  });

  it('prefills a mention of the author, per network', async () => {
    expect((await box(post({ id: 'a', network: 'x', authorHandle: 'ann_lee' }))).text).to.equal('@ann_lee ');
    expect((await box(post({ id: 'a', network: 'bluesky', authorHandle: 'ann.bsky.social' }))).text).to.equal(
      '@ann.bsky.social ',
    );
    expect(
      (await box(post({ id: 'a', network: 'mastodon', authorHandle: '@ann@mastodon.social' }))).text,
    ).to.equal('@ann@mastodon.social ');
    expect((await box(post({ id: 'a', network: 'facebook', authorHandle: 'ann.lee' }))).text).to.equal('');
    const el = await box(post({ id: 'a', authorHandle: 'ann' }));
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('@ann ');
  });

  describe('counter', () => {
    const cases: [Network, string, number, number][] = [
      ['x', 'hello', 5, 280],
      // A URL counts 23 whatever its length; a bare domain is a URL too.
      ['x', 'See https://example.com/a/very/long/path/that/goes/on/and/on?with=query', 4 + 23, 280],
      ['x', 'see example.com', 4 + 23, 280],
      // Any of twitter-text's 1,259 generic TLDs (front-coded in the bundle, build/tld-list.ts), none other.
      ['x', 'see acme.photography', 4 + 23, 280],
      ['x', 'see acme.abbott now', 4 + 23 + 4, 280],
      ['x', 'see acme.닷컴', 4 + 23, 280],
      ['x', 'see acme.zz', 11, 280],
      // Emoji count 2, a ZWJ family is one emoji, CJK counts 2 a character.
      ['x', '👍', 2, 280],
      ['x', '👨‍👩‍👧 ok', 2 + 3, 280],
      ['x', '🇫🇷', 2, 280],
      ['x', '日本語', 6, 280],
      // Bluesky: graphemes.
      ['bluesky', '👨‍👩‍👧', 1, 300],
      ['bluesky', 'e\u0301a', 2, 300],
      ['bluesky', 'See https://example.com/a/very/long/path', 40, 300],
      // Mastodon: URLs 23, remote mentions only as @user.
      [
        'mastodon',
        'hi @ann@mastodon.social https://example.com/a/very/long/path/for/sure',
        3 + 4 + 1 + 23,
        500,
      ],
      ['facebook', 'hello 👍', 7, 8000],
      ['instagram', 'hello', 5, 2200],
    ];
    for (const [network, text, length, limit] of cases) {
      it(`${network}: ${JSON.stringify(text)} counts ${length} of ${limit}`, async () => {
        const el = await box(post({ id: 'a', network }));
        await type(el, text);
        expect(counter(el)).to.equal(`${length}/${limit} characters used`);
      });
    }

    it('X: over 280 weighted is an error that blocks sending', async () => {
      const el = await box(post({ id: 'a', network: 'x' }));
      const sent = replies(el);
      await type(el, '👍'.repeat(141));
      expect(counter(el)).to.equal('2 characters over the X limit of 280');
      expect($(el, '[part~="counter"]')!.getAttribute('part')).to.equal('counter over');
      expect(($(el, 'textarea') as HTMLTextAreaElement).getAttribute('aria-invalid')).to.equal('true');
      expect(sendButton(el).disabled).to.be.true;
      expect(el.send()).to.be.false;
      expect(sent).to.have.length(0);
      await type(el, '👍'.repeat(140));
      expect(sendButton(el).disabled).to.be.false;
    });

    it('announces the limit politely once it is near, not on every keystroke', async () => {
      const el = await box(post({ id: 'a', network: 'x' }));
      const live = $(el, '[role="status"]')!;
      await type(el, 'a'.repeat(100));
      expect(live.textContent).to.equal('');
      await type(el, 'a'.repeat(265));
      expect(live.textContent).to.equal('15 characters left.');
      await type(el, 'a'.repeat(266));
      expect(live.textContent).to.equal('15 characters left.');
      await type(el, 'a'.repeat(281));
      expect(live.textContent).to.equal('Over the character limit.');
    });
  });

  describe('idempotency key', () => {
    it('is one key per compose: a double click sends the same key twice', async () => {
      const el = await box(post({ id: 'p1' }));
      const sent = replies(el);
      await type(el, '@ann_lee Sorry about that!');
      sendButton(el).click();
      sendButton(el).click();
      expect(sent).to.have.length(2);
      expect(sent[0]).to.deep.include({ postId: 'p1', text: '@ann_lee Sorry about that!' });
      expect(sent[0]!.idempotencyKey).to.match(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(sent[1]!.idempotencyKey).to.equal(sent[0]!.idempotencyKey);
    });

    it('is kept for a retry after a failure, renewed when the text changes', async () => {
      const el = await box(post({ id: 'p1' }));
      const sent = replies(el);
      await type(el, '@ann_lee Hello');
      el.send();
      el.status = 'failed';
      el.statusMessage = 'X is rate limiting us.';
      await el.updateComplete;
      const alert = $(el, '[part="status"]')!;
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.textContent).to.contain('X is rate limiting us.');
      expect(el.text).to.equal('@ann_lee Hello');
      el.send();
      await type(el, '@ann_lee Hello again');
      el.send();
      expect(sent.map((s) => s.idempotencyKey)[1]).to.equal(sent[0]!.idempotencyKey);
      expect(sent[2]!.idempotencyKey).to.not.equal(sent[0]!.idempotencyKey);
    });

    it('is renewed after a successful send, which also clears the text', async () => {
      const el = await box(post({ id: 'p1' }));
      const sent = replies(el);
      await type(el, '@ann_lee Done');
      el.send();
      el.status = 'sending';
      await el.updateComplete;
      expect(sendButton(el).disabled).to.be.true;
      expect(sendButton(el).textContent!.trim()).to.equal('Sending…');
      expect(el.send()).to.be.false;
      el.status = 'sent';
      await el.updateComplete;
      expect(el.text).to.equal('');
      expect($(el, '[part="status"]')!.textContent).to.contain('Reply sent');
      await type(el, '@ann_lee Done');
      el.status = 'idle';
      el.send();
      expect(sent).to.have.length(2);
      expect(sent[1]!.idempotencyKey).to.not.equal(sent[0]!.idempotencyKey);
    });

    it('starts a new compose when another post is selected', async () => {
      const el = await box(post({ id: 'p1' }));
      const sent = replies(el);
      await type(el, '@ann_lee one');
      el.send();
      el.post = post({ id: 'p2', authorHandle: 'bo' });
      await el.updateComplete;
      expect(el.text).to.equal('@bo ');
      await type(el, '@ann_lee one');
      el.send();
      expect(sent[1]!.postId).to.equal('p2');
      expect(sent[1]!.idempotencyKey).to.not.equal(sent[0]!.idempotencyKey);
    });
  });

  it('sends with Ctrl+Enter from the text', async () => {
    const el = await box(post({ id: 'p1' }));
    await type(el, '@ann_lee Thanks!');
    ($(el, 'textarea') as HTMLTextAreaElement).focus();
    const heard = oneEvent(el, 'social-reply');
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Control' });
    expect((await heard).detail.text).to.equal('@ann_lee Thanks!');
  });

  it('does not send the bare mention or an empty text', async () => {
    const el = await box(post({ id: 'p1' }));
    expect(sendButton(el).disabled).to.be.true;
    expect(el.send()).to.be.false;
    await type(el, '   ');
    expect(el.send()).to.be.false;
  });

  describe('saved replies', () => {
    const saved = [
      { id: 's1', name: 'Apology', body: 'Hi {first_name}, sorry! Your case is {case_number}.' },
      { id: 's2', name: 'Thanks', body: 'Thank you {first_name}!' },
    ];

    it('insert at the cursor with placeholders filled from the context', async () => {
      const el = await box(post({ id: 'p1' }), {
        savedReplies: saved,
        context: { firstName: 'Ann', caseNumber: '00001026' },
      });
      const select = $(el, 'select') as HTMLSelectElement;
      expect(select.labels![0]!.textContent).to.equal('Saved reply');
      select.value = 's1';
      ($(el, '[part="saved"] button') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(el.text).to.equal('@ann_lee Hi Ann, sorry! Your case is 00001026.');
      expect(sendButton(el).disabled).to.be.false;
    });

    it('leave a placeholder without a value visible and block sending until it is replaced', async () => {
      const el = await box(post({ id: 'p1' }), { savedReplies: saved, context: { firstName: 'Ann' } });
      ($(el, 'select') as HTMLSelectElement).value = 's1';
      ($(el, '[part="saved"] button') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(el.text).to.contain('{case_number}');
      expect(sendButton(el).disabled).to.be.true;
      expect($(el, '#hint')!.textContent).to.contain('Replace {case_number} before sending');
      expect(el.send()).to.be.false;
    });
  });

  it('warns about a network rule and blocks sending when replying is not allowed', async () => {
    const reason = 'X only allows replying when the author mentioned us';
    const el = await box(post({ id: 'p1' }), { rules: { canReply: false, reason } });
    await type(el, '@ann_lee hi');
    const rule = $(el, '[part="rules"]')!;
    expect(rule.textContent).to.contain(reason);
    expect(rule.textContent).to.contain("Can't reply here.");
    expect($(el, 'textarea')!.getAttribute('aria-describedby')).to.contain('rules');
    expect(sendButton(el).disabled).to.be.true;
    expect(el.send()).to.be.false;
  });

  it('shows the collision warning the host gives', async () => {
    const el = await box(post({ id: 'p1' }), { collision: { user: 'Maria Lopez', since: minutesAgo(2) } });
    const warning = $(el, '[part="collision"]')!;
    expect(warning.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Maria Lopez started replying to this post 2 minutes ago',
    );
  });

  it('drops the collision warning once our reply is sent: nothing is left to check', async () => {
    const el = await box(post({ id: 'p1' }), { collision: { user: 'A colleague', since: minutesAgo(2) } });
    el.status = 'sending';
    await el.updateComplete;
    expect($(el, '[part="collision"]')).to.exist;
    el.status = 'sent';
    await el.updateComplete;
    expect($$(el, '[part="collision"]').length).to.equal(0);
  });

  it('links the sent reply on its network (http/https only)', async () => {
    const el = await box(post({ id: 'p1', network: 'bluesky' }), {
      status: 'sent',
      sentUrl: 'https://bsky.app/profile/acme/post/3k',
    });
    const link = $(el, '[part="sent-link"]') as HTMLAnchorElement;
    expect(link.textContent!.trim()).to.equal('View it on Bluesky');
    expect(link.href).to.equal('https://bsky.app/profile/acme/post/3k');
    expect(link.rel).to.contain('noopener');
    el.sentUrl = 'javascript:alert(1)';
    await el.updateComplete;
    expect($$(el, '[part="sent-link"]').length).to.equal(0);
    expect($(el, '[part="status"]')!.textContent).to.contain('Reply sent.');
  });

  it('says 1 character, not 1 characters', async () => {
    const el = await box(post({ id: 'a', network: 'x' }));
    await type(el, 'a'.repeat(281));
    expect(counter(el)).to.equal('1 character over the X limit of 280');
    await type(el, 'a'.repeat(279));
    expect($(el, '[role="status"]')!.textContent).to.equal('1 character left.');
  });

  it('focusText() brings the text into view and focuses it, after the prefilled mention', async () => {
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    document.body.prepend(spacer);
    try {
      const el = await box(post({ id: 'a', authorHandle: 'ann_lee' }));
      expect(el.getBoundingClientRect().top).to.be.greaterThan(innerHeight);
      await el.focusText();
      const ta = $(el, 'textarea') as HTMLTextAreaElement;
      expect(root(el).activeElement === ta, 'the text is focused').to.be.true;
      expect(ta.selectionStart).to.equal('@ann_lee '.length);
      await until(() => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      }, 'the box in view');
    } finally {
      spacer.remove();
    }
  });

  it('is accessible (axe), empty, composing, failed and blocked', async () => {
    await expect(await box(null)).to.be.accessible();
    const el = await box(post({ id: 'p1' }), {
      savedReplies: [{ id: 's', name: 'Thanks', body: 'Thanks!' }],
      collision: { user: 'Maria', since: minutesAgo(1) },
      rules: { canReply: false, reason: 'Not allowed' },
    });
    await type(el, 'x'.repeat(300));
    await expect(el).to.be.accessible();
    el.status = 'failed';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
