/**
 * The record page's reads and routes against the seeded dev org over HTTP: the list of records with
 * social activity, details, posts paging, personas, the live feed, 404s, escaping, headers and access.
 */
import { expect } from 'chai';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { createApp } from '../../src/http/app.ts';
import { createRecordPageRouter, CONTENT_SECURITY_POLICY } from '../../src/http/routes/record-page.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { RecordFeed } from '../../src/record-page/live-feed.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';
import { SalesforceRecordReader } from '../../src/salesforce/record-reader.ts';
import { listen } from '../helpers/listen.ts';

const XSS = `<img src=x onerror="alert('x')"><script>alert(1)</script>`;

async function crmCalls(metrics: Metrics): Promise<number> {
  const metric = await metrics.crmApiCalls.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

describe('record page (against the dev org)', function () {
  this.timeout(30_000);
  let org: DevOrg;
  let conn: jsforce.Connection;
  let metrics: Metrics;
  let reader: SalesforceRecordReader;
  let feed: RecordFeed;
  let server: RunningServer;
  let url: string;
  let annId: string;
  let caseId: string;
  let xssContactId: string;

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    metrics = createMetrics();
    const gateway = new SalesforceGateway({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      metrics,
      logger: silentLogger(),
    });
    reader = new SalesforceRecordReader(gateway);
    feed = new RecordFeed(reader, silentLogger());
    const app = createApp({
      logger: silentLogger(),
      metrics,
      routers: [createRecordPageRouter({ reader, feed, access: { host: '127.0.0.1' } })],
    });
    server = await listen(app);
    url = server.url;
    const ann = await conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE Name = 'Ann Lee'");
    annId = ann.records[0]!.Id;
    const kase = await conn.query<{ Id: string }>("SELECT Id FROM Case WHERE CaseNumber = '00000001'");
    caseId = kase.records[0]!.Id;
    const created = await conn.sobject('Contact').create({ FirstName: 'Mallory', LastName: XSS, Title: XSS });
    xssContactId = (created as { id: string }).id;
    await conn.sobject('Social_Post__c').create({
      External_Id__c: 'x:xss-1',
      Network__c: 'x',
      Body__c: XSS,
      Posted_At__c: new Date().toISOString(),
      Author_Handle__c: '@mallory',
      Contact__c: xssContactId,
    });
  });

  after(async () => {
    feed.close();
    await server.close();
    await org.close();
  });

  describe('SalesforceRecordReader', () => {
    it('lists the records with posts, most recently active first, in one API call', async () => {
      const before = await crmCalls(metrics);
      const list = await reader.listActive();
      expect(await crmCalls(metrics)).to.equal(before + 1);
      const ann = list.find((r) => r.id === annId);
      expect(ann).to.deep.include({ type: 'Contact', name: 'Ann Lee', postCount: 3 });
      expect(ann!.lastActivity).to.match(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(new Set(list.map((r) => r.type))).to.deep.equal(new Set(['Contact', 'Lead', 'Account', 'Case']));
      const kase = list.find((r) => r.id === caseId);
      expect(kase).to.deep.include({ name: '00000001', subtitle: 'Order #48213 arrived damaged' });
      const times = list.map((r) => r.lastActivity ?? '');
      expect(times).to.deep.equal([...times].sort().reverse());
    });

    it("maps a contact's details, with its account linked and the respond box's context", async () => {
      const details = await reader.details(annId);
      expect(details).to.deep.include({
        id: annId,
        type: 'Contact',
        name: 'Ann Lee',
        context: { firstName: 'Ann' },
      });
      const account = details.fields.find((f) => f.label === 'Account name');
      expect(account).to.deep.include({ value: 'Northwind Outfitters' });
      expect(account!.recordId).to.match(/^001/);
      expect(details.fields.find((f) => f.label === 'Email')).to.deep.include({ kind: 'email' });
      expect(details.influence).to.be.a('number');
    });

    it("reads the customer value of a contact, its account and a case's contact, in the org currency", async () => {
      const before = await reader.details(annId);
      const accountId = before.fields.find((f) => f.label === 'Account name')!.recordId!;
      await conn.sobject('Contact').update({
        Id: annId,
        Social_Customer_Value__c: 12_345.67,
        Social_Lifetime_Value__c: 12_000,
        Social_Referral_Value__c: 345.67,
      });
      await conn.sobject('Account').update({
        Id: accountId,
        Social_Customer_Value__c: 50_000,
        Social_Lifetime_Value__c: 40_000,
        Social_Referral_Value__c: 10_000,
      });
      try {
        const expected = { total: 12_345.67, lifetime: 12_000, referral: 345.67, currency: 'USD' };
        expect((await reader.details(annId)).customerValue).to.deep.equal(expected);
        expect((await reader.details(caseId)).customerValue).to.deep.equal(expected);
        expect((await reader.details(accountId)).customerValue).to.deep.equal({
          total: 50_000,
          lifetime: 40_000,
          referral: 10_000,
          currency: 'USD',
        });
        const lead = await conn.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 1');
        if (lead.records[0]) expect((await reader.details(lead.records[0].Id)).customerValue).to.equal(null);
      } finally {
        const cleared = {
          Social_Customer_Value__c: null,
          Social_Lifetime_Value__c: null,
          Social_Referral_Value__c: null,
        };
        await conn.sobject('Contact').update({ Id: annId, ...cleared });
        await conn.sobject('Account').update({ Id: accountId, ...cleared });
      }
      // Not written yet by the customer value job: nothing to show.
      expect((await reader.details(annId)).customerValue).to.equal(null);
    });

    it('maps a case: number and subject as its name, its contact linked, the case number as context', async () => {
      const details = await reader.details(caseId);
      expect(details.type).to.equal('Case');
      expect(details.name).to.equal('00000001 · Order #48213 arrived damaged');
      expect(details.context).to.deep.equal({ firstName: 'Ann', caseNumber: '00000001' });
      expect(details.fields.find((f) => f.label === 'Contact name')).to.deep.include({
        value: 'Ann Lee',
        recordId: annId,
      });
    });

    it("pages a record's posts newest first, mapped to the components' SocialPost", async () => {
      const first = await reader.posts(annId, { limit: 2 });
      expect(first.posts).to.have.length(2);
      expect(first.hasMore).to.equal(true);
      const post = first.posts[0]!;
      expect(post).to.include({
        network: 'x',
        authorHandle: '@ann_lee',
        authorName: 'Ann Lee',
        isOutbound: false,
      });
      expect(post.postedAt >= first.posts[1]!.postedAt).to.equal(true);
      expect(post.sentiment).to.be.oneOf(['positive', 'neutral', 'negative']);
      const older = await reader.posts(annId, { limit: 2, before: new Date(first.posts[1]!.postedAt) });
      expect(older.posts).to.have.length(1);
      expect(older.hasMore).to.equal(false);
      expect(older.posts[0]!.postedAt < first.posts[1]!.postedAt).to.equal(true);
    });

    it('reads personas and suggestions of a contact, and the contact personas of a case', async () => {
      const mine = await reader.personas(annId);
      expect(mine.personas.map((p) => p.handle)).to.include('@ann_lee');
      expect(mine.personas[0]).to.include({ network: 'x', profileUrl: 'https://x.com/ann_lee' });
      const viaCase = await reader.personas(caseId);
      expect(viaCase.personas.map((p) => p.id)).to.deep.equal(mine.personas.map((p) => p.id));
      const suggested = await conn.query<{ Suggested_Contact__c: string }>(
        'SELECT Suggested_Contact__c FROM Social_Persona__c WHERE Suggested_Contact__c != null LIMIT 1',
      );
      const target = suggested.records[0]!.Suggested_Contact__c;
      const withSuggestion = await reader.personas(target);
      expect(withSuggestion.suggestions).to.have.length.greaterThan(0);
      expect(withSuggestion.suggestions[0]!.matchConfidence).to.be.a('number');
    });

    it('answers not_found for ids of other objects and for ill-formed ids, without asking the org', async () => {
      const before = await crmCalls(metrics);
      for (const id of ['005000000000001AAA', "003' OR Name != '", '']) {
        await reader.details(id).then(
          () => expect.fail(`expected not_found for ${id}`),
          (error: { code?: string }) => expect(error.code).to.equal('not_found'),
        );
      }
      expect(await crmCalls(metrics)).to.equal(before);
    });
  });

  describe('routes', () => {
    it('GET / lists the seeded contact with posts, linked to its record page, under a strict CSP', async () => {
      const res = await fetch(`${url}/`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.headers.get('content-security-policy')).to.equal(CONTENT_SECURITY_POLICY);
      expect(CONTENT_SECURITY_POLICY).to.contain("script-src 'self'");
      const page = await res.text();
      expect(page).to.contain(`href="/records/${annId}">Ann Lee</a>`);
      expect(page).to.contain('Records with social activity');
      expect(page).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
    });

    it('GET /records/:id renders the header, details and the three components', async () => {
      const res = await fetch(`${url}/records/${annId}`);
      expect(res.status).to.equal(200);
      const page = await res.text();
      expect(page).to.contain('<h1 id="record-title" class="page-header__title">Ann Lee</h1>');
      for (const tag of ['social-timeline', 'social-respond-box', 'social-persona-card'])
        expect(page).to.contain(`<${tag}`);
      expect(page).to.contain(`data-record-id="${annId}"`);
      expect(page).to.contain('<script type="module" src="/app/components/social-components.js"></script>');
    });

    it('escapes record data in the page (names, titles) and in the list', async () => {
      const page = await (await fetch(`${url}/records/${xssContactId}`)).text();
      expect(page).not.to.contain('<img src=x');
      expect(page).not.to.contain('<script>alert(1)');
      expect(page).to.contain('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;');
      const list = await (await fetch(`${url}/`)).text();
      expect(list).not.to.contain('<img src=x');
    });

    it('GET /api/records/:id/posts returns the posts and pages with before', async () => {
      const res = await fetch(`${url}/api/records/${annId}/posts?limit=50`);
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { posts: { id: string; postedAt: string }[]; hasMore: boolean };
      expect(body.posts).to.have.length(3);
      expect(body.hasMore).to.equal(false);
      const oldest = body.posts.at(-1)!;
      const older = (await (
        await fetch(`${url}/api/records/${annId}/posts?before=${encodeURIComponent(oldest.postedAt)}`)
      ).json()) as { posts: unknown[] };
      expect(older.posts).to.deep.equal([]);
      const bad = await fetch(`${url}/api/records/${annId}/posts?before=yesterday`);
      expect(bad.status).to.equal(400);
    });

    it('GET /api/records/:id and /personas answer JSON', async () => {
      const details = (await (await fetch(`${url}/api/records/${annId}`)).json()) as { name: string };
      expect(details.name).to.equal('Ann Lee');
      const personas = (await (await fetch(`${url}/api/records/${annId}/personas`)).json()) as {
        personas: unknown[];
      };
      expect(personas.personas).to.have.length.greaterThan(0);
      const replies = (await (await fetch(`${url}/api/saved-replies`)).json()) as {
        savedReplies: { body: string }[];
      };
      expect(replies.savedReplies.some((r) => r.body.includes('{first_name}'))).to.equal(true);
    });

    it('answers 404 JSON for unknown and ill-formed ids (an unknown record has no personas), and an HTML 404 page for the record page', async () => {
      for (const path of [
        '/api/records/003000000000000AAA',
        '/api/records/nope/posts',
        '/api/records/005000000000001AAA',
      ]) {
        const res = await fetch(`${url}${path}`);
        expect(res.status, path).to.equal(404);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).to.equal('not_found');
      }
      // Lists of a well-formed Id the org does not know are empty (no extra call to prove it exists).
      const empty = await fetch(`${url}/api/records/003000000000000AAA/personas`);
      expect(await empty.json()).to.deep.equal({ personas: [], suggestions: [] });
      const page = await fetch(`${url}/records/003000000000000AAA`);
      expect(page.status).to.equal(404);
      expect(await page.text()).to.contain('Record not found');
    });

    it('serves the host script and stylesheet, and the components bundle when it is built', async () => {
      const script = await fetch(`${url}/app/record-page.js`);
      expect(script.status).to.equal(200);
      expect(script.headers.get('content-type')).to.match(/javascript/);
      expect(await script.text()).not.to.contain('innerHTML');
      expect((await fetch(`${url}/app/record-page.css`)).status).to.equal(200);
      const missing = await fetch(`${url}/app/components/nothing-here.js`);
      expect(missing.status).to.equal(404);
    });

    it('refuses requests whose Host is not a loopback name (DNS rebinding)', async () => {
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${url}/api/records/${annId}`,
          { headers: { host: 'attacker.example' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).to.equal(403);
    });

    it('streams a post synced for the record as a server-sent event, and only to its pages', async () => {
      const controller = new AbortController();
      const res = await fetch(`${url}/api/records/${annId}/events`, { signal: controller.signal });
      expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
      const other = await fetch(`${url}/api/records/${xssContactId}/events`, { signal: controller.signal });
      const body = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (needle: string): Promise<void> => {
        while (!text.includes(needle)) {
          const { value, done } = await body.read();
          if (done) throw new Error(`stream ended before ${needle}`);
          text += decoder.decode(value);
        }
      };
      await until('retry:');
      expect(feed.watchers(annId)).to.equal(1);
      const post = (await reader.posts(annId, { limit: 1 })).posts[0]!;
      await feed.publish([post.id]);
      await until('event: post');
      const data = /event: post\ndata: (.*)\n\n/.exec(text)![1]!;
      expect(JSON.parse(data)).to.deep.include({ id: post.id, authorHandle: '@ann_lee' });
      const otherReader = other.body!.getReader();
      const first = decoder.decode((await otherReader.read()).value);
      expect(first).not.to.contain('event: post');
      controller.abort();
    });
  });

  describe('off the loopback binding without sign-in', () => {
    it('refuses the pages (HTML) and APIs (JSON) with 403 and names the sign-in settings', async () => {
      const app = createApp({
        logger: silentLogger(),
        metrics: createMetrics(),
        routers: [createRecordPageRouter({ reader, feed, access: { host: '0.0.0.0' } })],
      });
      const open = await listen(app);
      try {
        const api = await fetch(`${open.url}/api/records/${annId}/posts`);
        expect(api.status).to.equal(403);
        const body = (await api.json()) as { error: { code: string; message: string; hint: string } };
        expect(body.error.code).to.equal('forbidden');
        expect(body.error.message).to.contain('HOST=0.0.0.0');
        expect(body.error.hint).to.contain('SF_CLIENT_ID, SF_CLIENT_SECRET').and.contain('RECORD_PAGE_URL');
        const page = await fetch(`${open.url}/records/${annId}`);
        expect(page.status).to.equal(403);
        const html = await page.text();
        expect(html).to.contain('RECORD_PAGE_URL');
        expect(html).not.to.contain('Ann Lee');
        expect((await fetch(`${open.url}/`)).status).to.equal(403);
        expect((await fetch(`${open.url}/api/records/${annId}/events`)).status).to.equal(403);
      } finally {
        await open.close();
      }
    });

    it('uses a configured authenticate middleware instead of refusing', async () => {
      const app = createApp({
        logger: silentLogger(),
        metrics: createMetrics(),
        routers: [
          createRecordPageRouter({
            reader,
            feed,
            access: {
              host: '0.0.0.0',
              authenticate: (req, res, next) => {
                if (req.headers.authorization === 'Bearer ok') next();
                else res.status(401).json({ error: { code: 'unauthorized', message: 'sign in' } });
              },
            },
          }),
        ],
      });
      const open = await listen(app);
      try {
        expect((await fetch(`${open.url}/api/records/${annId}`)).status).to.equal(401);
        const ok = await fetch(`${open.url}/api/records/${annId}`, {
          headers: { authorization: 'Bearer ok' },
        });
        expect(ok.status).to.equal(200);
      } finally {
        await open.close();
      }
    });
  });
});
