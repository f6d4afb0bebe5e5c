/**
 * The dev org through jsforce over HTTP, as the sync server and the plugin will use it: describe, DML,
 * collections, composite, SOQL, paging, limits, auth and the errors Salesforce sends.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevOrg, type DevOrg } from '../src/index.ts';

interface SfError {
  errorCode?: string;
  name?: string;
  message: string;
}

async function failure(promise: PromiseLike<unknown>): Promise<SfError> {
  try {
    await promise;
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected the call to fail');
}

function connect(org: DevOrg, accessToken = org.accessToken): Connection {
  return new jsforce.Connection({ instanceUrl: org.url, accessToken, version: org.apiVersion });
}

async function raw(org: DevOrg, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${org.url}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${org.accessToken}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
}

function posts(n: number, prefix = 'p'): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    External_Id__c: `x:${prefix}${i}`,
    Network__c: 'x',
    Body__c: `post ${i}`,
    Author_Handle__c: `@author${i}`,
    Posted_At__c: '2026-11-20T10:00:00.000Z',
  }));
}

describe('dev org REST API (jsforce over HTTP)', function () {
  let org: DevOrg;
  let conn: Connection;

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = connect(org);
  });
  after(async () => {
    await org.close();
  });
  afterEach(() => {
    org.faults.clear();
  });

  it('serves an instance URL kept with a trailing slash (`//services/data/…`), as Salesforce does', async () => {
    const slashed = new jsforce.Connection({
      instanceUrl: `${org.url}/`,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    const result = await slashed.query('SELECT COUNT() FROM Contact');
    expect(result.totalSize).to.be.greaterThan(0);
    const response = await raw(
      org,
      `//services/data/v${org.apiVersion}/query?q=SELECT+Id+FROM+Contact+LIMIT+1`,
    );
    expect(response.status).to.equal(200);
  });

  describe('describe', () => {
    it('lists the package objects and standard objects in describeGlobal', async () => {
      const global = await conn.describeGlobal();
      const names = global.sobjects.map((s) => s.name);
      expect(names).to.include.members([
        'Social_Post__c',
        'Social_Persona__c',
        'Contact',
        'Lead',
        'Account',
        'Case',
      ]);
      expect(global.sobjects.find((s) => s.name === 'Contact')?.keyPrefix).to.equal('003');
    });

    it('describes fields from manifests with types, lengths, external ids and picklists', async () => {
      const describe = await conn.describe('Social_Post__c');
      const byName = new Map(describe.fields.map((f) => [f.name, f]));
      const ext = byName.get('External_Id__c');
      expect(ext?.externalId).to.equal(true);
      expect(ext?.unique).to.equal(true);
      expect(ext?.type).to.equal('string');
      expect(byName.get('Contact__c')?.referenceTo).to.deep.equal(['Contact']);
      expect(byName.get('Contact__c')?.relationshipName).to.equal('Contact__r');
      expect(byName.get('Needs_Reply__c')?.type).to.equal('boolean');
      expect(byName.get('Posted_At__c')?.type).to.equal('datetime');
      expect(byName.get('Network__c')?.picklistValues?.map((p) => p.value)).to.include.members([
        'x',
        'bluesky',
      ]);
      const contact = await conn.describe('Contact');
      expect(contact.fields.map((f) => f.name)).to.include.members([
        'Social_Handles__c',
        'Social_Influence__c',
      ]);
      expect(contact.childRelationships.some((c) => c.childSObject === 'Social_Post__c')).to.equal(true);
    });

    it('answers NOT_FOUND for an unknown object', async () => {
      const error = await failure(conn.describe('Nope__c'));
      expect(error.errorCode).to.equal('NOT_FOUND');
    });
  });

  describe('upsert by external ID', () => {
    it('upserts 200 records in one request, and re-upserting creates no duplicates', async () => {
      const before = org.usage.used;
      const first = await conn.sobject('Social_Post__c').upsert(posts(200, 'u'), 'External_Id__c');
      expect(org.usage.used - before).to.equal(1);
      expect(first).to.have.length(200);
      expect(first.every((r) => r.success && r.created === true)).to.equal(true);

      const again = posts(200, 'u').map((r) => ({ ...r, Body__c: `${String(r['Body__c'])} (edited)` }));
      const second = await conn.sobject('Social_Post__c').upsert(again, 'External_Id__c');
      expect(second.every((r) => r.success && r.created === false)).to.equal(true);
      expect(second.map((r) => r.id)).to.deep.equal(first.map((r) => r.id));

      const count = await conn.query("SELECT COUNT() FROM Social_Post__c WHERE External_Id__c LIKE 'x:u%'");
      expect(count.totalSize).to.equal(200);
      const one = await conn.query<{ Body__c: string }>(
        "SELECT Body__c FROM Social_Post__c WHERE External_Id__c = 'x:u7'",
      );
      expect(one.records[0]?.Body__c).to.equal('post 7 (edited)');
    });

    it('answers 201 on create and 200 on update for a single upsert', async () => {
      const create = await raw(org, '/services/data/v62.0/sobjects/Social_Post__c/External_Id__c/x:single1', {
        method: 'PATCH',
        body: JSON.stringify({ Network__c: 'x', Body__c: 'hello' }),
      });
      expect(create.status).to.equal(201);
      const created = (await create.json()) as { id: string; created: boolean };
      expect(created.created).to.equal(true);
      expect(created.id).to.match(/^a[0-9A-Za-z]{17}$/);
      const update = await raw(org, '/services/data/v62.0/sobjects/Social_Post__c/External_Id__c/x:single1', {
        method: 'PATCH',
        body: JSON.stringify({ Body__c: 'hello again' }),
      });
      expect(update.status).to.equal(200);
      expect(((await update.json()) as { id: string }).id).to.equal(created.id);
    });

    it('reports per-record failures without failing the batch, and rolls back all with allOrNone', async () => {
      const records = posts(3, 'mix');
      (records[1] as Record<string, unknown>)['Network__c'] = 'myspace';
      const results = await conn.sobject('Social_Post__c').upsert(records, 'External_Id__c');
      expect(results.map((r) => r.success)).to.deep.equal([true, false, true]);
      const failed = results[1] as unknown as { errors: { statusCode: string; fields: string[] }[] };
      expect(failed.errors[0]?.statusCode).to.equal('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

      const atomic = posts(3, 'atomic');
      (atomic[2] as Record<string, unknown>)['Author_Handle__c'] = 'x'.repeat(300);
      const rolled = await conn
        .sobject('Social_Post__c')
        .upsert(atomic, 'External_Id__c', { allOrNone: true });
      expect(rolled.every((r) => !r.success)).to.equal(true);
      const count = await conn.query(
        "SELECT COUNT() FROM Social_Post__c WHERE External_Id__c LIKE 'x:atomic%'",
      );
      expect(count.totalSize).to.equal(0);
    });
  });

  describe('CRUD and errors', () => {
    it('creates, reads, updates and deletes a record', async () => {
      const created = await conn
        .sobject('Lead')
        .create({ LastName: 'Okafor', FirstName: 'Chidi', Company: 'Brightline' });
      expect(created.success).to.equal(true);
      const lead = await conn.sobject('Lead').retrieve(created.id!);
      expect(lead['Name']).to.equal('Chidi Okafor');
      expect(lead['Status']).to.equal('Open - Not Contacted');
      await conn.sobject('Lead').update({ Id: created.id!, Title: 'CTO' });
      const updated = await conn.sobject('Lead').retrieve(created.id!);
      expect(updated['Title']).to.equal('CTO');
      await conn.sobject('Lead').destroy(created.id!);
      const gone = await failure(conn.sobject('Lead').retrieve(created.id!));
      expect(gone.errorCode).to.equal('NOT_FOUND');
    });

    it('answers REQUIRED_FIELD_MISSING, STRING_TOO_LONG, INVALID_FIELD and DUPLICATE_VALUE as Salesforce does', async () => {
      const missing = await failure(conn.sobject('Lead').create({ FirstName: 'No', Company: 'Last' }));
      expect(missing.errorCode).to.equal('REQUIRED_FIELD_MISSING');
      const tooLong = await failure(
        conn
          .sobject('Social_Post__c')
          .create({ External_Id__c: 'x:long', Author_Handle__c: 'a'.repeat(300) }),
      );
      expect(tooLong.errorCode).to.equal('STRING_TOO_LONG');
      const badField = await failure(conn.sobject('Contact').create({ LastName: 'X', Nope__c: 1 }));
      expect(badField.errorCode).to.equal('INVALID_FIELD');
      await conn.sobject('Social_Post__c').create({ External_Id__c: 'x:dup', Network__c: 'x' });
      const dup = await failure(
        conn.sobject('Social_Post__c').create({ External_Id__c: 'x:dup', Network__c: 'x' }),
      );
      expect(dup.errorCode).to.equal('DUPLICATE_VALUE');
    });

    it('answers JSON_PARSER_ERROR for a malformed body, never a 500 or a stack trace', async () => {
      const res = await raw(org, '/services/data/v62.0/sobjects/Contact', {
        method: 'POST',
        body: '{"LastName": ',
      });
      expect(res.status).to.equal(400);
      const body = (await res.json()) as { errorCode: string; message: string }[];
      expect(body[0]?.errorCode).to.equal('JSON_PARSER_ERROR');
      expect(body[0]?.message).not.to.match(/\bat .+\.ts:\d+/);
    });

    it('answers 404 NOT_FOUND for unknown resources and 405 for wrong methods', async () => {
      const unknown = await raw(org, '/services/data/v62.0/nothing/here');
      expect(unknown.status).to.equal(404);
      expect(((await unknown.json()) as { errorCode: string }[])[0]?.errorCode).to.equal('NOT_FOUND');
      const wrong = await raw(org, '/services/data/v62.0/sobjects/Contact', { method: 'DELETE' });
      expect(wrong.status).to.equal(405);
    });
  });

  describe('SOQL', () => {
    it('queries seeded records with parent relationship fields', async () => {
      const result = await conn.query<{
        Name: string;
        Account: { Name: string } | null;
        Social_Handles__c: string | null;
      }>(
        'SELECT Name, Account.Name, Social_Handles__c FROM Contact WHERE AccountId != null ORDER BY Name LIMIT 5',
      );
      expect(result.records.length).to.be.greaterThan(0);
      expect(result.records.every((r) => typeof r.Account?.Name === 'string')).to.equal(true);
      expect(result.records.some((r) => r.Social_Handles__c?.includes(':'))).to.equal(true);
      const names = result.records.map((r) => r.Name);
      expect(names).to.deep.equal([...names].sort((a, b) => a.localeCompare(b)));
    });

    it('queries upserted posts with lookup relationship fields', async () => {
      const contact = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Contact LIMIT 1');
      const target = contact.records[0]!;
      await conn
        .sobject('Social_Post__c')
        .upsert(
          [{ External_Id__c: 'bluesky:rel1', Network__c: 'bluesky', Contact__c: target.Id }],
          'External_Id__c',
        );
      const result = await conn.query<{ Contact__r: { Name: string } }>(
        "SELECT Id, Contact__r.Name FROM Social_Post__c WHERE External_Id__c = 'bluesky:rel1'",
      );
      expect(result.records[0]?.Contact__r.Name).to.equal(target.Name);
    });

    it('pages large results with nextRecordsUrl and query locators', async () => {
      for (let i = 0; i < 3000; i += 200) {
        await conn.sobject('Social_Post__c').upsert(posts(200, `page${i}-`), 'External_Id__c');
      }
      const first = await conn.request<{
        totalSize: number;
        done: boolean;
        nextRecordsUrl?: string;
        records: unknown[];
      }>(
        `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM Social_Post__c WHERE External_Id__c LIKE 'x:page%'")}`,
      );
      expect(first.totalSize).to.equal(3000);
      expect(first.done).to.equal(false);
      expect(first.records).to.have.length(2000);
      expect(first.nextRecordsUrl).to.match(/^\/services\/data\/v62\.0\/query\/01g\w+-2000$/);
      const all = await conn.query("SELECT Id FROM Social_Post__c WHERE External_Id__c LIKE 'x:page%'", {
        autoFetch: true,
        maxFetch: 10000,
      });
      expect(all.records).to.have.length(3000);
    });

    it('answers MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE', async () => {
      expect((await failure(conn.query('SELECT Id FORM Contact'))).errorCode).to.equal('MALFORMED_QUERY');
      expect((await failure(conn.query('SELECT Nope FROM Contact'))).errorCode).to.equal('INVALID_FIELD');
      expect((await failure(conn.query('SELECT Id FROM Nope__c'))).errorCode).to.equal('INVALID_TYPE');
    });
  });

  describe('composite', () => {
    it('runs dependent subrequests with @{ref} references in one API call', async () => {
      const before = org.usage.used;
      const response = await conn.request<{
        compositeResponse: { httpStatusCode: number; body: { id?: string } }[];
      }>({
        method: 'POST',
        url: '/services/data/v62.0/composite',
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: [
            {
              method: 'PATCH',
              url: '/services/data/v62.0/sobjects/Social_Persona__c/External_Id__c/x:composite-user',
              referenceId: 'persona',
              body: { Name: 'Composite User', Network__c: 'x', Handle__c: '@composite' },
            },
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/Social_Post__c',
              referenceId: 'post',
              body: { External_Id__c: 'x:composite-post', Network__c: 'x', Persona__c: '@{persona.id}' },
            },
          ],
        }),
        headers: { 'content-type': 'application/json' },
      });
      expect(org.usage.used - before).to.equal(1);
      expect(response.compositeResponse.map((r) => r.httpStatusCode)).to.deep.equal([201, 201]);
      const post = await conn.query<{ Persona__r: { Handle__c: string } }>(
        "SELECT Persona__r.Handle__c FROM Social_Post__c WHERE External_Id__c = 'x:composite-post'",
      );
      expect(post.records[0]?.Persona__r.Handle__c).to.equal('@composite');
    });
  });

  describe('writes that reference parents by external id', () => {
    it('sets a lookup from `Persona__r: { External_Id__c }` and reports a missing parent per record', async () => {
      await conn
        .sobject('Social_Persona__c')
        .upsert({ External_Id__c: 'x:fk-parent', Name: 'FK Parent', Network__c: 'x' }, 'External_Id__c');
      const results = await conn.sobject('Social_Post__c').upsert(
        [
          { External_Id__c: 'x:fk-1', Network__c: 'x', Persona__r: { External_Id__c: 'x:fk-parent' } },
          { External_Id__c: 'x:fk-2', Network__c: 'x', Persona__r: { External_Id__c: 'x:nobody' } },
        ],
        'External_Id__c',
      );
      expect(results.map((r) => r.success)).to.deep.equal([true, false]);
      const failed = results[1] as unknown as { errors: { statusCode: string; message: string }[] };
      expect(failed.errors[0]?.statusCode).to.equal('INVALID_FIELD');
      expect(failed.errors[0]?.message).to.include('x:nobody');
      const linked = await conn.query<{ Persona__r: { Name: string } }>(
        "SELECT Persona__r.Name FROM Social_Post__c WHERE External_Id__c = 'x:fk-1'",
      );
      expect(linked.records[0]?.Persona__r.Name).to.equal('FK Parent');
    });

    it('runs sObject Collections inside /composite with indexed references, at most 5 of them', async () => {
      const response = await conn.request<{ compositeResponse: { httpStatusCode: number; body: unknown }[] }>(
        {
          method: 'POST',
          url: '/services/data/v62.0/composite',
          body: JSON.stringify({
            compositeRequest: [
              {
                method: 'POST',
                url: '/services/data/v62.0/composite/sobjects',
                referenceId: 'newCases',
                body: {
                  records: [
                    { attributes: { type: 'Case' }, Subject: 'First' },
                    { attributes: { type: 'Case' }, Subject: 'Second' },
                  ],
                },
              },
              {
                method: 'PATCH',
                url: '/services/data/v62.0/composite/sobjects/Social_Post__c/External_Id__c',
                referenceId: 'posts',
                body: {
                  records: [
                    {
                      attributes: { type: 'Social_Post__c' },
                      External_Id__c: 'x:case-2',
                      Network__c: 'x',
                      Case__c: '@{newCases[1].id}',
                    },
                  ],
                },
              },
            ],
          }),
          headers: { 'content-type': 'application/json' },
        },
      );
      expect(response.compositeResponse.map((r) => r.httpStatusCode)).to.deep.equal([200, 200]);
      const post = await conn.query<{ Case__r: { Subject: string } }>(
        "SELECT Case__r.Subject FROM Social_Post__c WHERE External_Id__c = 'x:case-2'",
      );
      expect(post.records[0]?.Case__r.Subject).to.equal('Second');

      const tooMany = await raw(org, '/services/data/v62.0/composite', {
        method: 'POST',
        body: JSON.stringify({
          compositeRequest: Array.from({ length: 6 }, (_, i) => ({
            method: 'GET',
            url: '/services/data/v62.0/query?q=SELECT+Id+FROM+Contact+LIMIT+1',
            referenceId: `q${i}`,
          })),
        }),
      });
      expect(tooMany.status).to.equal(400);
      expect(((await tooMany.json()) as { errorCode: string }[])[0]?.errorCode).to.equal('LIMIT_EXCEEDED');
    });
  });

  describe('limits, auth and faults', () => {
    it('sends Sforce-Limit-Info on every response and reports DailyApiRequests in /limits', async () => {
      const res = await raw(org, '/services/data/v62.0/limits');
      expect(res.headers.get('sforce-limit-info')).to.match(/^api-usage=\d+\/100000$/);
      const limits = (await res.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
      expect(limits.DailyApiRequests.Max).to.equal(100000);
      expect(limits.DailyApiRequests.Remaining).to.be.lessThan(100000);
    });

    it('answers 401 INVALID_SESSION_ID for a bad token', async () => {
      const error = await failure(connect(org, 'not-a-token').query('SELECT Id FROM Contact'));
      expect(error.errorCode ?? error.name).to.equal('INVALID_SESSION_ID');
    });

    it('expires sessions until the client authenticates again', async () => {
      const token = (await (
        await fetch(`${org.url}/services/oauth2/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: org.client.clientId,
            client_secret: org.client.clientSecret,
          }),
        })
      ).json()) as { access_token: string; instance_url: string };
      expect(token.instance_url).to.equal(org.url);
      const session = connect(org, token.access_token);
      await session.query('SELECT Id FROM Contact LIMIT 1');
      org.faults.set({ expireSessions: true });
      const expired = await failure(session.query('SELECT Id FROM Contact LIMIT 1'));
      expect(expired.errorCode ?? expired.name).to.equal('INVALID_SESSION_ID');
      const grant = await fetch(`${org.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: org.client.clientId,
          client_secret: org.client.clientSecret,
          username: org.adminUsername,
          password: org.password,
        }),
      });
      const renewed = (await grant.json()) as { access_token: string; refresh_token: string };
      const result = await connect(org, renewed.access_token).query('SELECT Id FROM Contact LIMIT 1');
      expect(result.totalSize).to.equal(1);
      const badGrant = await fetch(`${org.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: org.client.clientId,
          client_secret: org.client.clientSecret,
          username: org.adminUsername,
          password: 'wrong',
        }),
      });
      expect(badGrant.status).to.equal(400);
      expect(((await badGrant.json()) as { error: string }).error).to.equal('invalid_grant');
    });

    it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allowance is spent', async () => {
      org.faults.set({ exhaustApiLimit: true });
      const res = await raw(org, '/services/data/v62.0/limits');
      expect(res.status).to.equal(403);
      expect(((await res.json()) as { errorCode: string }[])[0]?.errorCode).to.equal(
        'REQUEST_LIMIT_EXCEEDED',
      );
      org.faults.clear();
      expect((await raw(org, '/services/data/v62.0/limits')).status).to.equal(200);
    });

    it('injects 503 bursts, dropped connections and latency through the admin endpoint', async () => {
      const set = await fetch(`${org.url}/__dev/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ unavailable: 2, drop: 1 }),
      });
      expect(set.status).to.equal(200);
      const dropped = await raw(org, '/services/data/v62.0/limits').then(
        () => 'answered',
        () => 'dropped',
      );
      expect(dropped).to.equal('dropped');
      expect((await raw(org, '/services/data/v62.0/limits')).status).to.equal(503);
      expect((await raw(org, '/services/data/v62.0/limits')).status).to.equal(503);
      expect((await raw(org, '/services/data/v62.0/limits')).status).to.equal(200);

      org.faults.set({ latencyMs: 150 });
      const start = performance.now();
      await raw(org, '/services/data/v62.0/limits');
      expect(performance.now() - start).to.be.greaterThanOrEqual(140);

      const bad = await fetch(`${org.url}/__dev/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: 'slow' }),
      });
      expect(bad.status).to.equal(400);
    });
  });
});

describe('dev org persistence', () => {
  it('keeps records in DATA_DIR across restarts and seeds only once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-org-'));
    try {
      let org = await startDevOrg({ dataDir });
      const seeded = org.store.count('Contact');
      expect(seeded).to.be.greaterThan(10);
      await connect(org)
        .sobject('Social_Post__c')
        .create({ External_Id__c: 'mastodon:persist1', Network__c: 'mastodon' });
      await org.close();
      org = await startDevOrg({ dataDir });
      expect(org.store.count('Contact')).to.equal(seeded);
      const found = await connect(org).query(
        "SELECT Id FROM Social_Post__c WHERE External_Id__c = 'mastodon:persist1'",
      );
      expect(found.totalSize).to.equal(1);
      await org.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
