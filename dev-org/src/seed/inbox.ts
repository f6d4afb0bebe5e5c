/**
 * The seeded posts as the social inbox holds them, so a fresh org shows a working inbox:
 * - an inbound post that still needs a reply is `Open`, owned by the Social Support queue;
 * - an inbound post the brand answered (a complaint, question or purchase intent) is `Done` (`Replied`),
 *   owned by the agent who answered, with whether the answer met the target.
 * Both get the priority the sync server gives on intake (its own `priorityOf`, from the author's influence,
 * the intent and the sentiment) and a due time of arrival + the reply-time target's minutes for that
 * priority (the package's `Social_Reply_Target__mdt` records). The seed counts plain minutes; the server
 * counts business minutes on intake. Posts that need no answer stay out of the inbox (`Inbox_Status__c`
 * null). Fields the org lacks are dropped by the seed's sink, so an older manifests/ still seeds.
 */
import { priorityOf, type Priority } from '../../../server/src/inbox/priority.ts';
import type { Intent, SentimentLabel } from '../../../server/src/analysis/schema.ts';
import { SOCIAL_SUPPORT_QUEUE_REF } from './crm-records.ts';
import { isRef, ref } from './types.ts';
import type { SeedData, SeedRecord, SeedValue } from './types.ts';

/** Minutes to the first reply per priority, as the package's reply targets say (a test keeps them equal). */
export const REPLY_TARGET_MINUTES: Readonly<Record<Priority, number>> = {
  Urgent: 30,
  High: 60,
  Normal: 240,
  Low: 1440,
};

/** Targets for one network that win over the any-network ones (`X_Urgent`). */
export const NETWORK_REPLY_TARGET_MINUTES: Readonly<Record<string, Partial<Record<Priority, number>>>> = {
  x: { Urgent: 15 },
};

const ASKS_FOR_REPLY = new Set(['complaint', 'question', 'purchase_intent']);

function refOf(value: SeedValue | undefined): string | undefined {
  return isRef(value) ? value.ref : undefined;
}

function numberOf(value: SeedValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

export function targetMinutes(priority: Priority, network: string): number {
  return NETWORK_REPLY_TARGET_MINUTES[network]?.[priority] ?? REPLY_TARGET_MINUTES[priority];
}

/** Sets the inbox fields of the seeded posts in place (after the personas' influence is computed). */
export function applyInbox(data: SeedData): void {
  const influence = new Map(data.personas.map((p) => [p.ref, numberOf(p['Influence_Score__c'])]));
  const replies = new Map<string, SeedRecord>();
  for (const post of data.posts) {
    const parent = refOf(post['In_Reply_To__c']);
    if (post['Is_Outbound__c'] === true && parent && !replies.has(parent)) replies.set(parent, post);
  }
  for (const post of data.posts) {
    if (post['Is_Outbound__c'] !== false) continue;
    const reply = replies.get(post.ref);
    const open = post['Needs_Reply__c'] === true;
    if (!open && !(reply && ASKS_FOR_REPLY.has(String(post['Intent__c'])))) continue;
    const priority = priorityOf({
      influence: influence.get(refOf(post['Persona__c']) ?? '') ?? null,
      intent: post['Intent__c'] as Intent | null,
      sentiment: post['Sentiment__c'] as SentimentLabel | null,
    });
    const postedAt = Date.parse(String(post['Posted_At__c']));
    const due = postedAt + targetMinutes(priority, String(post['Network__c'])) * 60_000;
    post['Priority__c'] = priority;
    post['Reply_Due__c'] = new Date(due).toISOString();
    if (open) {
      post['OwnerId'] = ref(SOCIAL_SUPPORT_QUEUE_REF);
      post['Inbox_Status__c'] = 'Open';
      continue;
    }
    const repliedAt = String(reply?.['Posted_At__c']);
    post['OwnerId'] = reply?.['OwnerId'] ?? null;
    post['Inbox_Status__c'] = 'Done';
    post['Done_Reason__c'] = 'Replied';
    post['Done_At__c'] = repliedAt;
    post['Done_By__c'] = reply?.['OwnerId'] ?? null;
    post['Target_Met__c'] = Date.parse(repliedAt) <= due;
  }
}
