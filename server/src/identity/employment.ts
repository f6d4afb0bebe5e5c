/**
 * How a social profile names a company: as its employer, as a former employer, as something it buys, likes
 * or complains about, or only in passing. Naming a company is not working there — "Initech printers ruined
 * my life", "Apple fan", "#acme customer" and "love my Acme boots" are customers — so only an employment
 * context counts as employment evidence.
 *
 * The profile text (bio, and what follows the name in the display name: `Ann Lee | Acme`) is cut into
 * clauses at line breaks, `|`, `•`, `·`, `;`, sentence ends and ` - `; each clause that names the company
 * is read on its own:
 *
 * | the clause has …                                                               | context      |
 * |--------------------------------------------------------------------------------|--------------|
 * | a customer, fan or complaint cue (`fan`, `love`, `my <company>`, `customer`,    | `customer`   |
 * |   `user`, `owner`, `ruined`, `worst`, `hate`, `#<company>` …)                   |              |
 * | a former-employment cue (`ex-`, `former`, `formerly`, `previously`, `alum`)     | `former`     |
 * | an employment cue: `at`/`@`/`|` right before the company, a role word           | `employment` |
 * |   (`engineer`, `CTO`, `head of`, `founder` …) next to it, `works at/for`,       |              |
 * |   `team`, `employee`, `joined`; or the clause is the company alone after the     |              |
 * |   display name (`Maria Garcia | Apple`, `Ann Lee, Acme Corp`)                   |              |
 * | none of these                                                                   | `mention`    |
 *
 * Role phrases that contain a customer word (`customer success`, `user research`) are roles, not cues.
 * Over the whole profile: `employment` when some clause says so and no clause is a customer's; otherwise
 * `customer` if any clause is, then `former`, then `mention`; `none` when the company is not named.
 */
import { foldText, isLegalSuffix } from './names.ts';

export type CompanyContext = 'employment' | 'former' | 'customer' | 'mention' | 'none';

export interface CompanyReading {
  context: CompanyContext;
  /** The clause that decided, as written (trimmed, at most 80 characters); '' for `none`. */
  clause: string;
}

const ROLE_WORDS = new Set([
  'engineer',
  'engineering',
  'developer',
  'dev',
  'programmer',
  'architect',
  'designer',
  'design',
  'manager',
  'director',
  'head',
  'lead',
  'leader',
  'chief',
  'cto',
  'ceo',
  'cfo',
  'coo',
  'cmo',
  'cio',
  'ciso',
  'cpo',
  'vp',
  'svp',
  'evp',
  'president',
  'founder',
  'cofounder',
  'partner',
  'principal',
  'staff',
  'senior',
  'sr',
  'junior',
  'intern',
  'analyst',
  'scientist',
  'researcher',
  'consultant',
  'specialist',
  'coordinator',
  'administrator',
  'admin',
  'officer',
  'executive',
  'exec',
  'rep',
  'representative',
  'recruiter',
  'marketer',
  'marketing',
  'sales',
  'seller',
  'account',
  'accountant',
  'counsel',
  'attorney',
  'lawyer',
  'editor',
  'writer',
  'evangelist',
  'advocate',
  'strategist',
  'producer',
  'product',
  'pm',
  'ops',
  'operations',
  'support',
  'sre',
  'devrel',
  'qa',
  'tester',
  'technician',
  'nurse',
  'doctor',
  'teacher',
  'professor',
  'chair',
  'board',
  'employee',
  'employed',
  'staffer',
  'team',
  'crew',
  'hr',
  'ingeniero',
  'ingeniera',
  'gerente',
  'directora',
  'jefe',
  'ingenieur',
  'leiter',
  'leiterin',
  'entwickler',
  'entwicklerin',
  'responsable',
  'directeur',
  'directrice',
  'chef',
  'desarrollador',
  'desarrolladora',
  'inhaber',
  'inhaberin',
  'proprietor',
  'md',
  'gm',
  'accounts',
  'payable',
  'procurement',
  'purchasing',
  'compliance',
  'finance',
  'legal',
]);

/** Owner as a title at the start of a clause (`Owner, Fischer Bikes`), not as a buyer (`Tesla owner`). */
const OWNER_WORDS = new Set(['owner', 'owners']);

