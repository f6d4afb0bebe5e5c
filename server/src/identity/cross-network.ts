/**
 * Cross-network linking: once one of a person's personas is linked, their personas on other networks
 * follow, through two routes.
 *
 * 1. Through the directory. Each persona is first resolved on its own (`resolvePerson`), so every
 *    handle a rep listed in `Social_Handles__c` links on whatever network it is seen, and every domain
 *    the person owns works on every network: a Bluesky custom-domain handle `ann.dev` or
 *    `ann.acme.com`, a self-hosted Mastodon instance `social.acme.com`, or a bio link to `acme.com`
 *    matches the Contact whose email or website is on that domain (0.45 + 0.45 × name similarity).
 *
 * 2. Persona to persona. Profiles cite each other: a bio link to `https://bsky.app/profile/ann.dev`,
 *    an `@ann@mastodon.social` in an X bio, a bare `ann.dev` that is someone's Bluesky handle. Trust
 *    follows the citation from a linked persona:
 *    - linked A cites B, and B cites A back: B gets A's person at min(A's confidence, 0.97);
 *    - linked A cites B: B gets A's person at min(A's confidence, 0.95) — the real person vouches;
 *    - B cites linked A, not cited back: only a suggestion, 0.7 — anyone can claim to be someone;
 *    - A and B link the same exact host (`ann.dev`, not just `acme.com`) and show the same name:
 *      0.8 × name similarity, a suggestion. A host that is a Bluesky custom-domain handle is proved by
 *      DNS: a bio naming it (bare or as a link) cites that Bluesky profile, so the rules above apply;
 *    - A and B show the same email address in their bios, under the same name: 0.9 (one person's
 *      address; the name check keeps a shared team address from joining two people).
 *    A link that arrives this way needs B's display name or handle to look like the person's name
 *    (similarity ≥ 0.7); otherwise it is capped at 0.6 (a company account cited from a bio is not the
 *    person). Links propagate along chains (A → B → C), each step taking the weaker confidence.
 *    A persona's own resolution always wins over a propagated one; two persons arriving at the same
 *    persona within the tie margin leave it with a suggestion only.
 */
import type { Author, Network } from '../domain/mention.ts';
import type { PeopleDirectory } from './directory.ts';
import { profileEvidence } from './evidence.ts';
import type { ProfileEvidence } from './evidence.ts';
import { handleKey } from './handles.ts';
import { handleNameSimilarity, nameSimilarity } from './names.ts';
import {
  DEFAULT_SUGGEST_THRESHOLD,
  DEFAULT_THRESHOLD,
  DEFAULT_TIE_MARGIN,
  decide,
  resolvePerson,
  scoreCandidates,
} from './resolve.ts';
import type { PersonMatch, PersonRef, Resolution, ResolveOptions, Scored } from './resolve.ts';

export interface PersonaInput {
  /** Any key unique among the inputs; `Social_Persona__c.External_Id__c` (`network:userId`) fits. */
  key: string;
  network: Network;
  author: Author;
  /** The persona's current `Contact__c`/`Lead__c`. */
  existingLink?: PersonRef | null;
}

export type CrossNetworkOptions = Omit<ResolveOptions, 'existingLink'>;

interface Edge {
  from: string;
  to: string;
  weight: number;
  reason: string;
}

const MUTUAL_CITE = 0.97;
const CITE = 0.95;
const CLAIM = 0.7;
const SHARED_HOST = 0.8;
const SAME_EMAIL = 0.9;
const NAME_OK = 0.7;
const NAME_MISMATCH_CAP = 0.6;

function citationEdges(evidence: ReadonlyMap<string, ProfileEvidence>): Edge[] {
  const byHandle = new Map<string, string>();
  for (const [key, ev] of evidence) for (const h of ev.ownHandles) byHandle.set(handleKey(h), key);
  const cites = new Map<string, Set<string>>();
  for (const [key, ev] of evidence) {
    const targets = new Set<string>();
    for (const h of ev.cited) {
      const target = byHandle.get(handleKey(h));
      if (target !== undefined && target !== key) targets.add(target);
    }
    cites.set(key, targets);
  }
  const edges: Edge[] = [];
  for (const [a, targets] of cites) {
    for (const b of targets) {
      const mutual = cites.get(b)?.has(a) ?? false;
      edges.push({
        from: a,
        to: b,
        weight: mutual ? MUTUAL_CITE : CITE,
        reason: mutual ? 'cite each other' : 'cites it',
      });
      if (!mutual) edges.push({ from: b, to: a, weight: CLAIM, reason: 'claims it in its bio' });
    }
  }
  const keys = [...evidence.keys()];
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const a = evidence.get(keys[i] ?? '');
      const b = evidence.get(keys[j] ?? '');
      if (a === undefined || b === undefined) continue;
      const email = a.emails.find((e) => b.emails.includes(e));
      const host = a.network === b.network ? undefined : a.hosts.find((h) => b.hosts.includes(h));
      if (host === undefined && email === undefined) continue;
      const name = Math.min(
        nameSimilarity(a.nameTokens, { first: b.nameTokens.slice(0, -1), last: b.nameTokens.slice(-1) }),
        nameSimilarity(b.nameTokens, { first: a.nameTokens.slice(0, -1), last: a.nameTokens.slice(-1) }),
      );
      if (name < NAME_OK) continue;
      const weight = email === undefined ? SHARED_HOST * name : SAME_EMAIL;
      const reason =
        email === undefined
          ? `both link ${host} under the same name`
          : `both show ${email} under the same name`;
      edges.push(
        { from: keys[i] ?? '', to: keys[j] ?? '', weight, reason },
        { from: keys[j] ?? '', to: keys[i] ?? '', weight, reason },
      );
    }
  }
  return edges;
}

