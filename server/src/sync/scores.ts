/**
 * Influence and advocacy as mentions flow: an interaction graph (mentions, replies, quotes) for
 * PageRank, a bounded history per author (their last posts with the engagement last read for each, their
 * brand sentiment, confirmed helpful answers to other customers), and per-person roll-up state. In memory:
 * after a restart the scores rebuild from new traffic, starting from the values already in the org.
 *
 * Engagement is evidence only once a post had time to be seen: a post's likes, reposts, replies and quotes
 * count as a measurement when they are not all zero, or when they were read at least `MATURE_AFTER_MS`
 * (1 hour) after it was posted. A live mention arrives with zeros: that says nothing yet, and influence
 * treats the author as an ordinary account (influence.ts) until the engagement refresher
 * (engagement-refresh.ts) reads the post again. `refreshTargets` lists the posts to read, `applyEngagement`
 * takes what was read, `rescore` gives the authors' new scores and their people's roll-ups.
 *
 * Helpful answers (advocacy.ts): a reply to a question another customer asked is remembered as a candidate
 * answer; it becomes help when the asker replies to it with kind words. The answerer's persona is then
 * marked for re-scoring (`takeChanged`), since the confirmation is the asker's post, not theirs. The same
 * rule counts stored threads (helpful-answers.ts) for `sf social scores recompute` and the dev org's seed.
 *
 * Re-links: when the relinker (salesforce/relink.ts) recomputes a person's roll-up in the org after moving
 * posts or profiles, `reseed` replaces what is kept of that person with the org's new values, so the next
 * post neither brings back an unlinked profile's influence nor ignores posts newly linked to them.
 */
import type { Analysis } from '../analysis/schema.ts';
import type { Engagement, Mention, Network } from '../domain/mention.ts';
import { personaExternalId } from '../domain/mention.ts';
import {
  InteractionGraph,
  advocacyScore,
  applyPersonaInfluence,
  applyPost,
  confirmsAnswer,
  emptyRollupState,
  influenceBreakdown,
  interactionsOf,
  mayBeAnswer,
  rolledUpInfluence,
  sentimentAt,
  type RollupState,
} from '../scoring/index.ts';
import type { PersonRecord } from './crm-port.ts';
import type { AuthorScores, PersonRollup, ScoringService } from './ports.ts';

/** A post's engagement read this long after it was posted counts as a measurement even when it is zero. */
export const MATURE_AFTER_MS = 60 * 60_000;

interface PostState {
  id: string;
  createdAt: number;
  engagement: Engagement;
  /** When the engagement was last read (arrival, or a refresh). */
  readAt: number;
  measured: boolean;
}

interface AuthorHistory {
  network: Network;
  handleNode: string;
  followers: number | null;
  following: number | null;
  verified: boolean;
  posts: PostState[];
  positive: number;
  negative: number;
  helpful: number;
}

interface Candidate {
  answererKey: string;
  askerId: string;
}

/** A post whose engagement is worth reading again. */
export interface RefreshTarget {
  network: Network;
  /** The post's id on its network. */
  postId: string;
  personaKey: string;
  /** Epoch ms its engagement was last read. */
  readAt: number;
}

/** New scores of a persona after a refresh or a confirmation, and its person's influence roll-up if known. */
export interface Rescored {
  personaKey: string;
  scores: AuthorScores;
  person: { id: string; type: PersonRecord['type']; influence: number } | null;
}

const RECENT_POSTS = 20;
const MAX_AUTHORS = 100_000;
const MAX_PEOPLE = 100_000;
const MAX_QUESTIONS = 100_000;

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

function isMeasured(engagement: Engagement, createdAt: number, readAt: number): boolean {
  return interactionsOf([engagement]) > 0 || readAt - createdAt >= MATURE_AFTER_MS;
}

export class StreamingScores implements ScoringService {
  readonly #graph = new InteractionGraph();
  readonly #authors = new Map<string, AuthorHistory>();
  /** Author id → graph node, to draw reply edges when only the replied-to author's id is known. */
  readonly #nodeById = new Map<string, string>();
  readonly #people = new Map<string, RollupState>();
  /** Persona key → the person it was last rolled up onto. */
  readonly #personOf = new Map<string, { id: string; type: PersonRecord['type'] }>();
  /** `network:post id` of questions → the asker's author id. */
  readonly #questions = new Map<string, string>();
  /** `network:post id` of candidate answers. */
  readonly #candidates = new Map<string, Candidate>();
  /** Personas whose scores changed other than by their own posts (a confirmed answer). */
  readonly #changed = new Set<string>();
  readonly #ownIds: (network: Mention['network'], id: string) => boolean;
  readonly #now: () => number;

