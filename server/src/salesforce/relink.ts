/**
 * Fresh links: when a person's identity changes in the org (a handle added to or removed from
 * `Social_Handles__c`, a new email, a rename, a deleted or converted record) or a rep links, unlinks,
 * accepts or rejects on a persona, the persona's earlier posts, the persona, the open Cases of those posts
 * and the roll-ups of the people involved follow within seconds. Fed by change events
 * (people-change-events.ts) and by the directory's periodic refresh (sync/people.ts, the safety net).
 *
 * Work is coalesced: whatever arrives within `coalesceMs` (and while a round runs) is one round — one
 * directory refresh, one persona query per 100 people or handles, one post query per 100 personas, one
 * query of their open Cases, then the writes as sObject Collections (200 records each, 5 per composite
 * call: a persona with 500 posts is one call), then the roll-ups (two queries and one write per 100
 * people). What to write is decided by sync/relink-plan.ts from what the org holds at that moment, so a
 * round repeated after a failure writes only what is still missing.
 *
 * Failures: a round the org fails as a whole, or a record it refuses, leaves the personas concerned (or
 * the people whose roll-ups failed) pending; they are retried with backoff (1 s doubling to a minute) and
 * shown on `/api/status` with the record and the org's reason until a retry succeeds. The in-memory
 * link of a persona is set before its writes go out, so the change events of our own writes are
 * recognised as ours (and not taken for a rep's).
 *
 * After the roll-ups are written, `onRollups` is told each person's new values: the sync server re-seeds
 * its streaming scores with them (sync/scores.ts `reseed`), so a later post starts from the re-linked
 * state, not from what this process remembered before.
 *
 * Decisions on a persona change event (`Contact__c`, `Lead__c`, `Suggested_*` changed):
 * - the link is what this process already knows, or what the directory would link anyway: ours, nothing to do;
 * - a rep set another link: the persona is stamped `Linked by hand in Salesforce` (so automation never
 *   changes it) and its posts and Cases follow;
 * - a rep cleared the link: that person is rejected for the persona (not linked or suggested again by this
 *   process), the persona is stamped `Unlinked by hand in Salesforce from …`, its posts are unlinked;
 * - a rep cleared a suggestion without linking: the person the directory suggests is rejected.
 */
import type { Author, Network } from '../domain/mention.ts';
import { NETWORKS } from '../domain/mention.ts';
import { formatHandleLine, type SocialHandle } from '../identity/handles.ts';
import type { Logger } from '../observability/logger.ts';
import type { CrmPort, RecordWrite, WriteRole } from '../sync/crm-port.ts';
import type { OrgPeople, PersonChange, PersonRef } from '../sync/people.ts';
import {
  BY_HAND_REASON,
  isByHand,
  planRelink,
  recomputeRollups,
  type LinkTarget,
  type OpenCaseRow,
  type PersonaRow,
  type PersonType,
  type PostRow,
  type RecordUpdate,
  type RelinkDecision,
} from '../sync/relink-plan.ts';
import type { SalesforceGateway } from './gateway.ts';
import type { PeopleEvent } from './people-change-events.ts';

type Row = Record<string, unknown>;

