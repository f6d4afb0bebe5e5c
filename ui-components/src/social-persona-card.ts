import { LitElement, html, nothing, svg, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { SHADOW_MODE } from './shadow-mode.ts';
import { emit } from './events.ts';
import { safeHttpUrl } from './text/safe-url.ts';
import { NETWORK_LABEL, atHandle, compactNumber, plural, sentimentWord, signedScore } from './format.ts';
import type { CustomerValue, SocialPersona, TrendPoint } from './types.ts';
import { styles } from './social-persona-card.styles.ts';

/** "rising" / "falling" / "steady" from the first to the last point, ignoring moves under 5 % of the scale. */
function direction(points: readonly number[], span: number): string {
  if (points.length < 2) return '';
  const d = points[points.length - 1]! - points[0]!;
  return Math.abs(d) < span * 0.05 ? 'steady' : d > 0 ? 'rising' : 'falling';
}

/** An amount in whole units of `currency` (an ISO code; unknown or invalid: USD), in the user's locale. */
function money(n: number, currency?: string | null): string {
  const f = (c: string) =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency: c, maximumFractionDigits: 0 }).format(n);
  try {
    return f(currency || 'USD');
  } catch {
    return f('USD');
  }
}

const max = (xs: (number | undefined)[]): number | null => {
  const vs = xs.filter((x): x is number => typeof x === 'number');
  return vs.length ? Math.max(...vs) : null;
};

/**
 * @summary The record's social identities across networks, its influence, advocacy and sentiment with
 * trends, and identity suggestions to accept or reject.
 *
 * Each number says what it is, the way the rest of the product defines it: influence and advocacy are
 * the highest of the person's profiles (one person's audiences overlap, so they are not added up), and
 * sentiment is the average of their posts with recent ones weighing most (`Social_Sentiment__c`), never
 * one post's score. The sentiment line shows their posts one by one. Customer value is one line, the
 * record's `Social_Customer_Value__c` in the org currency, its lifetime and referral parts in its tooltip.
 *
 * @fires social-suggestion-accept - `{ personaId }`: the user confirms a suggested identity is this person.
 * @fires social-suggestion-reject - `{ personaId }`: the user says it is not.
 * @fires social-persona-split - `{ personaId }`: the user says a joined profile is not this person (the host
 *   calls `POST /api/persons/split`).
 *
 * @csspart card - the whole card.
 * @csspart score - one score tile (influence, advocacy, sentiment).
 * @csspart sparkline - a trend line (inline SVG).
 * @csspart customer-value - the customer value line.
 * @csspart persona - one linked identity.
 * @csspart suggestion - one suggested identity.
 *
 * @cssprop [--social-color-brand] - Trend lines (falls back to `--slds-g-color-accent-2`).
 * @cssprop [--social-color-surface] - Background (falls back to `--slds-g-color-surface-container-1`).
 */
