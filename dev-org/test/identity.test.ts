/**
 * Who a session is, as clients ask it: jsforce's `identity()` (the version root's `identity`, then the
 * identity URL with `oauth_token`), the token endpoint's `id` for another user, the `Organization` record
 * the Salesforce CLI reads after a login, and the single-use frontdoor link of `sf org open`.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '../src/index.ts';
import { ORG_ID } from '../src/http/sessions.ts';

describe('dev org identity, Organization and frontdoor', () => {
  let org: DevOrg;
  let conn: Connection;

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });
  after(async () => {
    await org.close();
  });

  it("answers jsforce's identity() for the session's user", async () => {
    const identity = await conn.identity();
    expect(identity).to.include({
      organization_id: ORG_ID,
      username: org.adminUsername,
      display_name: 'Dev Admin',
      active: true,
    });
    expect(identity.id).to.equal(`${org.url}/id/${ORG_ID}/${identity.user_id}`);
    expect(identity.urls.rest).to.equal(`${org.url}/services/data/v{version}/`);
  });

  it("serves the token endpoint's id URL to that user's session only", async () => {
    const agent = 'priya.raman@acme-outdoor.example';
    const token = (await (
      await fetch(`${org.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: org.client.clientId,
          client_secret: org.client.clientSecret,
          username: agent,
          password: org.password,
        }),
      })
    ).json()) as { access_token: string; id: string };
    const own = await fetch(token.id, { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(own.status).to.equal(200);
    expect(await own.json()).to.include({ username: agent, organization_id: ORG_ID });

    const admin = (await conn.identity()).id;
    const other = await fetch(admin, { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(other.status).to.equal(403);
    expect((await fetch(token.id)).status).to.equal(403);
  });

  it('has one Organization record, with the org id, that the API can read but not insert or delete', async () => {
    const result = await conn.query<{
      Id: string;
      Name: string;
      IsSandbox: boolean;
      OrganizationType: string;
    }>(
      'SELECT Id, Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
    );
    expect(result.records).to.have.length(1);
    expect(result.records[0]).to.include({
      Id: ORG_ID,
      IsSandbox: false,
      OrganizationType: 'Enterprise Edition',
    });
    const describe = await conn.sobject('Organization').describe();
    expect(describe).to.include({ createable: false, deletable: false });
    const insert = await conn
      .sobject('Organization')
      .create({ Name: 'Another' })
      .then(
        () => undefined,
        (error: { errorCode?: string }) => error.errorCode,
      );
    expect(insert).to.equal('INVALID_TYPE_FOR_OPERATION');
    const remove = await conn
      .sobject('Organization')
      .destroy(ORG_ID)
      .then(
        () => undefined,
        (error: { errorCode?: string }) => error.errorCode,
      );
    expect(remove).to.equal('INVALID_TYPE_FOR_OPERATION');
  });

  it('gives a single-use frontdoor link to a session, and none without one', async () => {
    const denied = await fetch(`${org.url}/services/oauth2/singleaccess`);
    expect(denied.status).to.equal(403);
    const answer = (await conn.requestGet(
      `${org.url}/services/oauth2/singleaccess?redirect_uri=%2Flightning%2Fpage%2Fhome`,
    )) as {
      frontdoor_uri: string;
    };
    const link = new URL(answer.frontdoor_uri);
    expect(link.pathname).to.equal('/secur/frontdoor.jsp');
    expect(link.searchParams.get('startURL')).to.equal('/lightning/page/home');
    const first = await fetch(link);
    expect(first.status).to.equal(200);
    expect(await first.text()).to.include(`Signed in as ${org.adminUsername}`);
    expect((await fetch(link)).status).to.equal(401);
  });
});
