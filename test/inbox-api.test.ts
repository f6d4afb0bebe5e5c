/**
 * The social inbox's JSON API where test/inbox.test.ts does not go: putting a name to an author (link,
 * create-record), a conversation with our replies, reading posts by Id, paging with the keyset cursor, and
 * who the caller is ("me" without a user; a header naming an unknown or inactive user). The embedded
 * default in-process: seeded dev org, X stand-in, sync server.
 */
import { expect } from 'chai';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface Item {
  postId: string;
  externalId: string;
  ownerId: string;
  status: string;
  dueAt: string | null;
  threadId: string;
  recordId: string | null;
  recordType: string | null;
  recordName: string | null;
  author: { handle: string; personaId: string | null };
}

interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('social inbox API: links, threads, ids, paging and the actor', function () {
  this.timeout(120_000);
  let e: Embedded;
  let users: { id: string; name: string }[];
  let supportQueue: string;
  const userId = (name: string): string => users.find((u) => u.name === name)!.id;

  async function api<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${e.server.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const soql = async <T extends Record<string, unknown>>(query: string): Promise<T[]> =>
    (await e.conn.query<T>(query)).records;
  const postIdBy = async (handle: string): Promise<string> =>
    (
      await soql<{ Id: string }>(
        `SELECT Id FROM Social_Post__c WHERE Author_Handle__c = '${handle}' AND Is_Outbound__c = false LIMIT 1`,
      )
    )[0]!.Id;

  before(async () => {
    e = await startEmbedded({ inbox: { sweepIntervalMs: 3_600_000 } });
    // The sweep runs once at start (it escalates the seeded overdue posts): let it finish first.
    await eventually(
      async () => e.server.inbox.sweep.state,
      (state) => state.lastSweepAt !== null || state.lastError !== null,
      { what: 'the first breach sweep' },
    );
    const options = await api<{
      users: { id: string; name: string }[];
      queues: { id: string; name: string }[];
    }>('GET', '/api/inbox/options');
    users = options.body.users;
    supportQueue = options.body.queues.find((q) => q.name === 'Social Support')!.id;
  });

  after(async () => e?.close());

  describe('POST /api/inbox/link', () => {
    it("links the author to a Contact: 200 with the link, the post's record is the Contact", async () => {
      const postId = await postIdBy('@trailmix_dan');
      const contact = (await e.conn.sobject('Contact').create({ FirstName: 'Dan', LastName: 'Ortiz' })) as {
        id: string;
      };
      const res = await api<Record<string, unknown>>('POST', '/api/inbox/link', {
        postId,
        recordId: contact.id,
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ postId, recordId: contact.id, recordType: 'Contact', created: false });
      const [item] = (await api<Page>('GET', `/api/inbox?ids=${postId}`)).body.items;
      expect(item).to.deep.include({ recordId: contact.id, recordType: 'Contact', recordName: 'Dan Ortiz' });
      const [saved] = await soql<{ Social_Handles__c: string }>(
        `SELECT Social_Handles__c FROM Contact WHERE Id = '${contact.id}'`,
      );
      expect(saved!.Social_Handles__c).to.equal('x:@trailmix_dan');
    });

    it('answers 400 for bodies it cannot use, and changes nothing', async () => {
      const postId = await postIdBy('@marta.caminante');
      const account = (
        await soql<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Northwind Outfitters'")
      )[0]!.Id;
      const contact = (await soql<{ Id: string }>("SELECT Id FROM Contact WHERE Name = 'Ann Lee'"))[0]!.Id;
      const before = await soql(`SELECT Contact__c, Lead__c FROM Social_Post__c WHERE Id = '${postId}'`);
      const cases: [unknown, RegExp][] = [
        [{ postId }, /recordId/],
        [{ recordId: contact }, /postId/],
        [{ postId: 'not-an-id', recordId: contact }, /postId: must be a Salesforce record Id/],
        [{ postId, recordId: contact, force: true }, /force|unrecognized/i],
        [{ postId, recordId: account }, /Contact \(003…\) or a Lead \(00Q…\)/],
        [[postId, contact], /request body/],
      ];
      for (const [body, message] of cases) {
        const res = await api<ErrorBody>('POST', '/api/inbox/link', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.code).to.equal('validation_failed');
        expect(res.body.error.message, JSON.stringify(body)).to.match(message);
      }
      expect(
        await soql(`SELECT Contact__c, Lead__c FROM Social_Post__c WHERE Id = '${postId}'`),
      ).to.deep.equal(before);
    });

    it('answers 404 for an unknown post, an outbound post and an unknown Contact', async () => {
      const contact = (await soql<{ Id: string }>("SELECT Id FROM Contact WHERE Name = 'Ann Lee'"))[0]!.Id;
      const outbound = (
        await soql<{ Id: string }>('SELECT Id FROM Social_Post__c WHERE Is_Outbound__c = true LIMIT 1')
      )[0]!.Id;
      for (const postId of ['a01Dv00000000ZZIAA', outbound]) {
        const res = await api<ErrorBody>('POST', '/api/inbox/link', { postId, recordId: contact });
        expect(res.status).to.equal(404);
        expect(res.body.error).to.deep.include({
          code: 'not_found',
          message: `No inbound post has the Id ${postId}.`,
        });
      }
      const res = await api<ErrorBody>('POST', '/api/inbox/link', {
        postId: await postIdBy('@marta.caminante'),
        recordId: '003Dv00000000ZZIAA',
      });
      expect(res.status).to.equal(404);
      expect(res.body.error.message).to.equal('No Contact has the Id 003Dv00000000ZZIAA.');
    });
  });

  describe('POST /api/inbox/create-record', () => {
    it('creates a Lead for the author: 201 with the new record, linked to the post', async () => {
      const postId = await postIdBy('@jwhit_eng');
      const res = await api<{ postId: string; recordId: string; recordType: string; created: boolean }>(
        'POST',
        '/api/inbox/create-record',
        { postId, recordType: 'Lead' },
      );
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.include({ postId, recordType: 'Lead', created: true });
      expect(res.body.recordId).to.match(/^00Q/);
      const [lead] = await soql<Record<string, unknown>>(
        `SELECT FirstName, LastName, Company, LeadSource, Social_Handles__c FROM Lead WHERE Id = '${res.body.recordId}'`,
      );
      expect(lead).to.deep.include({
        FirstName: 'James',
        LastName: 'Whitfield',
        Company: '[not provided]',
        LeadSource: 'Social',
        Social_Handles__c: 'x:@jwhit_eng',
      });
      const [item] = (await api<Page>('GET', `/api/inbox?ids=${postId}`)).body.items;
      expect(item).to.deep.include({
        recordId: res.body.recordId,
        recordType: 'Lead',
        recordName: 'James Whitfield',
      });
    });

    it('creates a Contact for the author', async () => {
      const postId = await postIdBy('@gearnerd@fosstodon.org');
      const res = await api<{ recordId: string; recordType: string }>('POST', '/api/inbox/create-record', {
        postId,
        recordType: 'Contact',
      });
      expect(res.status).to.equal(201);
      expect(res.body.recordType).to.equal('Contact');
      expect(res.body.recordId).to.match(/^003/);
    });

    it('answers 400 for bodies it cannot use and 404 for an unknown post, creating nothing', async () => {
      const postId = await postIdBy('@marta.caminante');
      const leads = (await e.conn.query('SELECT Id FROM Lead')).totalSize;
      const contacts = (await e.conn.query('SELECT Id FROM Contact')).totalSize;
      for (const body of [
        { postId },
        { postId, recordType: 'Account' },
        { postId, recordType: 'lead' },
        { postId: 'a01', recordType: 'Lead' },
        { postId, recordType: 'Lead', extra: 1 },
      ]) {
        const res = await api<ErrorBody>('POST', '/api/inbox/create-record', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.code).to.equal('validation_failed');
      }
      const unknown = await api<ErrorBody>('POST', '/api/inbox/create-record', {
        postId: 'a01Dv00000000ZZIAA',
        recordType: 'Lead',
      });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('not_found');
      expect((await e.conn.query('SELECT Id FROM Lead')).totalSize).to.equal(leads);
      expect((await e.conn.query('SELECT Id FROM Contact')).totalSize).to.equal(contacts);
    });
  });

  describe('GET /api/inbox/thread', () => {
    it('returns the conversation of an item in order, our replies included', async () => {
      const done = (await api<Page>('GET', '/api/inbox?status=done&limit=500')).body.items;
      expect(done.length).to.be.greaterThan(0);
      const item = done.find((i) => i.author.handle === 'tomnguyen_hikes')!;
      const res = await api<{
        posts: {
          id: string;
          postedAt: string;
          isOutbound?: boolean;
          authorHandle: string;
          inReplyToId?: string;
        }[];
      }>('GET', `/api/inbox/thread?id=${encodeURIComponent(item.threadId)}`);
      expect(res.status).to.equal(200);
      const posts = res.body.posts;
      expect(posts.map((p) => p.id)).to.include(item.postId);
      const ours = posts.filter((p) => p.isOutbound === true);
      expect(ours).to.have.length.greaterThan(0);
      expect(ours[0]!.authorHandle).to.equal('@acmeoutdoor');
      expect(ours[0]!.inReplyToId).to.equal(item.postId);
      const times = posts.map((p) => Date.parse(p.postedAt));
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
      expect(posts[0]!.id).to.equal(item.postId);
    });

    it('reads a Bluesky thread by its at:// key, and an unknown thread as empty', async () => {
      const done = (await api<Page>('GET', '/api/inbox?status=done&network=bluesky&limit=500')).body.items;
      const item = done.find((i) => i.threadId.startsWith('bluesky:at://'))!;
      const res = await api<{ posts: { id: string; isOutbound?: boolean }[] }>(
        'GET',
        `/api/inbox/thread?id=${encodeURIComponent(item.threadId)}`,
      );
      expect(res.body.posts.map((p) => p.id)).to.include(item.postId);
      expect(res.body.posts.some((p) => p.isOutbound === true)).to.equal(true);
      const none = await api<{ posts: unknown[] }>(
        'GET',
        `/api/inbox/thread?id=${encodeURIComponent("x:0' OR Id != '")}`,
      );
      expect(none.status).to.equal(200);
      expect(none.body.posts).to.deep.equal([]);
    });

    it('answers 400 without an id or with another parameter', async () => {
      for (const query of ['', '?id=', '?id=x:1&limit=5']) {
        const res = await api<ErrorBody>('GET', `/api/inbox/thread${query}`);
        expect(res.status, query).to.equal(400);
        expect(res.body.error.code).to.equal('validation_failed');
      }
    });
  });

  describe('GET /api/inbox?ids=', () => {
    it('reads those posts whatever their status, and no outbound post', async () => {
      const open = (await api<Page>('GET', '/api/inbox?limit=1')).body.items[0]!;
      const done = (await api<Page>('GET', '/api/inbox?status=done&limit=1')).body.items[0]!;
      const outbound = (
        await soql<{ Id: string }>('SELECT Id FROM Social_Post__c WHERE Is_Outbound__c = true LIMIT 1')
      )[0]!.Id;
      const res = await api<Page>(
        'GET',
        `/api/inbox?ids=${open.postId},${done.postId},${outbound},${open.postId}`,
      );
      expect(res.status).to.equal(200);
      expect(res.body.nextCursor).to.equal(null);
      expect(res.body.items.map((i) => i.postId).sort()).to.deep.equal([open.postId, done.postId].sort());
      const byId = new Map(res.body.items.map((i) => [i.postId, i]));
      expect(byId.get(open.postId)!.status).to.equal(open.status);
      expect(byId.get(done.postId)!.status).to.equal('done');
      expect(byId.get(done.postId)).to.deep.equal(done);

      expect((await api<Page>('GET', '/api/inbox?ids=')).body).to.deep.equal({ items: [], nextCursor: null });
      const bad = await api<ErrorBody>('GET', `/api/inbox?ids=${open.postId},nope`);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal('validation_failed');
    });
  });

  describe('GET /api/inbox paging', () => {
    const dueOrder = (items: readonly Item[]): void => {
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1]!, items[i]!];
        const where = `${a.postId} (${a.dueAt}) before ${b.postId} (${b.dueAt})`;
        if (a.dueAt === null) {
          expect(b.dueAt, `nulls last: ${where}`).to.equal(null);
          expect(a.postId < b.postId, `Id breaks ties: ${where}`).to.equal(true);
        } else if (b.dueAt !== null) {
          const [ta, tb] = [Date.parse(a.dueAt), Date.parse(b.dueAt)];
          expect(ta <= tb, `soonest due first: ${where}`).to.equal(true);
          if (ta === tb) expect(a.postId < b.postId, `Id breaks ties: ${where}`).to.equal(true);
        }
      }
    };

    async function allPages(query: string, limit: number): Promise<Item[][]> {
      const pages: Item[][] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/api/inbox?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await api<Page>('GET', path);
        expect(res.status, path).to.equal(200);
        expect(res.body.items.length).to.be.at.most(limit);
        pages.push(res.body.items);
        cursor = res.body.nextCursor;
        expect(pages.length, 'pages end').to.be.below(200);
      } while (cursor);
      return pages;
    }

    before(async () => {
      // Posts the seed lacks: several due at the same instant, several with no due time (last).
      const same = new Date(Date.now() + 3 * 3_600_000).toISOString();
      const records = Array.from({ length: 7 }, (_, i) => ({
        External_Id__c: `x:paging-${i}`,
        Network__c: 'x',
        Network_Post_Id__c: `paging-${i}`,
        Body__c: `paging test post ${i}`,
        Posted_At__c: new Date(Date.now() - i * 60_000).toISOString(),
        Author_Handle__c: `@pager_${i}`,
        Is_Outbound__c: false,
        Needs_Reply__c: true,
        Inbox_Status__c: 'Open',
        Priority__c: 'Normal',
        OwnerId: supportQueue,
        Reply_Due__c: i < 3 ? same : null,
      }));
      // Done posts closed in Salesforce itself carry no Done_At__c: the done list shows them last.
      const closed = Array.from({ length: 3 }, (_, i) => ({
        External_Id__c: `x:paging-done-${i}`,
        Network__c: 'x',
        Network_Post_Id__c: `paging-done-${i}`,
        Body__c: `closed in Salesforce ${i}`,
        Posted_At__c: new Date(Date.now() - i * 60_000).toISOString(),
        Author_Handle__c: `@closer_${i}`,
        Is_Outbound__c: false,
        Inbox_Status__c: 'Done',
      }));
      const results = await e.conn.sobject('Social_Post__c').create([...records, ...closed]);
      for (const r of results) expect(r.success, JSON.stringify(r)).to.equal(true);
    });

    it('pages cover every post once, soonest due first, posts without a due time last', async () => {
      const everything = (await api<Page>('GET', '/api/inbox?limit=500')).body;
      expect(everything.nextCursor).to.equal(null);
      const all = everything.items;
      expect(all.filter((i) => i.dueAt === null).length).to.be.at.least(4);
      dueOrder(all);

      for (const limit of [1, 2, 3, 5]) {
        const pages = await allPages('status=needs_reply', limit);
        const flat = pages.flat().map((i) => i.postId);
        expect(new Set(flat).size, `no post on two pages (limit ${limit})`).to.equal(flat.length);
        expect(flat, `limit ${limit}`).to.deep.equal(all.map((i) => i.postId));
        for (const page of pages.slice(0, -1)) expect(page).to.have.length(limit);
      }
    });

    it('pages a filtered list the same way (one queue)', async () => {
      const all = (await api<Page>('GET', `/api/inbox?queue=${supportQueue}&limit=500`)).body.items;
      expect(all.length).to.be.greaterThan(3);
      for (const item of all) expect(item.ownerId).to.equal(supportQueue);
      const pages = await allPages(`queue=${supportQueue}`, 2);
      expect(pages.flat().map((i) => i.postId)).to.deep.equal(all.map((i) => i.postId));
      dueOrder(pages.flat());
    });

    it('pages the done list too: every post once, those never marked done by us last', async () => {
      const all = (await api<Page>('GET', '/api/inbox?status=done&limit=500')).body.items;
      expect(all.filter((i) => i.author.handle.startsWith('closer_'))).to.have.length(3);
      expect(
        all
          .slice(-3)
          .map((i) => i.author.handle)
          .sort(),
      ).to.deep.equal(['closer_0', 'closer_1', 'closer_2']);
      const flat = (await allPages('status=done', 2)).flat().map((i) => i.postId);
      expect(new Set(flat).size).to.equal(flat.length);
      expect(flat).to.deep.equal(all.map((i) => i.postId));
    });

    it('refuses a cursor it did not give out', async () => {
      for (const cursor of ['garbage', Buffer.from('{"v":"yesterday","id":"a01"}').toString('base64url')]) {
        const res = await api<ErrorBody>('GET', `/api/inbox?cursor=${cursor}`);
        expect(res.status).to.equal(400);
        expect(res.body.error.message).to.equal('cursor is not one this server gave out');
        expect(res.body.error.hint).to.contain('without a cursor');
      }
    });
  });

  describe('who the caller is', () => {
    it('answers owner=me without a user with 400 and a hint naming the header', async () => {
      const res = await api<ErrorBody>('GET', '/api/inbox?owner=me');
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
      expect(res.body.error.message).to.contain('"me"');
      expect(res.body.error.hint).to.contain('x-socialcrm-user header');
    });

    it("answers owner=me with the header with that user's posts", async () => {
      const priya = userId('Priya Raman');
      const as = { 'x-socialcrm-user': priya };
      const open = (await api<Page>('GET', `/api/inbox?queue=${supportQueue}&limit=1`)).body.items[0]!;
      const taken = await api<{ updated: string[] }>(
        'POST',
        '/api/inbox/assign',
        { postIds: [open.postId], ownerId: 'me' },
        as,
      );
      expect(taken.status).to.equal(200);
      const res = await api<Page>('GET', '/api/inbox?owner=me&limit=500', undefined, as);
      expect(res.status).to.equal(200);
      expect(res.body.items.map((i) => i.postId)).to.include(open.postId);
      for (const item of res.body.items) expect(item).to.deep.include({ ownerId: priya, status: 'assigned' });
      // Someone else's "me" is not Priya's.
      const mateo = await api<Page>('GET', '/api/inbox?owner=me&limit=500', undefined, {
        'x-socialcrm-user': userId('Mateo Alvarez'),
      });
      expect(mateo.body.items.map((i) => i.postId)).to.not.include(open.postId);
    });

    it('answers 403 when the header names an inactive or unknown user, and 400 when it names no Id', async () => {
      const inactive = (await e.conn.sobject('User').create({
        Username: 'former.agent@acme-outdoor.example',
        FirstName: 'Former',
        LastName: 'Agent',
        Email: 'former.agent@acme-outdoor.example',
        Alias: 'former',
        IsActive: false,
      })) as { id: string; success: boolean };
      expect(inactive.success).to.equal(true);
      for (const id of [inactive.id, '005Dv00000000ZZIAA']) {
        for (const path of ['/api/inbox?owner=me', '/api/inbox/options']) {
          const res = await api<ErrorBody>('GET', path, undefined, { 'x-socialcrm-user': id });
          expect(res.status, `${path} as ${id}`).to.equal(403);
          expect(res.body.error.code).to.equal('forbidden');
          expect(res.body.error.message).to.equal(`No active user of the org has the Id ${id}.`);
          expect(res.body.error.hint).to.contain('deactivated');
        }
        const take = await api<ErrorBody>('POST', '/api/inbox/take-next', {}, { 'x-socialcrm-user': id });
        expect(take.status).to.equal(403);
      }
      const malformed = await api<ErrorBody>('GET', '/api/inbox?owner=me', undefined, {
        'x-socialcrm-user': 'priya',
      });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error.message).to.contain('x-socialcrm-user header');
    });
  });
});
