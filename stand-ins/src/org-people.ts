/**
 * What the networks process reads from (and, for Bluesky, writes to) the org over its REST API: the
 * people with handles, the personas, and the seeded posts the local networks should carry too.
 */
import type { OrgPerson, OrgPersona } from './demo-cast.ts';

export interface OrgConnection {
  /** e.g. `http://127.0.0.1:8788` */
  url: string;
  accessToken: string;
  apiVersion?: string;
}

export interface SeededPost {
  network: string;
  postId: string;
  authorHandle: string;
  body: string;
  postedAt: string | null;
}

const base = (org: OrgConnection): string =>
  `${org.url.replace(/\/+$/, '')}/services/data/v${org.apiVersion ?? '62.0'}`;

async function query<T>(org: OrgConnection, soql: string): Promise<T[]> {
  const records: T[] = [];
  let next: string | null = `${base(org)}/query?q=${encodeURIComponent(soql)}`;
  while (next) {
    const res: Response = await fetch(next, { headers: { authorization: `Bearer ${org.accessToken}` } });
    if (!res.ok)
      throw new Error(
        `the org answered ${res.status} to a query of ${soql.split(' FROM ')[1]?.split(' ')[0]}`,
      );
    const page = (await res.json()) as { records: T[]; nextRecordsUrl?: string };
    records.push(...page.records);
    next = page.nextRecordsUrl ? new URL(page.nextRecordsUrl, org.url).toString() : null;
  }
  return records;
}

/** Contacts and unconverted Leads that list social handles. */
export async function readPeople(org: OrgConnection): Promise<OrgPerson[]> {
  // Social_Handles__c is a long text area, which SOQL cannot filter on: filtered here.
  const contacts = await query<{
    Id: string;
    Name: string;
    Social_Handles__c: string | null;
    MailingCountry: string | null;
  }>(org, 'SELECT Id, Name, Social_Handles__c, MailingCountry FROM Contact ORDER BY Name');
  const leads = await query<{
    Id: string;
    Name: string;
    Social_Handles__c: string | null;
    Country: string | null;
    IsConverted: boolean;
  }>(org, 'SELECT Id, Name, Social_Handles__c, Country, IsConverted FROM Lead ORDER BY Name');
  return [
    ...contacts
      .filter((c) => c.Social_Handles__c)
      .map((c) => ({
        id: c.Id,
        type: 'Contact' as const,
        name: c.Name,
        socialHandles: c.Social_Handles__c,
        country: c.MailingCountry,
      })),
    ...leads
      .filter((l) => l.Social_Handles__c && !l.IsConverted)
      .map((l) => ({
        id: l.Id,
        type: 'Lead' as const,
        name: l.Name,
        socialHandles: l.Social_Handles__c,
        country: l.Country,
      })),
  ];
}

export async function readPersonas(org: OrgConnection): Promise<OrgPersona[]> {
  const rows = await query<{
    Id: string;
    External_Id__c: string;
    Network__c: string;
    Handle__c: string | null;
    Display_Name__c: string | null;
    Followers__c: number | null;
    Verified__c: boolean | null;
    Bio__c: string | null;
    Contact__c: string | null;
    Lead__c: string | null;
    Suggested_Contact__c: string | null;
    Suggested_Lead__c: string | null;
  }>(
    org,
    'SELECT Id, External_Id__c, Network__c, Handle__c, Display_Name__c, Followers__c, Verified__c, Bio__c, Contact__c, Lead__c, Suggested_Contact__c, Suggested_Lead__c FROM Social_Persona__c ORDER BY External_Id__c',
  );
  return rows.map((r) => ({
    id: r.Id,
    externalId: r.External_Id__c,
    network: r.Network__c,
    handle: r.Handle__c,
    displayName: r.Display_Name__c,
    followers: r.Followers__c,
    verified: r.Verified__c === true,
    bio: r.Bio__c,
    personId: r.Contact__c ?? r.Lead__c,
    suggestedId: r.Suggested_Contact__c ?? r.Suggested_Lead__c,
  }));
}

/** The org's inbound X and Mastodon posts, oldest first. */
export async function readSeededPosts(org: OrgConnection): Promise<SeededPost[]> {
  const rows = await query<{
    Network__c: string;
    Network_Post_Id__c: string | null;
    Author_Handle__c: string | null;
    Body__c: string | null;
    Posted_At__c: string | null;
  }>(
    org,
    "SELECT Network__c, Network_Post_Id__c, Author_Handle__c, Body__c, Posted_At__c FROM Social_Post__c WHERE Is_Outbound__c = false AND Network__c IN ('x', 'mastodon') ORDER BY Posted_At__c LIMIT 2000",
  );
  return rows.flatMap((r) =>
    r.Network_Post_Id__c && r.Author_Handle__c && r.Body__c
      ? [
          {
            network: r.Network__c,
            postId: r.Network_Post_Id__c,
            authorHandle: r.Author_Handle__c,
            body: r.Body__c,
            postedAt: r.Posted_At__c,
          },
        ]
      : [],
  );
}

/** Gives a persona a new External_Id__c (a Bluesky account's new DID). */
export async function rekeyPersona(org: OrgConnection, personaId: string, externalId: string): Promise<void> {
  const res = await fetch(`${base(org)}/sobjects/Social_Persona__c/${personaId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ External_Id__c: externalId }),
  });
  if (!res.ok)
    throw new Error(`the org answered ${res.status} to moving persona ${personaId} to its new DID`);
}
