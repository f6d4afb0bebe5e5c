/**
 * The labelled identity set (`labelled/*.json`): social authors, the org's people they are compared with,
 * and who each author really is (a Contact or Lead Id, or null for nobody in the org), written by hand.
 *
 * A file is `{ description, people: PersonCandidate[], cases: Case[] }`; its cases are resolved against
 * its people plus the case's own `people`, if any. A case is `{ id, kind, network, author: { handle,
 * displayName?, bio?, profileUrl?, id? }, truth, note? }`; `kind` says what the case is about
 * (`employer-context`, `customer-context`, `same-name`, `listed-handle`, `near-miss-handle`, …).
 *
 * Cases are split into dev (≈60 %) and test (≈40 %) by a hash of their id, so the split never changes when
 * cases are added: tune on dev only, and read test only as the final score.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { Author, Network } from '../../src/domain/mention.ts';
import type { PersonCandidate } from '../../src/identity/directory.ts';
import { PeopleDirectory } from '../../src/identity/directory.ts';
import type { Resolution } from '../../src/identity/resolve.ts';
import { resolvePerson } from '../../src/identity/resolve.ts';

const Person = z.object({
  id: z.string().min(1),
  type: z.enum(['Contact', 'Lead']),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  accountName: z.string().nullish(),
  company: z.string().nullish(),
  website: z.string().nullish(),
  socialHandles: z.string().nullish(),
  isConverted: z.boolean().nullish(),
});

const Case = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.string().min(1),
  network: Network,
  author: z.object({
    id: z.string().optional(),
    handle: z.string().min(1),
    displayName: z.string().default(''),
    bio: z.string().default(''),
    profileUrl: z.string().url().nullable().default(null),
  }),
  people: z.array(Person).default([]),
  truth: z.string().nullable(),
  note: z.string().optional(),
});

const LabelledFile = z.object({
  description: z.string(),
  people: z.array(Person),
  cases: z.array(Case).min(1),
});

export type Split = 'dev' | 'test';

export interface LabelledCase {
  id: string;
  file: string;
  kind: string;
  network: Network;
  author: Author;
  people: PersonCandidate[];
  truth: string | null;
  split: Split;
}

const DIR = new URL('./labelled/', import.meta.url);

/** dev or test, from the first 32 bits of the SHA-256 of the case id: 60 of every 100 buckets are dev. */
export function splitOf(caseId: string): Split {
  const bucket = createHash('sha256').update(caseId).digest().readUInt32BE(0) % 100;
  return bucket < 60 ? 'dev' : 'test';
}

/** Every labelled case, validated: ids unique, truths among the people each case is compared with. */
export function loadLabelledSet(): LabelledCase[] {
  const cases: LabelledCase[] = [];
  const ids = new Set<string>();
  for (const name of readdirSync(DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = LabelledFile.parse(JSON.parse(readFileSync(new URL(name, DIR), 'utf8')));
    for (const c of file.cases) {
      if (ids.has(c.id)) throw new Error(`labelled set: case id ${c.id} is used twice`);
      ids.add(c.id);
      const people = [...file.people, ...c.people] as PersonCandidate[];
      if (c.truth !== null && !people.some((p) => p.id === c.truth)) {
        throw new Error(`labelled set: case ${c.id} names ${c.truth}, who is not among its people`);
      }
      cases.push({
        id: c.id,
        file: name,
        kind: c.kind,
        network: c.network,
        author: Author.parse({ id: c.author.id ?? `${c.network}-${c.author.handle}`, ...c.author }),
        people,
        truth: c.truth,
        split: splitOf(c.id),
      });
    }
  }
  return cases;
}

export interface Outcome {
  case: LabelledCase;
  resolution: Resolution;
}

/** Resolves every case against its own people (one directory per file and extra people). */
export function resolveAll(cases: readonly LabelledCase[]): Outcome[] {
  const directories = new Map<string, PeopleDirectory>();
  return cases.map((c) => {
    const key = `${c.file}|${c.people.length}|${c.people.map((p) => p.id).join(',')}`;
    let directory = directories.get(key);
    if (directory === undefined) {
      directory = new PeopleDirectory(c.people);
      directories.set(key, directory);
    }
    return { case: c, resolution: resolvePerson(c.author, c.network, directory) };
  });
}

export interface Scores {
  cases: number;
  /** Cases whose author is somebody in the org. */
  known: number;
  links: number;
  correctLinks: number;
  /** Links to the wrong person, or to anyone when the author is nobody in the org. */
  wrongLinks: string[];
  /** correctLinks / links (1 when nothing was linked). */
  linkPrecision: number;
  /** correctLinks / known. */
  linkRecall: number;
  /** Known authors whose person is the link, the suggestion or an alternative: what a rep gets to see. */
  shown: number;
  /** shown / known. */
  shownRecall: number;
  /** Suggestions whose person is the author / all suggestions. */
  suggestionPrecision: number;
  suggestions: number;
}

export function score(outcomes: readonly Outcome[]): Scores {
  let known = 0;
  let links = 0;
  let correctLinks = 0;
  let shown = 0;
  let suggestions = 0;
  let correctSuggestions = 0;
  const wrongLinks: string[] = [];
  for (const { case: c, resolution: r } of outcomes) {
    if (c.truth !== null) known++;
    if (r.link !== null) {
      links++;
      if (r.link.id === c.truth) correctLinks++;
      else wrongLinks.push(`${c.id} → ${r.link.id} (${r.link.reason})`);
    }
    if (r.suggestion !== null) {
      suggestions++;
      if (r.suggestion.id === c.truth) correctSuggestions++;
    }
    const offered = [r.link, r.suggestion, ...r.alternatives].filter((m) => m !== null).map((m) => m.id);
    if (c.truth !== null && offered.includes(c.truth)) shown++;
  }
  return {
    cases: outcomes.length,
    known,
    links,
    correctLinks,
    wrongLinks,
    linkPrecision: links === 0 ? 1 : correctLinks / links,
    linkRecall: known === 0 ? 0 : correctLinks / known,
    shown,
    shownRecall: known === 0 ? 0 : shown / known,
    suggestionPrecision: suggestions === 0 ? 1 : correctSuggestions / suggestions,
    suggestions,
  };
}

function pct(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

/** One line of the printed report. */
export function describe(split: string, s: Scores): string {
  return (
    `${split.padEnd(5)} ${String(s.cases).padStart(4)} cases (${s.known} known): ` +
    `auto-link precision ${pct(s.linkPrecision)} (${s.correctLinks}/${s.links}), ` +
    `recall ${pct(s.linkRecall)}; suggestion precision ${pct(s.suggestionPrecision)} ` +
    `(${s.suggestions}); person shown (link, suggestion or alternative) ${pct(s.shownRecall)} ` +
    `(${s.shown}/${s.known})`
  );
}
