/**
 * Social handles as reps type them into `Social_Handles__c` (one `network:handle` a line) and as networks
 * show them, brought to one normalized form so that the two can be compared with `===`.
 *
 * Normalized forms (what `normalizeHandle` returns):
 * - x:         lowercase, no `@` (`ann_lee`); X handles are case-insensitive.
 * - bluesky:   lowercase domain handle (`ann.bsky.social`, `ann.dev`), or a DID as given (`did:plc:…`);
 *              a bare name without a dot is taken as `<name>.bsky.social`, the default handle domain.
 * - mastodon:  `user@instance`, lowercase. A bare `user` (or `@user`) is qualified with the instance when
 *              one is known (the connector's home instance, or the instance of the URL it came from);
 *              otherwise it stays bare, and a bare handle never equals a qualified one: `ann` on one
 *              instance is not `ann` on another.
 * - instagram: lowercase, no `@`.
 * - facebook:  lowercase username or numeric profile id.
 */
import type { Network } from '../domain/mention.ts';

export interface SocialHandle {
  network: Network;
  /** The normalized handle (see the module comment). */
  handle: string;
}

export interface HandleOptions {
  /**
   * The Mastodon instance that bare Mastodon handles (`@ann`, `mastodon:ann`) belong to, e.g. the brand's
   * home instance whose API the connector reads (Mastodon shows local accounts without their domain).
   */
  mastodonInstance?: string | null;
}

/** Line prefixes reps use, mapped onto the network they name. */
const NETWORK_ALIASES: Readonly<Record<string, Network>> = {
  x: 'x',
  twitter: 'x',
  tw: 'x',
  bluesky: 'bluesky',
  bsky: 'bluesky',
  mastodon: 'mastodon',
  fediverse: 'mastodon',
  facebook: 'facebook',
  fb: 'facebook',
  instagram: 'instagram',
  ig: 'instagram',
  insta: 'instagram',
};

/** The network an alias (`twitter`, `bsky`, `X`) names, or null. */
export function networkFromAlias(alias: string): Network | null {
  return NETWORK_ALIASES[alias.trim().toLowerCase()] ?? null;
}

const X_HANDLE = /^[a-z0-9_]{1,50}$/;
const INSTAGRAM_HANDLE = /^[a-z0-9._]{1,30}$/;
const FACEBOOK_HANDLE = /^[a-z0-9.]{1,50}$/;
const DOMAIN_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const BLUESKY_DID = /^did:(?:plc|web):[a-z0-9._:%-]+$/i;
const MASTODON_USER = /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Hosts of the networks' own web apps: a link to one of these is a profile, not someone's website. */
const X_HOSTS = new Set(['x.com', 'twitter.com']);
const BLUESKY_HOSTS = new Set(['bsky.app', 'staging.bsky.app']);
const FACEBOOK_HOSTS = new Set(['facebook.com', 'fb.com']);
const INSTAGRAM_HOSTS = new Set(['instagram.com']);

/** First path segments on x.com / facebook.com / instagram.com that are app pages, not users. */
const RESERVED_PATHS = new Set([
  'home',
  'i',
  'intent',
  'search',
  'hashtag',
  'share',
  'explore',
  'settings',
  'messages',
  'notifications',
  'login',
  'signup',
  'pages',
  'groups',
  'events',
  'watch',
  'p',
  'reel',
  'reels',
  'stories',
  'tv',
]);

function stripAt(value: string): string {
  return value.trim().replace(/^@+/, '');
}

/** Lowercased host without `www.`/`m.`/`mobile.`, or null when `value` is not a usable domain. */
export function normalizeHost(value: string): string | null {
  const host = value
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^(?:www|m|mobile)\./, '');
  return DOMAIN_NAME.test(host) ? host : null;
}

function normalizeMastodon(raw: string, instance: string | null): string | null {
  const value = stripAt(raw).toLowerCase();
  const at = value.indexOf('@');
  const user = at < 0 ? value : value.slice(0, at);
  const host = at < 0 ? instance : normalizeHost(value.slice(at + 1));
  if (!MASTODON_USER.test(user)) return null;
  if (at >= 0 && host === null) return null;
  return host === null ? user : `${user}@${host}`;
}

