/**
 * The demo org's data: Acme Outdoor's users, customers, leads and cases, plus what people said about
 * the brand on social networks and the replies it sent. Plain records keyed by local refs (see
 * types.ts), with every time relative to `now`, so the demo always looks fresh and the same `now`
 * always gives the same data. `applySeed` (apply-seed.ts) writes it into an org.
 */
import { SeedClock } from './clock.ts';
import {
  accounts,
  businessHours,
  cases,
  contacts,
  groupMembers,
  groups,
  leads,
  queueSobjects,
  tasks,
  users,
} from './crm-records.ts';
import { applyInbox } from './inbox.ts';
import { personas, posts, savedReplies } from './social-records.ts';
import { summarizeSocial } from './social-summary.ts';
import type { SeedData } from './types.ts';

export {
  ADMIN_USER_REF,
  SOCIAL_CARE_QUEUE_REF,
  SOCIAL_SALES_QUEUE_REF,
  SOCIAL_SUPPORT_QUEUE_REF,
  SOCIAL_VIP_QUEUE_REF,
} from './crm-records.ts';
export { NETWORK_REPLY_TARGET_MINUTES, REPLY_TARGET_MINUTES, targetMinutes } from './inbox.ts';
export { DEMO_BRAND, NETWORKS } from './social-records.ts';
export type { Network } from './social-records.ts';
export { SEED_COLLECTIONS, isRef, ref } from './types.ts';
export type { Ref, SeedData, SeedRecord, SeedValue } from './types.ts';

export function seedData(now: Date): SeedData {
  const clock = new SeedClock(now);
  const data: SeedData = {
    users: users(),
    groups: groups(),
    queueSobjects: queueSobjects(),
    groupMembers: groupMembers(),
    businessHours: businessHours(),
    accounts: accounts(),
    contacts: contacts(),
    leads: leads(clock),
    cases: cases(clock),
    tasks: tasks(clock),
    personas: personas(),
    posts: posts(clock),
    savedReplies: savedReplies(),
  };
  summarizeSocial(data, now.getTime());
  applyInbox(data);
  return data;
}
