import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { SHADOW_MODE } from './shadow-mode.ts';
import { emit } from './events.ts';
import { ClockController } from './controllers/clock-controller.ts';
import { FirstScreenLayout } from './first-screen-layout.ts';
import { renderText } from './text/render.ts';
import { safeHttpUrl } from './text/safe-url.ts';
import {
  DONE_REASONS,
  NO_INBOX_FILTERS,
  SCOPE_LABEL,
  SORT_LABEL,
  dueLabel,
  inboxRows,
  languageName,
  languagesOf,
} from './inbox.ts';
import {
  INTENT_LABEL,
  NETWORK_LABEL,
  SENTIMENT_LABEL,
  atHandle,
  hash,
  initials,
  plural,
  relativeTime,
} from './format.ts';
import type {
  DoneReason,
  InboxFilters,
  InboxItem,
  InboxOwner,
  InboxReplyState,
  SavedReply,
  SocialPost,
} from './types.ts';
import type { SocialRespondBox } from './social-respond-box.ts';
import { styles } from './social-inbox.styles.ts';

const NO_ROW = html``;

interface MenuOption {
  label: string;
  /** A done reason or an owner Id. */
  value: string;
}

interface Menu {
  kind: 'done' | 'assign';
  ids: string[];
  /** Where focus goes back to: the list (the active row), or the button that opened the menu. */
  back: HTMLElement | null;
  top: number;
  left: number;
  /** Top of the element the menu opened from: the menu flips above it when it would overflow. */
  above: number;
}

/** Elements where keys are typed, not shortcuts (the respond box's text in a closed root shows as the box). */
function typing(t: EventTarget | undefined): boolean {
  const el = t as HTMLElement | undefined;
  if (!el?.localName) return false;
  const n = el.localName;
  return (
    n === 'textarea' ||
    n === 'select' ||
    n === 'social-respond-box' ||
    (n === 'input' && !/^(checkbox|radio|button|submit|reset)$/.test((el as HTMLInputElement).type)) ||
    el.isContentEditable
  );
}

const postCache = new WeakMap<InboxItem, SocialPost>();
/** The item as the respond box takes a post. */
function asPost(it: InboxItem): SocialPost {
  let p = postCache.get(it);
  if (!p)
    postCache.set(
      it,
      (p = {
        id: it.postId,
        network: it.network,
        body: it.text,
        postedAt: it.receivedAt,
        authorHandle: it.author.handle,
        authorName: it.author.name ?? undefined,
        url: it.url ?? undefined,
        language: it.language ?? undefined,
      }),
    );
  return p;
}

const KEYS: [string, string][] = [
  ['j / ↓', 'Next post'],
  ['k / ↑', 'Previous post'],
  ['Enter / o', 'Open the post and its conversation'],
  ['r', 'Reply'],
  ['e', 'Done… (1 No reply needed, 2 Spam, 3 Answered elsewhere)'],
  ['a', 'Assign…'],
  ['x', 'Select or unselect the post'],
  ['/', 'Search'],
  ['Esc', 'Back to the list; close a menu; clear the selection'],
  ['?', 'These shortcuts'],
];

/**
 * @summary Every inbound post that needs an answer, across networks and records, timed against its reply
 * target: triage at keyboard speed (open, reply, done, assign, select many).
 *
 * Presentational: the host gives `items` (`GET /api/inbox`), the assign targets and the open post's
 * thread, and acts on the events. The inbox filters and sorts `items` itself and tells the host
 * (`social-inbox-filter-change`); it never removes an item: after done or assign the rows wait, dimmed, for
 * the host's next `items`.
 *
 * @fires social-inbox-select - `{ postId }`: a post was opened (Enter, o, r, click); load its thread into `threads`.
 * @fires social-inbox-assign - `{ postIds, ownerId }`: assign to a queue or a user.
 * @fires social-inbox-done - `{ postIds, reason }`: close without a reply.
 * @fires social-inbox-filter-change - the new `InboxFilters`.
 * @fires social-inbox-create-record - `{ postId, recordType }`: make a Lead or Contact of the unknown author.
 * @fires social-inbox-link - `{ postId, recordId }`: link the author to a suggested record.
 * @fires social-load-more - `{}` from "Load more" (with `hasMore`).
 * @fires social-retry - `{}` from "Try again" of the error state.
 * @fires social-reply - `{ postId, text, idempotencyKey }` from the respond box of the open post.
 *
 * @csspart filters - the filter bar (a form).
 * @csspart list - the scrolling list (role feed).
 * @csspart row - one post; also `row open`, `row overdue`, `row pending`.
 * @csspart due - the time left to the target; `due overdue` past it.
 * @csspart priority - the priority badge.
 * @csspart record - the linked record, or "Unknown person" with its actions.
 * @csspart bulk - the bar of actions on the selected posts.
 * @csspart menu - the done-reason and assign menus.
 * @csspart pane - the open post: its conversation, record and reply.
 * @csspart state - the loading, empty and error messages.
 *
 * @cssprop [--social-inbox-height=36rem] - Height of the list and of the pane beside it.
 */
