import sinon from 'sinon';
/**
 * Sign-in with the org for the record page off loopback: a sync server on HOST=0.0.0.0 with the
 * connected app and RECORD_PAGE_URL set, against a dev org, both in-process. The browser is played by
 * fetch with manual redirects and a hand-kept cookie.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { loadConfig } from '../../src/config.ts';
import { SESSION_COOKIE, STATE_COOKIE } from '../../src/record-page/org-sign-in.ts';
import { startSyncServer, type SyncServer } from '../../src/sync-server.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** `name=value` of a Set-Cookie header by name, and its attributes. */
function setCookie(response: Response, name: string): { pair: string; value: string; attributes: string } {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!header) throw new Error(`no ${name} cookie set`);
  const [pair, ...attributes] = header.split(';');
  return { pair: pair!.trim(), value: pair!.slice(name.length + 1), attributes: attributes.join(';') };
}

describe('record page sign-in with the org (OAuth web server flow)', function () {
  this.timeout(30_000);
  let org: DevOrg;
  let server: SyncServer;
  let base: string;
  let dataDir: string;

  before(async () => {
    org = await startDevOrg({ seed: true });
    dataDir = mkdtempSync(join(tmpdir(), 'org-sign-in-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startSyncServer(
      loadConfig({
        HOST: '0.0.0.0',
        PORT: String(port),
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        SF_CLIENT_ID: org.client.clientId,
        SF_CLIENT_SECRET: org.client.clientSecret,
        RECORD_PAGE_URL: base,
        SESSION_SECRET: 'a-test-session-secret-of-32-chars-or-more',
        DATA_DIR: dataDir,
      }),
      { intakePath: join(dataDir, 'intake.sqlite') },
    );
  });
  after(async () => {
    await server?.close();
    await org?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function get(path: string, cookie?: string, accept = HTML): Promise<Response> {
    return fetch(`${base}${path}`, {
      redirect: 'manual',
      headers: { Accept: accept, ...(cookie ? { Cookie: cookie } : {}) },
    });
  }

  /** Signs in at the org for `path` and calls our callback with the state cookie; its answer. */
  async function callbackFor(path = '/'): Promise<Response> {
    const start = await get(path);
    const authorize = new URL(start.headers.get('location')!);
    const state = setCookie(start, STATE_COOKIE).pair;
    const login = await fetch(`${org.url}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        ...Object.fromEntries(authorize.searchParams),
        username: org.adminUsername,
        password: org.password,
      }),
    });
    expect(login.status).to.equal(302);
    const back = new URL(login.headers.get('location')!);
    return get(`${back.pathname}${back.search}`, state);
  }

  /** Runs the whole flow for `path`; resolves the session cookie and where the callback sent us. */
  async function signIn(path = '/'): Promise<{ session: string; landedOn: string; callback: Response }> {
    const callback = await callbackFor(path);
    expect(callback.status, await callback.clone().text()).to.equal(302);
    return {
      session: setCookie(callback, SESSION_COOKIE).pair,
      landedOn: callback.headers.get('location')!,
      callback,
    };
  }

  it('redirects a browser without a session to the org authorize URL with a state', async () => {
    const response = await get('/');
    expect(response.status).to.equal(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).to.equal(`${org.url}/services/oauth2/authorize`);
    expect(location.searchParams.get('response_type')).to.equal('code');
    expect(location.searchParams.get('client_id')).to.equal(org.client.clientId);
    expect(location.searchParams.get('redirect_uri')).to.equal(`${base}/oauth/callback`);
    const state = location.searchParams.get('state')!;
    expect(state).to.have.length.greaterThan(20);
    const cookie = setCookie(response, STATE_COOKIE);
    expect(cookie.attributes)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i)
      .and.match(/Path=\/oauth\/callback/);
    expect(cookie.attributes).not.to.match(/Secure/i); // http RECORD_PAGE_URL
    // A second visit gets a different state.
    const again = new URL((await get('/')).headers.get('location')!);
    expect(again.searchParams.get('state')).not.to.equal(state);
  });

  it('answers API calls without a session with 401 JSON', async () => {
    const response = await get('/api/saved-replies', undefined, 'application/json');
    expect(response.status).to.equal(401);
    const body = (await response.json()) as { error: { code: string; message: string; hint: string } };
    expect(body.error.code).to.equal('unauthorized');
    expect(body.error.message).to.be.a('string').that.is.not.empty;
    expect(body.error.hint).to.be.a('string').that.is.not.empty;
  });

  it('signs in through the org and serves the list page and APIs with the session cookie', async () => {
    const { session, landedOn, callback } = await signIn('/');
    expect(landedOn).to.equal('/');
    const attributes = setCookie(callback, SESSION_COOKIE).attributes;
    expect(attributes)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i)
      .and.match(/Max-Age=28800/);
    // The state cookie is spent.
    expect(setCookie(callback, STATE_COOKIE).attributes).to.match(/Max-Age=0/);

    const page = await get('/', session);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(await page.text()).to.match(/<html/i);
    const api = await get('/api/saved-replies', session, 'application/json');
    expect(api.status).to.equal(200);
    expect(await api.json()).to.have.property('savedReplies');
  });

  it('lets a user signed in with the org use the operator routes, and asks others to sign in or send OPS_TOKEN', async () => {
    const refused = await get('/api/status', undefined, 'application/json');
    expect(refused.status).to.equal(401);
    const { error } = (await refused.json()) as { error: { code: string; message: string; hint: string } };
    expect(error.message).to.include('OPS_TOKEN').and.include('signed in with the org');
    expect(error.hint).to.include('OPS_TOKEN');
    const { session } = await signIn('/');
    const status = await get('/api/status', session, 'application/json');
    expect(status.status).to.equal(200);
    expect(await status.json()).to.have.property('queue');
    const metrics = await get('/metrics', session, 'text/plain');
    expect(metrics.status).to.equal(200);
  });

  it('returns to the page first asked for', async () => {
    const { landedOn } = await signIn('/records/003000000000001AAA?x=1');
    expect(landedOn).to.equal('/records/003000000000001AAA?x=1');
  });

  it('redirects again when the session cookie is tampered with', async () => {
    const { session } = await signIn();
    const [name, value] = session.split('=') as [string, string];
    const [body, mac] = value.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, uid: '005000000000009AAA' })).toString(
      'base64url',
    );
    const stateCookie = setCookie(await get('/'), STATE_COOKIE).value;
    for (const cookie of [
      `${name}=${forged}.${mac}`,
      `${name}=${stateCookie}`,
      `${name}=${body}.${mac.slice(0, -2)}xx`,
      `${name}=junk`,
    ]) {
      const response = await get('/', cookie);
      expect(response.status, cookie).to.equal(302);
      expect(response.headers.get('location')).to.match(/\/services\/oauth2\/authorize\?/);
    }
  });

  it('refuses a callback with a wrong or missing state with 400', async () => {
    const start = await get('/');
    const state = setCookie(start, STATE_COOKIE).pair;
    const wrong = await get('/oauth/callback?code=whatever&state=not-the-state', state);
    expect(wrong.status).to.equal(400);
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).to.equal(false);
    const noCookie = await get(
      `/oauth/callback?code=whatever&state=${new URL(start.headers.get('location')!).searchParams.get('state')!}`,
    );
    expect(noCookie.status).to.equal(400);
  });

  it('refuses a code the org does not honour', async () => {
    const start = await get('/');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const response = await get(
      `/oauth/callback?code=made-up&state=${state}`,
      setCookie(start, STATE_COOKIE).pair,
    );
    expect(response.status).to.equal(400);
    expect(await response.text()).to.include('invalid_grant');
  });

  it('refuses a user of another org, even one the connected app let sign in', async () => {
    sinon.replace(server.gateway, 'organizationId', sinon.fake.resolves('00DOther00000001AAA'));
    try {
      const callback = await callbackFor('/');
      expect(callback.status).to.equal(403);
      expect(await callback.text()).to.include('another Salesforce org');
      expect(
        callback.headers
          .getSetCookie()
          .some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)),
      ).to.equal(false);
    } finally {
      sinon.restore();
    }
  });

  it('signs out by clearing the session cookie', async () => {
    const { session } = await signIn();
    const response = await fetch(`${base}/oauth/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: session, Accept: HTML },
    });
    expect(response.status).to.equal(303);
    expect(response.headers.get('location')).to.equal('/');
    const cleared = setCookie(response, SESSION_COOKIE);
    expect(cleared.value).to.equal('');
    expect(cleared.attributes).to.match(/Max-Age=0/);
  });

  it('keeps the 403, naming the settings, off loopback when sign-in is not configured', async () => {
    const unconfiguredDir = mkdtempSync(join(tmpdir(), 'org-sign-in-off-'));
    const unconfigured = await startSyncServer(
      loadConfig({
        HOST: '0.0.0.0',
        PORT: '0',
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        SF_CLIENT_ID: org.client.clientId,
        SF_CLIENT_SECRET: org.client.clientSecret,
        DATA_DIR: unconfiguredDir,
      }),
      { intakePath: join(unconfiguredDir, 'intake.sqlite') },
    );
    try {
      const response = await fetch(`http://127.0.0.1:${unconfigured.port}/api/saved-replies`);
      expect(response.status).to.equal(403);
      const body = (await response.json()) as { error: { code: string; hint: string } };
      expect(body.error.code).to.equal('forbidden');
      for (const setting of ['SF_CLIENT_ID', 'SF_CLIENT_SECRET', 'RECORD_PAGE_URL']) {
        expect(body.error.hint).to.include(setting);
      }
      expect((await fetch(`http://127.0.0.1:${unconfigured.port}/oauth/callback`)).status).to.equal(404);
    } finally {
      await unconfigured.close();
      rmSync(unconfiguredDir, { recursive: true, force: true });
    }
  });
});
