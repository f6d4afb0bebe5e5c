/**
 * What re-linking a persona changes in the org, decided from what the org holds now: pure, no I/O (the
 * relinker, salesforce/relink.ts, reads and writes).
 *
 * A persona's link is either automatic (the sync or the relinker linked it from the directory's evidence)
 * or made by hand (a rep linked it). They are told apart by the persona's `Match_Reason__c`: a link by
 * hand says so — `Linked by an agent in the social inbox` (author-links.ts), `Linked by hand in Salesforce`
 * (the relinker stamps it when a rep sets `Contact__c`/`Lead__c` themselves) — everything else (the
 * resolver's reasons such as `handle x:@ann listed in Social_Handles__c`, or none) is automatic. Automatic
 * links follow the directory: when a person's handles, name, email or company change, the persona is
 * resolved again and linked, re-linked or unlinked. Links by hand are never changed by automation.
 *
 * The persona's posts follow its link: a post linked to nobody, to the persona's previous person, or to a
 * person whose change caused the re-link (`releasable`) takes the new link (Contact, its Account, or Lead);
 * a post a rep linked to someone else stays. Open Cases of those posts follow the same way (`ContactId`,
 * `AccountId`). Every write is an update by Id to a value computed from the current state, so running a
 * plan twice changes nothing the second time (retries are safe).
 */
import { applyPersonaInfluence, applyPost, emptyRollupState, rollupFields } from '../scoring/rollup.ts';

export type PersonType = 'Contact' | 'Lead';

export interface PersonaRow {
  id: string;
  /** `External_Id__c`, `network:userId`. */
  key: string;
  contactId: string | null;
  leadId: string | null;
  suggestedContactId: string | null;
  suggestedLeadId: string | null;
  matchReason: string | null;
}

export interface PostRow {
  id: string;
  personaId: string;
  contactId: string | null;
  leadId: string | null;
  accountId: string | null;
  caseId: string | null;
}

export interface OpenCaseRow {
  id: string;
  contactId: string | null;
  accountId: string | null;
}

export interface LinkTarget {
  id: string;
  type: PersonType;
  /** The Contact's Account. */
  accountId: string | null;
  confidence: number;
  reason: string;
}

export interface RelinkDecision {
  persona: PersonaRow;
  /** Who the persona is now; null: nobody. */
  target: LinkTarget | null;
  /** When unlinked: the resolver's suggestion to leave for a rep, if any. */
  suggestion: LinkTarget | null;
  /** People whose links the persona's posts and cases may lose (the persona's previous person, the changed people). */
  releasable: ReadonlySet<string>;
  /** Accounts of the releasable Contacts (a Case's AccountId follows only from these or none). */
  releasableAccounts: ReadonlySet<string>;
  /** The link is a rep's: `Match_Reason__c` is the target's reason when automatic, `handReason` (or kept) by hand. */
  byHand: boolean;
  /** By hand: the `Match_Reason__c` to stamp (`Linked by hand in Salesforce`), or null to keep the persona's. */
  handReason?: string | null;
  /** `Match_Reason__c` when unlinking. */
  unlinkReason: string;
}

export interface RecordUpdate {
  type: 'Social_Post__c' | 'Social_Persona__c' | 'Case' | PersonType;
  fields: { Id: string } & Record<string, unknown>;
  /** The persona this update serves (null for roll-ups). */
  personaKey: string | null;
}

export interface RelinkPlan {
  updates: RecordUpdate[];
  /** People whose roll-ups must be recomputed (they gained or lost posts or personas). */
  touched: { id: string; type: PersonType }[];
  /** Posts whose link changes (open record pages and inboxes read them again). */
  postIds: string[];
}

const MANUAL = /^(?:Linked|Unlinked) by /i;

/** Whether a persona's link was made (or removed) by a person rather than by evidence. */
export function isByHand(matchReason: string | null | undefined): boolean {
  return typeof matchReason === 'string' && MANUAL.test(matchReason.trim());
}

export const BY_HAND_REASON = 'Linked by hand in Salesforce';

function typeOfId(id: string): PersonType | null {
  return id.startsWith('003') ? 'Contact' : id.startsWith('00Q') ? 'Lead' : null;
}

function linkFields(target: LinkTarget | null): { Contact__c: string | null; Lead__c: string | null } {
  return {
    Contact__c: target?.type === 'Contact' ? target.id : null,
    Lead__c: target?.type === 'Lead' ? target.id : null,
  };
}