export class SocialInbox extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, mode: SHADOW_MODE };
  static override styles = styles;

  /** The posts to work (`GET /api/inbox` items), in any order. */
  @property({ attribute: false }) items: InboxItem[] = [];

  /** The signed-in user's Id: "Assigned to me", "Me" in the assign menu, "You" as owner. */
  @property({ attribute: 'current-user-id' }) currentUserId: string | null = null;

  /** Queues to filter by and assign to; "My queues" are those not marked `member: false`. */
  @property({ attribute: false }) queues: InboxOwner[] = [];

  /** Users to assign to. */
  @property({ attribute: false }) users: InboxOwner[] = [];

  /** Canned answers for the respond box. */
  @property({ attribute: false }) savedReplies: SavedReply[] = [];

  /** Conversations by post Id (oldest first or any order): the open post's context, after `social-inbox-select`. */
  @property({ attribute: false }) threads: Record<string, SocialPost[]> = {};

  /** The respond box state per post Id, after `social-reply`. */
  @property({ attribute: false }) replies: Record<string, InboxReplyState> = {};

  /** Filters and order; the user changes them in the filter bar. */
  @property({ attribute: false }) filters: InboxFilters = NO_INBOX_FILTERS;

  /** True while the host loads the first page. */
  @property({ type: Boolean }) loading = false;

  /** A message when loading or an action failed: the error state with "Try again", or a banner over the list. */
  @property() error: string | null = null;

  /** More items exist: shows "Load more". */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false;

  /** True while the next page loads. */
  @property({ type: Boolean, attribute: 'loading-more' }) loadingMore = false;

  /** The title above the list. */
  @property() heading = 'Social inbox';

  @state() private _rows: InboxItem[] = [];
  @state() private _activeId: string | null = null;
  @state() private _openId: string | null = null;
  @state() private _selected: ReadonlySet<string> = new Set();
  @state() private _pending = new Map<string, 'done' | 'assign'>();
  @state() private _menu: Menu | null = null;
  @state() private _help = false;
  @state() private _announcement = '';

  /** The open post as last seen: the pane keeps it after it leaves `items` (the sent reply stays visible). */
  private _open: InboxItem | null = null;
  private _activeIndex = 0;
  private _languages: string[] = [];
  private _knownIds: Set<string> | null = null;
  private _newest = -Infinity;
  private _searchTimer: ReturnType<typeof setTimeout> | undefined;
  private _helpBack: HTMLElement | null = null;
  private _menuPlaced = false;
  private _focusCalls = 0;
  private _range = { first: 0, last: -1 };
  private _rowTemplates = new Map<number, TemplateResult>();
  private readonly _clock = new ClockController(this, 15_000);
  private readonly _layout = { type: FirstScreenLayout, host: this };

  protected override willUpdate(changed: PropertyValues<this>): void {
    this._rowTemplates = new Map();
    // A host may give only some filters (or an older shape): the rest are "all".
    if (changed.has('filters')) this.filters = { ...NO_INBOX_FILTERS, ...this.filters };
    const itemsChanged = changed.has('items');
    if (itemsChanged) this._itemsChanged();
    if (itemsChanged || changed.has('filters') || changed.has('currentUserId') || changed.has('queues')) {
      const focused = this._focusedRow();
      const old = this._rows;
      const rows = (this._rows = inboxRows(this.items, this.filters, this.currentUserId, this.queues));
      const find = (id: string | null | undefined) =>
        id == null ? -1 : rows.findIndex((r) => r.postId === id);
      let at = find(this._activeId);
      if (at < 0 && old.length) {
        // The active post left (done, answered, assigned out of view): the first one after it that stayed.
        const here = new Set(rows.map((r) => r.postId));
        at = find(old.slice(this._activeIndex).find((r) => here.has(r.postId))?.postId);
        if (at < 0) at = rows.length - 1;
        if (focused && at >= 0) void this.focusItem(at);
      }
      this._activeIndex = Math.max(0, at);
      this._activeId = rows[this._activeIndex]?.postId ?? null;
    }
  }

  private _itemsChanged(): void {
    const items = this.items;
    // Whatever the host sent answers the pending actions: rows still here were refused or are unchanged.
    if (this._pending.size) this._pending = new Map();
    this._languages = languagesOf(items);
    if (this._open || this._selected.size) {
      const byId = new Map(items.map((it) => [it.postId, it]));
      if (this._open) this._open = byId.get(this._open.postId) ?? this._open;
      const kept = [...this._selected].filter((id) => byId.has(id));
      if (kept.length !== this._selected.size) this._selected = new Set(kept);
    }
    // Posts newer than any seen are news (an older page is not).
    let newest = this._newest;
    const fresh: InboxItem[] = [];
    for (const it of items) {
      const t = Date.parse(it.receivedAt) || 0;
      if (t > this._newest && this._knownIds && !this._knownIds.has(it.postId)) fresh.push(it);
      if (t > newest) newest = t;
    }
    if (items.length) {
      this._knownIds = new Set(items.map((it) => it.postId));
      this._newest = newest;
    }
    if (fresh.length) {
      const a = fresh[0]!;
      this._announce(
        fresh.length === 1
          ? `New post from ${a.author.name || atHandle(a.author.handle)} on ${NETWORK_LABEL[a.network]}`
          : `${fresh.length} new posts`,
      );
    }
  }

  private _announce(text: string): void {
    // The same words twice in a row must still be heard.
    this._announcement = this._announcement === text ? `${text}\u00a0` : text;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._searchTimer);
  }

  override render(): TemplateResult {
    return html`<div class="inbox" @keydown=${this._onKey}>
      <div class="top">
        <h2 class="title">${this.heading}</h2>
        <span class="count muted">${this._count()}</span>
        <button type="button" class="keys" aria-keyshortcuts="?" @click=${this._openHelp}>
          Keyboard shortcuts
        </button>
      </div>
      ${this._renderFilters()}
      <div class="live vh" role="status" aria-live="polite" aria-atomic="true">${this._announcement}</div>
      ${this._renderBody()} ${this._menu ? this._renderMenu(this._menu) : nothing} ${this._renderHelp()}
    </div>`;
  }

  private _count(): string {
    const n = this._rows.length;
    const all = this.items.length;
    if (!all) return '';
    return n === all
      ? `${plural(n, 'post', 'posts')} ${n === 1 ? 'needs' : 'need'} an answer`
      : `${n} of ${plural(all, 'post', 'posts')} ${n === 1 ? 'matches' : 'match'} the filters`;
  }

  private _renderFilters(): TemplateResult {
    const f = this.filters;
    const select = (label: string, name: string, options: [string, string][], current: string, all = true) =>
      html`<label
        >${label}
        <select name=${name}>
          ${all ? html`<option value="">All</option>` : nothing}
          ${options.map(([v, l]) => html`<option value=${v} ?selected=${v === current}>${l}</option>`)}
        </select></label
      >`;
    const langs =
      this._languages.includes(f.language) || !f.language
        ? this._languages
        : [...this._languages, f.language];
    return html`<form
      class="filters"
      part="filters"
      aria-label="Filter the inbox"
      @change=${this._onFilter}
      @input=${this._onSearch}
      @submit=${(e: Event) => e.preventDefault()}
    >
      <label class="search"
        >Search
        <input
          type="search"
          name="search"
          placeholder="Author, handle or text"
          aria-keyshortcuts="/"
          .value=${live(f.search)}
      /></label>
      ${select('Show', 'scope', Object.entries(SCOPE_LABEL), f.scope, false)}
      ${select(
        'Queue',
        'queue',
        this.queues.map((q) => [q.id, q.name]),
        f.queue,
      )}
      ${select('Network', 'network', Object.entries(NETWORK_LABEL), f.network)}
      ${select('Intent', 'intent', Object.entries(INTENT_LABEL), f.intent)}
      ${select(
        'Language',
        'language',
        langs.map((l) => [l, `${languageName(l)} (${l})`]),
        f.language,
      )}
      ${select('Sort', 'sort', Object.entries(SORT_LABEL), f.sort, false)}
    </form>`;
  }

  private _renderBody(): TemplateResult {
    if (this.error && !this.items.length) {
      return html`<div class="state" part="state" role="alert">
        <p><strong>The inbox couldn't be loaded.</strong> ${this.error}</p>
        <p>
          Check your connection, then try again. If it keeps failing, ask your admin to check the Social CRM
          sync.
        </p>
        <button @click=${() => emit(this, 'social-retry', {})}>Try again</button>
      </div>`;
    }
    if (this.loading && !this.items.length) {
      return html`<div class="state" part="state" role="status" aria-busy="true">Loading the inbox…</div>`;
    }
    if (!this.items.length) {
      return html`<div class="state" part="state">
        <p><strong>Nothing needs an answer.</strong></p>
        <p>New posts that need a reply appear here as they arrive, with the time left to answer them.</p>
      </div>`;
    }
    const rows = this._rows;
    return html`${this.error ? html`<p class="notice bad" role="alert">${this.error}</p>` : nothing}
      ${this._selected.size ? this._renderBulk() : nothing}
      <div class="split">
        <div class="col">
          ${
            rows.length
              ? html`<div
                  class="feed"
                  part="list"
                  role="feed"
                  aria-label="Posts that need an answer"
                  aria-busy=${this.loadingMore ? 'true' : 'false'}
                  @click=${this._onClick}
                  @focusin=${this._onFocusIn}
                  @rangeChanged=${this._onRange}
                >
                  ${virtualize({
                    items: rows,
                    layout: this._layout,
                    keyFunction: (r: InboxItem | undefined, i: number) => r?.postId ?? `\u0000${i}`,
                    renderItem: (r: InboxItem | undefined, i: number) =>
                      r ? this._row(r, i, rows.length) : NO_ROW,
                    scroller: true,
                  })}
                </div>`
              : html`<div class="state" part="state">
                  <p>No posts match these filters.</p>
                  <button @click=${() => this._setFilters({ ...NO_INBOX_FILTERS, sort: this.filters.sort })}>
                    Clear filters
                  </button>
                </div>`
          }
          ${
            this.hasMore
              ? html`<button
                  class="more"
                  part="load-more"
                  ?disabled=${this.loadingMore}
                  @click=${() => emit(this, 'social-load-more', {})}
                >
                  ${this.loadingMore ? 'Loading more…' : 'Load more'}
                </button>`
              : nothing
          }
        </div>
        ${this._renderPane()}
      </div>`;
  }

  private _renderBulk(): TemplateResult {
    const n = this._selected.size;
    return html`<div class="bulk" part="bulk" role="group" aria-label="Selected posts">
      <strong>${n} selected</strong>
      <button type="button" @click=${(e: Event) => this._openMenu('assign', [...this._selected], e)}>
        Assign…
      </button>
      <button type="button" @click=${(e: Event) => this._openMenu('done', [...this._selected], e)}>
        Done…
      </button>
      ${
        n < this._rows.length
          ? html`<button type="button" @click=${this._selectAll}>Select all ${this._rows.length}</button>`
          : nothing
      }
      <button type="button" @click=${this._clearSelection}>Clear selection</button>
    </div>`;
  }

  /** `_renderRow`, or the template it made for this row since the last update. */
  private _row(it: InboxItem, i: number, total: number): TemplateResult {
    let t = this._rowTemplates.get(i);
    if (!t) this._rowTemplates.set(i, (t = this._renderRow(it, i, total)));
    return t;
  }

  private _renderRow(it: InboxItem, i: number, total: number): TemplateResult {
    const now = this._clock.now;
    const a = it.author;
    const name = a.name || atHandle(a.handle);
    const network = NETWORK_LABEL[it.network];
    const due = it.status === 'done' ? null : dueLabel((it.dueAt && Date.parse(it.dueAt)) || Infinity, now);
    const open = it.postId === this._openId;
    const pending = this._pending.get(it.postId);
    const picked = this._selected.has(it.postId);
    const label = `${name} on ${network}, ${due ? due.text.toLowerCase() : 'no reply target'}, ${it.priority} priority${picked ? ', selected' : ''}`;
    return html`<article
      class="row${due?.over ? ' over' : ''}${pending ? ' pending' : ''}"
      part="row${open ? ' open' : ''}${due?.over ? ' overdue' : ''}${pending ? ' pending' : ''}"
      tabindex=${it.postId === this._activeId ? 0 : -1}
      aria-label=${label}
      aria-posinset=${i + 1}
      aria-setsize=${total}
      aria-current=${open ? 'true' : nothing}
      aria-busy=${pending ? 'true' : nothing}
      data-index=${i}
      data-post-id=${it.postId}
    >
      <input
        type="checkbox"
        class="pick"
        tabindex="-1"
        data-act="pick"
        aria-label="Select post from ${name}"
        .checked=${picked}
      />
      <span class="avatar c${hash(atHandle(a.handle).toLowerCase()) % 6}" aria-hidden="true"
        >${initials(a.name || a.handle)}</span
      >
      <div class="main">
        <div class="head">
          <span class="name">${name}</span>
          ${a.name ? html`<span class="muted">${atHandle(a.handle)}</span>` : nothing}
          <span class="chip net">${network}</span>
          ${
            a.influence != null
              ? html`<span
                  class="chip${a.influence >= 70 ? ' hi' : ''}"
                  title="Influence of ${atHandle(a.handle)} on ${network} (this profile), 0 to 100"
                  >Influence ${Math.round(a.influence)}</span
                >`
              : nothing
          }
          <time class="muted" datetime=${it.receivedAt} title=${new Date(it.receivedAt).toLocaleString()}
            >${relativeTime(it.receivedAt, now)}</time
          >
          <span class="end">
            ${this._due(it, due)}
            <span class="chip prio ${it.priority}" part="priority" title="Priority">${it.priority}</span>
          </span>
        </div>
        <p class="text" lang=${it.language || nothing}>${it.text}</p>
        <div class="meta">
          ${this._chips(it)}
          ${
            pending
              ? html`<span class="chip warn">${pending === 'done' ? 'Marking done…' : 'Assigning…'}</span>`
              : nothing
          }
        </div>
        <div class="recrow">${this._record(it, 1)}</div>
      </div>
    </article>`;
  }

  private _due(it: InboxItem, due: ReturnType<typeof dueLabel>): TemplateResult {
    if (it.status === 'done')
      return html`<span class="chip ok" part="due">Done${it.doneReason ? `: ${it.doneReason}` : ''}</span>`;
    if (!due) return html`<span class="chip muted" part="due">No target</span>`;
    return html`<span
      class="chip ${due.over ? 'bad' : due.soon ? 'warn' : ''}"
      part="due${due.over ? ' overdue' : ''}"
      data-overdue=${due.over}
      title=${it.dueAt ? `Reply due ${new Date(it.dueAt).toLocaleString()}` : ''}
      >${due.text}</span
    >`;
  }

  /** Sentiment, intent, language, escalation and owner. */
  private _chips(it: InboxItem): unknown[] {
    const out: unknown[] = [];
    if (it.sentiment) {
      const cls = it.sentiment === 'positive' ? 'ok' : it.sentiment === 'negative' ? 'bad' : '';
      out.push(
        html`<span class="chip ${cls}" title="Sentiment of this post"
          >${SENTIMENT_LABEL[it.sentiment]}</span
        >`,
      );
    }
    if (it.intent) out.push(html`<span class="chip">${INTENT_LABEL[it.intent]}</span>`);
    if (it.language)
      out.push(
        html`<span class="chip lang" title="Language: ${languageName(it.language)}"
          >${it.language.toUpperCase()}</span
        >`,
      );
    if (it.escalated) out.push(html`<span class="chip bad">Escalated</span>`);
    const owner = it.ownerIsQueue
      ? `${it.ownerName} queue`
      : `Assigned to ${it.ownerId === this.currentUserId ? 'you' : it.ownerName}`;
    out.push(html`<span class="owner" title="Owner">${owner}</span>`);
    return out;
  }

  /** The linked record, or "Unknown person" with Create lead, Create contact and up to `max` suggestions. */
  private _record(it: InboxItem, max: number): TemplateResult {
    if (it.recordId) {
      return html`<span class="rec" part="record"
        >${it.recordType ?? 'Record'}: <strong>${it.recordName || it.recordId}</strong></span
      >`;
    }
    const sugg = [...(it.suggestions ?? [])].sort((x, y) => y.confidence - x.confidence).slice(0, max);
    return html`<span class="rec unknown" part="record"
      ><span class="who">Unknown person</span>
      <button type="button" class="small" data-act="lead" data-post-id=${it.postId}>Create lead</button>
      <button type="button" class="small" data-act="contact" data-post-id=${it.postId}>Create contact</button>
      ${sugg.map(
        (s) =>
          html`<button
            type="button"
            class="small"
            data-act="link"
            data-post-id=${it.postId}
            data-record-id=${s.recordId}
            title=${s.reason ?? ''}
          >
            Link to ${s.name} (${s.recordType}, ${Math.round(s.confidence)}%)
          </button>`,
      )}</span
    >`;
  }

  private _renderPane(): TemplateResult {
    const it = this._open;
    if (!it) {
      return html`<section class="pane empty" part="pane" aria-label="Open post">
        <p class="muted">Open a post (Enter) to see its conversation and reply to it.</p>
      </section>`;
    }
    const a = it.author;
    const name = a.name || atHandle(a.handle);
    const network = NETWORK_LABEL[it.network];
    const href = safeHttpUrl(it.url);
    const gone = !this._rows.some((r) => r.postId === it.postId) && !this.items.includes(it);
    const thread = this.threads[it.postId];
    const reply = this.replies[it.postId];
    const due =
      it.status === 'done' ? null : dueLabel((it.dueAt && Date.parse(it.dueAt)) || Infinity, this._clock.now);
    return html`<section class="pane" part="pane" aria-labelledby="pane-h" @click=${this._onClick}>
      <div class="head">
        <h3 id="pane-h" class="name">${name}</h3>
        ${a.name ? html`<span class="muted">${atHandle(a.handle)}</span>` : nothing}
        <span class="chip net">${network}</span>
        ${
          href
            ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">View on ${network}</a>`
            : nothing
        }
      </div>
      <div class="meta">
        ${this._due(it, due)}
        <span class="chip prio ${it.priority}">${it.priority}</span>
        ${this._chips(it)}
      </div>
      ${gone ? html`<p class="notice" role="status">This post has left the inbox.</p>` : nothing}
      <h4>Conversation</h4>
      ${
        thread
          ? html`<ol class="thread" aria-label="Conversation">
              ${[...thread]
                .sort((x, y) => (Date.parse(x.postedAt) || 0) - (Date.parse(y.postedAt) || 0))
                .map(
                  (p) =>
                    html`<li
                      class="tp${p.isOutbound ? ' ours' : ''}${p.id === it.postId ? ' this' : ''}"
                      aria-current=${p.id === it.postId ? 'true' : nothing}
                    >
                      <span class="name"
                        >${p.isOutbound ? 'Our reply' : p.authorName || atHandle(p.authorHandle)}</span
                      >
                      <time class="muted" datetime=${p.postedAt}
                        >${relativeTime(p.postedAt, this._clock.now)}</time
                      >
                      ${p.isOutbound && p.status ? html`<span class="chip">${p.status}</span>` : nothing}
                      <p class="body" lang=${p.language || nothing}>${renderText(p)}</p>
                    </li>`,
                )}
            </ol>`
          : html`<p class="body">${renderText(asPost(it))}</p>
              <p class="muted" role="status">Loading the conversation…</p>`
      }
      <h4>Record</h4>
      <p class="recblock">${this._record(it, 5)}</p>
      ${
        !it.recordId && it.suggestions?.length
          ? html`<ul class="why muted">
              ${it.suggestions.map(
                (s) =>
                  html`<li>
                    ${s.name}: ${Math.round(s.confidence)}% match${s.reason ? ` · ${s.reason}` : ''}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <div class="actions">
        <button
          type="button"
          aria-keyshortcuts="e"
          @click=${(e: Event) => this._openMenu('done', [it.postId], e)}
        >
          Done…
        </button>
        <button
          type="button"
          aria-keyshortcuts="a"
          @click=${(e: Event) => this._openMenu('assign', [it.postId], e)}
        >
          Assign…
        </button>
      </div>
      <social-respond-box
        .post=${asPost(it)}
        .savedReplies=${this.savedReplies}
        .context=${{ firstName: a.name?.split(/\s+/)[0] || undefined }}
        .status=${reply?.status ?? 'idle'}
        .statusMessage=${reply?.message ?? ''}
        .sentUrl=${reply?.sentUrl ?? null}
      ></social-respond-box>
    </section>`;
  }

  private _menuOptions(m: Menu): MenuOption[] {
    if (m.kind === 'done') return DONE_REASONS.map((r) => ({ label: r, value: r }));
    const me = this.currentUserId;
    return [
      ...(me ? [{ label: 'Me', value: me }] : []),
      ...this.queues.map((q) => ({ label: `${q.name} (queue)`, value: q.id })),
      ...this.users.filter((u) => u.id !== me).map((u) => ({ label: u.name, value: u.id })),
    ];
  }

  private _menuLabel(m: Menu): string {
    const what = m.ids.length === 1 ? 'post' : `${m.ids.length} posts`;
    return m.kind === 'done' ? `Mark ${what} done: choose a reason` : `Assign ${what} to`;
  }

  private _renderMenu(m: Menu): TemplateResult {
    const options = this._menuOptions(m);
    return html`<div
      class="menu"
      part="menu"
      role="menu"
      aria-label=${this._menuLabel(m)}
      @keydown=${this._onMenuKey}
      @focusout=${this._onMenuFocusOut}
    >
      <p class="mh" aria-hidden="true">${this._menuLabel(m)}</p>
      ${options.map(
        (o, i) =>
          html`<button
            type="button"
            role="menuitem"
            tabindex="-1"
            data-value=${o.value}
            @click=${() => this._choose(m, o)}
          >
            ${i < 9 ? html`<kbd aria-hidden="true">${i + 1}</kbd>` : nothing} <span>${o.label}</span>
          </button>`,
      )}
    </div>`;
  }

  private _renderHelp(): TemplateResult {
    return html`<dialog class="help" part="help" aria-labelledby="help-h" @close=${this._closedHelp}>
      <h2 id="help-h">Keyboard shortcuts</h2>
      <table>
        <tbody>
          ${KEYS.map(
            ([k, what]) =>
              html`<tr>
                <th scope="row"><kbd>${k}</kbd></th>
                <td>${what}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="muted">Shortcuts work in the list, not while you type in a field.</p>
      <form method="dialog"><button class="brand">Close</button></form>
    </dialog>`;
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && this._help && !dialog.open) dialog.showModal();
    const menu = this.renderRoot.querySelector<HTMLElement>('.menu');
    if (menu && !this._menuPlaced && this._menu) {
      this._menuPlaced = true;
      // Placed through CSSOM, never a style attribute: hosts serve a CSP without inline styles (Lightning,
      // the sync server), which blocks `style="…"` in a template.
      const m = this._menu;
      menu.style.top = `${m.top}px`;
      menu.style.left = `${m.left}px`;
      // Above the row when it would run past the bottom of the inbox.
      if (m.top + menu.offsetHeight > this.offsetHeight && m.above - menu.offsetHeight >= 0)
        menu.style.top = `${m.above - menu.offsetHeight}px`;
      menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    }
  }

  // ——— actions ———

  private _focusedRow(): boolean {
    const active = (this.renderRoot as ShadowRoot).activeElement;
    return active?.localName === 'article';
  }

  private _rowEl(id: string | null): HTMLElement | null {
    return id === null
      ? null
      : this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(id)}"]`);
  }

  /** Opens the post as Enter does (its conversation and the respond box), e.g. one the host just took for the agent. */
  openItem(postId: string): void {
    this._open_(postId);
  }

  private _open_(id: string): void {
    const it = this._rows.find((r) => r.postId === id) ?? this.items.find((r) => r.postId === id);
    if (!it) return;
    this._activeId = id;
    this._activeIndex = Math.max(0, this._rows.indexOf(it));
    this._open = it;
    if (this._openId !== id) {
      this._openId = id;
      emit(this, 'social-inbox-select', { postId: id });
    }
  }

  private async _reply(id: string): Promise<void> {
    this._open_(id);
    await this.updateComplete;
    await this.renderRoot.querySelector<SocialRespondBox>('social-respond-box')?.focusText();
  }

  private _toggle(id: string): void {
    const next = new Set(this._selected);
    if (!next.delete(id)) next.add(id);
    this._selected = next;
  }

  private _selectAll(): void {
    this._selected = new Set(this._rows.map((r) => r.postId));
    this._announce(`${plural(this._selected.size, 'post', 'posts')} selected`);
  }

  private _clearSelection(): void {
    this._selected = new Set();
    this._announce('Selection cleared');
    void this.focusItem(this._activeIndex);
  }

  /** The posts `e` and `a` act on: the selection, or else the active post. */
  private _targets(): string[] {
    return this._selected.size ? [...this._selected] : this._activeId ? [this._activeId] : [];
  }

  private _openMenu(kind: Menu['kind'], ids: string[], e?: Event): void {
    if (!ids.length) return;
    const anchor = (e?.currentTarget as HTMLElement | undefined) ?? this._rowEl(this._activeId) ?? this;
    const host = this.getBoundingClientRect();
    const r = anchor.getBoundingClientRect();
    const fromRow = anchor.localName === 'article';
    this._menuPlaced = false;
    this._menu = {
      kind,
      ids,
      back: e ? anchor : null,
      top: Math.max(0, (fromRow ? r.top + 40 : r.bottom) - host.top),
      left: Math.max(0, Math.min(r.left - host.left + (fromRow ? 48 : 0), host.width - 260)),
      above: r.top - host.top,
    };
  }

  private _closeMenu(refocus: boolean): void {
    const m = this._menu;
    this._menu = null;
    if (!refocus || !m) return;
    if (m.back?.isConnected) m.back.focus();
    else void this.focusItem(this._activeIndex);
  }

  private _choose(m: Menu, o: MenuOption): void {
    const n = m.ids.length;
    const pending = new Map(this._pending);
    for (const id of m.ids) pending.set(id, m.kind);
    this._pending = pending;
    if (m.kind === 'done') {
      emit(this, 'social-inbox-done', { postIds: m.ids, reason: o.value as DoneReason });
      this._announce(`${plural(n, 'post', 'posts')} marked done`);
    } else {
      emit(this, 'social-inbox-assign', { postIds: m.ids, ownerId: o.value });
      const to = o.value === this.currentUserId ? 'you' : o.label.replace(/ \(queue\)$/, '');
      this._announce(`${plural(n, 'post', 'posts')} assigned to ${to}`);
    }
    if (this._selected.size && m.ids.length === this._selected.size) this._selected = new Set();
    this._menu = null;
    // Acting on the active post from the list moves on to the next one, as triage goes.
    if (!m.back && n === 1 && m.ids[0] === this._activeId)
      void this.focusItem(Math.min(this._activeIndex + 1, this._rows.length - 1));
    else if (m.back?.isConnected) m.back.focus();
    else void this.focusItem(this._activeIndex);
  }

  private _onMenuKey(e: KeyboardEvent): void {
    const m = this._menu;
    if (!m) return;
    e.stopPropagation();
    const items = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const at = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (e.key === 'Escape') {
      e.preventDefault();
      this._closeMenu(true);
    } else if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      go(at + 1);
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      go(at - 1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      go(e.key === 'Home' ? 0 : -1);
    } else if (/^[1-9]$/.test(e.key) && items[Number(e.key) - 1]) {
      e.preventDefault();
      items[Number(e.key) - 1]!.click();
    } else if (e.key === 'Tab') {
      e.preventDefault();
      this._closeMenu(true);
    }
  }

  private _onMenuFocusOut(e: FocusEvent): void {
    const to = e.relatedTarget as Node | null;
    if (this._menu && (!to || !(e.currentTarget as HTMLElement).contains(to))) this._menu = null;
  }

  private _openHelp(): void {
    this._helpBack = ((this.renderRoot as ShadowRoot).activeElement as HTMLElement | null) ?? null;
    this._help = true;
  }

  private _closedHelp(): void {
    this._help = false;
    if (this._helpBack?.isConnected) this._helpBack.focus();
    else void this.focusItem(this._activeIndex);
  }

  private _onFilter(e: Event): void {
    const t = e.target as HTMLInputElement;
    if (t.name === 'search') return; // `input` handles it
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => (data.get(k) as string | null) ?? '';
    this._setFilters({
      network: get('network') as InboxFilters['network'],
      language: get('language'),
      intent: get('intent') as InboxFilters['intent'],
      queue: get('queue'),
      scope: (get('scope') || 'all') as InboxFilters['scope'],
      search: get('search'),
      sort: (get('sort') || 'due') as InboxFilters['sort'],
    });
  }

  /** Search filters as the user types; the host hears of it once typing pauses. */
  private _onSearch(e: Event): void {
    const t = e.target as HTMLInputElement;
    if (t.name !== 'search') return;
    this.filters = { ...this.filters, search: t.value };
    clearTimeout(this._searchTimer);
    this._searchTimer = setTimeout(() => emit(this, 'social-inbox-filter-change', { ...this.filters }), 250);
  }

  private _setFilters(f: InboxFilters): void {
    clearTimeout(this._searchTimer);
    this.filters = f;
    emit(this, 'social-inbox-filter-change', { ...f });
  }

  private _onClick(e: MouseEvent): void {
    const path = e.composedPath();
    if (path.some((n) => n instanceof HTMLAnchorElement)) return;
    const act = path.find((n): n is HTMLElement => n instanceof HTMLElement && !!n.dataset.act);
    const row = path.find((n): n is HTMLElement => n instanceof HTMLElement && n.localName === 'article');
    const id = act?.dataset.postId ?? row?.dataset.postId;
    if (!id) return;
    const kind = act?.dataset.act;
    if (kind === 'pick') {
      this._toggle(id);
      this._activeId = id;
    } else if (kind === 'lead' || kind === 'contact') {
      emit(this, 'social-inbox-create-record', {
        postId: id,
        recordType: kind === 'lead' ? 'Lead' : 'Contact',
      });
    } else if (kind === 'link') {
      emit(this, 'social-inbox-link', { postId: id, recordId: act!.dataset.recordId! });
    } else if (row && !path.some((n) => n instanceof HTMLButtonElement)) {
      this._open_(id);
    }
  }

  /** A row focused by any means (click, Tab, the host) is the one the keys act on. */
  private _onFocusIn(e: FocusEvent): void {
    const row = e.composedPath()[0] as HTMLElement;
    // By id: a row's data-index is stale for a frame after rows before it left.
    const at =
      row.localName === 'article' ? this._rows.findIndex((r) => r.postId === row.dataset.postId) : -1;
    if (at < 0) return;
    this._activeId = row.dataset.postId!;
    this._activeIndex = at;
  }

  private _onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || this._help) return;
    const path = e.composedPath();
    const t = path[0] as HTMLElement;
    const inPane = path.some((n) => (n as HTMLElement).classList?.contains('pane'));
    if (typing(t)) {
      // Esc from the reply, Enter or Esc from the search: back to the list.
      const search = t.localName === 'input';
      if (e.key === 'Escape' && (inPane || search)) {
        e.preventDefault();
        void this.focusItem(this._activeIndex);
      } else if (e.key === 'Enter' && search) {
        e.preventDefault();
        void this.focusItem(this._activeIndex);
      }
      return;
    }
    const onRow = t.localName === 'article';
    // Keys act on the focused row (the active one unless focus is elsewhere in the inbox).
    if (onRow) this._onFocusIn(e as unknown as FocusEvent);
    const i = this._activeIndex;
    const last = this._rows.length - 1;
    const page = Math.max(1, this._range.last - this._range.first);
    const moves: Record<string, number> = { j: i + 1, k: i - 1 };
    if (onRow)
      Object.assign(moves, {
        ArrowDown: i + 1,
        ArrowUp: i - 1,
        PageDown: i + page,
        PageUp: i - page,
        Home: 0,
        End: last,
      });
    const id = this._activeId;
    let handled = true;
    if (e.key in moves) {
      if (last >= 0) void this.focusItem(Math.min(last, Math.max(0, moves[e.key]!)));
    } else if ((e.key === 'Enter' && onRow) || e.key === 'o') {
      if (id) this._open_(id);
    } else if (e.key === 'r') {
      if (id) void this._reply(id);
    } else if (e.key === 'e' || e.key === 'a') {
      this._openMenu(e.key === 'e' ? 'done' : 'assign', this._targets());
    } else if (e.key === 'x') {
      if (id) this._toggle(id);
    } else if (e.key === '/') {
      this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
    } else if (e.key === '?') {
      this._openHelp();
    } else if (e.key === 'Escape' && (this._selected.size || inPane)) {
      if (this._selected.size) this._clearSelection();
      else void this.focusItem(i);
    } else handled = false;
    if (handled) e.preventDefault();
  }

  private _onRange(e: Event & { first?: number; last?: number }): void {
    this._range = { first: e.first ?? 0, last: e.last ?? -1 };
    for (const k of this._rowTemplates.keys())
      if (k < this._range.first || k > this._range.last) this._rowTemplates.delete(k);
    // Keep the list's one tab stop on a rendered row after the user scrolled away from it.
    if (
      !this._focusedRow() &&
      (this._activeIndex < this._range.first || this._activeIndex > this._range.last)
    ) {
      this._activeIndex = this._range.first;
      this._activeId = this._rows[this._range.first]?.postId ?? null;
    }
  }

  /** Scrolls the post at `index` (in the filtered, sorted order) into view and focuses it. */
  async focusItem(index: number): Promise<void> {
    const it = this._rows[index];
    if (!it) return;
    this._activeId = it.postId;
    this._activeIndex = index;
    const call = ++this._focusCalls;
    await this.updateComplete;
    const feed = this.renderRoot.querySelector('.feed') as (HTMLElement & VirtualizerHostElement) | null;
    const find = () => this._rowEl(it.postId);
    let el = find();
    if (!el) feed?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
    for (let tries = 0; !el && tries < 20; tries++) {
      await new Promise((r) => requestAnimationFrame(r));
      el = find();
    }
    // A later call (the user pressed j again, the host removed rows) decides where focus goes.
    if (call !== this._focusCalls) return;
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  }
}
