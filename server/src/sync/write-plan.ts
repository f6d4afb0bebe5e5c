/**
 * From analyzed, resolved and scored mentions to the ordered CRM writes that record them: leads for
 * unknown buyers, personas, cases, posts and the people's roll-ups. Pure: no I/O. Every write is an
 * upsert by an external ID or an update by Id, so replaying a plan (after a crash or a retry) changes
 * nothing — that is what makes at-least-once processing exactly-once in the CRM.
 */
import type { Analysis } from '../analysis/schema.ts';
import { mentionExternalId, personaExternalId, type Mention } from '../domain/mention.ts';
import type { CaseDecision } from './case-rules.ts';
import type { FieldLimit, PersonRecord, RecordWrite } from './crm-port.ts';
import type { AuthorScores, IdentityResolution, PersonRollup } from './ports.ts';

export interface ProcessedMention {
  seq: number;
  mention: Mention;
  analysis: Analysis;
  identity: IdentityResolution;
  scores: AuthorScores;
  threadKey: string;
  caseDecision: CaseDecision;
  /** An unknown author with purchase intent becomes a Lead under this key (the persona key). */
  newLeadKey: string | null;
  /** Set when the replied-to post is known to be in the CRM (or in this batch). */
  inReplyToKey: string | null;
  /** Where a post that needs an answer goes in the inbox (null: it needs none, or the org has no inbox). */
  inbox?: InboxPlacement | null;
}

/** A post's place in the social inbox, decided on intake (routing rules and reply-time targets). */
export interface InboxPlacement {
  /** The queue (00G…) or user (005…) the routing rule picked; null leaves the org's default owner. */
  ownerId: string | null;
  /** ISO date-time the first reply is due, or null without a target. */
  dueAt: string | null;
  priority: 'Urgent' | 'High' | 'Normal' | 'Low';
  /** DeveloperName of the rule that chose the queue. */
  rule: string | null;
}

/** The inbox fields of a post, for an org whose package has them (older packages: none). */
function inboxFields(
  placement: InboxPlacement | null | undefined,
  limits: ReadonlyMap<string, FieldLimit> | undefined,
): Record<string, unknown> {
  if (!placement || (limits && !limits.has('Inbox_Status__c'))) return {};
  return {
    Inbox_Status__c: 'Open',
    Priority__c: placement.priority,
    Reply_Due__c: placement.dueAt,
    Routed_By__c: placement.rule,
    ...(placement.ownerId ? { OwnerId: placement.ownerId } : {}),
  };
}

export interface PlanContext {
  limits: ReadonlyMap<string, ReadonlyMap<string, FieldLimit>>;
  rollups: ReadonlyMap<string, { person: PersonRecord; rollup: PersonRollup }>;
}

/** `Network__c` values in the package are the network names. */
function networkValue(mention: Mention): string {
  return mention.network;
}

/** Cuts strings to the org's field lengths (by code point, never splitting a surrogate pair). */
export function fitFields(
  limits: ReadonlyMap<string, FieldLimit> | undefined,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  if (!limits) return fields;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const limit = limits.get(name);
    if (typeof value === 'string' && limit && limit.length > 0 && value.length > limit.length) {
      const cut = Array.from(value);
      let text = '';
      for (const ch of cut) {
        if (text.length + ch.length > limit.length - 1) break;
        text += ch;
      }
      out[name] = `${text}…`.slice(0, limit.length);
    } else {
      out[name] = value;
    }
  }
  return out;
}

function personaName(mention: Mention): string {
  return mention.author.displayName.trim() || `@${mention.author.handle}`;
}

function splitName(display: string, handle: string): { FirstName: string | null; LastName: string } {
  const parts = display.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { FirstName: null, LastName: `@${handle}` };
  if (parts.length === 1) return { FirstName: null, LastName: parts[0]! };
  return { FirstName: parts.slice(0, -1).join(' '), LastName: parts.at(-1)! };
}