/** Words around a company that say the person works there, in any position of the clause. */
const WORK_WORDS = new Set([
  'work',
  'works',
  'working',
  'employee',
  'employed',
  'staff',
  'joined',
  'joining',
  'hiring',
  'hired',
  'building',
  'build',
  'builds',
  'leading',
  'leads',
  'running',
  'runs',
  'trabajo',
  'trabaja',
  'arbeite',
  'arbeitet',
  'travaille',
]);

const CUSTOMER_WORDS = new Set([
  'fan',
  'fans',
  'fanboy',
  'fangirl',
  'stan',
  'lover',
  'lovers',
  'love',
  'loves',
  'loving',
  'adore',
  'obsessed',
  'addict',
  'addicted',
  'enthusiast',
  'collector',
  'loyal',
  'devotee',
  'customer',
  'customers',
  'client',
  'clients',
  'user',
  'users',
  'owner',
  'owners',
  'own',
  'owned',
  'bought',
  'buy',
  'buying',
  'purchased',
  'ordered',
  'order',
  'using',
  'shareholder',
  'shareholders',
  'investor',
  'stockholder',
  'subscriber',
  'member',
  'hate',
  'hates',
  'hated',
  'ruined',
  'ruin',
  'ruins',
  'worst',
  'sucks',
  'suck',
  'broke',
  'broken',
  'scam',
  'scammed',
  'refund',
  'boycott',
  'disappointed',
  'terrible',
  'awful',
  'horrible',
  'garbage',
  'trash',
  'never',
  'complaint',
  'complaints',
  'angry',
  'hacked',
  'charged',
  'overcharged',
  'cancelled',
  'canceled',
  'furious',
  'victim',
  'survivor',
  'hostage',
  'fanatic',
  'cliente',
  'kunde',
  'kundin',
]);

const FORMER_WORDS = new Set([
  'ex',
  'former',
  'formerly',
  'previously',
  'prev',
  'past',
  'alum',
  'alumni',
  'alumnus',
  'alumna',
  'retired',
  'worked',
  'was',
]);

/** Role phrases that contain customer words: they are jobs (`customer success manager at Acme`). */
const ROLE_PHRASES =
  /\b(?:customer|client|user|member)s? (?:success|support|service|experience|care|insights?|research|relations|advocacy|engagement|operations|education|onboarding)\b/g;

const CLAUSE_BREAK = /\r?\n|[|•·;!?]+|\.(?:\s|$)|\s[-–—]\s/;
/** Markers after a display name (`Ann Lee | Acme`, `Ann Lee, Acme Corp`, `Ann Lee @ Acme`). */
const NAME_SUFFIX_MARKER = /^\s*[|•·,/—–@-]/;

