import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SocialInbox, SocialRespondBox } from '../src/index.ts';
import type {
  InboxAssignDetail,
  InboxDoneDetail,
  InboxFilterChangeDetail,
  ReplyDetail,
} from '../src/events.ts';
import type { InboxItem, SocialPost } from '../src/types.ts';
import { $, $$, frame, minutesAgo, post, root, until } from './helpers.ts';

const ME = '005ME';
const QUEUES = [
  { id: '00GSUP', name: 'Social Support' },
  { id: '00GSAL', name: 'Social Sales' },
  { id: '00GVIP', name: 'Social VIP', member: false },
];
const USERS = [
  { id: ME, name: 'Agent Me' },
  { id: '005MAR', name: 'Maria Lopez' },
];

const minutesFromNow = (m: number): string => new Date(Date.now() + m * 60_000).toISOString();

function item(over: Partial<InboxItem> & { postId: string }): InboxItem {
  return {
    network: 'x',
    externalId: `x:${over.postId}`,
    author: { handle: 'ann_lee', name: 'Ann Lee', influence: 40 },
    text: `Text of ${over.postId}`,
    priority: 'Normal',
    receivedAt: minutesAgo(10),
    dueAt: minutesFromNow(120),
    status: 'needs_reply',
    ownerId: '00GSUP',
    ownerName: 'Social Support',
    ownerIsQueue: true,
    recordId: null,
    threadId: over.postId,
    ...over,
  };
}

/** `n` items due one minute apart (`i0` first), each by another author. */
function many(n: number): InboxItem[] {
  const networks = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'] as const;
  return Array.from({ length: n }, (_, i) =>
    item({
      postId: `i${i}`,
      network: networks[i % 5]!,
      author: { handle: `user${i}`, name: `User ${i}`, influence: i % 100 },
      dueAt: minutesFromNow(10 + i),
      receivedAt: minutesAgo(60 - (i % 50)),
    }),
  );
}

async function inbox(items: InboxItem[], extra: Partial<SocialInbox> = {}): Promise<SocialInbox> {
  const el = await fixture<SocialInbox>(
    html`<social-inbox
      .items=${items}
      .queues=${QUEUES}
      .users=${USERS}
      current-user-id=${ME}
    ></social-inbox>`,
  );
  Object.assign(el, extra);
  await el.updateComplete;
  if (items.length && !extra.error) await until(() => $$(el, 'article').length > 0, 'rows');
  return el;
}

const ids = (el: SocialInbox): string[] => $$(el, 'article').map((a) => a.dataset.postId!);
const rowOf = (el: SocialInbox, id: string): HTMLElement => $(el, `article[data-post-id="${id}"]`)!;
const text = (n: Element | null): string => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (el: SocialInbox): HTMLElement | null => root(el).activeElement as HTMLElement | null;
const focusedId = (el: SocialInbox): string | undefined => focused(el)?.dataset.postId;
const live = (el: SocialInbox): string => text($(el, '[aria-live="polite"]'));

/** Every event of `type` the inbox fires. */
function heard<T>(el: SocialInbox, type: string): T[] {
  const got: T[] = [];
  el.addEventListener(type, (e) => got.push((e as CustomEvent<T>).detail));
  return got;
}

