/**
 * Influence score of a persona, 0..100 (`Social_Persona__c.Influence_Score__c`): how far what this person
 * says about the brand travels, and how much people act on it.
 *
 * Follower counts alone mislead (bought followers, follow-back rings, dead audiences), so reach is
 * log-scaled, capped, penalized for follow-back ratios and discounted when nobody engages; engagement
 * and position in the conversation graph carry as much weight as audience size.
 *
 *   reach        R = min(1, log10(1 + followers) / 7)                  10 M followers → 1 (cap)
 *   follow-back  q = following / max(1, followers)
 *                P = 1 − 0.5 × clamp(q − 0.5, 0, 1)                     q ≤ 0.5 → 1, q ≥ 1.5 → 0.5
 *   rate         r = interactions (likes + reposts + replies + quotes) per post / followers;
 *                with n posts observed it is shrunk toward a typical 0.5 %:
 *                r̂ = (n × r + 5 × 0.005) / (n + 5)                    (few posts say little)
 *   engagement   E = sqrt( r̂ / (r̂ + 0.02)  ×  min(1, log10(1 + r̂ × followers) / 2) )
 *                    (rate: 2 % → 0.5;   volume: 100 interactions per post → 1)
 *   credibility  C = 0.4 + 0.6 × min(1, E / 0.3)                        an audience that never engages
 *                    (0.7 when engagement is unknown)                   counts for 40 %
 *   network      G = normalized PageRank in the interaction graph, 0..1 (see graph.ts)
 *   verified     V = 1 if the network marks the account verified, else 0
 *
 *   score = 35 × R × P × C + 35 × E + 20 × G + 10 × V
 *
 * A part whose input is unknown (followers, engagement rate or PageRank null) is left out and the 90
 * points of R, E and G are shared among the known ones in proportion to their weights, so a new persona
 * is not punished for what we have not measured yet (nothing measured: only the 10 points of V).
 * The result is monotonic in followers (everything else fixed), bounded by 100, and rounded to 2 decimals
 * (the field is Number(5,2)).
 */
import type { Engagement } from '../domain/mention.ts';

export interface InfluenceInput {
  followers: number | null;
  following?: number | null;
  verified?: boolean;
  /** Mean interactions per post divided by followers (see `engagementRate`), or null when unknown. */
  engagementRate?: number | null;
  /** How many posts `engagementRate` was measured on; shrinks small samples. Omit if unknown. */
  postsObserved?: number | null;
  /** Normalized PageRank 0..1 (`InteractionGraph.normalizedRank`), or null when unknown. */
  pageRank?: number | null;
}

export interface InfluenceBreakdown {
  /** R × P × C, 0..1, or null when followers are unknown. */
  reach: number | null;
  followBackPenalty: number;
  credibility: number;
  /** E, 0..1, or null when unknown. */
  engagement: number | null;
  /** G, 0..1, or null when unknown. */
  network: number | null;
  verified: number;
  score: number;
}

export const INFLUENCE_WEIGHTS = { reach: 35, engagement: 35, network: 20, verified: 10 } as const;

const REACH_CAP_LOG10 = 7;
const RATE_HALF = 0.02;
const VOLUME_FULL_LOG10 = 2;
const PRIOR_RATE = 0.005;
const PRIOR_POSTS = 5;
const CREDIBLE_ENGAGEMENT = 0.3;
const UNKNOWN_CREDIBILITY = 0.7;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/**
 * Mean interactions per post (likes + reposts + replies + quotes) divided by followers (at least 1).
 * 0 for no posts.
 */
export function engagementRate(posts: readonly Engagement[], followers: number): number {
  if (posts.length === 0) return 0;
  const interactions = posts.reduce((sum, p) => sum + p.likes + p.reposts + p.replies + p.quotes, 0);
  return interactions / posts.length / Math.max(1, followers);
}

/** The influence score with its parts (see the module comment for the formula). */
export function influenceBreakdown(input: InfluenceInput): InfluenceBreakdown {
  const followersRaw = finiteOrNull(input.followers);
  const followers = followersRaw === null ? null : Math.max(0, followersRaw);
  const following = Math.max(0, finiteOrNull(input.following) ?? 0);
  const rateRaw = finiteOrNull(input.engagementRate);
  const posts = finiteOrNull(input.postsObserved);
  const rank = finiteOrNull(input.pageRank);

  let engagement: number | null = null;
  if (rateRaw !== null && followers !== null) {
    const rate = Math.max(0, rateRaw);
    const shrunk =
      posts === null ? rate : (posts * rate + PRIOR_POSTS * PRIOR_RATE) / (Math.max(0, posts) + PRIOR_POSTS);
    const rateScore = shrunk / (shrunk + RATE_HALF);
    const volumeScore = Math.min(1, Math.log10(1 + shrunk * followers) / VOLUME_FULL_LOG10);
    engagement = Math.sqrt(rateScore * volumeScore);
  }
  const credibility =
    engagement === null ? UNKNOWN_CREDIBILITY : 0.4 + 0.6 * Math.min(1, engagement / CREDIBLE_ENGAGEMENT);
  const followBackPenalty =
    followers === null ? 1 : 1 - 0.5 * clamp(following / Math.max(1, followers) - 0.5, 0, 1);
  const reach =
    followers === null
      ? null
      : Math.min(1, Math.log10(1 + followers) / REACH_CAP_LOG10) * followBackPenalty * credibility;
  const network = rank === null ? null : clamp(rank, 0, 1);
  const verified = input.verified === true ? 1 : 0;

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
  const measured = weights === 0 ? 0 : (w.reach + w.engagement + w.network) * (weighted / weights);
  const raw = measured + w.verified * verified;
  const score = Math.round(clamp(raw, 0, 100) * 100) / 100;
  return { reach, followBackPenalty, credibility, engagement, network, verified, score };
}

/** Influence 0..100 (see the module comment). */
export function influenceScore(input: InfluenceInput): number {
  return influenceBreakdown(input).score;
}
