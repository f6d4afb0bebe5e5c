/**
 * One definition per number, end to end: the embedded default (seeded dev org, X stand-in, sync server).
 * After a new X mention by Ann Lee is synced, her influence is the same number in the record page's JSON
 * (what the persona card shows: the highest of her profiles, `personInfluence`), on the post chips (each
 * post shows its profile's `Influence_Score__c`; the highest of them is hers) and in her Contact's
 * `Social_Influence__c`. After the customer value job runs, the customer value the card gets is her
 * Contact's `Social_Customer_Value__c`, with its lifetime and referral parts.
 */
import { expect } from 'chai';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface Details {
  influence: number | null;
  customerValue: { total: number; lifetime?: number; referral?: number; currency?: string } | null;
}
interface Post {
  externalId?: string;
  personaId?: string;
  authorInfluence?: number;
  isOutbound?: boolean;
}
interface Persona {
  id: string;
  influenceScore?: number;
}
interface ContactRow {
  Social_Influence__c: number | null;
  Social_Customer_Value__c: number | null;
  Social_Lifetime_Value__c: number | null;
  Social_Referral_Value__c: number | null;
}

describe('one number per score: record page, post chips and the Contact agree', function () {
  this.timeout(120_000);
  let e: Embedded;
  let annId: string;

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${e.server.url}${path}`);
    expect(res.status, path).to.equal(200);
    return (await res.json()) as T;
  };
  const contact = async (): Promise<ContactRow> =>
    (
      await e.conn.query<ContactRow>(
        'SELECT Social_Influence__c, Social_Customer_Value__c, Social_Lifetime_Value__c, Social_Referral_Value__c ' +
          `FROM Contact WHERE Id = '${annId}'`,
      )
    ).records[0]!;

  before(async () => {
    e = await startEmbedded({ env: { CUSTOMER_VALUE_REFRESH_MINUTES: '600' } });
    const ann = await e.conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE Name = 'Ann Lee'");
    annId = ann.records[0]!.Id;
  });

  after(async () => {
    await e?.close();
  });

  it('shows her influence as one number on the card, the chips and Social_Influence__c after a sync', async () => {
    const added = await e.x.addMention({
      author: 'ann_lee',
      text: 'Loving the new Alpine Fleece, @northwind, warmest jacket I own',
    });
    const externalId = `x:${added.tweet.id}`;
    const page = await eventually(
      () => get<{ posts: Post[] }>(`/api/records/${annId}/posts?limit=200`),
      (p) => p.posts.some((post) => post.externalId === externalId),
      { timeoutMs: 20_000, what: `the synced mention ${externalId} on Ann's record page` },
    );
    // The sync writes the post, its profile's score and her roll-up in one flush; read until all three
    // reads are of the same state (a timeout prints what disagreed).
    const { personas, details, row } = await eventually(
      async () => ({
        personas: (await get<{ personas: Persona[] }>(`/api/records/${annId}/personas`)).personas,
        details: await get<Details>(`/api/records/${annId}`),
        row: await contact(),
      }),
      (r) =>
        typeof r.details.influence === 'number' &&
        typeof r.row.Social_Influence__c === 'number' &&
        Math.abs(r.row.Social_Influence__c - r.details.influence) < 0.005,
      { timeoutMs: 10_000, what: "the card's influence and Social_Influence__c to agree" },
    );

    const synced = page.posts.find((p) => p.externalId === externalId)!;
    expect(synced.authorInfluence, 'the new post has a chip').to.be.a('number');
    // Every chip is its profile's score, whichever post it is on.
    const scoreOf = new Map(personas.map((p) => [p.id, p.influenceScore]));
    const inbound = page.posts.filter((p) => !p.isOutbound && p.personaId && scoreOf.has(p.personaId));
    expect(inbound.length).to.be.greaterThan(1);
    for (const post of inbound) expect(post.authorInfluence).to.equal(scoreOf.get(post.personaId!));

    // The card's number is the highest of her profiles, the highest chip, and her Contact's roll-up.
    const profileScores = personas
      .map((p) => p.influenceScore)
      .filter((s): s is number => typeof s === 'number');
    expect(details.influence).to.be.a('number');
    expect(details.influence).to.equal(Math.max(...profileScores));
    expect(details.influence).to.equal(Math.max(...inbound.map((p) => p.authorInfluence!)));
    expect(row.Social_Influence__c).to.be.closeTo(details.influence!, 0.005);
    expect(Math.round(row.Social_Influence__c!)).to.equal(Math.round(details.influence!));
  });

  it("gives the card her Contact's customer value after the customer value job runs", async () => {
    const refreshed = await fetch(`${e.server.url}/api/customer-value/refresh`, { method: 'POST' });
    expect(refreshed.status).to.equal(200);
    const row = await contact();
    expect(row.Social_Customer_Value__c, 'the job wrote her value').to.be.a('number');
    const details = await get<Details>(`/api/records/${annId}`);
    expect(details.customerValue).to.deep.equal({
      total: row.Social_Customer_Value__c,
      lifetime: row.Social_Lifetime_Value__c,
      referral: row.Social_Referral_Value__c,
      currency: 'USD',
    });
    // The referral part includes her influence, valued from the same number the card shows.
    expect(details.customerValue!.total).to.be.closeTo(
      details.customerValue!.lifetime! + details.customerValue!.referral!,
      0.01,
    );
  });
});
