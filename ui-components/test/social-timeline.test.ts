import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SocialTimeline } from '../src/index.ts';
import type { SocialPost } from '../src/types.ts';
import { $, $$, frame, manyPosts, minutesAgo, post, root, until } from './helpers.ts';

async function timeline(posts: SocialPost[], extra: Partial<SocialTimeline> = {}): Promise<SocialTimeline> {
  const el = await fixture<SocialTimeline>(html`<social-timeline .posts=${posts}></social-timeline>`);
  Object.assign(el, extra);
  await el.updateComplete;
  if (posts.length) await until(() => $$(el, 'article').length > 0, 'rows');
  return el;
}

const ids = (el: SocialTimeline): string[] => $$(el, 'article').map((a) => a.dataset.postId!);

describe('<social-timeline>', () => {
  it('shows posts newest first, each thread with its replies (ours included) under it', async () => {
    const el = await timeline([
      post({ id: 'old', postedAt: minutesAgo(300) }),
      post({ id: 'root', postedAt: minutesAgo(200), body: 'Is my order late?' }),
      post({
        id: 'ours',
        postedAt: minutesAgo(190),
        inReplyToId: 'root',
        isOutbound: true,
        status: 'Sent',
        authorHandle: 'brand',
      }),
      post({ id: 'again', postedAt: minutesAgo(10), inReplyToId: 'ours' }),
      post({ id: 'new', postedAt: minutesAgo(60) }),
    ]);
    // The thread with the latest activity (10 min ago) comes first, in conversation order.
    expect(ids(el)).to.deep.equal(['root', 'ours', 'again', 'new', 'old']);
    const rows = $$(el, 'article');
    expect(rows[1]!.classList.contains('d1')).to.be.true;
    expect(rows[2]!.classList.contains('d2')).to.be.true;
    expect(rows[1]!.getAttribute('part')).to.contain('outbound');
    expect(rows[0]!.getAttribute('aria-posinset')).to.equal('1');
    expect(rows[0]!.getAttribute('aria-setsize')).to.equal('5');
  });

  it('shows network, author, handle, avatar initials, influence, relative time, sentiment and intent', async () => {
    const el = await timeline([
      post({
        id: 'a',
        network: 'bluesky',
        authorName: 'Ann Lee',
        authorHandle: 'ann.bsky.social',
        authorInfluence: 82.4,
        postedAt: minutesAgo(180),
        sentiment: 'negative',
        intent: 'complaint',
      }),
    ]);
    const row = $(el, 'article')!;
    const text = row.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Ann Lee');
    expect(text).to.contain('@ann.bsky.social');
    expect(text).to.contain('Influence 82');
    expect(text).to.contain('Bluesky');
    expect(text).to.contain('3 hours ago');
    expect(text).to.contain('Negative');
    expect(text).to.contain('Complaint');
    expect(row.querySelector('.avatar')!.textContent).to.equal('AL');
    expect(row.querySelector('time')!.getAttribute('datetime')).to.be.a('string');
    expect(row.getAttribute('aria-label')).to.equal('Ann Lee on Bluesky, 3 hours ago');
  });

  it('links URLs (http/https only) and marks mentions and hashtags, as text', async () => {
    const el = await timeline([
      post({ id: 'a', body: 'Hi @acme see https://acme.com/help and acme.org #fail #1 & #ok' }),
    ]);
    const body = $(el, '.body')!;
    const links = [...body.querySelectorAll('a')];
    expect(links.map((a) => a.href)).to.deep.equal(['https://acme.com/help', 'https://acme.org/']);
    expect(links[0]!.rel).to.contain('noopener');
    expect(links[0]!.target).to.equal('_blank');
    expect([...body.querySelectorAll('.mention')].map((m) => m.textContent)).to.deep.equal(['@acme']);
    expect([...body.querySelectorAll('.hashtag')].map((m) => m.textContent)).to.deep.equal(['#fail', '#ok']);
    expect(body.textContent).to.equal('Hi @acme see acme.com/help and acme.org #fail #1 & #ok');
  });

  it('shows reply status of our posts, with the reason of a failure', async () => {
    const el = await timeline([
      post({ id: 'r', postedAt: minutesAgo(30) }),
      post({
        id: 'f',
        inReplyToId: 'r',
        isOutbound: true,
        status: 'Failed',
        failureReason: 'Rate limited by X',
        postedAt: minutesAgo(20),
      }),
      post({
        id: 'p',
        inReplyToId: 'r',
        isOutbound: true,
        status: 'Pending Approval',
        postedAt: minutesAgo(10),
      }),
    ]);
    const chips = $$(el, '[part~="status"]').map((c) => c.textContent!.trim());
    expect(chips).to.deep.equal(['Failed: Rate limited by X', 'Pending approval']);
    expect($$(el, '[part~="status"]')[0]!.classList.contains('bad')).to.be.true;
  });

  it('labels each number: the influence of the profile, the sentiment of the post with its score', async () => {
    const el = await timeline([
      post({
        id: 'a',
        authorHandle: 'ann_lee',
        authorInfluence: 24.3,
        sentiment: 'negative',
        sentimentScore: -0.954,
      }),
    ]);
    const influence = $$(el, '.chip').find((c) => c.textContent!.includes('Influence'))!;
    expect(influence.textContent!.trim()).to.equal('Influence 24');
    expect(influence.title).to.equal('Influence of @ann_lee on X (this profile), 0 to 100');
    const sentiment = $$(el, '.chip').find((c) => c.textContent!.includes('Negative'))!;
    expect(sentiment.textContent!.trim()).to.equal('Negative \u22120.95');
    expect(sentiment.title).to.equal('Sentiment of this post: \u22120.95 (\u22121 to 1)');
  });

  it('gives one person one avatar colour, whether the handle is stored with its @ or not', async () => {
    const el = await timeline([
      post({ id: 'a', authorHandle: '@ann_lee', postedAt: minutesAgo(2) }),
      post({ id: 'b', authorHandle: 'Ann_Lee', postedAt: minutesAgo(1) }),
    ]);
    const colours = $$(el, '.avatar').map((a) => getComputedStyle(a).backgroundColor);
    expect(colours[0]).to.equal(colours[1]);
  });

  it('counts in English: 1 post, 1 of 2 posts matches', async () => {
    const one = await timeline([post({ id: 'a' })]);
    expect($(one, '.count')!.textContent!.trim()).to.equal('1 post');
    one.remove(); // Rows render only in view: the next list goes where this one was.
    const two = await timeline([post({ id: 'a' }), post({ id: 'b', network: 'bluesky' })], {
      filters: { network: 'x', sentiment: '', intent: '', needsReply: false },
    });
    await until(() => ids(two).length === 1, 'filtered');
    expect($(two, '.count')!.textContent!.trim()).to.equal('1 of 2 posts matches the filters');
  });

  it('links a post to the network, and our reply once it is sent', async () => {
    const el = await timeline([
      post({ id: 'q', url: 'https://x.com/ann_lee/status/1', postedAt: minutesAgo(30) }),
      post({
        id: 'sent',
        inReplyToId: 'q',
        isOutbound: true,
        status: 'Sent',
        url: 'https://x.com/acme/status/2',
        postedAt: minutesAgo(20),
      }),
      post({
        id: 'sending',
        inReplyToId: 'q',
        isOutbound: true,
        status: 'Sending',
        url: 'https://x.com/acme/status/3',
        postedAt: minutesAgo(10),
      }),
      post({ id: 'js', url: 'javascript:alert(1)', postedAt: minutesAgo(40) }),
    ]);
    const links = $$(el, '[part~="permalink"]') as HTMLAnchorElement[];
    expect(
      links.map((a) => [a.closest('article')!.dataset.postId, a.textContent!.trim(), a.href]),
    ).to.deep.equal([
      ['q', 'View on X', 'https://x.com/ann_lee/status/1'],
      ['sent', 'View our reply on X', 'https://x.com/acme/status/2'],
    ]);
    expect(links[0]!.rel).to.contain('noopener');
  });

  describe('an answered post', () => {
    const thread = (replyStatus: 'Sent' | 'Sending'): SocialPost[] => [
      post({ id: 'q', needsReply: true, postedAt: minutesAgo(3 * 24 * 60) }),
      post({
        id: 'r',
        inReplyToId: 'q',
        isOutbound: true,
        status: replyStatus,
        postedAt: minutesAgo(5),
        authorHandle: 'acme',
      }),
      post({ id: 'other', needsReply: true, postedAt: minutesAgo(60) }),
    ];

    it('says Answered once our reply is sent, not "Needs reply · waiting 3 d"', async () => {
      const el = await timeline(thread('Sent'));
      const q = $(el, 'article[data-post-id="q"]')!;
      expect(q.querySelectorAll('[part~="sla"]').length).to.equal(0);
      expect(q.querySelector('[part~="answered"]')!.textContent!.trim()).to.equal('Answered');
      expect($(el, 'article[data-post-id="other"] [part~="sla"]')).to.exist;
    });

    it('still waits while our reply is on its way', async () => {
      const el = await timeline(thread('Sending'));
      expect($(el, 'article[data-post-id="q"] [part~="sla"]')).to.exist;
    });

    it('is answered by its Replied_At__c alone (the reply may be on another page)', async () => {
      const el = await timeline([post({ id: 'q', needsReply: true, repliedAt: minutesAgo(1) })]);
      expect($$(el, '[part~="sla"]').length).to.equal(0);
      expect($(el, '[part~="answered"]')).to.exist;
    });

    it('leaves the Needs-reply filter', async () => {
      const el = await timeline(thread('Sent'), {
        filters: { network: '', sentiment: '', intent: '', needsReply: true },
      });
      await until(() => ids(el).join() === 'other', 'only the unanswered post');
    });
  });

  it('keeps updating when the answered post leaves the Needs-reply view (X filter on, post selected)', async () => {
    const errors: string[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.message);
    const onRejection = (e: PromiseRejectionEvent) => errors.push(String(e.reason));
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
    try {
      const before = [
        post({ id: 'a', needsReply: true, postedAt: minutesAgo(1) }),
        post({ id: 'b', needsReply: true, postedAt: minutesAgo(2) }),
        post({ id: 'c', needsReply: true, postedAt: minutesAgo(3) }),
        post({ id: 'd', postedAt: minutesAgo(4) }),
        post({ id: 'e', network: 'bluesky', needsReply: true, postedAt: minutesAgo(5) }),
      ];
      const el = await timeline(before, {
        filters: { network: 'x', sentiment: '', intent: '', needsReply: true },
      });
      await until(() => ids(el).length === 3, 'three waiting posts');
      $(el, 'article[data-post-id="c"]')!.click();
      await el.updateComplete;
      // As the record page gets them: our reply (sending), then sent, then the host moves on.
      const reply = post({ id: 'r', inReplyToId: 'c', isOutbound: true, postedAt: minutesAgo(0) });
      el.posts = [...before, { ...reply, status: 'Sending' }];
      await el.updateComplete;
      el.posts = [...before, { ...reply, status: 'Sent' }];
      await el.updateComplete;
      el.selectedId = 'a';
      await el.updateComplete;
      await until(() => ids(el).join() === 'a,b', 'the answered post gone from the view');
      for (let i = 0; i < 5; i++) await frame();
      expect($(el, '.count')!.textContent!.trim()).to.equal('2 of 6 posts match the filters');
      expect(errors).to.deep.equal([]);
      // And it goes on updating.
      el.posts = [...el.posts, post({ id: 'f', needsReply: true, postedAt: minutesAgo(0) })];
      await until(() => ids(el).join() === 'f,a,b', 'a new waiting post shown');
      expect(errors).to.deep.equal([]);
    } finally {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onRejection);
    }
  });

  describe('needs-reply SLA timer', () => {
    it('counts the wait and stays amber within the target', async () => {
      const el = await timeline([post({ id: 'a', needsReply: true, postedAt: minutesAgo(42) })], {
        slaMinutes: 60,
      });
      const sla = $(el, '[part~="sla"]')!;
      expect(sla.textContent!.replace(/\s+/g, ' ')).to.contain('waiting 42 min');
      expect(sla.dataset.overdue).to.equal('false');
      expect(sla.classList.contains('warn')).to.be.true;
      expect(getComputedStyle(sla).color).to.equal('rgb(140, 75, 2)');
    });

    it('turns red past the configured target, and says so in words', async () => {
      const el = await timeline([post({ id: 'a', needsReply: true, postedAt: minutesAgo(192) })], {
        slaMinutes: 120,
      });
      const sla = $(el, '[part~="sla"]')!;
      const text = sla.textContent!.replace(/\s+/g, ' ');
      expect(text).to.contain('waiting 3 h 12 min');
      expect(text).to.contain('waiting 3 h 12 min (over the 2 h target)');
      expect(sla.getAttribute('part')).to.equal('sla overdue');
      expect(getComputedStyle(sla).color).to.equal('rgb(186, 5, 23)');
    });

    it('follows the target when the host changes it', async () => {
      const el = await timeline([post({ id: 'a', needsReply: true, postedAt: minutesAgo(90) })], {
        slaMinutes: 120,
      });
      expect($(el, '[part~="sla"]')!.dataset.overdue).to.equal('false');
      el.slaMinutes = 60;
      await el.updateComplete;
      await until(() => $(el, '[part~="sla"]')!.dataset.overdue === 'true', 'overdue');
    });

    it("counts down to the post's own reply-time target when it has one (the inbox's routing set it)", async () => {
      const inMinutes = (m: number): string => new Date(Date.now() + m * 60_000).toISOString();
      const el = await timeline(
        [
          post({ id: 'a', needsReply: true, postedAt: minutesAgo(200), replyDueAt: inMinutes(25) }),
          post({ id: 'b', needsReply: true, postedAt: minutesAgo(5), replyDueAt: inMinutes(-10) }),
        ],
        { slaMinutes: 60 },
      );
      const a = $(el, 'article[data-post-id="a"] [part~="sla"]')!;
      expect(a.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Needs reply · due in 25 min');
      expect(a.dataset.overdue).to.equal('false');
      const b = $(el, 'article[data-post-id="b"] [part~="sla"]')!;
      expect(b.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Needs reply · overdue 10 min');
      expect(b.getAttribute('part')).to.equal('sla overdue');
    });

    it('does not time our own posts', async () => {
      const el = await timeline([post({ id: 'a', needsReply: true, isOutbound: true, status: 'Sent' })]);
      expect($(el, '[part~="sla"]')).to.equal(null);
    });
  });

  describe('filters', () => {
    const posts = [
      post({ id: 'x1', network: 'x', sentiment: 'negative', intent: 'complaint', needsReply: true }),
      post({ id: 'b1', network: 'bluesky', sentiment: 'positive', intent: 'praise' }),
      post({ id: 'm1', network: 'mastodon', sentiment: 'negative', intent: 'question', needsReply: true }),
    ];

    async function choose(el: SocialTimeline, name: string, value: string): Promise<CustomEvent> {
      const select = $(el, `select[name="${name}"]`) as HTMLSelectElement;
      select.value = value;
      const heard = oneEvent(el, 'social-filter-change');
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const e = await heard;
      await el.updateComplete;
      await until(() => true);
      return e;
    }

    it('are labelled form controls', async () => {
      const el = await timeline(posts);
      for (const name of ['network', 'sentiment', 'intent', 'needsReply']) {
        const control = $(el, `[name="${name}"]`)!;
        expect(control.closest('label'), name).to.exist;
      }
    });

    it('filter by network, sentiment, intent and needs reply, and emit the change', async () => {
      const el = await timeline(posts);
      const e = await choose(el, 'network', 'bluesky');
      expect(e.detail).to.deep.equal({ network: 'bluesky', sentiment: '', intent: '', needsReply: false });
      await until(() => ids(el).join() === 'b1', 'network filter');

      await choose(el, 'network', '');
      await choose(el, 'sentiment', 'negative');
      await until(() => ids(el).sort().join() === 'm1,x1', 'sentiment filter');

      await choose(el, 'intent', 'question');
      await until(() => ids(el).join() === 'm1', 'intent filter');

      await choose(el, 'intent', '');
      await choose(el, 'sentiment', '');
      const box = $(el, 'input[name="needsReply"]') as HTMLInputElement;
      box.click();
      await el.updateComplete;
      await until(() => ids(el).sort().join() === 'm1,x1', 'needs-reply filter');
      expect(el.filters.needsReply).to.be.true;
    });

    it('say when nothing matches and offer to clear', async () => {
      const el = await fixture<SocialTimeline>(
        html`<social-timeline
          .posts=${posts}
          .filters=${{ network: 'instagram', sentiment: '', intent: '', needsReply: false }}
        ></social-timeline>`,
      );
      expect($(el, '[part="state"]')!.textContent).to.contain('No posts match these filters');
      const heard = oneEvent(el, 'social-filter-change');
      ($(el, '[part="state"] button') as HTMLButtonElement).click();
      expect((await heard).detail.network).to.equal('');
      await until(() => ids(el).length === 3, 'all posts back');
    });
  });

  describe('states', () => {
    it('loading', async () => {
      const el = await timeline([], { loading: true });
      const s = $(el, '[part="state"]')!;
      expect(s.getAttribute('role')).to.equal('status');
      expect(s.textContent).to.contain('Loading social posts');
    });

    it('empty, telling the user how posts get here', async () => {
      const el = await timeline([]);
      const text = $(el, '[part="state"]')!.textContent!;
      expect(text).to.contain('No social posts for this record yet');
      expect(text).to.contain('Social Handles');
    });

    it('error, with a way to try again', async () => {
      const el = await timeline([], { error: 'The org did not answer.' });
      const s = $(el, '[part="state"]')!;
      expect(s.getAttribute('role')).to.equal('alert');
      expect(s.textContent).to.contain('The org did not answer.');
      expect(s.textContent).to.contain('try again');
      const heard = oneEvent(el, 'social-retry');
      (s.querySelector('button') as HTMLButtonElement).click();
      await heard;
    });
  });

  it('selects a post on click and on Enter, marking it aria-current', async () => {
    const el = await timeline([
      post({ id: 'a', postedAt: minutesAgo(1) }),
      post({ id: 'b', postedAt: minutesAgo(2) }),
    ]);
    let heard = oneEvent(el, 'social-post-select');
    $$(el, 'article')[1]!.click();
    expect((await heard).detail.postId).to.equal('b');
    await el.updateComplete;
    expect($$(el, 'article')[1]!.getAttribute('aria-current')).to.equal('true');
    expect(el.selectedId).to.equal('b');

    $$(el, 'article')[0]!.focus();
    heard = oneEvent(el, 'social-post-select');
    await sendKeys({ press: 'Enter' });
    const e = await heard;
    expect(e.detail.postId).to.equal('a');
    expect(e.detail.post.id).to.equal('a');
  });

  it('is one tab stop; arrows, Home and End move the focus between posts', async () => {
    const el = await timeline(manyPosts(50));
    const focusable = $$(el, 'article').filter((a) => a.tabIndex === 0);
    expect(focusable.length).to.equal(1);
    focusable[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => (root(el).activeElement as HTMLElement | null)?.dataset.index === '1', 'row 1 focused');
    await sendKeys({ press: 'End' });
    await until(
      () => (root(el).activeElement as HTMLElement | null)?.dataset.index === '49',
      'last row focused',
    );
    await sendKeys({ press: 'ArrowUp' });
    await until(
      () => (root(el).activeElement as HTMLElement | null)?.dataset.index === '48',
      'row 48 focused',
    );
    await sendKeys({ press: 'Home' });
    await until(
      () => (root(el).activeElement as HTMLElement | null)?.dataset.index === '0',
      'first row focused',
    );
    expect($$(el, 'article').filter((a) => a.tabIndex === 0).length).to.equal(1);
  });

  it('is virtualized: 10,000 posts keep only a few rows in the DOM, and scrolling shows later ones', async () => {
    const posts = manyPosts(10_000);
    const started = performance.now();
    const el = await timeline(posts);
    const elapsed = performance.now() - started;
    const rows = $$(el, 'article');
    expect(rows.length).to.be.greaterThan(3).and.lessThan(80);
    expect(rows[0]!.dataset.postId).to.equal('p0');
    expect(rows[0]!.getAttribute('aria-setsize')).to.equal('10000');
    expect(elapsed, 'first render ms').to.be.lessThan(3000);

    const feed = $(el, '[part="list"]')!;
    // Let the virtualizer settle its size estimate (it measures the first rows), then scroll like a user.
    let height = -1;
    let stable = 0;
    await until(() => {
      stable = feed.scrollHeight === height ? stable + 1 : 0;
      height = feed.scrollHeight;
      return stable >= 5;
    }, 'a settled layout');
    feed.scrollTop = feed.scrollHeight / 2;
    await until(() => ids(el).some((id) => Number(id.slice(1)) > 4000), 'rows from the middle');
    expect($$(el, 'article').length).to.be.lessThan(80);

    // The keyboard path to the far end: End on a focused post.
    $(el, 'article')!.focus();
    await sendKeys({ press: 'End' });
    await until(
      () => (root(el).activeElement as HTMLElement | null)?.dataset.postId === 'p9999',
      'last post focused',
    );
  });

  it('announces new posts politely, without moving focus', async () => {
    const el = await timeline([post({ id: 'a', postedAt: minutesAgo(10) })]);
    $(el, 'article')!.focus();
    const live = $(el, '[aria-live="polite"]')!;
    expect(live.getAttribute('role')).to.equal('status');
    expect(live.textContent!.trim()).to.equal('');
    el.posts = [
      post({ id: 'b', network: 'mastodon', authorName: 'Bo', postedAt: minutesAgo(0) }),
      ...el.posts,
    ];
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('New post from Bo on Mastodon');
    await until(() => ids(el).length === 2, 'new row');
    expect((root(el).activeElement as HTMLElement).dataset.postId).to.equal('a');

    // An older page is not news.
    el.posts = [...el.posts, post({ id: 'c', postedAt: minutesAgo(500) })];
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('New post from Bo on Mastodon');
  });

  it('asks for older posts with the date of the oldest shown', async () => {
    const el = await timeline(
      [
        post({ id: 'a', postedAt: '2026-01-02T10:00:00.000Z' }),
        post({ id: 'b', postedAt: '2026-01-01T10:00:00.000Z' }),
      ],
      {
        hasMore: true,
      },
    );
    const button = $(el, '[part="load-older"]') as HTMLButtonElement;
    expect(button.textContent!.trim()).to.equal('Load older posts');
    const heard = oneEvent(el, 'social-load-older');
    button.click();
    expect((await heard).detail).to.deep.equal({ before: '2026-01-01T10:00:00.000Z' });
    el.loadingOlder = true;
    await el.updateComplete;
    expect(button.disabled).to.be.true;
    expect(button.textContent!.trim()).to.equal('Loading older posts…');
  });

  it('is accessible (axe) with posts, and in its empty and error states', async () => {
    const el = await timeline(manyPosts(20), { selectedId: 'p1' });
    await expect(el).to.be.accessible();
    await expect(await timeline([])).to.be.accessible();
    await expect(await timeline([], { error: 'Timeout' })).to.be.accessible();
  });
});