/**
 * The normalized form of `handle` on `network` (see the module comment), or null when it is not a valid
 * handle there. Accepts a leading `@` and surrounding spaces; not URLs (see `handleFromUrl`).
 */
export function normalizeHandle(
  network: Network,
  handle: string,
  options: HandleOptions = {},
): string | null {
  const value = stripAt(handle);
  if (value === '') return null;
  switch (network) {
    case 'x': {
      const h = value.toLowerCase();
      return X_HANDLE.test(h) ? h : null;
    }
    case 'bluesky': {
      if (BLUESKY_DID.test(value)) return value.toLowerCase();
      const h = value.toLowerCase().replace(/\.$/, '');
      // `handle.invalid` is what Bluesky shows for an account whose handle no longer verifies.
      if (h === 'handle.invalid') return null;
      if (!h.includes('.')) return DOMAIN_LABEL.test(h) ? `${h}.bsky.social` : null;
      return DOMAIN_NAME.test(h) ? h : null;
    }
    case 'mastodon': {
      const instance = options.mastodonInstance ? normalizeHost(options.mastodonInstance) : null;
      return normalizeMastodon(value, instance);
    }
    case 'instagram': {
      const h = value.toLowerCase();
      return INSTAGRAM_HANDLE.test(h) ? h : null;
    }
    case 'facebook': {
      const h = value.toLowerCase();
      return FACEBOOK_HANDLE.test(h) ? h : null;
    }
  }
}

function parseUrl(value: string): URL | null {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The profile a URL points at, or null: `https://x.com/ann_lee` (also twitter.com, `/status/…` links),
 * `https://bsky.app/profile/ann.bsky.social`, `https://mastodon.social/@ann` (any host with an `/@user`
 * path is taken as a Mastodon instance; `/@ann@other.host` is a remote account), `https://host/users/ann`,
 * `https://facebook.com/ann.lee` (and `profile.php?id=…`), `https://instagram.com/ann`.
 * The scheme may be missing (`x.com/ann_lee`).
 */
export function handleFromUrl(value: string): SocialHandle | null {
  const url = parseUrl(value.trim());
  if (url === null) return null;
  const host = normalizeHost(url.hostname);
  if (host === null) return null;
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const first = decodeURIComponent(segments[0] ?? '');
  const make = (
    network: Network,
    raw: string | undefined,
    options: HandleOptions = {},
  ): SocialHandle | null => {
    if (raw === undefined || raw === '') return null;
    const handle = normalizeHandle(network, raw, options);
    return handle === null ? null : { network, handle };
  };
  if (X_HOSTS.has(host)) return RESERVED_PATHS.has(first.toLowerCase()) ? null : make('x', first);
  if (BLUESKY_HOSTS.has(host)) {
    return first === 'profile' ? make('bluesky', decodeURIComponent(segments[1] ?? '')) : null;
  }
  if (FACEBOOK_HOSTS.has(host)) {
    if (first === 'profile.php') return make('facebook', url.searchParams.get('id') ?? undefined);
    return RESERVED_PATHS.has(first.toLowerCase()) ? null : make('facebook', first);
  }
  if (INSTAGRAM_HOSTS.has(host))
    return RESERVED_PATHS.has(first.toLowerCase()) ? null : make('instagram', first);
  if (first.startsWith('@')) return make('mastodon', first, { mastodonInstance: host });
  if (first === 'users' && segments[1] !== undefined) {
    return make('mastodon', decodeURIComponent(segments[1]), { mastodonInstance: host });
  }
  return null;
}

function looksLikeUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) || /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\/\S/i.test(value);
}

/**
 * One `Social_Handles__c` line as a normalized handle, or null when it names no handle we can use.
 * Accepts `x:@ann_lee`, `Twitter: Ann_Lee`, `bsky: @ann.bsky.social`, `mastodon:@ann@mastodon.social`,
 * `mastodon:@ann` (qualified with `options.mastodonInstance` when given), a profile URL with or without
 * a `network:` prefix, a bare `@user@instance` (Mastodon) and a bare `did:plc:…` (Bluesky).
 */
