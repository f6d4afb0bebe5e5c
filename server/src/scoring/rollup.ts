/**
 * Roll-up of a person's social activity onto their Contact or Lead, kept in a small state object that is
 * updated one post at a time (never by re-reading history) and serializes to JSON as is.
 *
 * - `Social_Influence__c` = the highest `Influence_Score__c` among the person's personas. Not a sum: the
 *   audiences of one person's accounts overlap heavily, and the field is documented as the highest.
 * - `Social_Sentiment__c` = exponentially decayed average of the sentiment scores (−1..1) of their posts,
 *   with half-life h (default 30 days), pulled toward neutral by a small prior weight w₀ (default 0.25 of
 *   one post) that does not decay:
 *
 *     weight of a post at time tᵢ, seen at time t:  wᵢ = 2^(−(t − tᵢ) / h)
 *     sentiment(t) = Σ wᵢ × sᵢ / (Σ wᵢ + w₀)
 *
 *   Recent posts dominate; as a person falls quiet the weights shrink and the value drifts back toward 0
 *   (one −1 post reads −0.8 at once, −0.67 after 30 quiet days, −0.33 after 90), so an old complaint stops
 *   colouring the record. State: Σ wᵢsᵢ and Σ wᵢ as of a reference time; a newer post rescales both by
 *   2^(−Δ/h) and moves the reference; an older (out-of-order) post is added with its own smaller weight.
 *   The caller applies each post once (dedupe on `Social_Post__c.External_Id__c`).
 * - `Last_Social_Activity__c` = the latest post time seen.
 */

export interface RollupOptions {
  /** Sentiment half-life in days. Default 30. */
  halfLifeDays?: number;
  /** Weight of the neutral prior, in posts. Default 0.25. */
  priorWeight?: number;
}

export interface RollupState {
  /** Σ wᵢ × sᵢ as of `referenceAt`. */
  sentimentSum: number;
  /** Σ wᵢ as of `referenceAt`. */
  sentimentWeight: number;
  /** Epoch ms the sums are decayed to (the latest post time), or null before any post. */
  referenceAt: number | null;
  /** Epoch ms of the latest post, or null. */
  lastActivityAt: number | null;
  posts: number;
  /** Influence score per persona key (`network:userId`). */
  personaInfluence: Record<string, number>;
}

export interface PostSignal {
  /** Sentiment score −1..1 (clamped). */
  score: number;
  /** When it was posted: ISO 8601 string, Date, or epoch ms. */
  at: string | Date | number;
}

/** What to write to the Contact/Lead. */
export interface RollupFields {
  Social_Influence__c: number | null;
  Social_Sentiment__c: number | null;
  Last_Social_Activity__c: string | null;
}

const DAY_MS = 86_400_000;
const DEFAULT_HALF_LIFE_DAYS = 30;
const DEFAULT_PRIOR_WEIGHT = 0.25;

export function emptyRollupState(): RollupState {
  return {
    sentimentSum: 0,
    sentimentWeight: 0,
    referenceAt: null,
    lastActivityAt: null,
    posts: 0,
    personaInfluence: {},
  };
}

function toEpochMs(at: string | Date | number): number {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(at)}`);
  return ms;
}

function decayFactor(elapsedMs: number, options: RollupOptions): number {
  const halfLifeMs = (options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS) * DAY_MS;
  return Math.pow(2, -elapsedMs / halfLifeMs);
}

/** The state after one more post. Pure: returns a new state. */
export function applyPost(state: RollupState, post: PostSignal, options: RollupOptions = {}): RollupState {
  const at = toEpochMs(post.at);
  const score = Number.isFinite(post.score) ? Math.min(1, Math.max(-1, post.score)) : 0;
  let { sentimentSum, sentimentWeight, referenceAt } = state;
  if (referenceAt === null || at >= referenceAt) {
    const factor = referenceAt === null ? 0 : decayFactor(at - referenceAt, options);
    sentimentSum = sentimentSum * factor + score;
    sentimentWeight = sentimentWeight * factor + 1;
    referenceAt = at;
  } else {
    const weight = decayFactor(referenceAt - at, options);
    sentimentSum += weight * score;
    sentimentWeight += weight;
  }
  return {
    ...state,
    sentimentSum,
    sentimentWeight,
    referenceAt,
    lastActivityAt: state.lastActivityAt === null ? at : Math.max(state.lastActivityAt, at),
    posts: state.posts + 1,
  };
}

/** The state with a persona's latest influence score (replacing its previous one). */
export function applyPersonaInfluence(state: RollupState, personaKey: string, score: number): RollupState {
  return { ...state, personaInfluence: { ...state.personaInfluence, [personaKey]: score } };
}

/** The state without a persona (unlinked from this person). */
export function removePersona(state: RollupState, personaKey: string): RollupState {
  const { [personaKey]: _removed, ...rest } = state.personaInfluence;
  return { ...state, personaInfluence: rest };
}

/** Decayed sentiment −1..1 as of `now` (default: the latest post), or null before any post. */
export function sentimentAt(
  state: RollupState,
  now?: string | Date | number,
  options: RollupOptions = {},
): number | null {
  if (state.referenceAt === null) return null;
  const at = now === undefined ? state.referenceAt : toEpochMs(now);
  const factor = at > state.referenceAt ? decayFactor(at - state.referenceAt, options) : 1;
  const prior = options.priorWeight ?? DEFAULT_PRIOR_WEIGHT;
  return (state.sentimentSum * factor) / (state.sentimentWeight * factor + prior);
}

/** The highest persona influence, or null when no persona has a score. */
export function rolledUpInfluence(state: RollupState): number | null {
  const scores = Object.values(state.personaInfluence).filter((s) => Number.isFinite(s));
  return scores.length === 0 ? null : Math.max(...scores);
}

/** The Contact/Lead fields, rounded to the fields' scales (influence 2 decimals, sentiment 3). */
export function rollupFields(
  state: RollupState,
  now?: string | Date | number,
  options: RollupOptions = {},
): RollupFields {
  const influence = rolledUpInfluence(state);
  const sentiment = sentimentAt(state, now, options);
  return {
    Social_Influence__c: influence === null ? null : Math.round(influence * 100) / 100,
    Social_Sentiment__c: sentiment === null ? null : Math.round(sentiment * 1000) / 1000,
    Last_Social_Activity__c:
      state.lastActivityAt === null ? null : new Date(state.lastActivityAt).toISOString(),
  };
}
