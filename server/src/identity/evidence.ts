/**
 * What a social profile says about who is behind it, extracted once per author: its own handles, the name
 * it shows, emails, websites and domains in its bio, and the handles it cites on other networks.
 */
import type { Author, Network } from '../domain/mention.ts';
import { emailsIn, hostsIn, identifyingDomain } from './domains.ts';
import { handleFromUrl, handleKey, normalizeHandle, normalizeHost } from './handles.ts';
import type { HandleOptions, SocialHandle } from './handles.ts';
import { displayNameParts, foldText, nameTokens } from './names.ts';

export interface ProfileEvidence {
  network: Network;
  /** The author's own handles on `network`, normalized (for Bluesky also the DID). */
  ownHandles: SocialHandle[];
  /** The author's normalized handle (as shown), or the raw one when it does not normalize. */
  handle: string;
  /** Folded name tokens from the name part of the display name. */
  nameTokens: string[];
  /** Folded bio plus the non-name part of the display name (`| Acme`): where employers are named. */
  context: string;
  /** The bio as written (for reading how a company is named: employer or product, see employment.ts). */
  bio: string;
  /** What follows the name in the display name (`| Acme`, `, CTO @ Acme`), and its parenthesised notes. */
  nameRest: string;
  emails: string[];
  /** Exact hosts the profile claims: links in the bio, profile URL (if not the network's), custom handle domain. */
  hosts: string[];
  /** Identifying registrable domains of `hosts`. */
  domains: string[];
  /** Handles on other networks the profile cites (`https://bsky.app/profile/…`, `@ann@mastodon.social`, `ann.dev`). */
  cited: SocialHandle[];
}

const MASTODON_IN_TEXT = /(?<![\w@])@[a-z0-9_][a-z0-9_.-]*@[a-z0-9.-]+\.[a-z]{2,}/gi;
/** Links, with or without a scheme, that can name a profile: network hosts, and `host/@user` (Mastodon). */
const URL_IN_TEXT =
  /\bhttps?:\/\/[^\s<>"')]+|(?<![\w./@-])(?:www\.)?(?:x\.com|twitter\.com|bsky\.app|instagram\.com|facebook\.com)\/[^\s<>"')]+|(?<![\w./@-])[a-z0-9-]+(?:\.[a-z0-9-]+)+\/@[^\s<>"')]+/gi;

/** Whether a Bluesky handle is a custom domain (proved by DNS or a well-known file), not `*.bsky.social`. */
export function isCustomBlueskyDomain(handle: string): boolean {
  return !handle.startsWith('did:') && !handle.endsWith('.bsky.social');
}

/** Parenthesised notes of a display name (`Ann Lee (Acme)` → `Acme`); names drop them. */
function notesIn(name: string): string[] {
  return [...name.matchAll(/\(([^)]*)\)|\[([^\]]*)\]/g)].map((m) => `| ${m[1] ?? m[2] ?? ''}`);
}

export function profileEvidence(
  author: Author,
  network: Network,
  options: HandleOptions = {},
): ProfileEvidence {
  const ownHandles: SocialHandle[] = [];
  const add = (list: SocialHandle[], h: SocialHandle | null): void => {
    if (h !== null && !list.some((x) => handleKey(x) === handleKey(h))) list.push(h);
  };
  const normalized = normalizeHandle(network, author.handle, options);
  if (normalized !== null) add(ownHandles, { network, handle: normalized });
  if (network === 'bluesky' && author.id.startsWith('did:')) add(ownHandles, { network, handle: author.id });
  const fromProfileUrl = author.profileUrl === null ? null : handleFromUrl(author.profileUrl);
  if (fromProfileUrl !== null && fromProfileUrl.network === network) add(ownHandles, fromProfileUrl);

  const parts = displayNameParts(author.displayName);
  const bio = author.bio;
  const hosts = new Set(hostsIn(bio));
  if (author.profileUrl !== null && fromProfileUrl === null) {
    for (const host of hostsIn(author.profileUrl)) hosts.add(host);
  }
  if (network === 'bluesky' && normalized !== null && isCustomBlueskyDomain(normalized))
    hosts.add(normalized);
  if (network === 'mastodon' && normalized !== null && normalized.includes('@')) {
    const instance = normalizeHost(normalized.split('@')[1] ?? '');
    if (instance !== null) hosts.add(instance);
  }
  const domains = new Set<string>();
  for (const host of hosts) {
    const domain = identifyingDomain(host);
    if (domain !== null) domains.add(domain);
  }

  const cited: SocialHandle[] = [];
  const ownKeys = new Set(ownHandles.map(handleKey));
  const cite = (h: SocialHandle | null): void => {
    if (h !== null && !ownKeys.has(handleKey(h))) add(cited, h);
  };
  for (const url of bio.match(URL_IN_TEXT) ?? []) cite(handleFromUrl(url.replace(/[.,;:!?]+$/, '')));
  for (const m of bio.match(MASTODON_IN_TEXT) ?? []) {
    const handle = normalizeHandle('mastodon', m);
    cite(handle === null ? null : { network: 'mastodon', handle });
  }
  // A bare domain in a bio may be the person's Bluesky handle (`🦋 ann.dev`); it only ever matters when a
  // Bluesky profile with exactly that handle is among the ones compared.
  for (const host of hostsIn(bio)) {
    const handle = normalizeHandle('bluesky', host);
    cite(handle === null ? null : { network: 'bluesky', handle });
  }

  return {
    network,
    ownHandles,
    handle: normalized ?? author.handle,
    nameTokens: nameTokens(parts.name),
    context: foldText(`${bio} ${parts.rest}`),
    bio,
    nameRest: [parts.rest, ...notesIn(parts.name)].filter((t) => t.trim() !== '').join(' '),
    emails: emailsIn(bio),
    hosts: [...hosts],
    domains: [...domains],
    cited,
  };
}
