import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { FirstScreenLayout } from './first-screen-layout.ts';
import { SHADOW_MODE } from './shadow-mode.ts';
import { emit } from './events.ts';
import { ClockController } from './controllers/clock-controller.ts';
import { renderText } from './text/render.ts';
import { dueLabel } from './inbox.ts';
import { answeredIds, awaitsReply, matches, threadRows, type Row } from './threads.ts';
import { safeHttpUrl } from './text/safe-url.ts';
import {
  INTENT_LABEL,
  NETWORK_LABEL,
  SENTIMENT_LABEL,
  STATUS_LABEL,
  atHandle,
  hash,
  initials,
  plural,
  relativeTime,
  signedScore,
  waitingFor,
} from './format.ts';
import type { SocialPost, TimelineFilters } from './types.ts';
import { styles } from './social-timeline.styles.ts';

const NO_FILTERS: TimelineFilters = { network: '', sentiment: '', intent: '', needsReply: false };
const NO_ROW = html``;

/**
 * @summary The record's social posts, newest thread first, each post with its replies (inbound and ours).
 *
 * Keyboard: Tab reaches the filters, then the list (one tab stop); Arrow Up/Down, Page Up/Down, Home and
 * End move between posts; Enter or Space selects the focused post; Tab moves on to the links of a post.
 * Virtualized: only the posts in view (plus a margin) are in the DOM, so 10,000+ posts stay fast.
 *
 * @fires social-post-select - `{ postId, post }` when a post is clicked or Enter/Space is pressed on it.
 * @fires social-load-older - `{ before }` (posted-at of the oldest post shown) from the "Load older posts" button.
 * @fires social-filter-change - the new `TimelineFilters` when the user changes a filter.
 * @fires social-retry - from the "Try again" button of the error state.
 *
 * @csspart filters - the filter bar (a form).
 * @csspart list - the scrolling list of posts (role feed).
 * @csspart post - one post (article); also `post selected`, `post outbound`.
 * @csspart status - the reply status chip of our own posts (Sent, Failed: reason, …).
 * @csspart sla - the needs-reply / SLA chip; `sla overdue` past the target.
 * @csspart answered - the "Answered" chip of an inbound post we replied to.
 * @csspart permalink - the link to the post on its network ("View on X"; for our replies once sent).
 * @csspart load-older - the "Load older posts" button.
 * @csspart state - the loading, empty and error messages.
 *
 * @cssprop [--social-timeline-height=36rem] - Height of the scrolling list.
 * @cssprop [--social-color-text] - Text colour (falls back to `--slds-g-color-on-surface-3`).
 * @cssprop [--social-color-surface] - Background (falls back to `--slds-g-color-surface-container-1`).
 * @cssprop [--social-color-border] - Borders (falls back to `--slds-g-color-border-1`).
 * @cssprop [--social-color-brand] - Selection and focus (falls back to `--slds-g-color-accent-2`).
 * @cssprop [--social-color-error] - Overdue and failed (falls back to `--slds-g-color-error-1`).
 */
