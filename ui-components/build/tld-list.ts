/**
 * twitter-text's generic top-level domains (`regexp/validGTLD.js`, 1,259 names in one RegExp pattern) are
 * a seventh of the bundle gzipped. The build and the test server rewrite that module with the same names
 * front-coded: each name as the length of the prefix it shares with the name before it (one character,
 * `A` = 0) and the rest. The module expands them once when it loads, in their order, and builds its RegExp
 * from the very same pattern string; gzip finds the shorter list ~480 bytes smaller.
 *
 * `rewriteTldModule` checks that round trip on every build and throws (stopping the build) when the module
 * no longer has the shape it knows, rather than shipping a different pattern.
 */

/** Matches the module's path, as vite and the test server resolve it. */
export const TLD_MODULE = /twitter-text\/dist\/esm\/regexp\/validGTLD\.js$/;

const HEAD = '(?:(?:';
const TAIL = ')(?=[^0-9a-zA-Z@+-]|$))';
/** The shared prefix length of a name is one character from `A`; `~` (61) is the longest it can say. */
const MAX_SHARED = '~'.charCodeAt(0) - 65;

/** The expansion, as it runs in the bundle (source text) and here (for the check). */
const EXPAND = `(s) => { let p = ''; return s.split('|').map((e) => (p = p.slice(0, e.charCodeAt(0) - 65) + e.slice(1))).join('|'); }`;
const expand = new Function(`return ${EXPAND}`)() as (coded: string) => string;

export function frontCode(names: readonly string[]): string {
  let previous = '';
  return names
    .map((name) => {
      let shared = 0;
      const most = Math.min(previous.length, name.length, MAX_SHARED);
      while (shared < most && previous[shared] === name[shared]) shared++;
      previous = name;
      return String.fromCharCode(65 + shared) + name.slice(shared);
    })
    .join('|');
}

/** The module with its list front-coded; throws when the module is not the one this was written for. */
export function rewriteTldModule(code: string): string {
  const start = code.indexOf('RegExp(');
  const end = code.indexOf('));', start);
  if (start < 0 || end < 0) throw new Error('validGTLD.js: no RegExp(…) pattern found');
  const argument = code.slice(start + 'RegExp('.length, end);
  const literals = [...argument.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!);
  const pattern = literals.join('');
  const rest = argument.replace(/'((?:[^'\\]|\\.)*)'/g, '').replace(/[\s+()]/g, '');
  if (
    rest !== '' ||
    literals.some((l) => l.includes('\\')) ||
    !pattern.startsWith(HEAD) ||
    !pattern.endsWith(TAIL)
  )
    throw new Error('validGTLD.js: the pattern is not a plain list of names; update build/tld-list.ts');
  const names = pattern.slice(HEAD.length, -TAIL.length);
  const coded = frontCode(names.split('|'));
  if (expand(coded) !== names) throw new Error('validGTLD.js: front-coding does not give the list back');
  const replacement = `${JSON.stringify(HEAD)} + (${EXPAND})(${JSON.stringify(coded)}) + ${JSON.stringify(TAIL)}`;
  return code.slice(0, start + 'RegExp('.length) + replacement + code.slice(end);
}
