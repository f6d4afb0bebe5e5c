import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state, query } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { SHADOW_MODE } from './shadow-mode.ts';
import { emit } from './events.ts';
import { countFor, type Count } from './text/counter.ts';
import { NETWORK_LABEL, atHandle, plural, relativeTime } from './format.ts';
import { safeHttpUrl } from './text/safe-url.ts';
import type {
  ReplyCollision,
  ReplyContext,
  ReplyRules,
  ReplySendStatus,
  SavedReply,
  SocialPost,
} from './types.ts';
import { styles } from './social-respond-box.styles.ts';

const PLACEHOLDER = /\{(first_name|case_number)\}/g;
const HAS_PLACEHOLDER = /\{(?:first_name|case_number)\}/;
const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** A v4 UUID; `crypto.randomUUID` needs a secure context, so plain-http hosts get the same from getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Fills `{first_name}` and `{case_number}`; a placeholder without a value stays, so the agent sees it. */
export function fillPlaceholders(body: string, ctx: ReplyContext): string {
  return body.replace(PLACEHOLDER, (m, name: string) => {
    const v = name === 'first_name' ? ctx.firstName : ctx.caseNumber;
    return v ? v : m;
  });
}

/** Networks where a reply starts by mentioning the author. Facebook tags people by name, not handle. */
const MENTIONS = new Set(['x', 'bluesky', 'mastodon', 'instagram']);

/**
 * @summary Compose and send a reply to the selected post, with the network's length rules.
 *
 * The box never sends anything itself: it fires `social-reply` and the host posts it
 * (`POST /api/replies`), then reports back through `status`. Each compose gets its own idempotency key:
 * sending the same text again (a double click, a retry after a failure) reuses it, so the server makes
 * one reply; a changed text or a successful send starts a new key.
 *
 * Keyboard: Ctrl+Enter (⌘+Enter on a Mac) in the text sends. `focusText()` brings the text into view and
 * focuses it, for a host that moves the agent here when a post is selected.
 *
 * @fires social-reply - `{ postId, text, idempotencyKey }` when the user sends.
 *
 * @csspart form - the whole compose form.
 * @csspart textarea - the reply text.
 * @csspart counter - the length counter; `counter over` past the limit.
 * @csspart send - the Send button.
 * @csspart saved - the saved-reply picker.
 * @csspart rules - the network rule warning.
 * @csspart collision - the "someone else is replying" warning (not shown once our reply is sent).
 * @csspart status - the sending / sent / failed message.
 * @csspart sent-link - "View it on X": the sent reply on its network (with `sentUrl`).
 *
 * @cssprop [--social-color-brand] - Send button and focus (falls back to `--slds-c-button-brand-color-background`).
 * @cssprop [--social-color-error] - Over-limit and failure (falls back to `--slds-g-color-error-1`).
 */
