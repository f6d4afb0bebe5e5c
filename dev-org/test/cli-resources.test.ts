/**
 * The REST resources the Salesforce CLI's data commands use, over HTTP in their wire formats: a query's
 * columns (`/query?q=…&columns=true`, after every `sf data query`), sObject Tree (`/composite/tree`,
 * `sf data import tree`) and Bulk API 2.0 query jobs (`/jobs/query`, `sf data export bulk`).
 */
import { expect } from 'chai';
import { startDevOrg, type DevOrg } from '../src/index.ts';

interface Column {
  aggregate: boolean;
  apexType: string | null;
  columnName: string;
  displayName: string;
  joinColumns: Column[];
}

describe('dev org resources of the Salesforce CLI', () => {
  let org: DevOrg;
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${org.url}/services/data/v62.0${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${org.accessToken}`,
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });

  before(async () => {
    org = await startDevOrg({ seed: true });
  });
  after(async () => {
    await org.close();
  });

  describe('query columns', () => {
    const columns = async (soql: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await api(`/query?q=${encodeURIComponent(soql)}&columns=true`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('lists fields, parent fields as join columns and child subqueries as aggregate columns', async () => {
      const { status, body } = await columns(
        'SELECT Id, Name, Owner.Name, Account.Owner.Email, (SELECT Subject FROM Cases) FROM Contact',
      );
      expect(status).to.equal(200);
      expect(body).to.include({ entityName: 'Contact', keyPrefix: '003', idSelected: true, groupBy: false });
      const meta = body['columnMetadata'] as Column[];
      expect(meta.map((c) => c.columnName)).to.deep.equal(['Id', 'Name', 'Owner', 'Account', 'Cases']);
      expect(meta[2]!.joinColumns.map((c) => [c.columnName, c.displayName])).to.deep.equal([
        ['Name', 'Owner.Name'],
      ]);
      expect(meta[3]!.joinColumns[0]!.joinColumns.map((c) => c.displayName)).to.deep.equal([
        'Account.Owner.Email',
      ]);
      expect(meta[4]).to.include({ aggregate: true });
      expect(meta[4]!.joinColumns.map((c) => c.columnName)).to.deep.equal(['Subject']);
    });

    it('refuses what the query itself refuses, with the same error', async () => {
      const { status, body } = await columns('SELECT Id, (SELECT Subject FROM Cases__r) FROM Contact');
      expect(status).to.equal(400);
      expect((body as unknown as { errorCode: string }[])[0]!.errorCode).to.equal('INVALID_TYPE');
    });

    it('names aggregate functions expr<n> or by alias, with the function as the display name', async () => {
      const { body } = await columns(
        'SELECT Industry, COUNT(Id), MAX(AnnualRevenue) top FROM Account GROUP BY Industry',
      );
      const meta = body['columnMetadata'] as Column[];
      expect(meta.map((c) => [c.columnName, c.displayName, c.aggregate])).to.deep.equal([
        ['Industry', 'Industry', false],
        ['expr0', 'COUNT(Id)', true],
        ['top', 'MAX(AnnualRevenue)', true],
      ]);
      expect(body['groupBy']).to.equal(true);
    });
  });

  describe('sObject Tree', () => {
    const tree = {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'acc1' },
          Name: 'Tree Top Outfitters',
          Contacts: {
            records: [
              { attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'Oak' },
              { attributes: { type: 'Contact', referenceId: 'c2' }, LastName: 'Elm' },
            ],
          },
        },
      ],
    };

    it('creates parents and their nested children, linked, and answers each reference id with its record id', async () => {
      const res = await api('/composite/tree/Account', { method: 'POST', body: JSON.stringify(tree) });
      expect(res.status).to.equal(201);
      const body = (await res.json()) as {
        hasErrors: boolean;
        results: { referenceId: string; id: string }[];
      };
      expect(body.hasErrors).to.equal(false);
      expect(body.results.map((r) => r.referenceId)).to.deep.equal(['acc1', 'c1', 'c2']);
      const accountId = body.results[0]!.id;
      const contact = org.store.get('Contact', body.results[1]!.id, '/services/data/v62.0', ['AccountId']);
      expect(contact['AccountId']).to.equal(accountId);
    });

    it('saves nothing when a record fails, and names it with its errors', async () => {
      const accounts = org.store.count('Account');
      const bad = structuredClone(tree);
      bad.records[0]!.Name = 'Tree Two';
      bad.records[0]!.Contacts.records[1] = {
        attributes: { type: 'Contact', referenceId: 'c2' },
        LastName: '',
      };
      const res = await api('/composite/tree/Account', { method: 'POST', body: JSON.stringify(bad) });
      expect(res.status).to.equal(400);
      const body = (await res.json()) as {
        hasErrors: boolean;
        results: { referenceId: string; errors: { statusCode: string; fields: string[] }[] }[];
      };
      expect(body.hasErrors).to.equal(true);
      expect(body.results).to.have.length(1);
      expect(body.results[0]).to.include({ referenceId: 'c2' });
      expect(body.results[0]!.errors[0]).to.deep.include({
        statusCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName'],
      });
      expect(org.store.count('Account')).to.equal(accounts);
    });

    it('refuses records without a reference id or of another type', async () => {
      const res = await api('/composite/tree/Contact', { method: 'POST', body: JSON.stringify(tree) });
      expect(res.status).to.equal(400);
      const [error] = (await res.json()) as { errorCode: string; message: string }[];
      expect(error).to.include({ errorCode: 'INVALID_INPUT' });
      expect(error!.message).to.include('attributes.type must be Contact');
    });
  });

  describe('Bulk API 2.0 query jobs', () => {
    const job = async (
      query: string,
      operation = 'query',
    ): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await api('/jobs/query', { method: 'POST', body: JSON.stringify({ operation, query }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const complete = async (id: string): Promise<Record<string, unknown>> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const info = (await (await api(`/jobs/query/${id}`)).json()) as Record<string, unknown>;
        if (info['state'] === 'JobComplete' || info['state'] === 'Failed') return info;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${String(info['state'])}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    it('runs the query in the background and pages its CSV rows with Sforce-Locator', async () => {
      const created = await job('SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName');
      expect(created.status).to.equal(200);
      expect(created.body).to.include({ object: 'Contact', operation: 'query', state: 'UploadComplete' });
      const info = await complete(String(created.body['id']));
      expect(info).to.include({ state: 'JobComplete', numberRecordsProcessed: org.store.count('Contact') });

      const rows: string[] = [];
      let locator = '';
      for (let page = 0; page < 100; page++) {
        const res = await api(
          `/jobs/query/${String(created.body['id'])}/results?maxRecords=15${locator ? `&locator=${locator}` : ''}`,
        );
        const [header, ...lines] = (await res.text()).trim().split('\n');
        expect(header).to.equal('Id,LastName,Account.Name');
        expect(Number(res.headers.get('sforce-numberofrecords'))).to.equal(lines.length);
        rows.push(...lines);
        locator = res.headers.get('sforce-locator') ?? 'null';
        if (locator === 'null') break;
      }
      expect(rows).to.have.length(org.store.count('Contact'));
    });

    it('refuses a bad query at once and child subqueries as Bulk API does', async () => {
      const bad = await job('SELECT Nope__c FROM Contact');
      expect(bad.status).to.equal(400);
      expect((bad.body as unknown as { errorCode: string }[])[0]!.errorCode).to.equal('INVALID_FIELD');
      const nested = await job('SELECT Name, (SELECT LastName FROM Contacts) FROM Account');
      expect(nested.status).to.equal(400);
      expect((nested.body as unknown as { message: string }[])[0]!.message).to.include('Nested queries');
    });
  });
});
