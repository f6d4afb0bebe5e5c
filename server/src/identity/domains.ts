/**
 * Domains as identity evidence: a company's website or email domain seen again in a social profile.
 * Only registrable domains (`shop.acme.co.uk` → `acme.co.uk`, by the Public Suffix List through tldts)
 * that belong to one organisation or person count: personal-mail providers (`gmail.com`) and the hosts of
 * social networks and link services (`x.com`, `linktr.ee`, `substack.com`) are shared by millions, so a
 * match on them says nothing.
 */
import emailProviders from 'email-providers/all.json' with { type: 'json' };
import { parse } from 'tldts';
import { normalizeHost } from './handles.ts';

/** Personal-mail domains the `email-providers` list lacks. */
const EXTRA_MAIL_PROVIDERS = ['fastmail.com', 'pm.me', 'protonmail.com', 'proton.me', 'tuta.io', 'duck.com'];

const PERSONAL_MAIL = new Set<string>([...emailProviders, ...EXTRA_MAIL_PROVIDERS]);

/** Hosts shared by many unrelated people: social networks, link-in-bio and blogging services, shorteners. */
const SHARED_HOSTS = new Set([
  'x.com',
  'twitter.com',
  't.co',
  'bsky.app',
  'bsky.social',
  'facebook.com',
  'fb.com',
  'fb.me',
  'instagram.com',
  'threads.net',
  'linkedin.com',
  'lnkd.in',
  'youtube.com',
  'youtu.be',
  'tiktok.com',
  'github.com',
  'gitlab.com',
  'medium.com',
  'substack.com',
  'wordpress.com',
  'blogspot.com',
  'tumblr.com',
  'linktr.ee',
  'bio.link',
  'beacons.ai',
  'lnk.bio',
  'about.me',
  'carrd.co',
  'bit.ly',
  'buff.ly',
  'ow.ly',
  'goo.gl',
  'mastodon.social',
  'mastodon.online',
  'mstdn.social',
  'hachyderm.io',
  'fosstodon.org',
  'infosec.exchange',
  'google.com',
  'apple.com',
]);

/**
 * The registrable domain of a host, URL or email domain (`https://www.acme.co.uk/about` → `acme.co.uk`),
 * or null for IP addresses, single labels and unknown suffixes.
 */
export function registrableDomain(value: string): string | null {
  const result = parse(value.trim().toLowerCase(), { allowPrivateDomains: true });
  if (result.isIp || result.domain === null || (!result.isIcann && !result.isPrivate)) return null;
  return result.domain;
}

/** The full host of a URL or bare domain (`https://www.ann.dev/x` → `ann.dev`), or null. */
export function hostOf(value: string): string | null {
  const result = parse(value.trim().toLowerCase(), { allowPrivateDomains: true });
  if (result.isIp || result.hostname === null || result.domain === null) return null;
  if (!result.isIcann && !result.isPrivate) return null;
  return normalizeHost(result.hostname);
}

/** Whether the domain belongs to a personal-mail provider. */
export function isPersonalMailDomain(domain: string): boolean {
  return PERSONAL_MAIL.has(domain.toLowerCase());
}

/** Whether the registrable domain is shared by unrelated people (mail providers, networks, link services). */
export function isSharedDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return SHARED_HOSTS.has(d) || PERSONAL_MAIL.has(d);
}

/** The registrable domain of a host/URL when it identifies one organisation or person, else null. */
export function identifyingDomain(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const domain = registrableDomain(value);
  return domain !== null && !isSharedDomain(domain) ? domain : null;
}

const EMAIL = /[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}/gi;

/** Normalized email address (trimmed, lowercase), or null when it is not one. */
export function normalizeEmail(value: string | null | undefined): string | null {
  const text = (value ?? '').trim().toLowerCase();
  EMAIL.lastIndex = 0;
  const match = EMAIL.exec(text);
  return match !== null && match[0] === text ? text : null;
}

/** Email addresses written in free text (a bio), lowercased. `ann [at] acme.com` is not undone. */
export function emailsIn(text: string): string[] {
  return [...new Set((text.match(EMAIL) ?? []).map((e) => e.toLowerCase().replace(/\.$/, '')))];
}

const URL_OR_DOMAIN =
  /\bhttps?:\/\/[^\s<>"')]+|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:\/[^\s<>"')]*)?/gi;

/**
 * Hosts of the links and bare domains written in free text (`🌐 ann.dev`, `https://acme.com/team`),
 * normalized, without those inside email addresses and without unknown suffixes (`node.js`).
 */
export function hostsIn(text: string): string[] {
  const hosts = new Set<string>();
  for (const match of text.match(URL_OR_DOMAIN) ?? []) {
    const host = hostOf(match.replace(/[.,;:!?]+$/, ''));
    if (host !== null) hosts.add(host);
  }
  return [...hosts];
}
