import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SocialTimeline } from '../src/index.ts';
import type { SocialPost } from '../src/types.ts';
import { $, $$, manyPosts, minutesAgo, post, root, until } from './helpers.ts';

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