export function parseHandleLine(line: string, options: HandleOptions = {}): SocialHandle | null {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  if (/^did:/i.test(text)) return parsePrefixed('bluesky', text, options);
  const prefixed = /^([a-z]+)\s*:\s*(.*)$/i.exec(text);
  const network = prefixed ? networkFromAlias(prefixed[1] ?? '') : null;
  if (prefixed && network !== null) return parsePrefixed(network, prefixed[2] ?? '', options);
  if (looksLikeUrl(text)) return handleFromUrl(text);
  if (/^@[^@\s]+@[^@\s]+$/.test(text)) {
    const handle = normalizeHandle('mastodon', text);
    return handle === null ? null : { network: 'mastodon', handle };
  }
  return null;
}

function parsePrefixed(network: Network, value: string, options: HandleOptions): SocialHandle | null {
  const text = value.trim();
  if (looksLikeUrl(text)) {
    const fromUrl = handleFromUrl(text);
    if (fromUrl !== null) return fromUrl;
    return null;
  }
  const handle = normalizeHandle(network, text, options);
  return handle === null ? null : { network, handle };
}

/**
 * Every handle in a `Social_Handles__c` value, normalized and without duplicates, in the order written.
 * Tolerates blank lines, comment lines (`#`), spaces, and several handles on a line separated by `,`/`;`.
 * Lines that name no usable handle are skipped (see `parseSocialHandlesDetailed` to report them).
 */
export function parseSocialHandles(
  text: string | null | undefined,
  options: HandleOptions = {},
): SocialHandle[] {
  return parseSocialHandlesDetailed(text, options).handles;
}

/** As `parseSocialHandles`, also returning the non-blank entries that were not understood. */
export function parseSocialHandlesDetailed(
  text: string | null | undefined,
  options: HandleOptions = {},
): { handles: SocialHandle[]; invalid: string[] } {
  const handles: SocialHandle[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const entry of (text ?? '').split(/[\r\n,;]+/)) {
    const trimmed = entry.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const parsed = parseHandleLine(trimmed, options);
    if (parsed === null) {
      invalid.push(trimmed);
      continue;
    }
    const key = handleKey(parsed);
    if (seen.has(key)) continue;
    seen.add(key);
    handles.push(parsed);
  }
  return { handles, invalid };
}

/** `network:handle`, the key indexes use. */
export function handleKey(handle: SocialHandle): string {
  return `${handle.network}:${handle.handle}`;
}

/**
 * The line to store in `Social_Handles__c`: `x:@ann_lee`, `bluesky:ann.bsky.social`,
 * `mastodon:@ann@mastodon.social`, `instagram:@ann`, `facebook:ann.lee`. `parseHandleLine` reads it back.
 */
export function formatHandleLine(handle: SocialHandle): string {
  switch (handle.network) {
    case 'x':
    case 'instagram':
    case 'mastodon':
      return `${handle.network}:@${handle.handle}`;
    case 'bluesky':
    case 'facebook':
      return `${handle.network}:${handle.handle}`;
  }
}

/**
 * `text` with `handles` that it does not list yet appended, one a line; the rep's own lines are kept as
 * written. Use it when a rep confirms a suggested link and the handle should be remembered on the record.
 */
export function mergeSocialHandles(
  text: string | null | undefined,
  handles: readonly SocialHandle[],
  options: HandleOptions = {},
): string {
  const existing = new Set(parseSocialHandles(text, options).map(handleKey));
  const lines = (text ?? '').replace(/\s+$/, '');
  const added = handles.filter((h) => {
    const key = handleKey(h);
    if (existing.has(key)) return false;
    existing.add(key);
    return true;
  });
  if (added.length === 0) return text ?? '';
  return [lines, ...added.map(formatHandleLine)].filter((l) => l !== '').join('\n');
}
