/**
 * Person and company names folded for comparison: diacritics and case removed (`José Álvarez` equals
 * `Jose Alvarez`), titles and pronoun notes dropped, common nicknames treated as the same first name.
 */
import transliterate from '@sindresorhus/transliterate';
import { distance } from 'fastest-levenshtein';

/**
 * Lowercase, without diacritics, every run of non-letters/digits turned into one space.
 * Combining marks are stripped before transliterating so that `Müller` folds to `muller` (as most CRMs
 * store it), not to the German `mueller`; letters without a decomposition (`ø`, `ł`, `ß`) are then
 * transliterated. Letters of other scripts are kept, so they still match themselves exactly.
 */
export function foldText(text: string): string {
  const stripped = text.normalize('NFKD').replace(/\p{M}+/gu, '');
  return transliterate(stripped)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'jr',
  'sr',
  'ii',
  'iii',
  'iv',
  'phd',
  'md',
  'mba',
  'esq',
]);

/** Folded name tokens, without titles, suffixes and parenthesised notes (`(she/her)`, `(Acme)`). */
export function nameTokens(text: string): string[] {
  const withoutNotes = text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');
  return foldText(withoutNotes)
    .split(' ')
    .filter((t) => t !== '' && !TITLES.has(t));
}

/**
 * A social display name split into the part that names the person and the rest, which often names their
 * employer or role: `Ann Lee | Acme`, `Ann Lee - CTO @ Acme`, `Ann Lee, Acme Corp`, `Ann Lee @acme`.
 */
export function displayNameParts(displayName: string): { name: string; rest: string } {
  const match = /\s[|•·—–-]\s|[|•·,/]|\s@/.exec(displayName);
  if (match === null) return { name: displayName, rest: '' };
  return { name: displayName.slice(0, match.index), rest: displayName.slice(match.index) };
}