/**
 * Resolves a set of personas together (e.g. all personas seen in a sync batch plus the already linked
 * ones they may cite), adding persona-to-persona evidence to each one's own resolution.
 * Returns each input key's resolution.
 */
export function linkAcrossNetworks(
  personas: readonly PersonaInput[],
  directory: PeopleDirectory,
  options: CrossNetworkOptions = {},
): Map<string, Resolution> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const suggestThreshold = options.suggestThreshold ?? DEFAULT_SUGGEST_THRESHOLD;
  const tieMargin = options.tieMargin ?? DEFAULT_TIE_MARGIN;
  const handleOptions = {
    ...directory.handleOptions,
    ...(options.mastodonInstance ? { mastodonInstance: options.mastodonInstance } : {}),
  };

  const own = new Map<string, Resolution>();
  const evidence = new Map<string, ProfileEvidence>();
  for (const p of personas) {
    own.set(
      p.key,
      resolvePerson(p.author, p.network, directory, { ...options, existingLink: p.existingLink ?? null }),
    );
    evidence.set(p.key, profileEvidence(p.author, p.network, handleOptions));
  }
  const edges = citationEdges(evidence);

  // A persona without a link of its own is decided on its own candidates merged with propagated ones.
  const ownScored = new Map<string, Scored[]>();
  for (const p of personas) {
    const ev = evidence.get(p.key);
    if (own.get(p.key)?.link === null && ev !== undefined)
      ownScored.set(p.key, scoreCandidates(ev, directory));
  }
  const proposals = new Map<string, Map<string, Scored>>();
  const decideMerged = (key: string): Resolution => {
    const merged = new Map<string, Scored>();
    for (const s of ownScored.get(key) ?? []) merged.set(s.entry.id, { ...s });
    for (const s of proposals.get(key)?.values() ?? []) {
      const current = merged.get(s.entry.id);
      if (current === undefined || s.confidence > current.confidence) merged.set(s.entry.id, { ...s });
    }
    return decide([...merged.values()], { threshold, suggestThreshold, tieMargin });
  };

  // linked: key → its link, own or propagated. Propagate to a fixpoint: at most one pass per persona.
  const linked = new Map<string, PersonMatch>();
  for (const [key, r] of own) if (r.link !== null) linked.set(key, r.link);
  for (let pass = 0; pass < personas.length; pass++) {
    let changed = false;
    for (const edge of edges) {
      const source = linked.get(edge.from);
      if (source === undefined || !ownScored.has(edge.to)) continue;
      const entry = directory.get(source.id);
      const target = evidence.get(edge.to);
      if (entry === undefined || target === undefined) continue;
      const name = Math.max(
        nameSimilarity(target.nameTokens, entry.name),
        handleNameSimilarity(target.handle, entry.name),
      );
      let confidence = Math.min(source.confidence, edge.weight);
      if (name < NAME_OK) confidence = Math.min(confidence, NAME_MISMATCH_CAP);
      const forTarget = proposals.get(edge.to) ?? new Map<string, Scored>();
      proposals.set(edge.to, forTarget);
      const current = forTarget.get(entry.id);
      if (current === undefined || confidence > current.confidence + 1e-9) {
        const reason = `cross-network: ${edge.from} (${source.reason}) ${edge.reason}`;
        forTarget.set(entry.id, { entry, confidence, reason, viaHandle: false });
        changed = true;
      }
    }
    if (!changed) break;
    for (const key of proposals.keys()) {
      const link = decideMerged(key).link;
      if (link !== null) linked.set(key, link);
      else linked.delete(key);
    }
  }

  const result = new Map<string, Resolution>();
  for (const p of personas) {
    const mine = own.get(p.key) ?? { link: null, suggestion: null, alternatives: [] };
    result.set(p.key, proposals.has(p.key) ? decideMerged(p.key) : mine);
  }
  return result;
}