export class SocialPersonaCard extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, mode: SHADOW_MODE };
  static override styles = styles;

  /** Identities linked to the record (`Social_Persona__c` with `Contact__c`/`Lead__c` set). */
  @property({ attribute: false }) personas: SocialPersona[] = [];

  /** Identities suggested by identity resolution (`Suggested_Contact__c`/`Suggested_Lead__c` set). */
  @property({ attribute: false }) suggestions: SocialPersona[] = [];

  /** The record's influence 0–100: the highest of its profiles' (`Social_Influence__c`); default: computed from `personas`. */
  @property({ type: Number }) influence: number | null = null;

  /** The record's advocacy 0–100: the highest of its profiles'; default: computed from `personas`. */
  @property({ type: Number }) advocacy: number | null = null;

  /**
   * The record's sentiment −1…1: the average of its posts, recent ones weighing most
   * (`Social_Sentiment__c`). Not derived from anything else: without it the card shows "—".
   */
  @property({ type: Number }) sentiment: number | null = null;

  /**
   * The customer's value (`Social_Customer_Value__c` of the Contact or Account, with its lifetime and
   * referral parts): one line under the scores; null (or no total) shows nothing.
   */
  @property({ attribute: false }) customerValue: CustomerValue | null = null;

  /** Influence over time, oldest first (0–100). */
  @property({ attribute: false }) influenceTrend: TrendPoint[] = [];

  /** Advocacy over time, oldest first (0–100). */
  @property({ attribute: false }) advocacyTrend: TrendPoint[] = [];

  /** The sentiment of each of their latest posts, oldest first (−1…1): the line under the average. */
  @property({ attribute: false }) sentimentTrend: TrendPoint[] = [];

  /** Heading text of the card. */
  @property() heading = 'Social profiles';

  override render(): TemplateResult {
    const influence = this.influence ?? max(this.personas.map((p) => p.influenceScore));
    const advocacy = this.advocacy ?? max(this.personas.map((p) => p.advocacyScore));
    const sentiment = this.sentiment;
    const posts = this.sentimentTrend.length;
    return html`<section part="card" aria-labelledby="h">
      <h2 id="h">${this.heading}</h2>
      <div class="scores">
        ${this._score({
          label: 'Influence',
          value: influence == null ? null : String(Math.round(influence)),
          basis: 'highest of their profiles',
          trend: { points: this.influenceTrend, lo: 0, hi: 100, what: 'Influence' },
        })}
        ${this._score({
          label: 'Advocacy',
          value: advocacy == null ? null : String(Math.round(advocacy)),
          basis: 'highest of their profiles',
          trend: { points: this.advocacyTrend, lo: 0, hi: 100, what: 'Advocacy' },
        })}
        ${this._score({
          label: 'Average sentiment',
          value: sentiment == null ? null : `${sentimentWord(sentiment)} ${signedScore(sentiment)}`,
          basis: 'recent posts weigh most',
          trend: {
            points: this.sentimentTrend,
            lo: -1,
            hi: 1,
            what: `Sentiment of their last ${plural(posts, 'post', 'posts')}, one by one`,
          },
        })}
      </div>
      ${this._value()}
      ${
        this.personas.length
          ? html`<ul class="list" aria-label="Linked profiles">
              ${this.personas.map((p) => html`<li part="persona">${this._identity(p)}${this._join(p)}</li>`)}
            </ul>`
          : html`<p class="muted">
              No social profiles linked yet. Add handles to the Social Handles field (one
              <code>network:handle</code>
              a line), or accept a suggestion below.
            </p>`
      }
      ${
        this.suggestions.length
          ? html`<h3>Suggested identities</h3>
              <ul class="list" aria-label="Suggested identities">
                ${this.suggestions.map((s) => this._suggestion(s))}
              </ul>`
          : nothing
      }
    </section>`;
  }

  /** "Customer value $12,345", titled with its lifetime and referral parts. */
  private _value(): TemplateResult | typeof nothing {
    const v = this.customerValue;
    if (typeof v?.total !== 'number' || !Number.isFinite(v.total)) return nothing;
    const part = (label: string, n?: number | null) =>
      typeof n === 'number' ? `${label} ${money(n, v.currency)}` : '';
    const title = [part('Lifetime', v.lifetime), part('referral', v.referral)].filter(Boolean).join(' + ');
    return html`<p part="customer-value" title=${title || nothing}>
      Customer value ${money(v.total, v.currency)}
    </p>`;
  }

  private _score(s: {
    label: string;
    value: string | null;
    basis: string;
    trend: { points: TrendPoint[]; lo: number; hi: number; what: string };
  }): TemplateResult {
    const { points, lo, hi, what } = s.trend;
    return html`<div class="score" part="score">
      <span class="label muted">${s.label}</span>
      <span class="value">${s.value ?? '—'}</span>
      <span class="basis muted">${s.basis}</span>
      ${points.length > 1 ? this._sparkline(what, points, lo, hi) : nothing}
    </div>`;
  }

  /** A trend line as inline SVG; numbers only, so nothing from the data can become markup. */
  private _sparkline(label: string, points: TrendPoint[], lo: number, hi: number): TemplateResult {
    const w = 100;
    const h = 24;
    const y = (v: number) =>
      (h - 2 - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (h - 4)).toFixed(1);
    const step = w / (points.length - 1);
    const line = points.map((v, i) => `${(i * step).toFixed(1)},${y(v)}`).join(' ');
    const fmt = (v: number) => (hi === 1 ? signedScore(v) : String(Math.round(v)));
    const desc = `${label}: ${fmt(points[0]!)} to ${fmt(points.at(-1)!)}, ${direction(points, hi - lo)}`;
    return html`<svg
      part="sparkline"
      viewBox="0 0 ${w} ${h}"
      preserveAspectRatio="none"
      role="img"
      aria-label=${desc}
    >
      ${lo < 0 ? svg`<line class="zero" x1="0" x2=${w} y1=${y(0)} y2=${y(0)}></line>` : nothing}
      ${svg`<polyline points=${line}></polyline>`}
    </svg>`;
  }

  /** One identity; its parts are laid out with gaps, not with the spaces between them (minified away). */
  private _identity(p: SocialPersona): TemplateResult {
    const href = safeHttpUrl(p.profileUrl);
    const handle = atHandle(p.handle);
    const network = NETWORK_LABEL[p.network];
    return html`<span class="identity">
      <span class="chip net">${network}</span>
      <span class="who">
        ${
          href
            ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${handle}</a>`
            : html`<span class="handle">${handle}</span>`
        }
        ${p.verified ? html`<span class="chip ok">Verified</span>` : nothing}
        ${p.displayName ? html`<span class="name">${p.displayName}</span>` : nothing}
      </span>
      ${
        p.followers != null
          ? html`<span class="muted followers"
              >${compactNumber(p.followers)} ${p.followers === 1 ? 'follower' : 'followers'}</span
            >`
          : nothing
      }
      ${
        p.influenceScore != null
          ? html`<span class="chip">Influence ${Math.round(p.influenceScore)}</span>`
          : nothing
      }
    </span>`;
  }

  /** Why a profile is one of the person's (joined across networks), and a way to undo a wrong join. */
  private _join(p: SocialPersona): TemplateResult | typeof nothing {
    if (!p.joinReason) return nothing;
    const pct = p.joinConfidence == null ? '' : ` · ${Math.round(p.joinConfidence)}%`;
    return html`<p class="muted why">
      Joined: ${p.joinReason}${pct}
      <button
        aria-label="Split ${atHandle(p.handle)} from this person"
        @click=${() => emit(this, 'social-persona-split', { personaId: p.id })}
      >
        Split
      </button>
    </p>`;
  }

  private _suggestion(s: SocialPersona): TemplateResult {
    const who = `${atHandle(s.handle)} on ${NETWORK_LABEL[s.network]}`;
    return html`<li part="suggestion" class="suggestion">
      <div>${this._identity(s)}</div>
      ${
        s.matchConfidence != null || s.matchReason
          ? html`<p class="muted why">
              ${s.matchConfidence != null ? `${Math.round(s.matchConfidence)}% match` : ''}${
                s.matchConfidence != null && s.matchReason ? ' · ' : ''
              }${s.matchReason ?? ''}
            </p>`
          : nothing
      }
      <div class="actions">
        <button
          class="brand"
          aria-label="Accept ${who} as this person"
          @click=${() => emit(this, 'social-suggestion-accept', { personaId: s.id })}
        >
          Accept
        </button>
        <button
          aria-label="Reject ${who}"
          @click=${() => emit(this, 'social-suggestion-reject', { personaId: s.id })}
        >
          Reject
        </button>
      </div>
    </li>`;
  }
}