/** Groups of first names that are the same name for matching (`bill` is `william`). Folded forms. */
const NICKNAME_GROUPS: readonly (readonly string[])[] = [
  ['william', 'bill', 'billy', 'will', 'willy', 'liam'],
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'bert'],
  ['richard', 'rick', 'ricky', 'rich', 'dick'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'johnny', 'jack', 'jon'],
  ['jonathan', 'jon', 'jonny'],
  ['joseph', 'joe', 'joey'],
  ['jose', 'pepe'],
  ['francisco', 'paco', 'pancho', 'fran'],
  ['michael', 'mike', 'mikey', 'mick'],
  ['christopher', 'chris', 'kit'],
  ['christine', 'chris', 'christina', 'tina'],
  ['katherine', 'catherine', 'kathryn', 'kate', 'katie', 'kathy', 'cathy', 'kat'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge'],
  ['jennifer', 'jen', 'jenny'],
  ['alexander', 'alex', 'sasha', 'xander'],
  ['alexandra', 'alex', 'sasha', 'lexi'],
  ['alejandro', 'alex', 'ale'],
  ['anthony', 'tony'],
  ['antonio', 'tony', 'toni'],
  ['daniel', 'dan', 'danny'],
  ['david', 'dave', 'davey'],
  ['edward', 'ed', 'eddie', 'ted'],
  ['eduardo', 'lalo', 'edu'],
  ['thomas', 'tom', 'tommy'],
  ['andrew', 'andy', 'drew'],
  ['benjamin', 'ben', 'benny'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy'],
  ['matthew', 'matt'],
  ['nicholas', 'nick', 'nicky'],
  ['patrick', 'pat', 'paddy'],
  ['patricia', 'pat', 'patty', 'tricia', 'trish'],
  ['steven', 'stephen', 'steve'],
  ['timothy', 'tim', 'timmy'],
  ['charles', 'charlie', 'chuck', 'chas'],
  ['susan', 'sue', 'susie', 'suzanne'],
  ['rebecca', 'becky', 'becca'],
  ['victoria', 'vicky', 'tori'],
  ['deborah', 'debra', 'deb', 'debbie'],
  ['ann', 'anne', 'annie', 'anna'],
  ['nathaniel', 'nathan', 'nate'],
  ['zachary', 'zach', 'zack'],
  ['gregory', 'greg'],
  ['kenneth', 'ken', 'kenny'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['lawrence', 'larry'],
  ['jeffrey', 'geoffrey', 'jeff', 'geoff'],
  ['joshua', 'josh'],
  ['abigail', 'abby', 'abbie'],
  ['guillermo', 'memo', 'guille'],
  ['manuel', 'manolo', 'manu'],
  ['ignacio', 'nacho'],
  ['dmitry', 'dmitri', 'dima'],
  ['aleksandr', 'alexander', 'sasha', 'sanya'],
  ['mikhail', 'misha'],
  ['vladimir', 'volodya', 'vova'],
];

const NICKNAMES: ReadonlyMap<string, ReadonlySet<number>> = (() => {
  const map = new Map<string, Set<number>>();
  NICKNAME_GROUPS.forEach((group, index) => {
    for (const name of group) {
      const groups = map.get(name) ?? new Set<number>();
      groups.add(index);
      map.set(name, groups);
    }
  });
  return map;
})();

function sameNickname(a: string, b: string): boolean {
  const ga = NICKNAMES.get(a);
  const gb = NICKNAMES.get(b);
  if (ga === undefined || gb === undefined) return false;
  for (const g of ga) if (gb.has(g)) return true;
  return false;
}

/**
 * One spelling for the usual ways a name is carried over from Cyrillic and other scripts: `Dmitriy`,
 * `Dmitrii` and `Dmitry` end alike, `kh`/`h`, `yu`/`iu`, `ya`/`ia`, `ph`/`f`, doubled letters as one.
 */
function transliterationSkeleton(token: string): string {
  let skeleton = SKELETONS.get(token);
  if (skeleton === undefined) {
    if (SKELETONS.size >= 100_000) SKELETONS.clear();
    skeleton = computeSkeleton(token);
    SKELETONS.set(token, skeleton);
  }
  return skeleton;
}

/** Name tokens are a small vocabulary compared over and over: their skeletons are remembered (bounded). */
const SKELETONS = new Map<string, string>();

function computeSkeleton(token: string): string {
  return token
    .replace(/(?:iy|ii|yi|ij|yy)$/, 'y')
    .replace(/kh/g, 'h')
    .replace(/ph/g, 'f')
    .replace(/y([aeiou])/g, 'i$1')
    .replace(/(.)\1+/g, '$1');
}

/**
 * How alike two folded name tokens are, 0..1: 1 equal; 0.9 nicknames of one name (first names only) or
 * two transliterations of one name (`Dmitriy`/`Dmitry`); 0.8 a first name cut short (`Raj` for `Rajesh`,
 * 3+ letters); 0.6 an initial (`a` for `ann`, `l` for `lee`); `0.9 × (1 − edit distance / length)` for a
 * likely typo in names of 4+ letters when that is at least 0.8 before scaling; otherwise 0.
 */
export function tokenSimilarity(observed: string, expected: string, isFirstName: boolean): number {
  if (observed === expected) return 1;
  if (observed === '' || expected === '') return 0;
  if (isFirstName && sameNickname(observed, expected)) return 0.9;
  if (observed.length === 1) return expected.startsWith(observed) ? 0.6 : 0;
  if (
    observed.length >= 4 &&
    Math.abs(observed.length - expected.length) <= 2 &&
    transliterationSkeleton(observed) === transliterationSkeleton(expected)
  ) {
    return 0.9;
  }
  if (
    isFirstName &&
    observed.length >= 3 &&
    expected.length > observed.length &&
    expected.startsWith(observed)
  ) {
    return 0.8;
  }
  if (observed.length < 4 || expected.length < 4) return 0;
  const similarity = 1 - distance(observed, expected) / Math.max(observed.length, expected.length);
  return similarity >= 0.8 ? 0.9 * similarity : 0;
}

/** A CRM person's name as folded tokens. */
export interface PersonName {
  first: string[];
  last: string[];
}

/** From Contact/Lead `FirstName`/`LastName`, or, when those are empty, `Name` split at its last space. */
export function personName(fields: {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
}): PersonName {
  const first = nameTokens(fields.firstName ?? '');
  const last = nameTokens(fields.lastName ?? '');
  if (first.length > 0 || last.length > 0) return { first, last };
  const all = nameTokens(fields.name ?? '');
  if (all.length <= 1) return { first: [], last: all };
  return { first: all.slice(0, -1), last: all.slice(-1) };
}

/**
 * How well the observed name tokens (from a display name) match a person's name, 0..1.
 *
 * first = best similarity of the person's first first-name token to any observed token (nicknames,
 * initials allowed); last = mean over the person's last-name tokens of the best similarity to an observed
 * token (so `García Márquez` needs both). Then `0.4 × first + 0.6 × last`, halved unless both are
 * non-zero: a shared first name or surname alone says little. A person with no first name is compared on
 * the surname alone at half weight.
 */
export function nameSimilarity(observed: readonly string[], person: PersonName): number {
  if (observed.length === 0 || person.last.length === 0) return 0;
  const best = (expected: string, isFirst: boolean): number =>
    Math.max(0, ...observed.map((o) => tokenSimilarity(o, expected, isFirst)));
  const last = person.last.reduce((sum, t) => sum + best(t, false), 0) / person.last.length;
  const firstToken = person.first[0];
  if (firstToken === undefined) return 0.5 * last;
  const first = best(firstToken, true);
  const score = 0.4 * first + 0.6 * last;
  return first > 0 && last > 0 ? score : 0.5 * score;
}

/** The best similarity of the person's first first-name token to any observed token; 0 without one. */
export function firstNameSimilarity(observed: readonly string[], person: PersonName): number {
  const first = person.first[0];
  if (first === undefined) return 0;
  return Math.max(0, ...observed.map((o) => tokenSimilarity(o, first, true)));
}

/**
 * How well a handle (`ann_lee`, `annlee`, `alee`, `ann.lee.bsky.social`) spells a person's name, 0..1:
 * separated tokens are compared as a display name and scaled by 0.9; a run-together handle (digits
 * dropped) scores 0.8 when it is `firstlast` or `lastfirst`, 0.7 when it is `f` + `last`.
 * Weaker than a display name: handles are often not names.
 */
export function handleNameSimilarity(handle: string, person: PersonName): number {
  return handleTokensSimilarity(handleNameTokens(handle), person);
}

/** The folded word tokens a handle is made of (`ann.lee.bsky.social` → `ann`, `lee`; digits dropped). */
export function handleNameTokens(handle: string): string[] {
  const local = handle.split('@')[0] ?? '';
  const label = local.replace(/\.bsky\.social$/, '').replace(/\.[a-z]+$/, '');
  return foldText(label.replace(/[0-9]+/g, ' '))
    .split(' ')
    .filter((t) => t.length > 0);
}

/** `handleNameSimilarity` from the handle's tokens (`handleNameTokens`), for comparing one handle often. */
export function handleTokensSimilarity(tokens: readonly string[], person: PersonName): number {
  if (tokens.length > 1) return 0.9 * nameSimilarity(tokens, person);
  const joined = tokens[0] ?? '';
  const first = person.first[0] ?? '';
  const last = person.last.join('');
  if (joined === '' || last === '' || first === '') return 0;
  if (joined === first + last || joined === last + first) return 0.8;
  if (joined === (first[0] ?? '') + last) return 0.7;
  return 0;
}

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'plc',
  'pty',
  'oy',
  'ab',
  'kk',
  'se',
  'as',
  'asa',
  'aps',
  'oyj',
  'sl',
  'sau',
  'ltda',
  'kg',
  'lp',
  'pte',
  'pvt',
  'bhd',
  'the',
]);