export interface RelinkerOptions {
  gateway: Pick<SalesforceGateway, 'query'>;
  crm: Pick<CrmPort, 'write'>;
  people: OrgPeople;
  logger: Logger;
  /** Told the Ids of posts whose link changed (open record pages and inboxes read them again). */
  onPostsChanged?: (postIds: readonly string[]) => void;
  /**
   * Told each person whose roll-up was recomputed and written, with its new values (the streaming scores
   * re-seed from them: sync/scores.ts `reseed`).
   */
  onRollups?: (people: readonly RolledUpPerson[]) => void;
  /** How long to gather work before a round. Default 200 ms. */
  coalesceMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** A person's roll-up as the relinker recomputed and wrote it. */
export interface RolledUpPerson {
  id: string;
  type: PersonType;
  influence: number | null;
  sentiment: number | null;
  lastActivity: string | null;
}

export interface RelinkFailure {
  persona: string | null;
  record: string;
  type: string;
  error: string;
  attempts: number;
  at: string;
}

export interface RelinkState {
  /** Rounds run, personas re-linked, posts moved, roll-ups written since start. */
  rounds: number;
  personas: number;
  posts: number;
  rollups: number;
  lastRoundAt: string | null;
  /** Personas and people waiting for a retry. */
  pending: number;
  /** The latest failures still pending (record, the org's reason). */
  failures: RelinkFailure[];
  /** Why the last round failed as a whole, while it is still failing. */
  lastError: string | null;
}

interface Work {
  mode: 'resolve' | 'follow';
  releasable: Set<string>;
  handReason: string | null;
  unlinkReason: string;
  attempts: number;
}

const PERSONA_FIELDS =
  'Id, External_Id__c, Network__c, Handle__c, Display_Name__c, Bio__c, Profile_Url__c, Followers__c, ' +
  'Verified__c, Contact__c, Lead__c, Suggested_Contact__c, Suggested_Lead__c, Match_Reason__c, ' +
  'Lead__r.Social_Persona_Key__c';
const CHUNK = 100;
const MAX_FAILURES = 20;

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function quote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function list(values: Iterable<string>): string {
  return [...values].map(quote).join(', ');
}

function chunk<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function typeOfId(id: string): PersonType {
  return id.startsWith('00Q') ? 'Lead' : 'Contact';
}

interface PersonaRecord extends PersonaRow {
  network: Network | null;
  /** The linked Lead's `Social_Persona_Key__c`: the sync created that Lead for this persona's buyer. */
  leadPersonaKey: string | null;
  author: Author;
}

function personaOf(r: Row): PersonaRecord {
  const key = String(r['External_Id__c'] ?? '');
  const network = str(r['Network__c']);
  const known = (NETWORKS as readonly string[]).includes(network ?? '') ? (network as Network) : null;
  const followers = typeof r['Followers__c'] === 'number' ? Math.max(0, Math.round(r['Followers__c'])) : null;
  return {
    id: String(r['Id']),
    key,
    network: known,
    contactId: str(r['Contact__c']),
    leadId: str(r['Lead__c']),
    suggestedContactId: str(r['Suggested_Contact__c']),
    suggestedLeadId: str(r['Suggested_Lead__c']),
    matchReason: str(r['Match_Reason__c']),
    leadPersonaKey: str((r['Lead__r'] as Row | null | undefined)?.['Social_Persona_Key__c']),
    author: {
      id: key.slice(key.indexOf(':') + 1),
      handle: str(r['Handle__c']) ?? '',
      displayName: str(r['Display_Name__c']) ?? '',
      followers,
      following: null,
      verified: r['Verified__c'] === true,
      profileUrl: str(r['Profile_Url__c']),
      bio: str(r['Bio__c']) ?? '',
      avatarUrl: null,
    },
  };
}

/** `Handle__c` values a persona with this (normalized) handle may carry. */
function handleVariants(handle: SocialHandle): string[] {
  const h = handle.handle;
  if (handle.network === 'mastodon' && h.includes('@')) return [h, h.split('@')[0]!];
  return [h];
}

const ROLE: Record<RecordUpdate['type'], WriteRole> = {
  Social_Post__c: 'post',
  Case: 'case',
  Social_Persona__c: 'persona',
  Contact: 'rollup',
  Lead: 'rollup',
};
const ORDER: RecordUpdate['type'][] = ['Social_Post__c', 'Case', 'Social_Persona__c'];

export class Relinker {
  readonly #options: RelinkerOptions;
  #refresh = false;
  readonly #gone = new Set<string>();
  #changes: PersonChange[] = [];
  readonly #personaEvents = new Set<string>();
  /** Leads the sync created for buyers, recently (from their change events). */
  readonly #ownLeads = new Set<string>();
  /** Of those, the ones whose event changed a suggestion and not the link. */
  readonly #suggestionEvents = new Set<string>();
  readonly #retry = new Map<string, Work>();
  readonly #rollupRetry = new Map<string, PersonType>();
  readonly #failures = new Map<string, RelinkFailure>();
  #timer: NodeJS.Timeout | null = null;
  #round: Promise<void> | null = null;
  #retryDelay: number;
  #stopped = false;
  #state: Omit<RelinkState, 'pending' | 'failures'> = {
    rounds: 0,
    personas: 0,
    posts: 0,
    rollups: 0,
    lastRoundAt: null,
    lastError: null,
  };