describe('<social-inbox>', () => {
  describe('rows', () => {
    it('show author, handle, network, influence, sentiment, intent, language, age, priority, due time, owner and record', async () => {
      const el = await inbox([
        item({
          postId: 'a',
          network: 'bluesky',
          author: { handle: 'ann.bsky.social', name: 'Ann Lee', influence: 82.4 },
          text: 'Mi pedido no ha llegado',
          sentiment: 'negative',
          intent: 'complaint',
          language: 'es',
          priority: 'Urgent',
          receivedAt: minutesAgo(180),
          dueAt: minutesFromNow(25),
          recordId: '003A',
          recordType: 'Contact',
          recordName: 'Ann Lee (Acme)',
          escalated: true,
        }),
      ]);
      const row = rowOf(el, 'a');
      const t = text(row);
      for (const s of [
        'Ann Lee',
        '@ann.bsky.social',
        'Bluesky',
        'Influence 82',
        'Negative',
        'Complaint',
        'ES',
        '3 hours ago',
        'Urgent',
        'Due in 25 min',
        'Escalated',
        'Social Support queue',
        'Contact: Ann Lee (Acme)',
        'Mi pedido no ha llegado',
      ])
        expect(t, s).to.contain(s);
      expect(row.querySelector('.lang')!.getAttribute('title')).to.equal('Language: Spanish');
      expect(row.querySelector('.text')!.getAttribute('lang')).to.equal('es');
      expect(row.querySelector('time')!.getAttribute('datetime')).to.equal(el.items[0]!.receivedAt);
      expect(text(row.querySelector('[part~="priority"]'))).to.equal('Urgent');
      expect(row.getAttribute('aria-label')).to.equal('Ann Lee on Bluesky, due in 25 min, Urgent priority');
      expect(row.getAttribute('aria-posinset')).to.equal('1');
      expect(row.getAttribute('aria-setsize')).to.equal('1');
      // A linked record offers no create or link actions.
      expect(
        row.querySelectorAll('[data-act="lead"], [data-act="contact"], [data-act="link"]').length,
      ).to.equal(0);
    });

    it('name the owner: a queue, you, or a colleague', async () => {
      const el = await inbox([
        item({ postId: 'q', dueAt: minutesFromNow(1) }),
        item({
          postId: 'me',
          ownerId: ME,
          ownerName: 'Agent Me',
          ownerIsQueue: false,
          dueAt: minutesFromNow(2),
        }),
        item({
          postId: 'mar',
          ownerId: '005MAR',
          ownerName: 'Maria Lopez',
          ownerIsQueue: false,
          dueAt: minutesFromNow(3),
        }),
      ]);
      expect(['q', 'me', 'mar'].map((id) => text(rowOf(el, id).querySelector('.owner')))).to.deep.equal([
        'Social Support queue',
        'Assigned to you',
        'Assigned to Maria Lopez',
      ]);
    });

    it('shows the handle alone when the author has no name, and no influence when unknown', async () => {
      const el = await inbox([
        item({ postId: 'a', author: { handle: 'anon42', name: null, influence: null } }),
      ]);
      const row = rowOf(el, 'a');
      expect(text(row.querySelector('.name'))).to.equal('@anon42');
      expect(text(row)).to.not.contain('Influence');
    });
  });

  describe('due time', () => {
    it('counts down in amber when close, plain when far, and red once overdue', async () => {
      const el = await inbox([
        item({ postId: 'late', dueAt: minutesAgo(10.2) }),
        item({ postId: 'soon', dueAt: minutesFromNow(24.5) }),
        item({ postId: 'far', dueAt: minutesFromNow(192) }),
        item({ postId: 'none', dueAt: null }),
      ]);
      const due = (id: string) => rowOf(el, id).querySelector<HTMLElement>('[part~="due"]')!;
      expect(text(due('late'))).to.equal('Overdue 10 min');
      expect(due('late').getAttribute('part')).to.equal('due overdue');
      expect(getComputedStyle(due('late')).color).to.equal('rgb(186, 5, 23)');
      expect(rowOf(el, 'late').getAttribute('part')).to.contain('overdue');
      expect(text(due('soon'))).to.equal('Due in 25 min');
      expect(due('soon').dataset.overdue).to.equal('false');
      expect(getComputedStyle(due('soon')).color).to.equal('rgb(140, 75, 2)');
      expect(text(due('far'))).to.equal('Due in 3 h 12 min');
      expect(getComputedStyle(due('far')).color).to.equal('rgb(24, 24, 24)');
      expect(text(due('none'))).to.equal('No target');
    });

    it('is a live clock: the countdown moves on and turns red without new data', async () => {
      const realSetInterval = window.setInterval;
      const ticks: (() => void)[] = [];
      window.setInterval = ((fn: () => void, ms?: number) => {
        ticks.push(fn);
        return realSetInterval(fn, ms);
      }) as typeof window.setInterval;
      let el: SocialInbox;
      try {
        el = await inbox([item({ postId: 'a', dueAt: minutesFromNow(2) })]);
      } finally {
        window.setInterval = realSetInterval;
      }
      const due = () => text($(el, '[part~="due"]'));
      expect(due()).to.equal('Due in 2 min');
      expect(ticks.length, 'the clock runs on an interval').to.be.greaterThan(0);
      const realNow = Date.now;
      Date.now = () => realNow() + 5 * 60_000;
      try {
        for (const t of ticks) t();
        await el.updateComplete;
        await until(() => due() === 'Overdue 3 min', 'overdue after the tick');
        expect($(el, '[part~="due"]')!.getAttribute('part')).to.equal('due overdue');
      } finally {
        Date.now = realNow;
      }
    });
  });

  describe('order', () => {
    const items = [
      item({ postId: 'nodue-old', dueAt: null, receivedAt: minutesAgo(300), priority: 'Urgent' }),
      item({ postId: 'due30', dueAt: minutesFromNow(30), receivedAt: minutesAgo(5), priority: 'Low' }),
      item({ postId: 'overdue', dueAt: minutesAgo(5), receivedAt: minutesAgo(100), priority: 'High' }),
      item({
        postId: 'due30-older',
        dueAt: minutesFromNow(30),
        receivedAt: minutesAgo(50),
        priority: 'High',
      }),
      item({ postId: 'nodue-new', dueAt: null, receivedAt: minutesAgo(1), priority: 'Normal' }),
    ];
    // Same due time for two: the older one first (ISO strings equal to the millisecond).
    items[3]!.dueAt = items[1]!.dueAt;

    it('is by due time by default: overdue first, equal due times oldest first, no target last', async () => {
      const el = await inbox(items);
      expect(ids(el)).to.deep.equal(['overdue', 'due30-older', 'due30', 'nodue-old', 'nodue-new']);
    });

    it('can be newest first, or by priority then due time', async () => {
      const el = await inbox(items, { filters: { ...el0(), sort: 'newest' } });
      await until(() => ids(el)[0] === 'nodue-new', 'newest first');
      expect(ids(el)).to.deep.equal(['nodue-new', 'due30', 'due30-older', 'overdue', 'nodue-old']);
      const changes = heard<InboxFilterChangeDetail>(el, 'social-inbox-filter-change');
      await choose(el, 'sort', 'priority');
      await until(() => ids(el)[0] === 'nodue-old', 'priority order');
      expect(ids(el)).to.deep.equal(['nodue-old', 'overdue', 'due30-older', 'nodue-new', 'due30']);
      expect(changes.at(-1)!.sort).to.equal('priority');
    });
  });

  describe('filters and search', () => {
    const items = [
      item({ postId: 'x-es', network: 'x', language: 'es', intent: 'complaint', dueAt: minutesFromNow(1) }),
      item({
        postId: 'bs-en',
        network: 'bluesky',
        language: 'en',
        intent: 'question',
        ownerId: '00GSAL',
        ownerName: 'Social Sales',
        dueAt: minutesFromNow(2),
      }),
      item({
        postId: 'mine',
        network: 'x',
        language: 'en',
        intent: 'purchase_intent',
        ownerId: ME,
        ownerName: 'Agent Me',
        ownerIsQueue: false,
        dueAt: minutesFromNow(3),
        author: { handle: 'zed_buyer', name: 'Zed Quinn' },
        text: 'Where can I buy the RED kettle?',
      }),
      item({
        postId: 'maria',
        network: 'mastodon',
        language: 'fr',
        intent: 'praise',
        ownerId: '005MAR',
        ownerName: 'Maria Lopez',
        ownerIsQueue: false,
        dueAt: minutesFromNow(4),
      }),
      item({
        postId: 'vip',
        network: 'facebook',
        language: 'en',
        intent: 'complaint',
        ownerId: '00GVIP',
        ownerName: 'Social VIP',
        dueAt: minutesFromNow(5),
      }),
    ];

    it('take a partial filter set from the host; the rest are "all"', async () => {
      const el = await inbox(items, { filters: { network: 'x' } as InboxFilterChangeDetail });
      await until(() => ids(el).join() === 'x-es,mine', 'network only');
      expect(el.filters).to.deep.equal({ ...el0(), network: 'x' });
    });

    it('are labelled controls with the languages present and the queues given', async () => {
      const el = await inbox(items);
      for (const name of ['search', 'scope', 'queue', 'network', 'intent', 'language', 'sort'])
        expect($(el, `[name="${name}"]`)!.closest('label'), name).to.exist;
      const options = (name: string) =>
        [...($(el, `select[name="${name}"]`) as HTMLSelectElement).options].map((o) => o.textContent!.trim());
      expect(options('language')).to.deep.equal(['All', 'English (en)', 'Spanish (es)', 'French (fr)']);
      expect(options('queue')).to.deep.equal(['All', 'Social Support', 'Social Sales', 'Social VIP']);
      expect(options('scope')).to.deep.equal(['All', 'Assigned to me', 'My queues', 'Unassigned']);
    });

    it('filter by network, language, intent and queue, and tell the host each change', async () => {
      const el = await inbox(items);
      const changes = heard<InboxFilterChangeDetail>(el, 'social-inbox-filter-change');
      await choose(el, 'network', 'x');
      await until(() => ids(el).join() === 'x-es,mine', 'network');
      expect(changes.at(-1)).to.deep.equal({ ...el0(), network: 'x' });
      await choose(el, 'language', 'en');
      await until(() => ids(el).join() === 'mine', 'network and language');
      expect(changes.at(-1)).to.deep.equal({ ...el0(), network: 'x', language: 'en' });
      await choose(el, 'network', '');
      await choose(el, 'language', '');
      await choose(el, 'intent', 'complaint');
      await until(() => ids(el).join() === 'x-es,vip', 'intent');
      await choose(el, 'intent', '');
      await choose(el, 'queue', '00GSAL');
      await until(() => ids(el).join() === 'bs-en', 'queue');
      expect(changes.at(-1)).to.deep.equal({ ...el0(), queue: '00GSAL' });
      expect($(el, '.count')!.textContent!.trim()).to.equal('1 of 5 posts matches the filters');
    });

    it('scope: assigned to me, my queues (not those marked member: false), unassigned, all', async () => {
      const el = await inbox(items);
      const changes = heard<InboxFilterChangeDetail>(el, 'social-inbox-filter-change');
      await choose(el, 'scope', 'mine');
      await until(() => ids(el).join() === 'mine', 'mine');
      expect(changes.at(-1)!.scope).to.equal('mine');
      await choose(el, 'scope', 'my_queues');
      await until(() => ids(el).join() === 'x-es,bs-en', 'my queues');
      await choose(el, 'scope', 'unassigned');
      await until(() => ids(el).join() === 'x-es,bs-en,vip', 'unassigned');
      await choose(el, 'scope', 'all');
      await until(() => ids(el).length === 5, 'all');
    });

    it('search matches the author name, the handle and the text, case-insensitive, every word', async () => {
      const el = await inbox(items);
      const search = $(el, 'input[name="search"]') as HTMLInputElement;
      const changes = heard<InboxFilterChangeDetail>(el, 'social-inbox-filter-change');
      const type = async (q: string) => {
        search.value = q;
        search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
        await el.updateComplete;
      };
      await type('zed');
      await until(() => ids(el).join() === 'mine', 'by name');
      await type('ZED_BUY');
      await until(() => ids(el).join() === 'mine', 'by handle');
      await type('red kettle');
      await until(() => ids(el).join() === 'mine', 'by words of the text');
      await type('kettle nothere');
      await until(() => ids(el).length === 0, 'every word must match');
      expect(text($(el, '[part="state"]'))).to.contain('No posts match these filters');
      // The host hears once typing pauses, with the whole filter set.
      await until(() => changes.length > 0, 'a filter change', 60);
      expect(changes.at(-1)).to.deep.equal({ ...el0(), search: 'kettle nothere' });
      const cleared = oneEvent(el, 'social-inbox-filter-change');
      ($(el, '[part="state"] button') as HTMLButtonElement).click();
      expect((await cleared).detail.search).to.equal('');
      await until(() => ids(el).length === 5, 'cleared');
    });
  });

  describe('unknown person', () => {
    const unknown = item({
      postId: 'u',
      author: { handle: 'stranger', name: 'Sam Stranger' },
      suggestions: [
        { recordId: '00QLOW', recordType: 'Lead', name: 'Sam S.', confidence: 41, reason: 'Same first name' },
        {
          recordId: '003HIGH',
          recordType: 'Contact',
          name: 'Samuel Stranger',
          confidence: 88.6,
          reason: 'Same email',
        },
        { recordId: '003MID', recordType: 'Contact', name: 'S. Stranger', confidence: 60 },
      ],
    });

    it('says so and offers Create lead, Create contact and the best suggestion', async () => {
      const el = await inbox([unknown]);
      const rec = rowOf(el, 'u').querySelector('[part="record"]')!;
      expect(text(rec.querySelector('.who'))).to.equal('Unknown person');
      const buttons = [...rec.querySelectorAll('button')].map((b) => text(b));
      expect(buttons).to.deep.equal([
        'Create lead',
        'Create contact',
        'Link to Samuel Stranger (Contact, 89%)',
      ]);
      expect(rec.querySelectorAll('button')[2]!.getAttribute('title')).to.equal('Same email');
    });

    it('fire create-record and link with the post and the record', async () => {
      const el = await inbox([unknown]);
      const rec = rowOf(el, 'u').querySelector('[part="record"]')!;
      const selects = heard(el, 'social-inbox-select');
      let e = oneEvent(el, 'social-inbox-create-record');
      (rec.querySelector('[data-act="lead"]') as HTMLButtonElement).click();
      expect((await e).detail).to.deep.equal({ postId: 'u', recordType: 'Lead' });
      e = oneEvent(el, 'social-inbox-create-record');
      (rec.querySelector('[data-act="contact"]') as HTMLButtonElement).click();
      expect((await e).detail).to.deep.equal({ postId: 'u', recordType: 'Contact' });
      const link = oneEvent(el, 'social-inbox-link');
      (rec.querySelector('[data-act="link"]') as HTMLButtonElement).click();
      const l = await link;
      expect(l.detail).to.deep.equal({ postId: 'u', recordId: '003HIGH' });
      expect(l.bubbles && l.composed).to.be.true;
      // The buttons act; they do not also open the post.
      expect(selects).to.deep.equal([]);
    });

    it('lists every suggestion with its reason in the open post', async () => {
      const el = await inbox([unknown]);
      rowOf(el, 'u').click();
      await el.updateComplete;
      const pane = $(el, '[part="pane"]')!;
      expect(pane.querySelectorAll('[data-act="link"]').length).to.equal(3);
      expect(text(pane.querySelector('.why'))).to.contain('Samuel Stranger: 89% match · Same email');
    });
  });

  describe('open post', () => {
    it('openItem(postId) opens a post as Enter does (the host took it for the agent); an unknown Id does nothing', async () => {
      const el = await inbox(many(3));
      const selects = heard<{ postId: string }>(el, 'social-inbox-select');
      el.openItem('nope');
      el.openItem('i2');
      await el.updateComplete;
      expect(selects).to.deep.equal([{ postId: 'i2' }]);
      expect(rowOf(el, 'i2').getAttribute('aria-current')).to.equal('true');
      expect(text($(el, '[part="pane"]')!)).to.contain('Text of i2');
    });

    it('opens on click, Enter and o: emits select, marks the row, shows the thread once the host gives it', async () => {
      const el = await inbox(many(3));
      const selects = heard<{ postId: string }>(el, 'social-inbox-select');
      rowOf(el, 'i1').click();
      await el.updateComplete;
      expect(selects).to.deep.equal([{ postId: 'i1' }]);
      expect(rowOf(el, 'i1').getAttribute('aria-current')).to.equal('true');
      expect(rowOf(el, 'i1').getAttribute('part')).to.contain('open');
      const pane = () => $(el, '[part="pane"]')!;
      expect(text(pane())).to.contain('Loading the conversation');
      expect(text(pane())).to.contain('Text of i1');
      const thread: SocialPost[] = [
        post({
          id: 'i1',
          body: 'Where is it? https://acme.com/o/1',
          postedAt: minutesAgo(10),
          authorName: 'User 1',
        }),
        post({ id: 'root', body: 'Ordered a kettle', postedAt: minutesAgo(60), authorName: 'User 1' }),
        post({ id: 'ours', body: 'On its way!', postedAt: minutesAgo(30), isOutbound: true, status: 'Sent' }),
      ];
      el.threads = { i1: thread };
      await el.updateComplete;
      const lis = [...pane().querySelectorAll('.thread li')];
      expect(lis.map((li) => text(li.querySelector('.body')))).to.deep.equal([
        'Ordered a kettle',
        'On its way!',
        'Where is it? acme.com/o/1',
      ]);
      expect(text(lis[1]!.querySelector('.name'))).to.equal('Our reply');
      expect(lis[2]!.getAttribute('aria-current')).to.equal('true');
      expect(lis[2]!.querySelector('a')!.href).to.equal('https://acme.com/o/1');
      expect(text(pane())).to.not.contain('Loading the conversation');

      rowOf(el, 'i0').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => selects.length === 2, 'Enter opens');
      expect(selects[1]).to.deep.equal({ postId: 'i0' });
      await sendKeys({ press: 'j' });
      await until(() => focusedId(el) === 'i1', 'j moves');
      await sendKeys({ press: 'o' });
      await until(() => selects.length === 3, 'o opens');
      expect(selects[2]).to.deep.equal({ postId: 'i1' });
    });

    it('keeps the answered post in the pane after it leaves the list, saying so', async () => {
      const el = await inbox(many(2));
      rowOf(el, 'i0').click();
      el.replies = { i0: { status: 'sent', sentUrl: 'https://x.com/acme/status/9' } };
      el.items = el.items.slice(1);
      await el.updateComplete;
      await until(() => ids(el).join() === 'i1', 'the answered post left the list');
      const pane = $(el, '[part="pane"]')!;
      expect(text(pane)).to.contain('This post has left the inbox');
      const box = pane.querySelector('social-respond-box') as SocialRespondBox;
      expect(box.status).to.equal('sent');
      expect(box.sentUrl).to.equal('https://x.com/acme/status/9');
    });
  });

  describe('keyboard', () => {
    it('triages 10 posts without a mouse: j/k, e + reason, a + target, r + reply, x + bulk', async () => {
      const el = await inbox(many(10), { savedReplies: [] });
      const done = heard<InboxDoneDetail>(el, 'social-inbox-done');
      const assigned = heard<InboxAssignDetail>(el, 'social-inbox-assign');
      const replies = heard<ReplyDetail>(el, 'social-reply');
      const selects = heard<{ postId: string }>(el, 'social-inbox-select');
      // The host: done and replied posts leave, assigned ones change owner (the list shows all).
      const drop = (gone: string[]) => (el.items = el.items.filter((it) => !gone.includes(it.postId)));
      el.addEventListener('social-inbox-done', (e) => setTimeout(() => drop(e.detail.postIds), 20));
      el.addEventListener('social-reply', (e) => setTimeout(() => drop([e.detail.postId]), 20));
      el.addEventListener('social-inbox-assign', (e) =>
        setTimeout(() => {
          const to = [...QUEUES, ...USERS].find((o) => o.id === e.detail.ownerId)!;
          el.items = el.items.map((it) =>
            e.detail.postIds.includes(it.postId)
              ? {
                  ...it,
                  ownerId: to.id,
                  ownerName: to.name,
                  ownerIsQueue: to.id.startsWith('00G'),
                  status: 'assigned',
                }
              : it,
          );
        }, 20),
      );

      // Into the list from the page: Tab, then / to the search, then Enter to the first post.
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: '/' });
      await until(() => focused(el)?.getAttribute('name') === 'search', 'search focused');
      await sendKeys({ press: 'Enter' });
      await until(() => focusedId(el) === 'i0', 'first post focused');

      // i0: done, "No reply needed" by its number; focus moves on to i1.
      await sendKeys({ press: 'e' });
      await until(() => !!$(el, '[role="menu"]'), 'reason menu');
      const menu = $(el, '[role="menu"]')!;
      expect(menu.getAttribute('aria-label')).to.equal('Mark post done: choose a reason');
      expect([...menu.querySelectorAll('[role="menuitem"]')].map((m) => text(m))).to.deep.equal([
        '1 No reply needed',
        '2 Spam',
        '3 Answered elsewhere',
      ]);
      expect(focused(el)!.getAttribute('role')).to.equal('menuitem');
      await sendKeys({ press: '1' });
      expect(done).to.deep.equal([{ postIds: ['i0'], reason: 'No reply needed' }]);
      expect($(el, '[role="menu"]')).to.equal(null);
      await until(() => live(el) === '1 post marked done', '1 post marked done');
      await until(() => focusedId(el) === 'i1', 'on to i1');
      await until(() => !ids(el).includes('i0'), 'i0 gone once the host answered');

      // j/k move; i1: done with arrows + Enter ("Spam").
      await sendKeys({ press: 'j' });
      await until(() => focusedId(el) === 'i2', 'j');
      await sendKeys({ press: 'k' });
      await until(() => focusedId(el) === 'i1', 'k');
      await sendKeys({ press: 'e' });
      await until(() => !!$(el, '[role="menu"]'), 'reason menu');
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      expect(done.at(-1)).to.deep.equal({ postIds: ['i1'], reason: 'Spam' });
      await until(() => focusedId(el) === 'i2', 'on to i2');

      // i2: assign; the menu lists Me, each queue, each colleague; arrows + Enter picks Social Sales.
      await sendKeys({ press: 'a' });
      await until(() => !!$(el, '[role="menu"]'), 'assign menu');
      expect($(el, '[role="menu"]')!.getAttribute('aria-label')).to.equal('Assign post to');
      expect($$(el, '[role="menuitem"]').map((m) => text(m))).to.deep.equal([
        '1 Me',
        '2 Social Support (queue)',
        '3 Social Sales (queue)',
        '4 Social VIP (queue)',
        '5 Maria Lopez',
      ]);
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      expect(assigned).to.deep.equal([{ postIds: ['i2'], ownerId: '00GSAL' }]);
      await until(() => live(el) === '1 post assigned to Social Sales', '1 post assigned to Social Sales');
      await until(() => focusedId(el) === 'i3', 'on to i3');
      await until(() => text(rowOf(el, 'i2').querySelector('.owner')) === 'Social Sales queue', 'new owner');

      // i3: r opens it with the reply text focused; type, Ctrl+Enter sends; Esc goes back to the list.
      await sendKeys({ press: 'r' });
      const box = () => $(el, 'social-respond-box') as SocialRespondBox;
      await until(
        () => !!box() && (root(box()).activeElement as HTMLElement | null)?.localName === 'textarea',
        'reply focused',
      );
      expect(selects.at(-1)).to.deep.equal({ postId: 'i3' });
      await sendKeys({ type: 'Thanks, on it!' });
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Control' });
      expect(replies.length).to.equal(1);
      expect(replies[0]!.postId).to.equal('i3');
      expect(replies[0]!.text).to.equal('Thanks, on it!'); // i3 is on Facebook: no @mention prefilled
      expect(done.length).to.equal(2); // typing e, a, r, o in the reply fired nothing
      await sendKeys({ press: 'Escape' });
      await until(() => !ids(el).includes('i3'), 'replied post gone');
      await until(() => focusedId(el) === 'i4', 'back in the list, on the next post');

      // i4..i6: x selects three; the bulk bar acts on all of them.
      await sendKeys({ press: 'x' });
      await sendKeys({ press: 'j' });
      await sendKeys({ press: 'x' });
      await sendKeys({ press: 'j' });
      await sendKeys({ press: 'x' });
      await until(() => text($(el, '[part="bulk"] strong')) === '3 selected', 'bulk bar');
      expect(rowOf(el, 'i5').getAttribute('aria-label')).to.contain(', selected');
      expect((rowOf(el, 'i5').querySelector('.pick') as HTMLInputElement).checked).to.be.true;
      await sendKeys({ press: 'e' });
      await until(() => !!$(el, '[role="menu"]'), 'bulk reason menu');
      expect($(el, '[role="menu"]')!.getAttribute('aria-label')).to.equal(
        'Mark 3 posts done: choose a reason',
      );
      await sendKeys({ press: '3' });
      expect(done.at(-1)).to.deep.equal({ postIds: ['i4', 'i5', 'i6'], reason: 'Answered elsewhere' });
      await until(() => live(el) === '3 posts marked done', '3 posts marked done');
      expect($(el, '[part="bulk"]')).to.equal(null);
      await until(() => ids(el).join() === 'i2,i7,i8,i9', 'three posts gone');

      // i7..i9: select with x, then the bulk bar's Assign… (Tab-free: a acts on the selection) → Me.
      await until(() => focusedId(el) === 'i7', 'on to the first post after them');
      for (const k of ['x', 'j', 'x', 'j', 'x']) await sendKeys({ press: k });
      await sendKeys({ press: 'a' });
      await until(() => !!$(el, '[role="menu"]'), 'bulk assign menu');
      await sendKeys({ press: '1' });
      expect(assigned.at(-1)).to.deep.equal({ postIds: ['i7', 'i8', 'i9'], ownerId: ME });
      await until(() => live(el) === '3 posts assigned to you', '3 posts assigned to you');
      await until(
        () =>
          ['i7', 'i8', 'i9'].every((id) => text(rowOf(el, id).querySelector('.owner')) === 'Assigned to you'),
        'assigned to me',
      );
      // All ten triaged: five closed, one answered, four assigned.
      expect(
        done.flatMap((d) => d.postIds).length + replies.length + assigned.flatMap((a) => a.postIds).length,
      ).to.equal(10);
    });

    it('Escape closes a menu without acting and gives focus back to the post', async () => {
      const el = await inbox(many(3));
      const done = heard(el, 'social-inbox-done');
      await el.focusItem(1);
      await sendKeys({ press: 'e' });
      await until(() => !!$(el, '[role="menu"]'), 'menu');
      await sendKeys({ press: 'Escape' });
      await until(() => !$(el, '[role="menu"]'), 'menu closed');
      await until(() => focusedId(el) === 'i1', 'focus back');
      expect(done).to.deep.equal([]);
    });

    it('marks acted-on posts as pending until the host answers with new items', async () => {
      const el = await inbox(many(3));
      await el.focusItem(0);
      await sendKeys({ press: 'e' });
      await until(() => !!$(el, '[role="menu"]'), 'menu');
      await sendKeys({ press: '2' });
      await until(() => rowOf(el, 'i0').getAttribute('aria-busy') === 'true', 'pending');
      expect(text(rowOf(el, 'i0'))).to.contain('Marking done…');
      expect(rowOf(el, 'i0').getAttribute('part')).to.contain('pending');
      // The host refused (same items back): the row is itself again.
      el.items = [...el.items];
      await until(() => rowOf(el, 'i0').getAttribute('aria-busy') === null, 'not pending');
      expect(text(rowOf(el, 'i0'))).to.not.contain('Marking done');
    });

    it('ignores shortcuts while typing in the search or the reply', async () => {
      const el = await inbox(many(3));
      const events: string[] = [];
      for (const type of ['social-inbox-done', 'social-inbox-assign', 'social-inbox-select'])
        el.addEventListener(type, () => events.push(type));
      await el.focusItem(0);
      await sendKeys({ press: '/' });
      await sendKeys({ type: 'jkeaxro?/' });
      const search = $(el, 'input[name="search"]') as HTMLInputElement;
      expect(search.value).to.equal('jkeaxro?/');
      expect(focused(el)).to.equal(search);
      expect($(el, '[role="menu"]')).to.equal(null);
      expect($(el, 'dialog')!.hasAttribute('open')).to.be.false;
      expect($(el, '[part="bulk"]')).to.equal(null);
      expect(events).to.deep.equal([]);
      // Escape goes back to the list, where keys are shortcuts again.
      search.value = '';
      search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await sendKeys({ press: 'Escape' });
      await until(() => focusedId(el) === 'i0', 'list focused');
      await sendKeys({ press: 'r' });
      const box = $(el, 'social-respond-box') as SocialRespondBox;
      await until(() => (root(box).activeElement as HTMLElement | null)?.localName === 'textarea', 'reply');
      events.length = 0;
      await sendKeys({ type: 'x e a j k o' });
      expect(box.text).to.equal('@user0 x e a j k o');
      expect(events).to.deep.equal([]);
      expect($(el, '[role="menu"]')).to.equal(null);
      expect($(el, '[part="bulk"]')).to.equal(null);
    });

    it('? shows the shortcuts in a dialog; Escape closes it and focus returns', async () => {
      const el = await inbox(many(2));
      await el.focusItem(0);
      await sendKeys({ press: '?' });
      const dialog = $(el, 'dialog') as HTMLDialogElement;
      await until(() => dialog.open, 'dialog open');
      expect(dialog.getAttribute('aria-labelledby')).to.equal('help-h');
      const t = text(dialog);
      for (const k of ['j / ↓', 'k / ↑', 'Enter / o', 'Reply', 'No reply needed', 'Assign…', 'Search', 'Esc'])
        expect(t, k).to.contain(k);
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog.open, 'dialog closed');
      await until(() => focusedId(el) === 'i0', 'focus back on the post');
    });

    it('is one tab stop in the list; arrows, Home and End move like j and k', async () => {
      const el = await inbox(many(30));
      expect($$(el, 'article').filter((a) => a.tabIndex === 0).length).to.equal(1);
      await el.focusItem(0);
      await sendKeys({ press: 'ArrowDown' });
      await until(() => focusedId(el) === 'i1', 'down');
      await sendKeys({ press: 'End' });
      await until(() => focusedId(el) === 'i29', 'end');
      await sendKeys({ press: 'ArrowUp' });
      await until(() => focusedId(el) === 'i28', 'up');
      await sendKeys({ press: 'Home' });
      await until(() => focusedId(el) === 'i0', 'home');
      expect($$(el, 'article').filter((a) => a.tabIndex === 0).length).to.equal(1);
    });

    it('selects with a click on the checkbox; the bulk bar can select all and clear', async () => {
      const el = await inbox(many(4));
      (rowOf(el, 'i2').querySelector('.pick') as HTMLInputElement).click();
      await el.updateComplete;
      expect(text($(el, '[part="bulk"] strong'))).to.equal('1 selected');
      const buttons = () => $$(el, '[part="bulk"] button');
      buttons()
        .find((b) => text(b) === 'Select all 4')!
        .click();
      await el.updateComplete;
      expect(text($(el, '[part="bulk"] strong'))).to.equal('4 selected');
      await until(() => live(el) === '4 posts selected', '4 posts selected');
      const assign = buttons().find((b) => text(b) === 'Assign…')!;
      assign.click();
      await until(() => !!$(el, '[role="menu"]'), 'assign menu');
      const heardAssign = oneEvent(el, 'social-inbox-assign');
      ($$(el, '[role="menuitem"]')[4] as HTMLButtonElement).click();
      expect((await heardAssign).detail).to.deep.equal({
        postIds: ['i2', 'i0', 'i1', 'i3'].sort(),
        ownerId: '005MAR',
      });
    });
  });

  it('announces new posts politely without moving focus', async () => {
    const el = await inbox(many(2));
    await el.focusItem(1);
    el.items = [
      ...el.items,
      item({
        postId: 'new',
        author: { handle: 'bo', name: 'Bo' },
        network: 'mastodon',
        receivedAt: minutesAgo(0),
      }),
    ];
    await el.updateComplete;
    await until(() => live(el) === 'New post from Bo on Mastodon', 'New post from Bo on Mastodon');
    expect($(el, '[aria-live="polite"]')!.getAttribute('role')).to.equal('status');
    await until(() => ids(el).includes('new'), 'new row');
    expect(focusedId(el)).to.equal('i1');
  });

  it('asks for more with Load more', async () => {
    const el = await inbox(many(2), { hasMore: true });
    const button = $(el, '[part="load-more"]') as HTMLButtonElement;
    const e = oneEvent(el, 'social-load-more');
    button.click();
    expect((await e).detail).to.deep.equal({});
    el.loadingMore = true;
    await el.updateComplete;
    expect(button.disabled).to.be.true;
    expect(text(button)).to.equal('Loading more…');
  });

  describe('states', () => {
    it('empty: nothing needs an answer', async () => {
      const el = await inbox([]);
      expect(text($(el, '[part="state"]'))).to.contain('Nothing needs an answer');
    });

    it('loading', async () => {
      const el = await inbox([], { loading: true });
      const s = $(el, '[part="state"]')!;
      expect(s.getAttribute('role')).to.equal('status');
      expect(text(s)).to.contain('Loading the inbox');
    });

    it('error, with a way to try again; a banner over the list when items are shown', async () => {
      const el = await inbox([], { error: 'The org did not answer.' });
      const s = $(el, '[part="state"]')!;
      expect(s.getAttribute('role')).to.equal('alert');
      expect(text(s)).to.contain('The org did not answer.');
      const retry = oneEvent(el, 'social-retry');
      (s.querySelector('button') as HTMLButtonElement).click();
      await retry;
      el.items = many(2);
      el.error = 'Assigning failed: Maria Lopez holds this post.';
      await el.updateComplete;
      expect(text($(el, '.notice[role="alert"]'))).to.equal('Assigning failed: Maria Lopez holds this post.');
      await until(() => ids(el).length === 2, 'rows still shown');
    });
  });

  it('is virtualized: 10,000 posts keep a window of rows in the DOM, and End reaches the last', async () => {
    const items = many(10_000);
    const started = performance.now();
    const el = await inbox(items);
    const elapsed = performance.now() - started;
    const rows = $$(el, 'article');
    expect(rows.length).to.be.greaterThan(3).and.lessThan(80);
    expect(rows[0]!.dataset.postId).to.equal('i0');
    expect(rows[0]!.getAttribute('aria-setsize')).to.equal('10000');
    expect(elapsed, 'first render ms').to.be.lessThan(3000);
    expect(text($(el, '.count'))).to.equal('10000 posts need an answer');
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
    await until(() => ids(el).some((id) => Number(id.slice(1)) > 3000), 'rows from the middle');
    expect($$(el, 'article').length).to.be.lessThan(80);
    await el.focusItem(0);
    await sendKeys({ press: 'End' });
    await until(() => focusedId(el) === 'i9999', 'last post focused');
    expect(focused(el)!.getAttribute('aria-posinset')).to.equal('10000');
  });

  it('is accessible (axe) with rows, an open post, a menu and the bulk bar, and in its states', async () => {
    const items = many(12);
    items[0] = {
      ...items[0]!,
      suggestions: [{ recordId: '003A', recordType: 'Contact', name: 'Ann', confidence: 80 }],
    };
    const el = await inbox(items);
    rowOf(el, 'i0').click();
    await el.focusItem(0);
    await sendKeys({ press: 'x' });
    await el.updateComplete;
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'a' });
    await until(() => !!$(el, '[role="menu"]'), 'menu');
    await expect(el).to.be.accessible();
    await expect(await inbox([])).to.be.accessible();
    await expect(await inbox([], { error: 'Timeout' })).to.be.accessible();
  });
});

/** The filters with nothing chosen. */
function el0(): InboxFilterChangeDetail {
  return { network: '', language: '', intent: '', queue: '', scope: 'all', search: '', sort: 'due' };
}

async function choose(el: SocialInbox, name: string, value: string): Promise<void> {
  const select = $(el, `select[name="${name}"]`) as HTMLSelectElement;
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
  await frame();
}
