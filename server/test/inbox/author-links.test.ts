/**
 * SalesforceAuthorLinks against the seeded dev org over HTTP: creating a Lead or Contact for an unknown
 * author and linking an author to an existing one (handle remembered once on the record, post and persona
 * linked, suggestions cleared), what it refuses, and an all-or-none write that leaves nothing half-done.
 * Also `splitName`.
 */
import { expect } from 'chai';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { AppError } from '../../src/domain/errors.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { SalesforceAuthorLinks, splitName } from '../../src/salesforce/author-links.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';

type Row = Record<string, unknown>;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  return expect.fail('expected a rejection');
}

describe('splitName', () => {
  it('splits a display name at its last space: first names before, the last name after', () => {
    expect(splitName('Ann Lee', 'ann_lee')).to.deep.equal({ FirstName: 'Ann', LastName: 'Lee' });
    expect(splitName('Mary Ann van der Berg', 'mary')).to.deep.equal({
      FirstName: 'Mary Ann van der',
      LastName: 'Berg',
    });
    expect(splitName('  James \t  Whitfield \n', 'jwhit_eng')).to.deep.equal({
      FirstName: 'James',
      LastName: 'Whitfield',
    });
  });

  it('makes a single name the last name, and falls back to the handle without a name', () => {
    expect(splitName('Cher', 'cher')).to.deep.equal({ LastName: 'Cher' });
    expect(splitName(null, 'gearnerd')).to.deep.equal({ LastName: 'gearnerd' });
    expect(splitName('', 'gearnerd')).to.deep.equal({ LastName: 'gearnerd' });
    expect(splitName('   ', 'gearnerd')).to.deep.equal({ LastName: 'gearnerd' });
  });

  it('fits the names to the Lead and Contact fields (first 40, last 80 characters)', () => {
    expect(splitName(`${'F'.repeat(60)} Lee`, 'h')).to.deep.equal({
      FirstName: 'F'.repeat(40),
      LastName: 'Lee',
    });
    expect(splitName(`Ann ${'L'.repeat(100)}`, 'h')).to.deep.equal({
      FirstName: 'Ann',
      LastName: 'L'.repeat(80),
    });
    expect(splitName('x'.repeat(200), 'h').LastName).to.have.length(80);
    expect(splitName(null, 'h'.repeat(100)).LastName).to.have.length(80);
  });

  it('leaves emoji and flags out of the names, and never cuts a character in half', () => {
    expect(splitName('Emily Carter 🏔️', 'emilycarter')).to.deep.equal({
      FirstName: 'Emily',
      LastName: 'Carter',
    });
    expect(splitName('🇵🇹 Ana Costa 👩🏽‍💻', 'ana')).to.deep.equal({ FirstName: 'Ana', LastName: 'Costa' });
    expect(splitName('🔥🔥', 'fire_fan')).to.deep.equal({ LastName: 'fire_fan' });
    expect(splitName('José Ñúñez', 'jn')).to.deep.equal({ FirstName: 'José', LastName: 'Ñúñez' });
    const last = splitName(`Ann ${'𝒜'.repeat(50)}`, 'h').LastName;
    expect(last.length).to.be.at.most(80);
    expect(last).to.equal('𝒜'.repeat(40));
  });
});

