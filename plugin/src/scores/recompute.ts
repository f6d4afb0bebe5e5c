/**
 * Recomputes the score roll-ups from what the org holds, with the sync server's own formulas
 * (`@socialcrm/server` scoring):
 * - each persona's `Advocacy_Score__c` from its inbound posts (favourable, unfavourable, and answers to
 *   other customers' questions that the asker confirmed helped — the server's rule, `advocacyCounts` in
 *   scoring/helpful-answers.ts: a "lol" to ten customers counts for nothing) and its followers;
 * - each linked Contact's and Lead's `Social_Influence__c` (the highest influence of their personas),
 *   `Social_Sentiment__c` (decayed average of their posts' sentiment) and `Last_Social_Activity__c`.
 * A persona's `Influence_Score__c` itself is not recomputed: it needs what only the live stream shows
 * (accounts followed, engagement, the interaction graph), so the sync server keeps it.
 *
 * Only records whose values differ are written, so a second run writes nothing. Writes go through sObject
 * Collections (200 records a call); above `bulkThreshold` records of one object, through a Bulk API 2.0
 * ingest job.
 */
import type { Connection } from '@salesforce/core';
import {
  advocacyCounts,
  advocacyScore,
  applyPersonaInfluence,
  applyPost,
  emptyRollupState,
  rollupFields,
  type AdvocacyCounts,
  type RollupState,
} from '@socialcrm/server';
import { errors } from '../shared/messages.ts';
import type { ObjectWrite, RecomputeResult } from '../results.ts';

export interface RecomputeOptions {
  /** Above this many changed records of one object, write with a Bulk API 2.0 ingest job. */
  bulkThreshold: number;
  dryRun: boolean;
  onPhase?: (phase: string) => void;
}

interface PersonaRow {
  Id: string;
  External_Id__c: string | null;
  Followers__c: number | null;
  Influence_Score__c: number | null;
  Advocacy_Score__c: number | null;
  Contact__c: string | null;
  Lead__c: string | null;
}

interface PostRow {
  Id: string;
  Persona__c: string | null;
  Sentiment__c: string | null;
  Sentiment_Score__c: number | null;
  Intent__c: string | null;
  Posted_At__c: string | null;
  In_Reply_To__c: string | null;
  Is_Outbound__c: boolean;
}

interface PersonRow {
  Id: string;
  Social_Influence__c: number | null;
  Social_Sentiment__c: number | null;
  Last_Social_Activity__c: string | null;
}

type Update = Record<string, string | number | null> & { Id: string };

const IN_CHUNK = 200;

async function queryAll<T>(conn: Connection, soql: string): Promise<T[]> {
  const result = await conn.query<T & Record<string, unknown>>(soql, {
    autoFetch: true,
    maxFetch: 10_000_000,
  });
  return result.records as T[];
}

function label<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

/** Each persona's advocacy counts from the stored threads, by the sync server's rule (helpful-answers.ts). */
function countsOf(posts: readonly PostRow[]): Map<string, AdvocacyCounts> {
  return advocacyCounts(
    posts.map((p) => ({
      id: p.Id,
      author: p.Persona__c,
      inReplyTo: p.In_Reply_To__c,
      ours: p.Is_Outbound__c,
      sentiment: label(p.Sentiment__c, SENTIMENTS),
      intent: label(p.Intent__c, INTENTS),
    })),
  );
}

const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
const INTENTS = ['complaint', 'question', 'praise', 'purchase_intent', 'other'] as const;

function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-9;
}

function sameTime(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}

async function write(
  conn: Connection,
  object: ObjectWrite['object'],
  scanned: number,
  updates: Update[],
  options: RecomputeOptions,
): Promise<ObjectWrite> {
  const base = { object, scanned, changed: updates.length, bulkJobId: null, failures: [] };
  if (updates.length === 0 || options.dryRun) return { ...base, api: 'none' };
  if (updates.length > options.bulkThreshold) {
    options.onPhase?.(`writing ${updates.length} ${object} records (Bulk API 2.0)`);
    const columns = Object.keys(updates[0]!);
    const job = conn.bulk2.createJob({ object, operation: 'update' });
    await job.open();
    await job.uploadData(updates.map((u) => Object.fromEntries(columns.map((c) => [c, u[c] ?? '#N/A']))));
    await job.close();
    await job.poll(1000, 30 * 60_000);
    const results = await job.getAllResults();
    return {
      ...base,
      api: 'bulk2',
      bulkJobId: job.id ?? null,
      failures: results.failedResults.map((r) => ({
        id: String(r.sf__Id ?? ''),
        error: String(r.sf__Error),
      })),
    };
  }
  options.onPhase?.(`writing ${updates.length} ${object} records`);
  const results = await conn.sobject(object).update(updates, { allOrNone: false, allowRecursive: true });
  return {
    ...base,
    api: 'collections',
    failures: results
      .map((r, i) => ({ r, id: updates[i]!.Id }))
      .filter(({ r }) => !r.success)
      .map(({ r, id }) => ({ id, error: ('errors' in r ? r.errors : []).map((e) => e.message).join('; ') })),
  };
}

