import { LitElement, html, nothing, svg, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { SHADOW_MODE } from './shadow-mode.ts';
import { emit } from './events.ts';
import { safeHttpUrl } from './text/safe-url.ts';
import { NETWORK_LABEL, atHandle, compactNumber } from './format.ts';
import type { SocialPersona, TrendPoint } from './types.ts';
import { styles } from './social-persona-card.styles.ts';

/** "rising" / "falling" / "steady" from the first to the last point, ignoring moves under 5 % of the scale. */
function direction(points: readonly number[], span: number): string {
  if (points.length < 2) return '';
  const d = points[points.length - 1]! - points[0]!;
  return Math.abs(d) < span * 0.05 ? 'steady' : d > 0 ? 'rising' : 'falling';
}

function sentimentWord(v: number): string {
  return v >= 0.25 ? 'Positive' : v <= -0.25 ? 'Negative' : 'Neutral';
}

const max = (xs: (number | undefined)[]): number | null => {
  const vs = xs.filter((x): x is number => typeof x === 'number');
  return vs.length ? Math.max(...vs) : null;
};

/**
 * @summary The record's social identities across networks, its influence, advocacy and sentiment with
 * trends, and identity suggestions to accept or reject.
 *
 * @fires social-suggestion-accept - `{ personaId }`: the user confirms a suggested identity is this person.
 * @fires social-suggestion-reject - `{ personaId }`: the user says it is not.
 *
 * @csspart card - the whole card.
 * @csspart score - one score tile (influence, advocacy, sentiment).
 * @csspart sparkline - a trend line (inline SVG).
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

  /** The record's influence 0–100 (`Social_Influence__c`); default: the highest of its personas. */
  @property({ type: Number }) influence: number | null = null;

  /** The record's advocacy 0–100; default: the highest of its personas. */
  @property({ type: Number }) advocacy: number | null = null;

  /** Influence over time, oldest first (0–100). */
  @property({ attribute: false }) influenceTrend: TrendPoint[] = [];

  /** Advocacy over time, oldest first (0–100). */
  @property({ attribute: false }) advocacyTrend: TrendPoint[] = [];

  /** Sentiment over time, oldest first (-1…1); its last point is the current sentiment. */
  @property({ attribute: false }) sentimentTrend: TrendPoint[] = [];

  /** Heading text of the card. */
  @property() heading = 'Social profiles';

  override render(): TemplateResult {
    const influence = this.influence ?? max(this.personas.map((p) => p.influenceScore));
    const advocacy = this.advocacy ?? max(this.personas.map((p) => p.advocacyScore));
    const trends = this.personas
      .map((p) => p.sentimentTrend)
      .filter((x): x is number => typeof x === 'number');
    const sentiment =
      this.sentimentTrend.at(-1) ??
      (trends.length ? trends.reduce((a, b) => a + b, 0) / trends.length : null);
    return html`<section part="card" aria-labelledby="h">
      <h2 id="h">${this.heading}</h2>
      <div class="scores">
        ${this._score('Influence', influence == null ? null : String(Math.round(influence)), this.influenceTrend, 0, 100)}
        ${this._score('Advocacy', advocacy == null ? null : String(Math.round(advocacy)), this.advocacyTrend, 0, 100)}
        ${this._score(
          'Sentiment',
          sentiment == null
            ? null
            : `${sentimentWord(sentiment)} (${sentiment > 0 ? '+' : ''}${sentiment.toFixed(2)})`,
          this.sentimentTrend,
          -1,
          1,
        )}
      </div>
      ${
        this.personas.length
          ? html`<ul class="list" aria-label="Linked profiles">
              ${this.personas.map((p) => html`<li part="persona">${this._identity(p)}</li>`)}
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

  private _score(
    label: string,
    value: string | null,
    points: TrendPoint[],
    lo: number,
    hi: number,
  ): TemplateResult {
    return html`<div class="score" part="score">
      <span class="label muted">${label}</span>
      <span class="value">${value ?? '—'}</span>
      ${points.length > 1 ? this._sparkline(label, points, lo, hi) : nothing}
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
    const fmt = (v: number) => (hi === 1 ? v.toFixed(2) : String(Math.round(v)));
    const desc = `${label} trend: ${fmt(points[0]!)} to ${fmt(points.at(-1)!)}, ${direction(points, hi - lo)}`;
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

  private _identity(p: SocialPersona): TemplateResult {
    const href = safeHttpUrl(p.profileUrl);
    const handle = atHandle(p.handle);
    return html`<span class="chip net">${NETWORK_LABEL[p.network]}</span>
      <span class="who">
        ${
          href
            ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${handle}</a>`
            : html`<span class="handle">${handle}</span>`
        }
        ${p.verified ? html`<span class="chip ok">Verified</span>` : nothing}
        ${p.displayName ? html`<span class="name">${p.displayName}</span>` : nothing}
      </span>
      ${p.followers != null ? html`<span class="muted">${compactNumber(p.followers)} followers</span>` : nothing}`;
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
