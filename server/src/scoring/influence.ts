/**
 * Influence score of a persona, 0..100 (`Social_Persona__c.Influence_Score__c`): how far what this person
 * says about the brand travels, and how much people act on it.
 *
 * Followers are a claim, interactions are evidence. Bought followers, follow-back rings and dead audiences
 * inflate the claim but never interact, so reach counts only the audience that the account's measured
 * interactions vouch for. Until something is measured every account is vouched for as an ordinary one.
 *
 *   measured       n = posts whose engagement was measured (read back from the network once the post had
 *                  time to be seen, see sync/scores.ts), I = their likes + reposts + replies + quotes
 *   per post       v̂ = (I + 1 × v₀) / (n + 1)          v₀ = ρ × min(F, 1,000): one pseudo-post of an
 *                                                    ordinary account (5 interactions with 1,000+
 *                                                    followers), so no history means "ordinary, at most
 *                                                    1,000 followers' worth", and 21 silent posts mean
 *                                                    ≈ 0.2 interactions per post
 *   engaged        A = min(F, v̂ / ρ)                   ρ = 0.5 %: one interaction per 200 followers is
 *   audience                                         what a real audience gives; F = followers
 *   follow-back    q = following / max(1, F)
 *                  P = 1 − 0.5 × clamp(q − 0.5, 0, 1)   q ≤ 0.5 → 1, q ≥ 1.5 → 0.5
 *   account age    Y = min(1, 0.5 + days / 60)          when the network gives it (younger than 30 days
 *                                                    halves at most); 1 when unknown
 *   reach          R = min(1, log10(1 + A) / 7) × P × Y      10 M engaged followers → 1
 *   engagement     E = min(1, log10(1 + v̂) / 3)        10 interactions per post → 0.35, 100 → 0.67,
 *                                                    1,000 → 1 (a high rate on a tiny audience is
 *                                                    not influence; the rate's role is A's cap)
 *   network        G = normalized PageRank in the interaction graph, 0..1 (see graph.ts)
 *   verified       V = 1 if the network marks the account verified and measured posts (n ≥ 1) vouch
 *                  for A ≥ 1,000, else 0 (the badge can be bought); 1 for a verified account whose
 *                  followers are unknown
 *
 *   score = 35 × R + 35 × E + 20 × G + 10 × V
 *
 * Unknown followers leave R and E out; unknown PageRank leaves G out; the 90 points of R, E and G are shared
 * among the known ones in proportion to their weights (nothing known: only V). Engagement is never unknown
 * once followers are known: no measurement is the ordinary prior above, not a free pass. Properties: bounded 0..100;
 * non-decreasing in followers, in measured interactions and in PageRank (everything else fixed); an
 * audience that never engages adds nothing however large (`audienceEngages` = A / F says how much of it
 * does; below 5 % with 10,000+ followers, measured on 3+ posts, `suspectAudience` is set). Rounded to 2 decimals (Number(5,2)).
 *
 * Thresholds elsewhere that read this score: Case for a stranger at 60 and an alert at 70 (CASE_RULES),
 * Case priority 40 / 70 (sync/case-rules.ts), inbox High 50 / Urgent 70 (inbox/priority.ts).
 */
import type { Engagement } from '../domain/mention.ts';

export interface InfluenceInput {
  followers: number | null;
  following?: number | null;
  verified?: boolean;
  /** Mean interactions per measured post. Give this (with `postsObserved`) or `engagementRate`. */
  interactionsPerPost?: number | null;
  /** Mean interactions per post divided by followers (see `engagementRate`); converted to interactions per post. */
  engagementRate?: number | null;
  /** How many posts the engagement was measured on (0 or omitted: nothing measured yet). */
  postsObserved?: number | null;
  /** Days since the account was created, when the network says (X `created_at`, Mastodon `created_at`). */
  accountAgeDays?: number | null;
  /** Normalized PageRank 0..1 (`InteractionGraph.normalizedRank`), or null when unknown. */
  pageRank?: number | null;
}

export interface InfluenceBreakdown {
  /** R (engaged audience, follow-back, age), 0..1, or null when followers are unknown. */
  reach: number | null;
  /** A: the followers the measured interactions vouch for, or null when followers are unknown. */
  engagedAudience: number | null;
  /** A / F, 0..1 (1 with no followers), or null when followers are unknown. */
  audienceEngages: number | null;
  /** 10,000+ followers of whom less than 5 % are vouched for by interactions. */
  suspectAudience: boolean;
  followBackPenalty: number;
  ageFactor: number;
  /** v̂: interactions per post, shrunk toward an ordinary account's. */
  interactionsPerPost: number;
  /** Posts measured. */
  postsObserved: number;
  /** E, 0..1, or null when followers are unknown. */
  engagement: number | null;
  /** G, 0..1, or null when unknown. */
  network: number | null;
  verified: number;
  score: number;
}

