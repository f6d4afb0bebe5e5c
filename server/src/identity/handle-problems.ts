/**
 * What is wrong with the lines of a `Social_Handles__c` value, so a rep can fix them. `parseSocialHandles`
 * (handles.ts) already skips what it cannot read: an unreadable line never matches anyone. This module
 * says which line (1-based, as the rep sees the field), what is wrong with it and what to write instead.
 *
 * Blank and whitespace-only lines and `#` comment lines are fine (nothing to fix). A line may hold several
 * entries separated by `,` or `;` (as `parseSocialHandles` reads them); each entry is judged on its own.
 */
import { NETWORKS, type Network } from '../domain/mention.ts';
import { handleFromUrl, networkFromAlias, parseHandleLine, type HandleOptions } from './handles.ts';

export interface HandleLineProblem {
  /** 1-based line number in the field. */
  line: number;
  /** The entry as written (trimmed, at most 80 characters). */
  text: string;
  /** What is wrong, e.g. `"x:" has no handle`. */
  problem: string;
  /** What to write instead. */
  hint: string;
}

const EXAMPLE: Record<Network, string> = {
  x: 'x:@ann_lee',
  bluesky: 'bluesky:ann.bsky.social',
  mastodon: 'mastodon:@ann@mastodon.social',
  facebook: 'facebook:ann.lee',
  instagram: 'instagram:@ann.lee',
};

const NETWORK_NAME: Record<Network, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  facebook: 'Facebook',
  instagram: 'Instagram',
};

const GENERAL_HINT = 'write one handle a line as network:handle, e.g. x:@ann_lee';

function shorten(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
}

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\/\S*/i.test(text);
}

/** Why `entry` (non-blank, not understood by `parseHandleLine`) names no handle, and what to write. */
function explain(entry: string): { problem: string; hint: string } {
  const quoted = `"${shorten(entry)}"`;
  const prefixed = /^([a-z][a-z0-9_-]*)\s*:\s*(.*)$/i.exec(entry);
  if (prefixed && !/^https?$/i.test(prefixed[1] ?? '')) {
    const network = networkFromAlias(prefixed[1] ?? '');
    const value = (prefixed[2] ?? '').trim();
    if (network === null) {
      return {
        problem: `${quoted} names an unknown network "${prefixed[1]}"`,
        hint: `start the line with one of ${NETWORKS.join(', ')}, e.g. x:@ann_lee`,
      };
    }
    const example = EXAMPLE[network];
    if (value.replace(/^@+/, '') === '') {
      return { problem: `${quoted} has no handle`, hint: `${GENERAL_HINT.replace('x:@ann_lee', example)}` };
    }
    if (/\s/.test(value)) {
      return {
        problem: `${quoted} has a space in the handle`,
        hint: `write the handle without spaces, one a line, e.g. ${example}`,
      };
    }
    if (isUrl(value)) {
      return {
        problem: `${quoted} is a link, not a ${NETWORK_NAME[network]} profile`,
        hint: `write the profile's handle, e.g. ${example}`,
      };
    }
    return {
      problem: `${quoted} is not a valid ${NETWORK_NAME[network]} handle`,
      hint: `write it as ${example}`,
    };
  }
  if (isUrl(entry)) {
    return handleFromUrl(entry) === null
      ? {
          problem: `${quoted} is a link, not a social profile`,
          hint: `write the person's handle instead, e.g. x:@ann_lee (a website belongs in Website)`,
        }
      : { problem: `${quoted} could not be read`, hint: GENERAL_HINT };
  }
  if (/\s/.test(entry)) {
    return { problem: `${quoted} is not one handle`, hint: GENERAL_HINT };
  }
  return { problem: `${quoted} names no network`, hint: GENERAL_HINT };
}

/**
 * The entries of a `Social_Handles__c` value that name no usable handle, with their line numbers and what
 * to write instead. Empty when every line is fine. Reads exactly as `parseSocialHandles` does (same
 * splitting, same `options`), so an entry reported here is one the directory ignores.
 */
export function socialHandleProblems(
  text: string | null | undefined,
  options: HandleOptions = {},
): HandleLineProblem[] {
  const problems: HandleLineProblem[] = [];
  const lines = (text ?? '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    for (const part of line.split(/[,;]+/)) {
      const entry = part.trim();
      if (entry === '' || entry.startsWith('#')) continue;
      if (parseHandleLine(entry, options) !== null) continue;
      problems.push({ line: index + 1, text: shorten(entry), ...explain(entry) });
    }
  });
  return problems;
}
