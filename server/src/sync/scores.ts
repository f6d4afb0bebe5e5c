/**
 * Influence and advocacy as mentions flow: an interaction graph (mentions, replies, quotes) for
 * PageRank, a bounded history per author (engagement of their posts, their brand sentiment, helpful
 * answers to other customers), and per-person roll-up state. In memory: after a restart the scores
 * rebuild from new traffic, starting from the values already in the org.
 */
import type { Analysis } from '../analysis/schema.ts';
import type { Engagement, Mention } from '../domain/mention.ts';
import { personaExternalId } from '../domain/mention.ts';
import {
  InteractionGraph,
  advocacyScore,
  applyPersonaInfluence,
  applyPost,
  emptyRollupState,
  engagementRate,
  influenceScore,
  rolledUpInfluence,
  sentimentAt,
  type RollupState,
} from '../scoring/index.ts';
import type { PersonRecord } from './crm-port.ts';
import type { AuthorScores, PersonRollup, ScoringService } from './ports.ts';

interface AuthorHistory {
  handleNode: string;
  recent: Engagement[];
  positive: number;
  negative: number;
  helpful: number;
}

const RECENT_POSTS = 20;
const MAX_AUTHORS = 100_000;
const MAX_PEOPLE = 100_000;

function node(network: string, handle: string): string {
  return `${network}:${handle.replace(/^@/, '').toLowerCase()}`;
}

/** Drops the oldest entry of a Map used as an LRU once it holds `max`. */
function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

export class StreamingScores implements ScoringService {
  readonly #graph = new InteractionGraph();
  readonly #authors = new Map<string, AuthorHistory>();
  /** Author id → graph node, to draw reply edges when only the replied-to author's id is known. */
  readonly #nodeById = new Map<string, string>();
  readonly #people = new Map<string, RollupState>();
  readonly #ownIds: (network: Mention['network'], id: string) => boolean;

  constructor(isOwn: (network: Mention['network'], id: string) => boolean = () => false) {
    this.#ownIds = isOwn;
  }

  observe(items: readonly { mention: Mention; analysis: Analysis }[]): AuthorScores[] {
    // All interactions first, so PageRank is recomputed once for the batch, not once per mention.
    const histories = items.map(({ mention, analysis }) => {
      const key = personaExternalId(mention);
      const from = node(mention.network, mention.author.handle);
      touch(this.#nodeById, key, from, MAX_AUTHORS);
      for (const handle of mention.mentionedHandles)
        this.#graph.addInteraction(from, node(mention.network, handle), 'mention');
      const repliedTo = mention.inReplyToAuthorId
        ? this.#nodeById.get(`${mention.network}:${mention.inReplyToAuthorId}`)
        : undefined;
      if (repliedTo && repliedTo !== from) {
        this.#graph.addInteraction(from, repliedTo, mention.kind === 'quote' ? 'quote' : 'reply');
      }
      const history = this.#authors.get(key) ?? {
        handleNode: from,
        recent: [],
        positive: 0,
        negative: 0,
        helpful: 0,
      };
      history.recent = [...history.recent, mention.engagement].slice(-RECENT_POSTS);
      const toOtherCustomer =
        mention.inReplyToAuthorId !== null &&
        mention.inReplyToAuthorId !== mention.author.id &&
        !this.#ownIds(mention.network, mention.inReplyToAuthorId);
      if (toOtherCustomer && analysis.sentiment.label !== 'negative' && analysis.intent !== 'complaint') {
        history.helpful += 1;
      } else if (analysis.sentiment.label === 'positive') {
        history.positive += 1;
      } else if (analysis.sentiment.label === 'negative') {
        history.negative += 1;
      }
      touch(this.#authors, key, history, MAX_AUTHORS);
      return { mention, history };
    });
    return histories.map(({ mention, history }) => {
      const followers = mention.author.followers;
      return {
        influence: influenceScore({
          followers,
          following: mention.author.following,
          verified: mention.author.verified,
          engagementRate: followers === null ? null : engagementRate(history.recent, followers),
          postsObserved: history.recent.length,
          pageRank: this.#graph.normalizedRank(history.handleNode),
        }),
        advocacy: advocacyScore({
          positiveBrandMentions: history.positive,
          negativeBrandMentions: history.negative,
          helpfulAnswers: history.helpful,
          reach: followers ?? 0,
        }),
      };
    });
  }

  rollup(
    person: PersonRecord,
    post: { personaKey: string; sentimentScore: number; at: string; influence: number },
  ): PersonRollup {
    let state = this.#people.get(person.id) ?? this.#seed(person);
    state = applyPost(state, { score: post.sentimentScore, at: post.at });
    state = applyPersonaInfluence(state, post.personaKey, post.influence);
    touch(this.#people, person.id, state, MAX_PEOPLE);
    const lastActivity = new Date(state.lastActivityAt ?? Date.parse(post.at)).toISOString();
    return {
      influence: rolledUpInfluence(state) ?? post.influence,
      sentiment: sentimentAt(state, lastActivity) ?? post.sentimentScore,
      lastActivity,
    };
  }

  /**
   * A person first seen by this process: their current roll-up in the org stands in for their history,
   * as one post's worth of sentiment at their last activity, and their influence as one persona's.
   */
  #seed(person: PersonRecord): RollupState {
    const state = emptyRollupState();
    if (person.sentiment === null || person.lastActivity === null) {
      return person.influence === null ? state : applyPersonaInfluence(state, 'org', person.influence);
    }
    const at = Date.parse(person.lastActivity);
    const seeded: RollupState = {
      ...state,
      sentimentSum: person.sentiment * 1.25,
      sentimentWeight: 1,
      referenceAt: at,
      lastActivityAt: at,
      posts: 1,
    };
    return person.influence === null ? seeded : applyPersonaInfluence(seeded, 'org', person.influence);
  }
}