  constructor(
    isOwn: (network: Mention['network'], id: string) => boolean = () => false,
    now: () => number = Date.now,
  ) {
    this.#ownIds = isOwn;
    this.#now = now;
  }

  observe(items: readonly { mention: Mention; analysis: Analysis }[]): AuthorScores[] {
    const now = this.#now();
    // All interactions first, so PageRank is recomputed once for the batch, not once per mention.
    const keys = items.map(({ mention, analysis }) => {
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
      const history: AuthorHistory = this.#authors.get(key) ?? {
        network: mention.network,
        handleNode: from,
        followers: null,
        following: null,
        verified: false,
        posts: [],
        positive: 0,
        negative: 0,
        helpful: 0,
      };
      history.followers = mention.author.followers;
      history.following = mention.author.following;
      history.verified = mention.author.verified;
      const createdAt = Date.parse(mention.createdAt);
      const at = Number.isFinite(createdAt) ? createdAt : now;
      const post: PostState = {
        id: mention.id,
        createdAt: at,
        engagement: mention.engagement,
        readAt: now,
        measured: isMeasured(mention.engagement, at, now),
      };
      const previous = history.posts.findIndex((p) => p.id === mention.id);
      if (previous >= 0) {
        history.posts[previous] = post; // a replayed mention: its newer reading, no second count
      } else {
        history.posts = [...history.posts, post].slice(-RECENT_POSTS);
        this.#countSentiment(mention, analysis, key, history);
      }
      touch(this.#authors, key, history, MAX_AUTHORS);
      return key;
    });
    return keys.map((key) => this.#scoresOf(this.#authors.get(key)!));
  }

  #countSentiment(mention: Mention, analysis: Analysis, key: string, history: AuthorHistory): void {
    const postKey = `${mention.network}:${mention.id}`;
    const labels = { sentiment: analysis.sentiment.label, intent: analysis.intent };
    if (analysis.intent === 'question') touch(this.#questions, postKey, mention.author.id, MAX_QUESTIONS);

    const parentKey = mention.inReplyToId ? `${mention.network}:${mention.inReplyToId}` : null;
    // The asker thanks an answer to their question: the answer helped.
    const candidate = parentKey ? this.#candidates.get(parentKey) : undefined;
    if (candidate && parentKey && candidate.askerId === mention.author.id && confirmsAnswer(labels)) {
      this.#candidates.delete(parentKey);
      const answerer = this.#authors.get(candidate.answererKey);
      if (answerer) {
        answerer.helpful += 1;
        this.#changed.add(candidate.answererKey);
      }
    }
    const asker = parentKey ? this.#questions.get(parentKey) : undefined;
    const answersAnotherCustomer =
      asker !== undefined && asker !== mention.author.id && !this.#ownIds(mention.network, asker);
    if (answersAnotherCustomer && mayBeAnswer(labels)) {
      // Counts for nothing until the asker confirms it (advocacy.ts).
      touch(this.#candidates, postKey, { answererKey: key, askerId: asker }, MAX_QUESTIONS);
    } else if (analysis.sentiment.label === 'positive') {
      history.positive += 1;
    } else if (analysis.sentiment.label === 'negative') {
      history.negative += 1;
    }
  }

  #scoresOf(history: AuthorHistory): AuthorScores {
    const measured = history.posts.filter((p) => p.measured);
    const influence = influenceBreakdown({
      followers: history.followers,
      following: history.following,
      verified: history.verified,
      interactionsPerPost:
        measured.length === 0 ? 0 : interactionsOf(measured.map((p) => p.engagement)) / measured.length,
      postsObserved: measured.length,
      pageRank: this.#graph.normalizedRank(history.handleNode),
    });
    return {
      influence: influence.score,
      advocacy: advocacyScore({
        positiveBrandMentions: history.positive,
        negativeBrandMentions: history.negative,
        helpfulAnswers: history.helpful,
        reach: influence.engagedAudience ?? 0,
      }),
    };
  }

  /**
   * Posts worth reading again: each persona's latest `perPersona` posts younger than `maxAgeMs`, least
   * recently read first (so a budget that cannot read all of them rotates through them).
   */
  refreshTargets(options: { perPersona: number; maxAgeMs: number }): RefreshTarget[] {
    const now = this.#now();
    const targets: RefreshTarget[] = [];
    for (const [personaKey, history] of this.#authors) {
      const recent = history.posts
        .filter((p) => now - p.createdAt <= options.maxAgeMs)
        .slice(-Math.max(0, options.perPersona));
      for (const p of recent)
        targets.push({ network: history.network, postId: p.id, personaKey, readAt: p.readAt });
    }
    return targets.sort((a, b) => a.readAt - b.readAt);
  }

  /** Engagement read from the network for a post; returns false when the post is not (or no longer) kept. */
  applyEngagement(personaKey: string, postId: string, engagement: Engagement): boolean {
    const history = this.#authors.get(personaKey);
    const post = history?.posts.find((p) => p.id === postId);
    if (!post) return false;
    const now = this.#now();
    post.engagement = engagement;
    post.readAt = now;
    post.measured = isMeasured(engagement, post.createdAt, now);
    return true;
  }

  /** The network was asked but did not return the post: its last reading stays, it goes to the back of the line. */
  markRead(personaKey: string, postId: string): void {
    const post = this.#authors.get(personaKey)?.posts.find((p) => p.id === postId);
    if (post) post.readAt = this.#now();
  }

  /** Personas whose scores changed by someone else's post since the last call (and clears the list). */
  takeChanged(): string[] {
    const changed = [...this.#changed];
    this.#changed.clear();
    return changed;
  }

  /** The current scores of these personas, with their people's new influence roll-up where known. */
  rescore(personaKeys: Iterable<string>): Rescored[] {
    const out: Rescored[] = [];
    for (const personaKey of new Set(personaKeys)) {
      const history = this.#authors.get(personaKey);
      if (!history) continue;
      const scores = this.#scoresOf(history);
      const ref = this.#personOf.get(personaKey);
      let person: Rescored['person'] = null;
      const state = ref ? this.#people.get(ref.id) : undefined;
      if (ref && state) {
        const next = applyPersonaInfluence(state, personaKey, scores.influence);
        touch(this.#people, ref.id, next, MAX_PEOPLE);
        person = { ...ref, influence: rolledUpInfluence(next) ?? scores.influence };
      }
      out.push({ personaKey, scores, person });
    }
    return out;
  }

  /**
   * A person's roll-up was recomputed from the org (a re-link or unlink moved posts or profiles, relink.ts):
   * what this process kept of them is dropped — the influence of each profile it saw, its sentiment history,
   * which profiles it rolled up onto them — and the org's new values stand in for their history, as for a
   * person first seen (`#seed`). A profile unlinked from them no longer lifts their influence, and posts
   * linked to them count in their sentiment. A profile that posts again is rolled up onto whoever it is
   * linked to then.
   */
  reseed(person: Pick<PersonRecord, 'id' | 'influence' | 'sentiment' | 'lastActivity'>): void {
    this.forget(person.id);
    touch(this.#people, person.id, this.#seed(person), MAX_PEOPLE);
  }

  /** Drops what this process kept of a person; their next post starts from their record in the org. */
  forget(personId: string): void {
    this.#people.delete(personId);
    for (const [personaKey, ref] of this.#personOf)
      if (ref.id === personId) this.#personOf.delete(personaKey);
  }

  rollup(
    person: PersonRecord,
    post: { personaKey: string; sentimentScore: number; at: string; influence: number },
  ): PersonRollup {
    let state = this.#people.get(person.id) ?? this.#seed(person);
    state = applyPost(state, { score: post.sentimentScore, at: post.at });
    state = applyPersonaInfluence(state, post.personaKey, post.influence);
    touch(this.#people, person.id, state, MAX_PEOPLE);
    touch(this.#personOf, post.personaKey, { id: person.id, type: person.type }, MAX_AUTHORS);
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
  #seed(person: Pick<PersonRecord, 'influence' | 'sentiment' | 'lastActivity'>): RollupState {
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