describe('SalesforceAuthorLinks (seeded dev org)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let conn: jsforce.Connection;
  let metrics: Metrics;
  let links: SalesforceAuthorLinks;

  const one = async (soql: string): Promise<Row> => {
    const rows = (await conn.query<Row>(soql)).records;
    expect(rows, soql).to.have.length(1);
    return rows[0]!;
  };
  /** The seeded inbound post by `handle` (Author_Handle__c as stored). */
  const postBy = async (handle: string): Promise<{ id: string; personaId: string | null }> => {
    const row = await one(
      `SELECT Id, Persona__c FROM Social_Post__c WHERE Author_Handle__c = '${handle}' AND Is_Outbound__c = false`,
    );
    return { id: String(row['Id']), personaId: (row['Persona__c'] as string | null) ?? null };
  };
  const postLinks = (id: string) =>
    one(`SELECT Id, Contact__c, Lead__c FROM Social_Post__c WHERE Id = '${id}'`);
  const persona = (id: string) =>
    one(
      `SELECT Id, Contact__c, Lead__c, Suggested_Contact__c, Suggested_Lead__c, Match_Confidence__c, Match_Reason__c FROM Social_Persona__c WHERE Id = '${id}'`,
    );
  const compositeCalls = async (): Promise<number> =>
    (await metrics.crmApiCalls.get()).values
      .filter((v) => v.labels.operation === 'composite')
      .reduce((sum, v) => sum + v.value, 0);

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    metrics = createMetrics({ defaultMetrics: false });
    links = new SalesforceAuthorLinks(
      new SalesforceGateway({
        instanceUrl: org.url,
        accessToken: org.accessToken,
        apiVersion: org.apiVersion,
        metrics,
        logger: silentLogger(),
      }),
    );
  });

  after(async () => org?.close());

  it("creates a Lead from the persona's name and handle, and links the post and the persona to it", async () => {
    const post = await postBy('@jwhit_eng');
    expect(post.personaId).to.be.a('string');
    // The persona had a suggestion; linking replaces it.
    const suggested = await one("SELECT Id FROM Contact WHERE Name = 'Ann Lee'");
    await conn.sobject('Social_Persona__c').update({
      Id: post.personaId!,
      Suggested_Contact__c: suggested['Id'],
      Match_Confidence__c: 55,
      Match_Reason__c: 'same first name',
    });
    const before = await compositeCalls();

    const result = await links.create(post.id, 'Lead');
    expect(result).to.deep.include({ postId: post.id, recordType: 'Lead', created: true });
    expect(result.recordId).to.match(/^00Q/);
    // One read and one write.
    expect((await compositeCalls()) - before).to.equal(2);

    const lead = await one(
      `SELECT FirstName, LastName, Company, LeadSource, Social_Handles__c FROM Lead WHERE Id = '${result.recordId}'`,
    );
    expect(lead).to.deep.include({
      FirstName: 'James',
      LastName: 'Whitfield',
      Company: '[not provided]',
      LeadSource: 'Social',
      Social_Handles__c: 'x:@jwhit_eng',
    });
    expect(await postLinks(post.id)).to.deep.include({ Lead__c: result.recordId, Contact__c: null });
    expect(await persona(post.personaId!)).to.deep.include({
      Lead__c: result.recordId,
      Contact__c: null,
      Suggested_Contact__c: null,
      Suggested_Lead__c: null,
      Match_Reason__c: 'Linked by an agent in the social inbox',
      Match_Confidence__c: 100, // a Percent field: certain, not 1 %
    });
  });

  it('creates a Contact (no Company, no LeadSource) for a Mastodon author and links the post to it', async () => {
    const post = await postBy('@gearnerd@fosstodon.org');
    const result = await links.create(post.id, 'Contact');
    expect(result).to.deep.include({ postId: post.id, recordType: 'Contact', created: true });
    expect(result.recordId).to.match(/^003/);
    const contact = await one(
      `SELECT FirstName, LastName, Social_Handles__c, AccountId FROM Contact WHERE Id = '${result.recordId}'`,
    );
    expect(contact).to.deep.include({
      FirstName: 'Gear',
      LastName: 'Nerd',
      Social_Handles__c: 'mastodon:@gearnerd@fosstodon.org',
      AccountId: null,
    });
    expect(await postLinks(post.id)).to.deep.include({ Contact__c: result.recordId, Lead__c: null });
    expect(await persona(post.personaId!)).to.deep.include({ Contact__c: result.recordId });
  });

  it('creates a Lead named after the handle for a post without a persona', async () => {
    const created = (await conn.sobject('Social_Post__c').create({
      External_Id__c: 'x:author-links-solo',
      Network__c: 'x',
      Network_Post_Id__c: 'author-links-solo',
      Body__c: 'how much is the Basecamp 4?',
      Posted_At__c: new Date().toISOString(),
      Author_Handle__c: '@Solo_Poster',
      Is_Outbound__c: false,
    })) as { id: string };
    const result = await links.create(created.id, 'Lead');
    const lead = await one(
      `SELECT FirstName, LastName, Social_Handles__c FROM Lead WHERE Id = '${result.recordId}'`,
    );
    expect(lead).to.deep.include({
      FirstName: null,
      LastName: 'solo_poster',
      Social_Handles__c: 'x:@solo_poster',
    });
    expect(await postLinks(created.id)).to.deep.include({ Lead__c: result.recordId });
  });

  it("links an author to an existing Contact: the handle appended to the Contact's handles", async () => {
    const post = await postBy('@marta.caminante');
    const contact = (await conn.sobject('Contact').create({
      FirstName: 'Marta',
      LastName: 'Caminante',
      Social_Handles__c: 'x:@marta_walks',
    })) as { id: string };

    const result = await links.link(post.id, contact.id);
    expect(result).to.deep.equal({
      postId: post.id,
      recordId: contact.id,
      recordType: 'Contact',
      created: false,
    });
    expect(
      (await one(`SELECT Social_Handles__c FROM Contact WHERE Id = '${contact.id}'`))['Social_Handles__c'],
    ).to.equal('x:@marta_walks\ninstagram:@marta.caminante');
    expect(await postLinks(post.id)).to.deep.include({ Contact__c: contact.id, Lead__c: null });
    expect(await persona(post.personaId!)).to.deep.include({
      Contact__c: contact.id,
      Suggested_Contact__c: null,
      Suggested_Lead__c: null,
    });

    // Linking again adds nothing.
    await links.link(post.id, contact.id);
    expect(
      (await one(`SELECT Social_Handles__c FROM Contact WHERE Id = '${contact.id}'`))['Social_Handles__c'],
    ).to.equal('x:@marta_walks\ninstagram:@marta.caminante');
  });

  it('does not duplicate a handle the record already lists, however it was written', async () => {
    const post = await postBy('@trailmix_dan');
    const written = 'Twitter: Trailmix_Dan\nhttps://bsky.app/profile/dan.bsky.social';
    const contact = (await conn.sobject('Contact').create({
      FirstName: 'Dan',
      LastName: 'Ortiz',
      Social_Handles__c: written,
    })) as { id: string };
    await links.link(post.id, contact.id);
    expect(
      (await one(`SELECT Social_Handles__c FROM Contact WHERE Id = '${contact.id}'`))['Social_Handles__c'],
    ).to.equal(written);
    expect(await postLinks(post.id)).to.deep.include({ Contact__c: contact.id });
  });

  it('links an author to an existing Lead', async () => {
    const post = await postBy('hikerhaven.bsky.social');
    const lead = (await conn.sobject('Lead').create({
      LastName: 'Haven',
      Company: 'Hiker Haven',
    })) as { id: string };
    const result = await links.link(post.id, lead.id);
    expect(result).to.deep.equal({ postId: post.id, recordId: lead.id, recordType: 'Lead', created: false });
    expect(
      (await one(`SELECT Social_Handles__c FROM Lead WHERE Id = '${lead.id}'`))['Social_Handles__c'],
    ).to.equal('bluesky:hikerhaven.bsky.social');
    expect(await postLinks(post.id)).to.deep.include({ Lead__c: lead.id });
    expect(await persona(post.personaId!)).to.deep.include({ Lead__c: lead.id });
  });

  it('refuses to link an author to an Account (a 400: validation_failed), asking the org nothing', async () => {
    const post = await postBy('@aoifemurphy');
    const account = await one("SELECT Id FROM Account WHERE Name = 'Northwind Outfitters'");
    const before = await compositeCalls();
    const error = await rejection(links.link(post.id, String(account['Id'])));
    expect(error.code).to.equal('validation_failed');
    expect(error.message).to.contain('Contact (003…) or a Lead (00Q…)');
    expect(error.hint).to.contain('Contacts');
    expect(await compositeCalls()).to.equal(before);
  });

  it('refuses ids that are not Salesforce Ids (validation_failed)', async () => {
    const post = await postBy('@aoifemurphy');
    expect((await rejection(links.link('not-an-id', '003000000000001AAA'))).code).to.equal(
      'validation_failed',
    );
    expect((await rejection(links.link(post.id, "003' OR Id != '"))).code).to.equal('validation_failed');
    expect((await rejection(links.create("a01' OR Name != '", 'Lead'))).code).to.equal('validation_failed');
  });

  it('answers not_found for an outbound post, an unknown post and an unknown record', async () => {
    const outbound = await one(
      "SELECT Id FROM Social_Post__c WHERE Is_Outbound__c = true AND Author_Handle__c = '@acmeoutdoor' LIMIT 1",
    );
    const contact = await one("SELECT Id FROM Contact WHERE Name = 'Ann Lee'");
    const unknownPost = 'a01Dv00000000ZZIAA';

    for (const attempt of [
      links.create(String(outbound['Id']), 'Lead'),
      links.link(String(outbound['Id']), String(contact['Id'])),
      links.create(unknownPost, 'Contact'),
      links.link(unknownPost, String(contact['Id'])),
    ]) {
      const error = await rejection(attempt);
      expect(error.code).to.equal('not_found');
      expect(error.message).to.match(/^No inbound post has the Id a01/);
    }
    const post = await postBy('@aoifemurphy');
    const noSuchContact = await rejection(links.link(post.id, '003Dv00000000ZZIAA'));
    expect(noSuchContact.code).to.equal('not_found');
    expect(noSuchContact.message).to.equal('No Contact has the Id 003Dv00000000ZZIAA.');
  });

  it('leaves nothing half-written when the org refuses one of the writes (all or none)', async () => {
    const post = await postBy('@camilleroux_mtn');
    const leadsBefore = (await conn.query('SELECT Id FROM Lead')).totalSize;
    const postBefore = await postLinks(post.id);
    const personaBefore = await persona(post.personaId!);
    // A persona the org will not save: its required Network__c blank, as a record written before the
    // field was required is (written behind the API's back here, the way such data comes about).
    const network = await one(`SELECT Network__c FROM Social_Persona__c WHERE Id = '${post.personaId}'`);
    org.store.db
      .prepare('UPDATE "Social_Persona__c" SET "Network__c" = NULL WHERE "Id" = ?')
      .run(post.personaId!);
    try {
      const error = await rejection(links.create(post.id, 'Lead'));
      expect(error.code).to.equal('bad_request');
      expect(error.message).to.match(
        /^The org refused to create a Lead for @camilleroux_mtn: REQUIRED_FIELD_MISSING/,
      );
      expect(error.hint).to.contain('required fields');
    } finally {
      org.store.db
        .prepare('UPDATE "Social_Persona__c" SET "Network__c" = ? WHERE "Id" = ?')
        .run(String(network['Network__c']), post.personaId!);
    }
    expect((await conn.query('SELECT Id FROM Lead')).totalSize).to.equal(leadsBefore);
    expect(await conn.query("SELECT Id FROM Lead WHERE LastName = 'Roux'")).to.have.property('totalSize', 0);
    expect(await postLinks(post.id)).to.deep.equal(postBefore);
    expect(await persona(post.personaId!)).to.deep.equal(personaBefore);
  });
});