async function currentPeople(
  conn: Connection,
  object: 'Contact' | 'Lead',
  ids: readonly string[],
): Promise<PersonRow[]> {
  const rows: PersonRow[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const list = ids
      .slice(i, i + IN_CHUNK)
      .map((id) => `'${id}'`)
      .join(', ');
    rows.push(
      ...(await queryAll<PersonRow>(
        conn,
        `SELECT Id, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c FROM ${object} WHERE Id IN (${list})`,
      )),
    );
  }
  return rows;
}

export async function recomputeScores(conn: Connection, options: RecomputeOptions): Promise<RecomputeResult> {
  options.onPhase?.('reading personas and posts');
  let personas: PersonaRow[];
  let posts: PostRow[];
  try {
    personas = await queryAll<PersonaRow>(
      conn,
      'SELECT Id, External_Id__c, Followers__c, Influence_Score__c, Advocacy_Score__c, Contact__c, Lead__c FROM Social_Persona__c',
    );
    posts = await queryAll<PostRow>(
      conn,
      'SELECT Id, Persona__c, Sentiment__c, Sentiment_Score__c, Intent__c, Posted_At__c, In_Reply_To__c, Is_Outbound__c FROM Social_Post__c',
    );
  } catch (error) {
    if (
      error instanceof Error &&
      /INVALID_TYPE|sObject type .* is not supported/i.test(
        `${(error as { errorCode?: string }).errorCode ?? ''} ${error.message}`,
      )
    ) {
      throw errors.createError('error.PackageMissing');
    }
    throw error;
  }
  const counts = countsOf(posts);
  const postsByPersona = new Map<string, PostRow[]>();
  for (const post of posts) {
    if (post.Is_Outbound__c || !post.Persona__c) continue;
    const list = postsByPersona.get(post.Persona__c) ?? [];
    list.push(post);
    postsByPersona.set(post.Persona__c, list);
  }

  const personaUpdates: Update[] = [];
  const rollups = { Contact: new Map<string, RollupState>(), Lead: new Map<string, RollupState>() };
  for (const persona of personas) {
    const own = postsByPersona.get(persona.Id) ?? [];
    const advocacy = advocacyScore({
      positiveBrandMentions: 0,
      negativeBrandMentions: 0,
      helpfulAnswers: 0,
      ...counts.get(persona.Id),
      reach: persona.Followers__c ?? 0,
    });
    if (!sameNumber(advocacy, persona.Advocacy_Score__c))
      personaUpdates.push({ Id: persona.Id, Advocacy_Score__c: advocacy });
    const people: ['Contact' | 'Lead', string | null][] = [
      ['Contact', persona.Contact__c],
      ['Lead', persona.Lead__c],
    ];
    for (const [object, personId] of people) {
      if (!personId) continue;
      let state = rollups[object].get(personId) ?? emptyRollupState();
      for (const post of own) {
        if (post.Posted_At__c && post.Sentiment_Score__c !== null) {
          state = applyPost(state, { score: post.Sentiment_Score__c, at: post.Posted_At__c });
        }
      }
      if (persona.Influence_Score__c !== null) {
        state = applyPersonaInfluence(
          state,
          persona.External_Id__c ?? persona.Id,
          persona.Influence_Score__c,
        );
      }
      rollups[object].set(personId, state);
    }
  }

  const writes: ObjectWrite[] = [
    await write(conn, 'Social_Persona__c', personas.length, personaUpdates, options),
  ];
  for (const object of ['Contact', 'Lead'] as const) {
    const states = rollups[object];
    const current = await currentPeople(conn, object, [...states.keys()]);
    const updates: Update[] = [];
    for (const row of current) {
      const fields = rollupFields(states.get(row.Id)!);
      if (
        !sameNumber(fields.Social_Influence__c, row.Social_Influence__c) ||
        !sameNumber(fields.Social_Sentiment__c, row.Social_Sentiment__c) ||
        !sameTime(fields.Last_Social_Activity__c, row.Last_Social_Activity__c)
      ) {
        updates.push({ Id: row.Id, ...fields });
      }
    }
    writes.push(await write(conn, object, current.length, updates, options));
  }
  return { dryRun: options.dryRun, posts: posts.length, writes };
}