/** Company values that name no company (Lead.Company is required, so people fill it with these). */
const PLACEHOLDER_COMPANIES = new Set([
  'not provided',
  'none',
  'n a',
  'na',
  'self',
  'self employed',
  'individual',
  'freelance',
  'freelancer',
  'private',
  'unknown',
  'home',
  'student',
  'retired',
]);

/** Whether a folded token is a legal form (`inc`, `gmbh`, `ag`) rather than part of a company's name. */
export function isLegalSuffix(token: string): boolean {
  return LEGAL_SUFFIXES.has(token);
}

/** Folded company name without legal suffixes (`Acme, Inc.` → `acme`), or '' when unusable for matching. */
export function normalizeCompany(company: string | null | undefined): string {
  const folded = foldText(company ?? '');
  if (PLACEHOLDER_COMPANIES.has(folded)) return '';
  const tokens = folded.split(' ').filter((t) => t !== '' && !LEGAL_SUFFIXES.has(t));
  const normalized = tokens.join(' ');
  return normalized.replace(/ /g, '').length >= 3 ? normalized : '';
}

/**
 * Whether folded `text` names the company at all. Naming is not employment (`Initech printers ruined my
 * life`): resolution reads how a company is named with `readCompany` (employment.ts); this is kept for
 * callers that only need to know whether it is named.
 *
 * The normalized company as whole words (`engineer at acme`), or
 * run together as one word, alone or with `corp`/`inc`/`hq`/`co`/`team`/`official` (`@acmecorp`).
 */
export function mentionsCompany(foldedText: string, normalizedCompany: string): boolean {
  if (normalizedCompany === '' || foldedText === '') return false;
  if (` ${foldedText} `.includes(` ${normalizedCompany} `)) return true;
  const compact = normalizedCompany.replace(/ /g, '');
  return foldedText
    .split(' ')
    .some(
      (t) =>
        t === compact ||
        (t.startsWith(compact) && /^(corp|inc|hq|co|team|official)$/.test(t.slice(compact.length))),
    );
}