export class SocialTimeline extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, mode: SHADOW_MODE };
  static override styles = styles;

  /** The record's posts, in any order (`Social_Post__c` rows, see types.ts). */
  @property({ attribute: false }) posts: SocialPost[] = [];

  /** Id of the selected post (shown with `aria-current`). Set by a click/Enter, or by the host. */
  @property({ attribute: 'selected-id' }) selectedId: string | null = null;

  /** True while the host loads the first page. */
  @property({ type: Boolean }) loading = false;

  /** A message when loading failed; shows the error state with "Try again". */
  @property() error: string | null = null;

  /** True when older posts exist; shows "Load older posts". */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false;

  /** True while older posts load (after `social-load-older`). */
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false;

  /** The reply-time target in minutes: a post waiting longer turns red. */
  @property({ type: Number, attribute: 'sla-minutes' }) slaMinutes = 60;

  /** The active filters; the user changes them through the filter bar. */
  @property({ attribute: false }) filters: TimelineFilters = NO_FILTERS;

  @state() private _rows: Row[] = [];
  @state() private _activeId: string | null = null;
  @state() private _announcement = '';
  /** Posts we answered (see `answeredIds`), as of the last change of `posts`. */
  private _answered: ReadonlySet<string> = new Set();

  private readonly _clock = new ClockController(this);
  private _knownIds: string[] = [];
  private _newest = -Infinity;
  private _range = { first: 0, last: -1 };
  /**
   * The templates of the rows in the virtualizer's range, by index, made since the last update. When the
   * virtualizer alone re-renders (it measured the rows, or the range moved), the rows it had rendered
   * come from here instead of being built again; every update of the element starts afresh.
   */
  private _rowTemplates = new Map<number, TemplateResult>();
  private readonly _layout = { type: FirstScreenLayout, host: this };

  protected override willUpdate(changed: PropertyValues<this>): void {
    this._rowTemplates = new Map();
    const times = changed.has('posts') ? this._announceNew() : undefined;
    if (times) this._answered = answeredIds(this.posts);
    if (times || changed.has('filters')) {
      const f = this.filters;
      const answered = this._answered;
      this._rows =
        f.network || f.sentiment || f.intent || f.needsReply
          ? threadRows(this.posts.filter((p) => matches(p, f, answered)))
          : threadRows(this.posts, times);
      const id = this._activeId;
      if (id === null || !this._rows.some((r) => r.post.id === id))
        this._activeId = this._rows[0]?.post.id ?? null;
    }
  }

  /**
   * Announces posts newer than any seen before (not older pages) in the polite live region. Returns each
   * post's time (`Date.parse`), which the threading needs too.
   */
  private _announceNew(): Float64Array {
    const posts = this.posts;
    const times = new Float64Array(posts.length);
    const fresh: SocialPost[] = [];
    let newest = this._newest;
    let known: Set<string> | undefined;
    posts.forEach((p, i) => {
      const t = (times[i] = Date.parse(p.postedAt) || 0);
      // Only a post newer than all before can be fresh: look the ids up for those alone.
      if (t > this._newest && this._knownIds.length && !(known ??= new Set(this._knownIds)).has(p.id))
        fresh.push(p);
      if (t > newest) newest = t;
    });
    this._knownIds = posts.map((p) => p.id);
    this._newest = newest;
    if (fresh.length) {
      const first = fresh[0]!;
      this._announcement =
        fresh.length === 1
          ? `New post from ${first.authorName || atHandle(first.authorHandle)} on ${NETWORK_LABEL[first.network]}`
          : `${fresh.length} new posts`;
    }
    return times;
  }

  override render(): TemplateResult {
    return html`
      ${this._renderFilters()}
      <div class="live vh" role="status" aria-live="polite" aria-atomic="true">${this._announcement}</div>
      ${this._renderBody()}
    `;
  }

  private _renderFilters(): TemplateResult {
    const f = this.filters;
    const select = (label: string, name: string, labels: Record<string, string>, current: string) =>
      html`<label
        >${label}
        <select name=${name}>
          <option value="">All</option>
          ${Object.entries(labels).map(
            ([v, l]) => html`<option value=${v} ?selected=${v === current}>${l}</option>`,
          )}
        </select></label
      >`;
    return html`<form
      class="filters"
      part="filters"
      aria-label="Filter posts"
      @change=${this._onFilter}
      @submit=${(e: Event) => e.preventDefault()}
    >
      ${select('Network', 'network', NETWORK_LABEL, f.network)}
      ${select('Sentiment', 'sentiment', SENTIMENT_LABEL, f.sentiment)}
      ${select('Intent', 'intent', INTENT_LABEL, f.intent)}
      <label class="check"
        ><input type="checkbox" name="needsReply" .checked=${f.needsReply} /> Needs reply</label
      >
    </form>`;
  }

  private _renderBody(): TemplateResult {
    if (this.error && !this.posts.length) {
      return html`<div class="state" part="state" role="alert">
        <p><strong>Social posts couldn't be loaded.</strong> ${this.error}</p>
        <p>
          Check your connection, then try again. If it keeps failing, ask your admin to check the Social CRM
          sync.
        </p>
        <button @click=${() => emit(this, 'social-retry', {})}>Try again</button>
      </div>`;
    }
    if (this.loading && !this.posts.length) {
      return html`<div class="state" part="state" role="status" aria-busy="true">Loading social posts…</div>`;
    }
    if (!this.posts.length) {
      return html`<div class="state" part="state">
        <p><strong>No social posts for this record yet.</strong></p>
        <p>
          Posts by this customer's social profiles appear here as they arrive. To link more profiles, add
          handles to the Social Handles field or accept a suggested identity.
        </p>
      </div>`;
    }
    const rows = this._rows;
    return html`
      ${this.error ? html`<p class="notice bad" role="alert">${this.error}</p>` : nothing}
      <p class="count muted">
        ${
          rows.length === this.posts.length
            ? plural(rows.length, 'post', 'posts')
            : `${rows.length} of ${plural(this.posts.length, 'post', 'posts')} ${rows.length === 1 ? 'matches' : 'match'} the filters`
        }
      </p>
      ${
        rows.length
          ? html`<div
              class="feed"
              part="list"
              role="feed"
              aria-label="Social posts"
              aria-busy=${this.loadingOlder ? 'true' : 'false'}
              @keydown=${this._onKeydown}
              @click=${this._onClick}
              @rangeChanged=${this._onRange}
            >
              ${virtualize({
                items: rows,
                layout: this._layout,
                // Between a change of the rows and the virtualizer's next range, the directive renders its
                // previous range over the new rows: a list that shrank (a post answered under "Needs
                // reply") has no row at the old last indices. Those render nothing until the new range.
                keyFunction: (r: Row | undefined, i: number) => r?.post.id ?? `\u0000${i}`,
                renderItem: (r: Row | undefined, i: number) => (r ? this._row(r, i, rows.length) : NO_ROW),
                scroller: true,
              })}
            </div>`
          : html`<div class="state" part="state">
              <p>No posts match these filters.</p>
              <button @click=${() => this._setFilters(NO_FILTERS)}>Clear filters</button>
            </div>`
      }
      ${
        this.hasMore
          ? html`<button
              class="older"
              part="load-older"
              ?disabled=${this.loadingOlder}
              @click=${this._loadOlder}
            >
              ${this.loadingOlder ? 'Loading older posts…' : 'Load older posts'}
            </button>`
          : nothing
      }
    `;
  }

  /** `_renderRow`, or the template it made for this row since the last update (see `_rowTemplates`). */
  private _row(row: Row, i: number, total: number): TemplateResult {
    let t = this._rowTemplates.get(i);
    if (!t) this._rowTemplates.set(i, (t = this._renderRow(row, i, total)));
    return t;
  }

  private _renderRow({ post: p, depth }: Row, i: number, total: number): TemplateResult {
    const now = this._clock.now;
    const selected = p.id === this.selectedId;
    const name = p.authorName || atHandle(p.authorHandle);
    const when = relativeTime(p.postedAt, now);
    const label = `${p.isOutbound ? 'Our reply' : name}${depth ? ', reply' : ''} on ${NETWORK_LABEL[p.network]}, ${when}`;
    return html`<article
      class="post d${Math.min(depth, 3)}"
      part="post${selected ? ' selected' : ''}${p.isOutbound ? ' outbound' : ''}"
      tabindex=${p.id === this._activeId ? 0 : -1}
      aria-label=${label}
      aria-posinset=${i + 1}
      aria-setsize=${total}
      aria-current=${selected ? 'true' : nothing}
      data-index=${i}
      data-post-id=${p.id}
    >
      <span class="avatar c${hash(atHandle(p.authorHandle).toLowerCase()) % 6}" aria-hidden="true"
        >${initials(p.authorName || p.authorHandle)}</span
      >
      <div class="main">
        <div class="head">
          <span class="name">${name}</span>
          ${p.authorName ? html`<span class="muted">${atHandle(p.authorHandle)}</span>` : nothing}
          ${
            p.authorInfluence != null && !p.isOutbound
              ? html`<span
                  class="chip${p.authorInfluence >= 70 ? ' hi' : ''}"
                  title="Influence of ${atHandle(p.authorHandle)} on ${NETWORK_LABEL[p.network]} (this profile), 0 to 100"
                  >Influence ${Math.round(p.authorInfluence)}</span
                >`
              : nothing
          }
          <span class="chip net">${NETWORK_LABEL[p.network]}</span>
          <time class="muted" datetime=${p.postedAt} title=${new Date(p.postedAt).toLocaleString()}
            >${when}</time
          >
        </div>
        <p class="body" lang=${p.language || nothing}>${renderText(p)}</p>
        <div class="meta">${this._renderMeta(p, now)}</div>
      </div>
    </article>`;
  }

  private _renderMeta(p: SocialPost, now: number): unknown[] {
    const out: unknown[] = [];
    if (p.sentiment) {
      const cls = p.sentiment === 'positive' ? 'ok' : p.sentiment === 'negative' ? 'bad' : '';
      const score = typeof p.sentimentScore === 'number' ? signedScore(p.sentimentScore) : '';
      out.push(
        html`<span class="chip ${cls}" title="Sentiment of this post${score ? `: ${score} (−1 to 1)` : ''}"
          >${SENTIMENT_LABEL[p.sentiment]}${score ? ` ${score}` : ''}</span
        >`,
      );
    }
    if (p.intent) out.push(html`<span class="chip">${INTENT_LABEL[p.intent]}</span>`);
    if (p.isOutbound && p.status) {
      const cls =
        p.status === 'Sent' ? 'ok' : p.status === 'Failed' || p.status === 'Rejected' ? 'bad' : 'warn';
      out.push(
        html`<span class="chip ${cls}" part="status"
          >${STATUS_LABEL[p.status]}${p.status === 'Failed' && p.failureReason ? `: ${p.failureReason}` : ''}</span
        >`,
      );
    }
    if (!p.isOutbound && this._answered.has(p.id)) {
      out.push(html`<span class="chip ok" part="answered">Answered</span>`);
    } else if (awaitsReply(p, this._answered)) {
      // The post's own reply-time target (`replyDueAt`, set by the inbox's routing) when it has one;
      // otherwise the timeline's `slaMinutes` from when it was posted.
      const due = dueLabel(Date.parse(p.replyDueAt ?? ''), now);
      const waited = now - (Date.parse(p.postedAt) || now);
      const over = due ? due.over : waited > this.slaMinutes * 60_000;
      out.push(
        html`<span
          class="chip ${over ? 'bad' : 'warn'}"
          part="sla${over ? ' overdue' : ''}"
          data-overdue=${over}
        >
          ${
            due
              ? `Needs reply · ${due.text.toLowerCase()}`
              : `Needs reply · waiting ${waitingFor(waited)}${over ? ` (over the ${waitingFor(this.slaMinutes * 60_000)} target)` : ''}`
          }
        </span>`,
      );
    }
    // Our reply links to itself on the network once sent (before, its URL is not known); theirs always.
    const href = (!p.isOutbound || p.status === 'Sent') && safeHttpUrl(p.url);
    if (href) {
      out.push(
        html`<a
          class="permalink"
          part="permalink"
          href=${href}
          target="_blank"
          rel="noopener noreferrer nofollow"
          >${p.isOutbound ? 'View our reply on' : 'View on'} ${NETWORK_LABEL[p.network]}</a
        >`,
      );
    }
    return out;
  }

  private _onFilter(e: Event): void {
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    this._setFilters({
      network: (data.get('network') as TimelineFilters['network']) ?? '',
      sentiment: (data.get('sentiment') as TimelineFilters['sentiment']) ?? '',
      intent: (data.get('intent') as TimelineFilters['intent']) ?? '',
      needsReply: data.get('needsReply') === 'on',
    });
  }

  private _setFilters(f: TimelineFilters): void {
    this.filters = f;
    emit(this, 'social-filter-change', { ...f });
  }

  private _loadOlder(): void {
    let oldest: string | null = null;
    let t = Infinity;
    for (const p of this.posts) {
      const pt = Date.parse(p.postedAt);
      if (pt < t) {
        t = pt;
        oldest = p.postedAt;
      }
    }
    emit(this, 'social-load-older', { before: oldest });
  }

  private _rowOf(e: Event): HTMLElement | undefined {
    return e
      .composedPath()
      .find((n): n is HTMLElement => n instanceof HTMLElement && n.localName === 'article');
  }

  private _select(index: number): void {
    const row = this._rows[index];
    if (!row) return;
    this.selectedId = row.post.id;
    this._activeId = row.post.id;
    emit(this, 'social-post-select', { postId: row.post.id, post: row.post });
  }

  private _onClick(e: MouseEvent): void {
    const path = e.composedPath();
    if (path.some((n) => n instanceof HTMLAnchorElement)) return;
    const row = this._rowOf(e);
    if (row) this._select(Number(row.dataset.index));
  }

  private _onKeydown(e: KeyboardEvent): void {
    const row = this._rowOf(e);
    // Keys typed on a link inside a post are the link's.
    if (!row || e.composedPath()[0] !== row) return;
    const i = Number(row.dataset.index);
    const page = Math.max(1, this._range.last - this._range.first);
    const last = this._rows.length - 1;
    const to: Record<string, number> = {
      ArrowDown: i + 1,
      ArrowUp: i - 1,
      PageDown: i + page,
      PageUp: i - page,
      Home: 0,
      End: last,
    };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this._select(i);
    } else if (e.key in to) {
      e.preventDefault();
      void this.focusPost(Math.min(last, Math.max(0, to[e.key]!)));
    }
  }

  private _onRange(e: Event & { first?: number; last?: number }): void {
    this._range = { first: e.first ?? 0, last: e.last ?? -1 };
    for (const i of this._rowTemplates.keys())
      if (i < this._range.first || i > this._range.last) this._rowTemplates.delete(i);
    // Keep the list's one tab stop on a rendered post after the user scrolled away from it.
    const active = this._rows.findIndex((r) => r.post.id === this._activeId);
    const focusInside =
      this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement?.localName === 'article';
    if (!focusInside && (active < this._range.first || active > this._range.last)) {
      this._activeId = this._rows[this._range.first]?.post.id ?? null;
    }
  }

  /** Scrolls the post at `index` (in the filtered, threaded order) into view and focuses it. */
  async focusPost(index: number): Promise<void> {
    const row = this._rows[index];
    if (!row) return;
    this._activeId = row.post.id;
    await this.updateComplete;
    const feed = this.renderRoot.querySelector('.feed') as (HTMLElement & VirtualizerHostElement) | null;
    const find = () => this.renderRoot.querySelector<HTMLElement>(`article[data-index="${index}"]`);
    let el = find();
    if (!el) feed?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
    for (let tries = 0; !el && tries < 20; tries++) {
      await new Promise((r) => requestAnimationFrame(r));
      el = find();
    }
    el?.focus();
  }
}