  constructor(options: RelinkerOptions) {
    this.#options = options;
    this.#retryDelay = (options.retryMinMs ?? 1000) / 2;
  }

  state(): RelinkState {
    return {
      ...this.#state,
      pending: this.#retry.size + this.#rollupRetry.size,
      failures: [...this.#failures.values()].slice(-MAX_FAILURES),
    };
  }

  /** A change event that matters (people-change-events.ts). */
  onEvent(event: PeopleEvent): void {
    if (event.kind === 'people' || event.kind === 'gap') this.peopleChanged();
    else if (event.kind === 'people-gone') this.peopleGone(event.ids);
    else if (event.kind === 'own-leads') this.#rememberOwnLeads(event.ids);
    // The sync linking a persona to the Lead it just created for it: its own link, nothing to read.
    else if (event.leadOnly === undefined || !this.#ownLeads.has(event.leadOnly)) {
      this.personasChanged(event.ids, event.suggestionsOnly);
    }
  }

  #rememberOwnLeads(ids: readonly string[]): void {
    for (const id of ids) {
      this.#ownLeads.add(id);
      if (this.#ownLeads.size > 10_000) {
        const oldest = this.#ownLeads.values().next().value;
        if (oldest !== undefined) this.#ownLeads.delete(oldest);
      }
    }
  }

  /** Contacts or Leads changed in identity fields: read them again (one refresh for the whole burst). */
  peopleChanged(): void {
    this.#refresh = true;
    this.#schedule();
  }

  /** Contacts or Leads deleted, or Leads converted: out of the directory, their personas resolved again. */
  peopleGone(ids: readonly string[]): void {
    for (const id of ids) this.#gone.add(id);
    this.#schedule();
  }

  /** The directory saw these people change (a refresh, periodic or on an event). */
  personChanges(changes: readonly PersonChange[]): void {
    this.#changes.push(...changes);
    this.#schedule();
  }

  /**
   * A persona's link or suggestions changed in the org (a rep, or our own writes). `suggestionsOnly`: the
   * link did not change, only a suggestion (a rep clearing one rejects that person).
   */
  personasChanged(ids: readonly string[], suggestionsOnly = false): void {
    for (const id of ids) {
      this.#personaEvents.add(id);
      if (suggestionsOnly) this.#suggestionEvents.add(id);
      else this.#suggestionEvents.delete(id);
    }
    this.#schedule();
  }