export class SocialRespondBox extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, mode: SHADOW_MODE };
  static override styles = styles;

  /** The post being answered; its network sets the counter and its author the mention. */
  @property({ attribute: false }) post: SocialPost | null = null;

  /** Canned answers the agent can insert. */
  @property({ attribute: false }) savedReplies: SavedReply[] = [];

  /** Values for `{first_name}` and `{case_number}` in saved replies. */
  @property({ attribute: false }) context: ReplyContext = {};

  /** What the host reports about the last `social-reply`: `sending`, `sent`, `failed` (or `idle`). */
  @property() status: ReplySendStatus = 'idle';

  /**
   * Why sending failed (with `status="failed"`), what the reply waits for (with `"sending"`: a rate
   * limit, an approver), or where it went (with `"sent"`).
   */
  @property({ attribute: 'status-message' }) statusMessage = '';

  /** Network rules for this post, e.g. `{ canReply: false, reason: 'X only allows…' }`. */
  @property({ attribute: false }) rules: ReplyRules | null = null;

  /** Another user already replying to this post. */
  @property({ attribute: false }) collision: ReplyCollision | null = null;

  /** Where the sent reply is on its network (`Url__c`), linked with `status="sent"`; http(s) only. */
  @property({ attribute: 'sent-url' }) sentUrl: string | null = null;

  @state() private _text = '';
  @state() private _announce = '';
  @query('textarea') private _textarea?: HTMLTextAreaElement;
  @query('select') private _saved?: HTMLSelectElement;

  private _key: string | null = null;
  private _sentText: string | null = null;
  private _postId: string | null = null;
  private _zone = '';
  private _count: Count | undefined;

  /** The current text of the reply. */
  get text(): string {
    return this._text;
  }
  set text(value: string) {
    this._text = value;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('post') && (this.post?.id ?? null) !== this._postId) {
      this._postId = this.post?.id ?? null;
      this._newCompose(
        this.post && MENTIONS.has(this.post.network) ? `${atHandle(this.post.authorHandle)} ` : '',
      );
    }
    if (changed.has('status') && this.status === 'sent' && changed.get('status') !== 'sent') {
      this._newCompose('');
    }
    if (changed.has('status') && this.status !== 'idle') {
      this._announce =
        this.status === 'sending' ? 'Sending reply…' : this.status === 'sent' ? 'Reply sent.' : '';
    }
    if (this.post) {
      this._count = countFor(this.post.network, this._text);
      this._announceCount(this._count.remaining);
    }
  }

  private _newCompose(text: string): void {
    this._text = text;
    this._key = null;
    this._sentText = null;
  }

  private get _prefill(): string {
    return this.post && MENTIONS.has(this.post.network) ? `${atHandle(this.post.authorHandle)} ` : '';
  }

  override render(): TemplateResult {
    const p = this.post;
    if (!p) {
      return html`<p class="empty muted" part="form">Select a post in the timeline to reply to it.</p>`;
    }
    const count = this._count!;
    const over = count.remaining < 0;
    const unresolved = this._text.match(PLACEHOLDER);
    const blocked = this.rules?.canReply === false;
    const empty = !this._text.trim() || this._text.trim() === this._prefill.trim();
    const canSend = !blocked && !over && !empty && !unresolved && this.status !== 'sending';
    const name = p.authorName || atHandle(p.authorHandle);
    const key = IS_MAC ? '⌘' : 'Ctrl';
    return html`<form part="form" @submit=${this._onSubmit} aria-label="Reply to ${name}">
      <p class="to">Reply to <strong>${name}</strong> on ${NETWORK_LABEL[p.network]}</p>
      <blockquote class="quote muted">
        ${p.body.length > 200 ? `${p.body.slice(0, 199)}…` : p.body}
      </blockquote>
      ${
        this.rules?.reason
          ? html`<p id="rules" class="notice warn" part="rules">
              ${blocked ? html`<strong>Can't reply here.</strong> ` : nothing}${this.rules.reason}
            </p>`
          : nothing
      }
      ${
        this.collision && this.status !== 'sent'
          ? html`<p class="notice warn" part="collision" role="status">
              <strong>${this.collision.user}</strong> started replying to this post
              ${relativeTime(this.collision.since, Date.now())}. Check with them before you send, so the
              customer doesn't get two answers.
            </p>`
          : nothing
      }
      <label for="text">Your reply</label>
      <textarea
        id="text"
        part="textarea"
        rows="4"
        .value=${live(this._text)}
        @input=${(e: InputEvent) => (this._text = (e.target as HTMLTextAreaElement).value)}
        @keydown=${this._onKeydown}
        aria-invalid=${over || unresolved ? 'true' : 'false'}
        aria-describedby="count hint${this.rules?.reason ? ' rules' : ''}"
      ></textarea>
      <div class="bar">
        <span id="count" part="counter${over ? ' over' : ''}" class=${over ? 'over' : ''}
          >${
            over
              ? `${plural(-count.remaining, 'character', 'characters')} over the ${NETWORK_LABEL[p.network]} limit of ${count.limit}`
              : html`${count.length}/${count.limit}<span class="vh"> characters used</span>`
          }</span
        >
        <span id="hint" class="muted"
          >${unresolved ? html`<span class="err">Replace ${unresolved.join(', ')} before sending. </span>` : nothing}${key}+Enter
          sends</span
        >
      </div>
      <div class="bar">
        ${
          this.savedReplies.length
            ? html`<span class="saved" part="saved">
                <label for="saved">Saved reply</label>
                <select id="saved">
                  ${this.savedReplies.map((r) => html`<option value=${r.id}>${r.name}</option>`)}
                </select>
                <button type="button" @click=${this._insertSaved}>Insert</button>
              </span>`
            : nothing
        }
        <button
          class="brand"
          part="send"
          type="submit"
          ?disabled=${!canSend}
          aria-busy=${this.status === 'sending' ? 'true' : 'false'}
        >
          ${this.status === 'sending' ? 'Sending…' : 'Send'}
        </button>
      </div>
      <p class="vh" role="status">${this._announce}</p>
      ${
        this.status === 'sending' && this.statusMessage
          ? html`<p class="notice" part="status">${this.statusMessage}</p>`
          : nothing
      }
      ${this.status === 'sent' ? this._renderSent(p) : nothing}
      ${
        this.status === 'failed'
          ? html`<p class="notice bad" part="status" role="alert">
              <strong>The reply wasn't sent.</strong>
              ${this.statusMessage || 'The network did not accept it.'} Your text is kept: fix it if needed
              and select Send to try again.
            </p>`
          : nothing
      }
    </form>`;
  }

  private _renderSent(p: SocialPost): TemplateResult {
    const href = safeHttpUrl(this.sentUrl);
    return html`<p class="notice ok" part="status">
      Reply sent.${this.statusMessage ? ` ${this.statusMessage}` : ''}
      ${
        href
          ? html`<a part="sent-link" href=${href} target="_blank" rel="noopener noreferrer nofollow"
              >View it on ${NETWORK_LABEL[p.network]}</a
            >`
          : nothing
      }
    </p>`;
  }

  /** Tells screen readers once when the text nears or passes the limit, not on every keystroke. */
  private _announceCount(remaining: number): void {
    const zone = remaining < 0 ? 'over' : remaining <= 20 ? 'near' : '';
    if (zone === this._zone) return;
    this._zone = zone;
    if (zone)
      this._announce =
        zone === 'over'
          ? 'Over the character limit.'
          : `${plural(remaining, 'character', 'characters')} left.`;
  }

  private _onKeydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.send();
    }
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    this.send();
  }

  private _insertSaved(): void {
    const reply = this.savedReplies.find((r) => r.id === this._saved?.value);
    const ta = this._textarea;
    if (!reply || !ta) return;
    const body = fillPlaceholders(reply.body, this.context);
    const start = ta.selectionStart ?? this._text.length;
    const end = ta.selectionEnd ?? start;
    this._text = this._text.slice(0, start) + body + this._text.slice(end);
    void this.updateComplete.then(() => {
      ta.focus();
      ta.setSelectionRange(start + body.length, start + body.length);
    });
  }

  /**
   * Scrolls the reply text into view and focuses it, the caret after the text (the prefilled mention).
   * Resolves once focused; without a `post` there is no text, and nothing happens.
   */
  async focusText(): Promise<void> {
    await this.updateComplete;
    const ta = this._textarea;
    if (!ta) return;
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(ta.value.length, ta.value.length);
    // The whole box, so the agent sees the post quoted above the text and Send below it.
    this.scrollIntoView({ block: 'nearest' });
  }

  /**
   * Fires `social-reply` if the reply can be sent. Same text as the last attempt → same idempotency key.
   * Returns whether an event was fired.
   */
  send(): boolean {
    const p = this.post;
    const text = this._text;
    if (!p || this.rules?.canReply === false || this.status === 'sending') return false;
    if (!text.trim() || text.trim() === this._prefill.trim() || HAS_PLACEHOLDER.test(text)) return false;
    if (countFor(p.network, text).remaining < 0) return false;
    if (this._key === null || this._sentText !== text) this._key = newIdempotencyKey();
    this._sentText = text;
    emit(this, 'social-reply', { postId: p.id, text, idempotencyKey: this._key });
    return true;
  }
}
