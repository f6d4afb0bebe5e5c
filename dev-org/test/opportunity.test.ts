/**
 * Opportunity as customer value reads it, over HTTP through jsforce: StageName drives IsClosed and IsWon
 * (not writable), required fields are refused with Salesforce's error, and the aggregate and semi-join
 * SOQL the customer value job runs (SUM(Amount) of won deals grouped by Account, Accounts of the Contacts
 * with social activity) answers as Salesforce does.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '../src/index.ts';

describe('dev org: Opportunity', function () {
  this.timeout(30_000);
  let org: DevOrg;
  let conn: Connection;
  let acme: string;
  let globex: string;

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    const accounts = await conn.sobject('Account').create([{ Name: 'Acme' }, { Name: 'Globex' }]);
    [acme, globex] = accounts.map((r) => (r.success ? r.id : '')) as [string, string];
  });

  after(async () => {
    await org.close();
  });

  async function create(values: Record<string, unknown>): Promise<string> {
    const result = await conn.sobject('Opportunity').create(values);
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    return result.id;
  }

  it('derives IsClosed and IsWon from the stage, on create and on update', async () => {
    const id = await create({
      Name: 'Deal',
      AccountId: acme,
      StageName: 'Prospecting',
      CloseDate: '2026-03-01',
      Amount: 1000,
    });
    const read = async () =>
      (
        await conn.query<{ IsClosed: boolean; IsWon: boolean }>(
          `SELECT IsClosed, IsWon FROM Opportunity WHERE Id = '${id}'`,
        )
      ).records[0]!;
    expect(await read()).to.include({ IsClosed: false, IsWon: false });
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });
    expect(await read()).to.include({ IsClosed: true, IsWon: true });
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Lost' });
    expect(await read()).to.include({ IsClosed: true, IsWon: false });
    await conn.sobject('Opportunity').delete(id);
  });

  it('refuses a missing stage or close date, and a write to IsWon', async () => {
    const refusal = async (values: Record<string, unknown>): Promise<string> => {
      try {
        await conn.sobject('Opportunity').create(values);
      } catch (error) {
        return `${(error as { errorCode?: string }).errorCode}: ${(error as Error).message}`;
      }
      throw new Error('the org took it');
    };
    expect(await refusal({ Name: 'No stage', AccountId: acme })).to.equal(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [StageName, CloseDate]',
    );
    expect(
      await refusal({ Name: 'Forced', StageName: 'Prospecting', CloseDate: '2026-03-01', IsWon: true }),
    ).to.match(/^INVALID_FIELD_FOR_INSERT_UPDATE: .*IsWon/);
    const left = await conn.query("SELECT Id FROM Opportunity WHERE Name IN ('No stage', 'Forced')");
    expect(left.totalSize).to.equal(0);
  });

  it('sums won amounts per Account with GROUP BY, and filters Accounts by a semi-join on Contact', async () => {
    await create({
      Name: 'A1',
      AccountId: acme,
      StageName: 'Closed Won',
      CloseDate: '2026-01-10',
      Amount: 1200.5,
    });
    await create({
      Name: 'A2',
      AccountId: acme,
      StageName: 'Closed Won',
      CloseDate: '2026-02-10',
      Amount: 800,
    });
    await create({
      Name: 'A3',
      AccountId: acme,
      StageName: 'Closed Lost',
      CloseDate: '2026-02-11',
      Amount: 99_999,
    });
    await create({
      Name: 'A4',
      AccountId: acme,
      StageName: 'Negotiation/Review',
      CloseDate: '2026-05-11',
      Amount: 5000,
    });
    await create({
      Name: 'G1',
      AccountId: globex,
      StageName: 'Closed Won',
      CloseDate: '2026-01-03',
      Amount: 300,
    });
    await conn.sobject('Contact').create({ LastName: 'Social', AccountId: globex, Social_Influence__c: 40 });

    const sums = await conn.query<{ AccountId: string; total: number; deals: number }>(
      'SELECT AccountId, SUM(Amount) total, COUNT(Id) deals FROM Opportunity WHERE IsWon = true AND AccountId != null GROUP BY AccountId',
    );
    const byAccount = Object.fromEntries(sums.records.map((r) => [r.AccountId, [r.total, r.deals]]));
    expect(byAccount).to.deep.equal({ [acme]: [2000.5, 2], [globex]: [300, 1] });

    const social = await conn.query<{ AccountId: string; total: number }>(
      'SELECT AccountId, SUM(Amount) total FROM Opportunity WHERE IsWon = true AND AccountId IN ' +
        '(SELECT AccountId FROM Contact WHERE Social_Influence__c != null) GROUP BY AccountId',
    );
    expect(social.records.map((r) => [r.AccountId, r.total])).to.deep.equal([[globex, 300]]);

    const children = await conn.query<{
      Name: string;
      Opportunities: { records: { Amount: number }[] } | null;
    }>(
      `SELECT Name, (SELECT Amount FROM Opportunities WHERE IsWon = true ORDER BY Amount) FROM Account WHERE Id = '${acme}'`,
    );
    expect(children.records[0]!.Opportunities!.records.map((r) => r.Amount)).to.deep.equal([800, 1200.5]);
  });

  it('names the corporate currency on Organization', async () => {
    const org = await conn.query<{ DefaultCurrencyIsoCode: string }>(
      'SELECT DefaultCurrencyIsoCode FROM Organization',
    );
    expect(org.records.map((r) => r.DefaultCurrencyIsoCode)).to.deep.equal(['USD']);
  });
});