  /** Resolves once every round started so far, and any it scheduled without delay, is over. */
  async idle(): Promise<void> {
    while (this.#round || (this.#timer && this.#hasWork(false))) {
      if (this.#round) await this.#round;
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #hasWork(withRetries: boolean): boolean {
    return (
      this.#refresh ||
      this.#gone.size > 0 ||
      this.#changes.length > 0 ||
      this.#personaEvents.size > 0 ||
      (withRetries && (this.#retry.size > 0 || this.#rollupRetry.size > 0))
    );
  }

  #schedule(delay = this.#options.coalesceMs ?? 200): void {
    if (this.#stopped || this.#timer || this.#round) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#round = this.#run().then((ok) => {
        this.#round = null;
        if (ok && this.#hasWork(false)) this.#schedule();
        else if (!ok || this.#retry.size > 0 || this.#rollupRetry.size > 0) this.#schedule(this.#retryDelay);
      });
    }, delay);
    this.#timer.unref();
  }

  /** One round; false when the org failed it as a whole (then it is retried after a backoff). */
  async #run(): Promise<boolean> {
    const { people, logger } = this.#options;
    const retries = new Map(this.#retry);
    const rollupRetries = new Map(this.#rollupRetry);
    this.#retry.clear();
    this.#rollupRetry.clear();
    let changes: PersonChange[] = [];
    let personaIds: string[] = [];
    const work = new Map<string, { row: PersonaRecord; work: Work }>();
    const wantedRefresh = this.#refresh;
    try {
      if (this.#gone.size > 0) {
        const gone = [...this.#gone];
        this.#gone.clear();
        people.forget(gone); // tells personChanges
      }
      if (this.#refresh) {
        this.#refresh = false;
        await people.refreshNow(); // tells personChanges
      }
      changes = this.#changes;
      this.#changes = [];
      personaIds = [...this.#personaEvents];
      const suggestionOnly = new Set(this.#suggestionEvents);
      this.#personaEvents.clear();
      this.#suggestionEvents.clear();

      // Retries first: a rep's decision that failed to apply keeps its mode.
      for (const part of chunk([...retries.keys()])) {
        for (const r of await this.#queryPersonas(`Id IN (${list(part)})`)) {
          const row = personaOf(r);
          work.set(row.id, { row, work: retries.get(row.id)! });
        }
      }
      await this.#fromPersonaEvents(personaIds, suggestionOnly, work);
      await this.#fromPersonChanges(changes, work);
      const touched = new Map<string, PersonType>(rollupRetries);
      if (work.size > 0) await this.#relink(work, touched);
      if (touched.size > 0) await this.#rollups(touched);
      this.#state.rounds += 1;
      this.#state.lastRoundAt = new Date().toISOString();
      this.#state.lastError = null;
      const refused = this.#retry.size > 0 || this.#rollupRetry.size > 0;
      this.#retryDelay = refused
        ? Math.min(this.#options.retryMaxMs ?? 60_000, this.#retryDelay * 2)
        : (this.#options.retryMinMs ?? 1000) / 2;
      return true;
    } catch (error) {
      // The org failed the round as a whole: everything it held comes back for a retry (idempotent).
      const message = error instanceof Error ? error.message : String(error);
      this.#state.lastError = message;
      for (const [id, w] of retries) this.#retry.set(id, w);
      for (const [id, entry] of work)
        this.#retry.set(id, { ...entry.work, attempts: entry.work.attempts + 1 });
      for (const [id, t] of rollupRetries) this.#rollupRetry.set(id, t);
      this.#changes.unshift(...changes);
      for (const id of personaIds) this.#personaEvents.add(id);
      if (wantedRefresh) this.#refresh = true;
      logger.warn({ err: error }, 're-linking failed; retrying');
      this.#retryDelay = Math.min(this.#options.retryMaxMs ?? 60_000, this.#retryDelay * 2);
      return false;
    }
  }

  async #queryPersonas(where: string): Promise<Row[]> {
    return this.#options.gateway.query<Row>(`SELECT ${PERSONA_FIELDS} FROM Social_Persona__c WHERE ${where}`);
  }

  async #fromPersonaEvents(
    ids: readonly string[],
    suggestionOnly: ReadonlySet<string>,
    work: Map<string, { row: PersonaRecord; work: Work }>,
  ): Promise<void> {
    const { people } = this.#options;
    for (const part of chunk(ids)) {
      for (const r of await this.#queryPersonas(`Id IN (${list(part)})`)) {
        const row = personaOf(r);
        if (row.network === null) continue;
        const known = people.linkOf(row.key);
        const now: PersonRef | null = row.contactId
          ? { id: row.contactId, type: 'Contact' }
          : row.leadId
            ? { id: row.leadId, type: 'Lead' }
            : null;
        if ((now?.id ?? null) === (known?.id ?? null)) {
          const cleared = row.suggestedContactId === null && row.suggestedLeadId === null;
          if (now === null && cleared && suggestionOnly.has(row.id)) {
            // A suggestion cleared without a link: the rep said no to whom the directory suggests.
            const r2 = people.resolveAuthor(row.key, row.author, row.network);
            const rejected = r2.suggestion ?? r2.link;
            if (rejected) people.reject(row.key, rejected.person.id);
          }
          continue;
        }
        const automatic = people.resolveAuthor(row.key, row.author, row.network).link?.person.id ?? null;
        const ownLead = now?.type === 'Lead' && row.leadPersonaKey === row.key;
        if (now !== null && (now.id === automatic || ownLead)) {
          people.setLink(row.key, now); // the sync's own link, its event ahead of its bookkeeping
          continue;
        }
        if (now === null && known) people.reject(row.key, known.id);
        if (now !== null) people.unreject(row.key, now.id);
        people.setLink(row.key, now);
        const handReason = now
          ? row.matchReason?.startsWith('Linked by')
            ? null
            : BY_HAND_REASON
          : `Unlinked by hand in Salesforce from ${known!.type} ${known!.id}`;
        work.set(row.id, {
          row,
          work: {
            mode: 'follow',
            releasable: new Set(known ? [known.id] : []),
            handReason,
            unlinkReason: handReason ?? '',
            attempts: 0,
          },
        });
      }
    }
  }

  async #fromPersonChanges(
    changes: readonly PersonChange[],
    work: Map<string, { row: PersonaRecord; work: Work }>,
  ): Promise<void> {
    if (changes.length === 0) return;
    const byId = new Map(changes.map((c) => [c.id, c]));
    const ids = [...byId.keys()];
    const handles = new Map<string, SocialHandle>();
    for (const c of changes) for (const h of c.addedHandles) handles.set(`${h.network}:${h.handle}`, h);
    const rows: Row[] = [];
    for (const part of chunk(ids)) {
      const inList = list(part);
      rows.push(
        ...(await this.#queryPersonas(
          `Contact__c IN (${inList}) OR Lead__c IN (${inList}) OR Suggested_Contact__c IN (${inList}) OR Suggested_Lead__c IN (${inList})`,
        )),
      );
    }
    const variants = new Map<string, Set<string>>();
    for (const h of handles.values()) {
      const set = variants.get(h.network) ?? new Set<string>();
      for (const v of handleVariants(h)) set.add(v);
      variants.set(h.network, set);
    }
    for (const [network, values] of variants) {
      for (const part of chunk([...values])) {
        rows.push(
          ...(await this.#queryPersonas(`Network__c = ${quote(network)} AND Handle__c IN (${list(part)})`)),
        );
      }
    }
    for (const r of rows) {
      const row = personaOf(r);
      if (row.network === null || work.has(row.id)) continue;
      // People whose links this persona's posts may lose: its own, and a changed person who lost the handle.
      const releasable = new Set([row.contactId, row.leadId].filter((id): id is string => id !== null));
      let unlinkReason = 'Unlinked: the evidence for the link changed';
      for (const c of changes) {
        const lost = c.after === null || c.removedHandles.length > 0;
        if (lost) releasable.add(c.id);
        if (c.id === row.contactId || c.id === row.leadId) {
          unlinkReason =
            c.after === null
              ? `Unlinked: ${c.type} ${c.id} was deleted or converted`
              : c.removedHandles.length > 0
                ? `Unlinked: ${c.removedHandles.map(formatHandleLine).join(', ')} no longer listed in Social_Handles__c of ${c.type} ${c.id}`
                : `Unlinked: ${c.type} ${c.id} no longer matches`;
        }
      }
      work.set(row.id, {
        row,
        work: { mode: 'resolve', releasable, handReason: null, unlinkReason, attempts: 0 },
      });
    }
  }

  #decide(row: PersonaRecord, w: Work): RelinkDecision {
    const { people } = this.#options;
    const accountOf = (id: string): string | null => people.person(id)?.accountId ?? null;
    const releasableAccounts = new Set(
      [...w.releasable].map(accountOf).filter((a): a is string => a !== null),
    );
    const current = row.contactId ?? row.leadId;
    if (w.mode === 'follow' || isByHand(row.matchReason) || row.network === null) {
      const target: LinkTarget | null = current
        ? {
            id: current,
            type: typeOfId(current),
            accountId: accountOf(current),
            confidence: 1,
            reason: row.matchReason ?? BY_HAND_REASON,
          }
        : null;
      return {
        persona: row,
        target,
        suggestion: null,
        releasable: w.releasable,
        releasableAccounts,
        byHand: true,
        handReason: w.mode === 'follow' ? w.handReason : null,
        unlinkReason: w.unlinkReason,
      };
    }
    const resolution = people.resolveAuthor(row.key, row.author, row.network);
    const toTarget = (m: typeof resolution.link): LinkTarget | null =>
      m
        ? {
            id: m.person.id,
            type: m.person.type,
            accountId: m.person.type === 'Contact' ? m.person.accountId : null,
            confidence: m.confidence,
            reason: m.reason,
          }
        : null;
    return {
      persona: row,
      target: toTarget(resolution.link),
      suggestion: toTarget(resolution.suggestion),
      releasable: w.releasable,
      releasableAccounts,
      byHand: false,
      unlinkReason: w.unlinkReason,
    };
  }

  async #relink(
    work: Map<string, { row: PersonaRecord; work: Work }>,
    touched: Map<string, PersonType>,
  ): Promise<void> {
    const { gateway, crm, people, logger } = this.#options;
    const personaIds = [...work.keys()];
    const posts = new Map<string, PostRow[]>();
    for (const part of chunk(personaIds)) {
      const rows = await gateway.query<Row>(
        'SELECT Id, Persona__c, Contact__c, Lead__c, Account__c, Case__c FROM Social_Post__c ' +
          `WHERE Persona__c IN (${list(part)}) AND Is_Outbound__c = false`,
      );
      for (const r of rows) {
        const post: PostRow = {
          id: String(r['Id']),
          personaId: String(r['Persona__c']),
          contactId: str(r['Contact__c']),
          leadId: str(r['Lead__c']),
          accountId: str(r['Account__c']),
          caseId: str(r['Case__c']),
        };
        posts.set(post.personaId, [...(posts.get(post.personaId) ?? []), post]);
      }
    }
    const caseIds = new Set<string>();
    for (const list_ of posts.values()) for (const p of list_) if (p.caseId) caseIds.add(p.caseId);
    const openCases = new Map<string, OpenCaseRow>();
    for (const part of chunk([...caseIds])) {
      const rows = await gateway.query<Row>(
        `SELECT Id, ContactId, AccountId FROM Case WHERE Id IN (${list(part)}) AND IsClosed = false`,
      );
      for (const r of rows) {
        openCases.set(String(r['Id']), {
          id: String(r['Id']),
          contactId: str(r['ContactId']),
          accountId: str(r['AccountId']),
        });
      }
    }

    const updates: RecordUpdate[] = [];
    const postIds: string[] = [];
    const byKey = new Map<string, { row: PersonaRecord; work: Work; posts: number }>();
    for (const { row, work: w } of work.values()) {
      const decision = this.#decide(row, w);
      const plan = planRelink(decision, posts.get(row.id) ?? [], openCases);
      if (plan.updates.length === 0) {
        // Nothing (left) to write: whatever failed for this persona before is settled.
        for (const [recordKey, f] of this.#failures)
          if (f.persona === row.key) this.#failures.delete(recordKey);
        continue;
      }
      // Before the writes: the change events they cause are then known as ours.
      if (!decision.byHand) people.setLink(row.key, decision.target);
      updates.push(...plan.updates);
      postIds.push(...plan.postIds);
      for (const t of plan.touched) touched.set(t.id, t.type);
      byKey.set(row.key, { row, work: w, posts: plan.postIds.length });
    }
    if (updates.length === 0) return;
    updates.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
    const results = await crm.write(updates.map((u) => this.#write(u)));
    const failed = new Set<string>();
    results.forEach((result, i) => {
      const update = updates[i]!;
      const key = update.personaKey ?? '';
      const recordKey = `${update.type}:${update.fields.Id}`;
      if (result.ok) {
        this.#failures.delete(recordKey);
        return;
      }
      failed.add(key);
      const entry = byKey.get(key);
      this.#failures.set(recordKey, {
        persona: key,
        record: update.fields.Id,
        type: update.type,
        error: `${result.error?.code ?? 'UNKNOWN'}: ${result.error?.message ?? ''}`.trim(),
        attempts: (entry?.work.attempts ?? 0) + 1,
        at: new Date().toISOString(),
      });
    });
    for (const [key, entry] of byKey) {
      if (failed.has(key)) {
        this.#retry.set(entry.row.id, { ...entry.work, attempts: entry.work.attempts + 1 });
        logger.warn(
          { persona: key, failures: [...this.#failures.values()].filter((f) => f.persona === key).length },
          'the org refused part of a re-link; it is retried',
        );
      } else {
        for (const [recordKey, f] of this.#failures) if (f.persona === key) this.#failures.delete(recordKey);
        this.#state.personas += 1;
        this.#state.posts += entry.posts;
      }
    }
    if (postIds.length > 0) this.#options.onPostsChanged?.(postIds);
    logger.info({ personas: byKey.size, posts: postIds.length, failed: failed.size }, 're-linked personas');
  }

  #write(update: RecordUpdate): RecordWrite {
    return { role: ROLE[update.type], type: update.type, op: 'update', seqs: [], fields: update.fields };
  }

  async #rollups(touched: Map<string, PersonType>): Promise<void> {
    const { gateway, crm, people } = this.#options;
    const all = [...touched].map(([id, type]) => ({ id, type }));
    for (const part of chunk(all)) {
      const contacts = part.filter((p) => p.type === 'Contact').map((p) => p.id);
      const leads = part.filter((p) => p.type === 'Lead').map((p) => p.id);
      const where = (contactField: string, leadField: string): string =>
        [
          contacts.length > 0 ? `${contactField} IN (${list(contacts)})` : null,
          leads.length > 0 ? `${leadField} IN (${list(leads)})` : null,
        ]
          .filter((w) => w !== null)
          .join(' OR ');
      const postRows = await gateway.query<Row>(
        'SELECT Contact__c, Lead__c, Sentiment_Score__c, Posted_At__c FROM Social_Post__c ' +
          `WHERE (${where('Contact__c', 'Lead__c')}) AND Is_Outbound__c = false`,
      );
      const personaRows = await gateway.query<Row>(
        `SELECT External_Id__c, Contact__c, Lead__c, Influence_Score__c FROM Social_Persona__c WHERE ${where('Contact__c', 'Lead__c')}`,
      );
      const wanted = new Set(part.map((p) => p.id));
      const owner = (r: Row): string | null => {
        const c = str(r['Contact__c']);
        const l = str(r['Lead__c']);
        return c !== null && wanted.has(c) ? c : l !== null && wanted.has(l) ? l : null;
      };
      const updates = recomputeRollups(
        part,
        postRows.flatMap((r) => {
          const personId = owner(r);
          return personId === null
            ? []
            : [
                {
                  personId,
                  score: typeof r['Sentiment_Score__c'] === 'number' ? r['Sentiment_Score__c'] : null,
                  at: str(r['Posted_At__c']),
                },
              ];
        }),
        personaRows.flatMap((r) => {
          const personId = owner(r);
          return personId === null
            ? []
            : [
                {
                  personId,
                  key: String(r['External_Id__c']),
                  influence: typeof r['Influence_Score__c'] === 'number' ? r['Influence_Score__c'] : null,
                },
              ];
        }),
      );
      updates.sort((a, b) => a.type.localeCompare(b.type));
      const results = await crm.write(updates.map((u) => this.#write(u)));
      const written: RolledUpPerson[] = [];
      results.forEach((result, i) => {
        const update = updates[i]!;
        const recordKey = `${update.type}:${update.fields.Id}`;
        if (result.ok) {
          this.#failures.delete(recordKey);
          this.#state.rollups += 1;
          const values = {
            influence: update.fields['Social_Influence__c'] as number | null,
            sentiment: update.fields['Social_Sentiment__c'] as number | null,
            lastActivity: update.fields['Last_Social_Activity__c'] as string | null,
          };
          people.updatePerson(update.fields.Id, values);
          written.push({ id: update.fields.Id, type: update.type as PersonType, ...values });
          return;
        }
        this.#rollupRetry.set(update.fields.Id, update.type as PersonType);
        this.#failures.set(recordKey, {
          persona: null,
          record: update.fields.Id,
          type: update.type,
          error: `${result.error?.code ?? 'UNKNOWN'}: ${result.error?.message ?? ''}`.trim(),
          attempts: (this.#failures.get(recordKey)?.attempts ?? 0) + 1,
          at: new Date().toISOString(),
        });
      });
      if (written.length > 0) this.#options.onRollups?.(written);
    }
  }
}