export const INFLUENCE_WEIGHTS = { reach: 35, engagement: 35, network: 20, verified: 10 } as const;

/** The constants of the formula (see the module comment), exported so documentation and tests can quote them. */
export const INFLUENCE_CONSTANTS = {
  /** The prior vouches for at most this many followers (v₀ = ρ × min(F, this)). */
  priorAudience: 1_000,
  /** Weight of the prior, in posts. */
  priorPosts: 1,
  /** ρ: interactions per follower per post a real audience gives. */
  audienceRate: 0.005,
  reachCapLog10: 7,
  volumeFullLog10: 3,
  /** The verified badge needs at least this engaged audience to count. */
  verifiedMinAudience: 1_000,
  suspectFollowers: 10_000,
  suspectShare: 0.05,
} as const;

const K = INFLUENCE_CONSTANTS;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** Sum of likes, reposts, replies and quotes of the posts. */
export function interactionsOf(posts: readonly Engagement[]): number {
  return posts.reduce((sum, p) => sum + p.likes + p.reposts + p.replies + p.quotes, 0);
}

/**
 * Mean interactions per post (likes + reposts + replies + quotes) divided by followers (at least 1).
 * 0 for no posts.
 */
export function engagementRate(posts: readonly Engagement[], followers: number): number {
  if (posts.length === 0) return 0;
  return interactionsOf(posts) / posts.length / Math.max(1, followers);
}

/** The influence score with its parts (see the module comment for the formula). */
export function influenceBreakdown(input: InfluenceInput): InfluenceBreakdown {
  const followersRaw = finiteOrNull(input.followers);
  const followers = followersRaw === null ? null : Math.max(0, followersRaw);
  const following = Math.max(0, finiteOrNull(input.following) ?? 0);
  const posts = Math.max(0, Math.floor(finiteOrNull(input.postsObserved) ?? 0));
  const rank = finiteOrNull(input.pageRank);
  const ageDays = finiteOrNull(input.accountAgeDays);

  const perPostRaw =
    finiteOrNull(input.interactionsPerPost) ??
    (finiteOrNull(input.engagementRate) ?? 0) * Math.max(1, followers ?? 0);
  const measured = posts > 0 ? Math.max(0, perPostRaw) * posts : 0;
  const prior = K.audienceRate * Math.min(followers ?? 0, K.priorAudience);
  const perPost = (measured + K.priorPosts * prior) / (posts + K.priorPosts);

  const followBackPenalty =
    followers === null ? 1 : 1 - 0.5 * clamp(following / Math.max(1, followers) - 0.5, 0, 1);
  const ageFactor = ageDays === null ? 1 : clamp(0.5 + Math.max(0, ageDays) / 60, 0.5, 1);

  let reach: number | null = null;
  let engagement: number | null = null;
  let engagedAudience: number | null = null;
  let audienceEngages: number | null = null;
  if (followers !== null) {
    engagedAudience = Math.min(followers, perPost / K.audienceRate);
    audienceEngages = followers === 0 ? 1 : engagedAudience / followers;
    reach = Math.min(1, Math.log10(1 + engagedAudience) / K.reachCapLog10) * followBackPenalty * ageFactor;
    engagement = Math.min(1, Math.log10(1 + perPost) / K.volumeFullLog10);
  }
  const suspectAudience =
    posts >= 3 &&
    followers !== null &&
    followers >= K.suspectFollowers &&
    audienceEngages !== null &&
    audienceEngages < K.suspectShare;
  const network = rank === null ? null : clamp(rank, 0, 1);
  const verified =
    input.verified === true &&
    (engagedAudience === null || (posts > 0 && engagedAudience >= K.verifiedMinAudience))
      ? 1
      : 0;

  const w = INFLUENCE_WEIGHTS;
  const parts: [number, number | null][] = [
    [w.reach, reach],
    [w.engagement, engagement],
    [w.network, network],
  ];
  let weighted = 0;
  let weights = 0;
  for (const [weight, value] of parts) {
    if (value === null) continue;
    weighted += weight * value;
    weights += weight;
  }
  const known = weights === 0 ? 0 : (w.reach + w.engagement + w.network) * (weighted / weights);
  const raw = known + w.verified * verified;
  const score = Math.round(clamp(raw, 0, 100) * 100) / 100;
  return {
    reach,
    engagedAudience,
    audienceEngages,
    suspectAudience,
    followBackPenalty,
    ageFactor,
    interactionsPerPost: perPost,
    postsObserved: posts,
    engagement,
    network,
    verified,
    score,
  };
}

/** Influence 0..100 (see the module comment). */
export function influenceScore(input: InfluenceInput): number {
  return influenceBreakdown(input).score;
}