/** The writes that make one persona, its posts and their open Cases follow `decision.target`. */
export function planRelink(
  decision: RelinkDecision,
  posts: readonly PostRow[],
  openCases: ReadonlyMap<string, OpenCaseRow>,
): RelinkPlan {
  const { persona, target, releasable } = decision;
  const updates: RecordUpdate[] = [];
  const touched = new Map<string, PersonType>();
  const touch = (id: string | null): void => {
    const type = id === null ? null : typeOfId(id);
    if (id !== null && type !== null) touched.set(id, type);
  };
  const key = persona.key;
  const wanted = linkFields(target);
  const account = target?.type === 'Contact' ? target.accountId : null;
  const postIds: string[] = [];
  const caseIds = new Set<string>();

  for (const post of posts) {
    const current = post.contactId ?? post.leadId;
    const mayMove = current === null || releasable.has(current) || current === target?.id;
    if (!mayMove) continue;
    if (post.caseId) caseIds.add(post.caseId);
    if (
      post.contactId === wanted.Contact__c &&
      post.leadId === wanted.Lead__c &&
      post.accountId === account
    ) {
      continue;
    }
    updates.push({
      type: 'Social_Post__c',
      personaKey: key,
      fields: { Id: post.id, ...wanted, Account__c: account },
    });
    postIds.push(post.id);
    touch(post.contactId);
    touch(post.leadId);
    if (target) touch(target.id);
  }

  for (const caseId of caseIds) {
    const open = openCases.get(caseId);
    if (!open) continue;
    if (open.contactId !== null && !releasable.has(open.contactId) && open.contactId !== wanted.Contact__c) {
      continue; // a rep put someone else on the Case
    }
    const accountFollows =
      open.accountId === null ||
      decision.releasableAccounts.has(open.accountId) ||
      open.accountId === account;
    const next = {
      ContactId: wanted.Contact__c,
      ...(accountFollows ? { AccountId: account } : {}),
    };
    if (open.contactId === next.ContactId && (!accountFollows || open.accountId === account)) continue;
    updates.push({ type: 'Case', personaKey: key, fields: { Id: open.id, ...next } });
  }

  const linkChanged = persona.contactId !== wanted.Contact__c || persona.leadId !== wanted.Lead__c;
  const suggestion = decision.suggestion;
  const reason = decision.byHand
    ? (decision.handReason ?? null)
    : target
      ? target.reason
      : linkChanged
        ? suggestion
          ? `${decision.unlinkReason}; suggested: ${suggestion.reason}`
          : decision.unlinkReason
        : null;
  const suggestionLeft = persona.suggestedContactId !== null || persona.suggestedLeadId !== null;
  // A link kept as it is gets its reason rewritten only over another reason (a stale suggestion's, say):
  // a link the sync made (no reason) is not worth a write.
  const reasonChanged =
    reason !== null &&
    reason.slice(0, 255) !== persona.matchReason &&
    (linkChanged || persona.matchReason !== null || decision.byHand);
  if (linkChanged || reasonChanged || (target !== null && suggestionLeft)) {
    const fields: RecordUpdate['fields'] = { Id: persona.id, ...wanted };
    if (target) {
      fields['Suggested_Contact__c'] = null;
      fields['Suggested_Lead__c'] = null;
    } else if (!decision.byHand && linkChanged) {
      fields['Suggested_Contact__c'] = suggestion?.type === 'Contact' ? suggestion.id : null;
      fields['Suggested_Lead__c'] = suggestion?.type === 'Lead' ? suggestion.id : null;
    }
    if (reason !== null) fields['Match_Reason__c'] = reason.slice(0, 255);
    if (!decision.byHand && (target || linkChanged)) {
      const confidence = target?.confidence ?? suggestion?.confidence ?? null;
      fields['Match_Confidence__c'] = confidence === null ? null : Math.round(confidence * 10000) / 100;
    }
    updates.push({ type: 'Social_Persona__c', personaKey: key, fields });
  }
  if (linkChanged) {
    touch(persona.contactId);
    touch(persona.leadId);
    if (target) touch(target.id);
  }
  return { updates, touched: [...touched].map(([id, type]) => ({ id, type })), postIds };
}

export interface RollupPost {
  personId: string;
  score: number | null;
  at: string | null;
}

export interface RollupPersona {
  personId: string;
  key: string;
  influence: number | null;
}

/**
 * The roll-up fields of each person from all their posts and personas, by the one definition in
 * scoring/rollup.ts (highest persona influence, decayed sentiment as of the latest post, latest post
 * time). A person left with no posts and no personas gets nulls: nothing social is known of them.
 */
export function recomputeRollups(
  people: readonly { id: string; type: PersonType }[],
  posts: readonly RollupPost[],
  personas: readonly RollupPersona[],
): RecordUpdate[] {
  const byPerson = new Map(people.map((p) => [p.id, emptyRollupState()]));
  const sorted = [...posts]
    .filter((p) => p.at !== null && Number.isFinite(Date.parse(p.at)))
    .sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!));
  for (const post of sorted) {
    const state = byPerson.get(post.personId);
    if (state) byPerson.set(post.personId, applyPost(state, { score: post.score ?? 0, at: post.at! }));
  }
  for (const persona of personas) {
    const state = byPerson.get(persona.personId);
    if (state && persona.influence !== null) {
      byPerson.set(persona.personId, applyPersonaInfluence(state, persona.key, persona.influence));
    }
  }
  return people.map((p) => ({
    type: p.type,
    personaKey: null,
    fields: { Id: p.id, ...rollupFields(byPerson.get(p.id)!) },
  }));
}