/** Folded tokens of a clause, with `@` before a space read as `at` and a hashtag's `#` kept as a token. */
function clauseTokens(clause: string): string[] {
  const marked = clause
    .replace(/(^|\s)@(?=\s)/g, '$1 at ')
    .replace(/#(?=[\p{L}\p{N}])/gu, ' hashtagmark ')
    .replace(/\bex-(?=\p{L})/giu, ' ex ')
    .replace(/\bco-founder\b/gi, 'cofounder');
  return foldText(marked)
    .replace(ROLE_PHRASES, 'roleword')
    .split(' ')
    .filter((t) => t !== '');
}

/** Where the company's tokens (or its name run together, `acmecorp`, `@acme`) occur in `tokens`. */
function findCompany(tokens: readonly string[], company: readonly string[]): [number, number] | null {
  const compact = company.join('');
  for (let i = 0; i < tokens.length; i++) {
    if (company.every((c, k) => tokens[i + k] === c)) return [i, i + company.length];
    const t = tokens[i]!;
    if (
      t === compact ||
      (t.startsWith(compact) && /^(?:corp|inc|hq|co|team|official|s)$/.test(t.slice(compact.length)))
    ) {
      return [i, i + 1];
    }
  }
  return null;
}

/** Whether a comma-separated part of the clause is the company alone (`Siemens AG`, `Infobip`). */
function companyAlone(clause: string, company: readonly string[]): boolean {
  return clause.split(',').some((part) => {
    const tokens = clauseTokens(part).filter((t) => !isLegalSuffix(t));
    const at = findCompany(tokens, company);
    return at !== null && tokens.length === at[1] - at[0];
  });
}

/** The context of one clause that names the company (see the module comment). */
function readClause(
  clause: string,
  tokens: readonly string[],
  at: [number, number],
  company: readonly string[],
  afterDisplayName: boolean,
): Exclude<CompanyContext, 'none'> {
  const [start, end] = at;
  const before = tokens.slice(Math.max(0, start - 3), start);
  const after = tokens.slice(end, end + 3);
  const previous = tokens[start - 1];
  if (previous === 'hashtagmark' || previous === 'my' || previous === 'mi' || previous === 'mein') {
    return 'customer';
  }
  const ownerIndex = tokens.findIndex((t) => OWNER_WORDS.has(t));
  const ownerAsTitle = ownerIndex >= 0 && ownerIndex <= 1 && ownerIndex < start;
  if (tokens.some((t) => CUSTOMER_WORDS.has(t) && !(ownerAsTitle && OWNER_WORDS.has(t)))) return 'customer';
  if (before.some((t) => FORMER_WORDS.has(t)) || tokens.some((t) => t === 'formerly' || t === 'alum')) {
    return 'former';
  }
  const near = [...before, ...after];
  if (previous !== undefined && AT_WORDS.has(previous)) return 'employment';
  if (ownerAsTitle) return 'employment';
  if (near.some((t) => ROLE_WORDS.has(t) || t === 'roleword')) return 'employment';
  if (tokens.some((t) => WORK_WORDS.has(t))) return 'employment';
  // `Maria Garcia | Apple`: a display name followed by nothing but the company (and legal suffixes).
  if (afterDisplayName && tokens.length - (end - start) <= 1) return 'employment';
  // `Siemens AG | Erlangen`, `Infobip · Zagreb`: the company standing alone, as people list an employer.
  if (companyAlone(clause, company)) return 'employment';
  return 'mention';
}

/** `at` in the languages profiles are written in (after folding: Russian `в` is `v`, Polish `w`). */
const AT_WORDS = new Set(['at', 'bei', 'chez', 'en', 'v', 'w', 'presso']);

function trimClause(clause: string): string {
  const text = clause.trim().replace(/\s+/g, ' ');
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

/**
 * How the profile names `normalizedCompany` (from `normalizeCompany`): its context and the clause that
 * decided it. `bio` is the profile's bio as written; `nameRest` what follows the name in the display name
 * (`| Acme`, `, CTO @ Acme`), as `displayNameParts` returns it.
 */
export function readCompany(bio: string, nameRest: string, normalizedCompany: string): CompanyReading {
  return companyReader(bio, nameRest)(normalizedCompany);
}

interface Clause {
  text: string;
  tokens: string[];
  afterDisplayName: boolean;
}

/**
 * `readCompany` for one profile and many companies: the profile is cut into clauses and folded once, so
 * reading it for each candidate's company costs a scan of a few tokens.
 */
export function companyReader(bio: string, nameRest: string): (normalizedCompany: string) => CompanyReading {
  const clauses: Clause[] = [];
  const cut = (text: string, afterDisplayName: boolean): void => {
    for (const clause of text.split(CLAUSE_BREAK)) {
      if (clause.trim() !== '')
        clauses.push({ text: clause, tokens: clauseTokens(clause), afterDisplayName });
    }
  };
  if (nameRest.trim() !== '') {
    const suffix = NAME_SUFFIX_MARKER.test(nameRest);
    cut(nameRest.replace(/^\s*[|•·,/—–-]\s*/, ''), suffix);
  }
  cut(bio, false);
  const cache = new Map<string, CompanyReading>();
  return (normalizedCompany) => {
    let reading = cache.get(normalizedCompany);
    if (reading === undefined) {
      reading = read(clauses, normalizedCompany);
      cache.set(normalizedCompany, reading);
    }
    return reading;
  };
}

function read(clauses: readonly Clause[], normalizedCompany: string): CompanyReading {
  if (normalizedCompany === '') return { context: 'none', clause: '' };
  const company = normalizedCompany.split(' ');
  const found: { context: Exclude<CompanyContext, 'none'>; clause: string }[] = [];
  for (const clause of clauses) {
    const at = findCompany(clause.tokens, company);
    if (at !== null) {
      const context = readClause(clause.text, clause.tokens, at, company, clause.afterDisplayName);
      found.push({ context, clause: clause.text });
    }
  }
  const first = (context: CompanyContext): CompanyReading | null => {
    const hit = found.find((f) => f.context === context);
    return hit === undefined ? null : { context, clause: trimClause(hit.clause) };
  };
  const customer = first('customer');
  if (customer !== null) return customer;
  return first('employment') ?? first('former') ?? first('mention') ?? { context: 'none', clause: '' };
}
