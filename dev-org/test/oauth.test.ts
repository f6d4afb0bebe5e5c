/**
 * The dev org's OAuth 2.0 web server flow: the login page, the code redirect, the code exchange at the
 * token endpoint and userinfo, with the errors Salesforce answers.
 */
import { expect } from 'chai';
import { startDevOrg, type DevOrg } from '../src/index.ts';

const REDIRECT = 'https://social.example.com/oauth/callback';

describe('dev org OAuth web server flow', function () {
  let org: DevOrg;
  let clock: number;

  before(async () => {
    clock = Date.parse('2026-11-25T10:00:00.000Z');
    org = await startDevOrg({ seed: false, now: () => new Date(clock) });
  });
  after(async () => {
    await org.close();
  });

  function authorizeUrl(overrides: Record<string, string> = {}): string {
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: org.client.clientId,
      redirect_uri: REDIRECT,
      state: 'st&"<1>',
      ...overrides,
    });
    return `${org.url}/services/oauth2/authorize?${params.toString()}`;
  }

  async function logIn(overrides: Record<string, string> = {}): Promise<Response> {
    return fetch(`${org.url}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        response_type: 'code',
        client_id: org.client.clientId,
        redirect_uri: REDIRECT,
        state: 'abc',
        username: org.adminUsername,
        password: org.password,
        ...overrides,
      }),
    });
  }

  async function codeFrom(response: Response): Promise<string> {
    expect(response.status).to.equal(302);
    const location = new URL(response.headers.get('location')!);
    return location.searchParams.get('code')!;
  }

  async function exchange(overrides: Record<string, string> = {}): Promise<Response> {
    return fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: org.client.clientId,
        client_secret: org.client.clientSecret,
        redirect_uri: REDIRECT,
        ...overrides,
      }),
    });
  }

  it('shows a login form carrying the flow parameters, escaped', async () => {
    const response = await fetch(authorizeUrl());
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/text\/html/);
    const page = await response.text();
    expect(page).to.include('name="username"').and.include('type="password"');
    expect(page).to.include('value="st&#38;&#34;&#60;1&#62;"');
    expect(page).not.to.include('st&"<1>');
  });

  it('refuses an unknown client, a non-code response type and a bad redirect URI', async () => {
    const wrongClient = await fetch(authorizeUrl({ client_id: 'nope' }));
    expect(wrongClient.status).to.equal(400);
    expect(await wrongClient.json()).to.include({ error: 'invalid_client_id' });
    const token = await fetch(authorizeUrl({ response_type: 'token' }));
    expect(token.status).to.equal(400);
    expect(await token.json()).to.include({ error: 'unsupported_response_type' });
    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'javascript:alert(1)' }));
    expect(badRedirect.status).to.equal(400);
    expect(await badRedirect.json()).to.include({ error: 'redirect_uri_mismatch' });
    const postWrongClient = await logIn({ client_id: 'nope' });
    expect(postWrongClient.status).to.equal(400);
  });

  it('shows the form again with an error on a bad password or unknown user', async () => {
    for (const overrides of [{ password: 'wrong' }, { username: 'nobody@example.com' }] as Record<
      string,
      string
    >[]) {
      const response = await logIn(overrides);
      expect(response.status).to.equal(200);
      const page = await response.text();
      expect(page).to.include('Please check your username and password');
      expect(page).to.include('name="password"');
    }
  });

  it('redirects with a code and the state, exchanged once for tokens; userinfo names the user', async () => {
    const login = await logIn();
    const location = new URL(login.headers.get('location')!);
    expect(location.origin + location.pathname).to.equal(REDIRECT);
    expect(location.searchParams.get('state')).to.equal('abc');
    const code = await codeFrom(login);
    expect(code).to.be.a('string').that.is.not.empty;

    const tokenResponse = await exchange({ code });
    expect(tokenResponse.status).to.equal(200);
    const tokens = (await tokenResponse.json()) as Record<string, string>;
    expect(tokens).to.include({ token_type: 'Bearer', instance_url: org.url });
    expect(tokens['access_token']).to.be.a('string');
    expect(tokens['refresh_token']).to.be.a('string');

    const info = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${tokens['access_token']}` },
    });
    expect(info.status).to.equal(200);
    const user = (await info.json()) as Record<string, string>;
    expect(user).to.include({
      organization_id: '00DDv0000000001MAA',
      preferred_username: org.adminUsername,
      name: 'Dev Admin',
      email: org.adminUsername,
    });
    expect(user['user_id']).to.match(/^005/);
    expect(tokens['id']).to.equal(`${org.url}/id/${user['organization_id']}/${user['user_id']}`);

    // The access token works on the REST API, and the code does not work twice.
    const rest = await fetch(`${org.url}/services/data/v${org.apiVersion}/limits`, {
      headers: { Authorization: `Bearer ${tokens['access_token']}` },
    });
    expect(rest.status).to.equal(200);
    const again = await exchange({ code });
    expect(again.status).to.equal(400);
    expect(await again.json()).to.include({ error: 'invalid_grant' });
  });

  it('refuses a code exchanged with another redirect URI, a wrong secret, or after 5 minutes', async () => {
    const mismatch = await exchange({
      code: await codeFrom(await logIn()),
      redirect_uri: 'https://evil.example.com/cb',
    });
    expect(mismatch.status).to.equal(400);
    expect(await mismatch.json()).to.include({ error: 'redirect_uri_mismatch' });

    const code = await codeFrom(await logIn());
    const wrongSecret = await exchange({ code, client_secret: 'nope' });
    expect(wrongSecret.status).to.equal(400);
    expect(await wrongSecret.json()).to.include({ error: 'invalid_client' });
    // A failed client check does not spend the code.
    expect((await exchange({ code })).status).to.equal(200);

    const stale = await codeFrom(await logIn());
    clock += 5 * 60_000 + 1;
    const expired = await exchange({ code: stale });
    expect(expired.status).to.equal(400);
    expect(await expired.json()).to.include({ error: 'invalid_grant' });
    expect((await exchange({ code: 'made-up' })).status).to.equal(400);
  });

  it('answers userinfo without a valid token with 403 Bad_OAuth_Token', async () => {
    const none = await fetch(`${org.url}/services/oauth2/userinfo`);
    expect(none.status).to.equal(403);
    expect(await none.text()).to.equal('Bad_OAuth_Token');
    const bad = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    expect(bad.status).to.equal(403);
    const admin = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${org.accessToken}` },
    });
    expect(admin.status).to.equal(200);
    expect(await admin.json()).to.include({ preferred_username: org.adminUsername });
  });
});