const HANDLE_PREFIX: Record<Mention['network'], string> = {
  x: 'x:@',
  bluesky: 'bluesky:',
  mastodon: 'mastodon:@',
  facebook: 'facebook:',
  instagram: 'instagram:@',
};

function caseSubject(pm: ProcessedMention): string {
  // Leading @mentions (usually our own handle) say nothing in a subject line.
  const text = pm.mention.text
    .replace(/^(?:@[\w.@-]+\s+)+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return `${pm.mention.network === 'x' ? 'X' : pm.mention.network[0]!.toUpperCase() + pm.mention.network.slice(1)} @${pm.mention.author.handle}: ${short}`;
}

export function buildWritePlan(items: readonly ProcessedMention[], context: PlanContext): RecordWrite[] {
  const fit = (type: string, fields: Record<string, unknown>): Record<string, unknown> =>
    fitFields(context.limits.get(type), fields);
  const retire: RecordWrite[] = [];
  const leads = new Map<string, RecordWrite>();
  const personas = new Map<string, RecordWrite>();
  const cases = new Map<string, RecordWrite>();
  const posts: RecordWrite[] = [];

  for (const pm of items) {
    const { mention, analysis, identity, scores } = pm;
    const personaKey = personaExternalId(mention);
    const link = identity.link;

    if (pm.newLeadKey && !leads.has(pm.newLeadKey)) {
      leads.set(pm.newLeadKey, {
        role: 'lead',
        type: 'Lead',
        op: 'upsert',
        externalIdField: 'Social_Persona_Key__c',
        seqs: [pm.seq],
        fields: fit('Lead', {
          Social_Persona_Key__c: pm.newLeadKey,
          ...splitName(mention.author.displayName, mention.author.handle),
          Company: '[not provided]',
          LeadSource: 'Social',
          Description: `Showed purchase intent on ${mention.network}: ${mention.text}`,
          Social_Handles__c: `${HANDLE_PREFIX[mention.network]}${mention.author.handle}`,
          Website: mention.author.profileUrl,
        }),
      });
    }

    const persona: Record<string, unknown> = {
      External_Id__c: personaKey,
      Name: personaName(mention),
      Network__c: networkValue(mention),
      Handle__c: mention.author.handle,
      Display_Name__c: mention.author.displayName || null,
      Followers__c: mention.author.followers,
      Verified__c: mention.author.verified,
      Profile_Url__c: mention.author.profileUrl,
      Bio__c: mention.author.bio || null,
      Influence_Score__c: Math.round(scores.influence * 100) / 100,
      Advocacy_Score__c: Math.round(scores.advocacy * 100) / 100,
      Last_Activity__c: mention.createdAt,
    };
    // Links are only ever added, never cleared: a rep's accepted link or our earlier one stays.
    if (link?.person.type === 'Contact') persona['Contact__c'] = link.person.id;
    if (link?.person.type === 'Lead') persona['Lead__c'] = link.person.id;
    if (!link && pm.newLeadKey) persona['Lead__r'] = { Social_Persona_Key__c: pm.newLeadKey };
    if (!link && identity.suggestion) {
      const s = identity.suggestion;
      persona[s.person.type === 'Contact' ? 'Suggested_Contact__c' : 'Suggested_Lead__c'] = s.person.id;
      persona['Match_Confidence__c'] = Math.round(s.confidence * 10000) / 100;
      persona['Match_Reason__c'] = s.reason;
    }
    const previous = personas.get(personaKey);
    personas.set(personaKey, {
      role: 'persona',
      type: 'Social_Persona__c',
      op: 'upsert',
      externalIdField: 'External_Id__c',
      seqs: [...(previous?.seqs ?? []), pm.seq],
      fields: fit('Social_Persona__c', { ...previous?.fields, ...persona }),
    });

    const decision = pm.caseDecision;
    if (decision.action === 'open' && decision.retire) {
      retire.push({
        role: 'case-retire',
        type: 'Case',
        op: 'update',
        seqs: [pm.seq],
        fields: {
          Id: decision.retire.id,
          Social_Thread_Key__c: `${decision.retire.key}#${decision.retire.id}`,
        },
      });
    }
    if (decision.action === 'open' && !cases.has(decision.key)) {
      const contact = link?.person.type === 'Contact' ? link.person : null;
      cases.set(decision.key, {
        role: 'case',
        type: 'Case',
        op: 'upsert',
        externalIdField: 'Social_Thread_Key__c',
        seqs: [pm.seq],
        fields: fit('Case', {
          Social_Thread_Key__c: decision.key,
          Subject: caseSubject(pm),
          Description: mention.text,
          Origin: 'Social',
          Priority: decision.priority,
          Status: 'New',
          Social_Network__c: mention.network,
          ContactId: contact?.id ?? null,
          AccountId: contact?.accountId ?? null,
          SuppliedName: mention.author.displayName || `@${mention.author.handle}`,
        }),
      });
    }
    if (decision.action === 'reopen' && !cases.has(decision.key)) {
      cases.set(decision.key, {
        role: 'case',
        type: 'Case',
        op: 'upsert',
        externalIdField: 'Social_Thread_Key__c',
        seqs: [pm.seq],
        fields: { Social_Thread_Key__c: decision.key, Status: 'New' },
      });
    }

    const caseKey = decision.action === 'none' ? null : decision.key;
    const post: Record<string, unknown> = {
      External_Id__c: mentionExternalId(mention),
      Network__c: networkValue(mention),
      Network_Post_Id__c: mention.id,
      Body__c: mention.text,
      Posted_At__c: mention.createdAt,
      Author_Handle__c: mention.author.handle,
      Url__c: mention.url,
      Sentiment__c: analysis.sentiment.label,
      Sentiment_Score__c: Math.round(analysis.sentiment.score * 1000) / 1000,
      Intent__c: analysis.intent,
      Language__c: analysis.language,
      Needs_Reply__c: analysis.needsReply,
      Is_Outbound__c: false,
      Thread_Root__c: pm.threadKey,
      Like_Count__c: mention.engagement.likes,
      Repost_Count__c: mention.engagement.reposts,
      Reply_Count__c: mention.engagement.replies,
      Persona__r: { External_Id__c: personaKey },
      ...inboxFields(pm.inbox, context.limits.get('Social_Post__c')),
      Raw_Payload__c: mention.raw === undefined ? null : JSON.stringify(mention.raw),
    };
    if (link?.person.type === 'Contact') {
      post['Contact__c'] = link.person.id;
      if (link.person.accountId) post['Account__c'] = link.person.accountId;
    }
    if (link?.person.type === 'Lead') post['Lead__c'] = link.person.id;
    if (!link && pm.newLeadKey) post['Lead__r'] = { Social_Persona_Key__c: pm.newLeadKey };
    if (caseKey) post['Case__r'] = { Social_Thread_Key__c: caseKey };
    if (pm.inReplyToKey) post['In_Reply_To__r'] = { External_Id__c: pm.inReplyToKey };
    posts.push({
      role: 'post',
      type: 'Social_Post__c',
      op: 'upsert',
      externalIdField: 'External_Id__c',
      seqs: [pm.seq],
      fields: fit('Social_Post__c', post),
    });
  }

  const rollups: RecordWrite[] = [...context.rollups.values()].map(({ person, rollup }) => ({
    role: 'rollup',
    type: person.type,
    op: 'update',
    seqs: [],
    fields: {
      Id: person.id,
      Social_Influence__c: Math.round(rollup.influence * 100) / 100,
      Social_Sentiment__c: Math.round(rollup.sentiment * 1000) / 1000,
      Last_Social_Activity__c: rollup.lastActivity,
    },
  }));
  // Updates of the two person types must not interleave: each type is its own collection.
  rollups.sort((a, b) => a.type.localeCompare(b.type));

  return [...retire, ...leads.values(), ...personas.values(), ...cases.values(), ...posts, ...rollups];
}
