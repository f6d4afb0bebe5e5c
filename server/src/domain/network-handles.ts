/**
 * What an author handle looks like on each network, as the network shows it (without a leading `@`).
 * Connectors check every author against these before a mention is queued: a handle that breaks its
 * network's rules is a sign of a malformed or forged item, and would be stored as a persona's handle,
 * shown on the record page and matched against `Social_Handles__c`.
 *
 * - x:         1–15 letters, digits or underscores (X's username rule).
 * - bluesky:   a domain handle per the AT Protocol handle syntax (https://atproto.com/specs/handle):
 *              ASCII labels of 1–63 letters, digits or hyphens (no hyphen first or last), at least two,
 *              the last not starting with a digit, 253 characters at most. An author whose handle does
 *              not verify is shown by its DID (`did:plc:…`), as bsky.app does, so a DID is accepted too.
 * - mastodon:  `user@domain`: the username as Mastodon allows it (letters, digits, `_`, and `.`/`-` inside)
 *              and the instance's domain, with a port where the instance has one (`localhost:3000`).
 * - facebook:  a Facebook username (5–50 letters, digits or periods, not all digits) or a numeric user or
 *              page id (up to 20 digits). Meta's
 *              webhooks give no username for people, so connectors use the id.
 * - instagram: 1–30 letters, digits, periods or underscores (Instagram's username rule).
 */
import type { Network } from './mention.ts';

const X_HANDLE = /^[A-Za-z0-9_]{1,15}$/;
const AT_HANDLE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const AT_DID = /^did:[a-z]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._-]$/;
const MASTODON_USER = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/;
const MASTODON_DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;
// Facebook usernames are never all digits: those are ids.
const FACEBOOK_USERNAME = /^(?=[A-Za-z0-9.]*[A-Za-z])[A-Za-z0-9.]{5,50}$/;
const FACEBOOK_ID = /^\d{1,20}$/;
const INSTAGRAM_HANDLE = /^[A-Za-z0-9._]{1,30}$/;

const RULES: Record<Network, { test: (handle: string) => boolean; rule: string }> = {
  x: { test: (h) => X_HANDLE.test(h), rule: 'an X handle is 1–15 letters, digits or underscores' },
  bluesky: {
    test: (h) => (h.length <= 253 && AT_HANDLE.test(h)) || (h.length <= 2048 && AT_DID.test(h)),
    rule: 'a Bluesky handle is a domain name such as ann.bsky.social (AT Protocol handle syntax), or the author’s DID',
  },
  mastodon: {
    test: (h) => {
      const at = h.indexOf('@');
      if (at < 0 || h.length > 320) return false;
      return MASTODON_USER.test(h.slice(0, at)) && MASTODON_DOMAIN.test(h.slice(at + 1));
    },
    rule: 'a Mastodon handle is user@domain, e.g. ann@mastodon.social',
  },
  facebook: {
    test: (h) => FACEBOOK_USERNAME.test(h) || FACEBOOK_ID.test(h),
    rule: 'a Facebook handle is a username of 5–50 letters, digits or periods, or a numeric id',
  },
  instagram: {
    test: (h) => INSTAGRAM_HANDLE.test(h),
    rule: 'an Instagram handle is 1–30 letters, digits, periods or underscores',
  },
};

/** Why `handle` is not a handle on `network` (naming the rule and what was sent), or null when it is one. */
export function handleProblem(network: Network, handle: string): string | null {
  const { test, rule } = RULES[network];
  if (test(handle)) return null;
  const shown = handle.length > 40 ? `${handle.slice(0, 40)}…` : handle;
  return `${rule} (got ${JSON.stringify(shown)})`;
}
