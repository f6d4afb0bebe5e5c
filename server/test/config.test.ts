import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config.ts';

function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  it('gives the embedded default when nothing is set', () => {
    expect(loadConfig({})).to.deep.equal({
      PORT: 8787,
      HOST: '127.0.0.1',
      DEV_ORG_PORT: 8788,
      SF_INSTANCE_URL: 'http://localhost:8788',
      SF_ACCESS_TOKEN: '00Ddev0000000000!local',
      SF_API_VERSION: '62.0',
      X_CONSUMER_SECRET: 'dev-x-secret',
      META_APP_SECRET: 'dev-meta-secret',
      META_VERIFY_TOKEN: 'dev-meta-verify',
      SYNC_API_BUDGET: 0.9,
      SYNC_BULK_THRESHOLD: 5000,
      CASE_RULES: {
        enabled: true,
        openFor: ['complaint', 'needs_reply'],
        influenceThreshold: 60,
        reopenWithinDays: 5,
        alertInfluenceThreshold: 70,
      },
      X_USER_ID: '1500000000000000001',
      META_GRAPH_URL: 'https://graph.facebook.com',
      REPLY_POLL_SECONDS: 60,
      CUSTOMER_VALUE_REFRESH_MINUTES: 60,
      CUSTOMER_VALUE_REFERRAL_SHARE: 0.1,
      CUSTOMER_VALUE_INFLUENCE_UNIT: 1000,
      META_PAGE_ID: '100000000000001',
      INSTAGRAM_ACCOUNT_ID: '17841400000000001',
      BLUESKY_PDS_URL: 'https://bsky.social',
      BLUESKY_FIREHOSE_URL: 'wss://bsky.network',
      BLUESKY_PLC_URL: 'https://plc.directory',
      DEMO_TRAFFIC: false,
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
    });
  });

  it('reads the reply settings, naming a bad one', () => {
    const config = loadConfig({
      X_USERNAME: '@acmeoutdoor',
      REPLY_APPROVAL_INFLUENCE: '70',
      REPLY_POLL_SECONDS: '5',
    });
    expect(config).to.include({
      X_USERNAME: 'acmeoutdoor',
      REPLY_APPROVAL_INFLUENCE: 70,
      REPLY_POLL_SECONDS: 5,
    });
    expect(() => loadConfig({ REPLY_APPROVAL_INFLUENCE: '120' })).to.throw(
      /REPLY_APPROVAL_INFLUENCE must be an influence score 0–100/,
    );
    expect(() => loadConfig({ X_USERNAME: 'not a name' })).to.throw(/X_USERNAME must be/);
  });

  it('reads CASE_RULES as JSON checked against the rules schema', () => {
    expect(loadConfig({ CASE_RULES: '{"influenceThreshold":40}' }).CASE_RULES.influenceThreshold).to.equal(
      40,
    );
    expect(() => loadConfig({ CASE_RULES: '{"influenceThreshold":400}' })).to.throw(
      /CASE_RULES must be JSON like/,
    );
    expect(() => loadConfig({ CASE_RULES: 'not json' })).to.throw(/CASE_RULES must be JSON like/);
    expect(() => loadConfig({ CASE_RULES: '{"unknown":1}' })).to.throw(/CASE_RULES/);
  });

  it('reads SYNC_BULK_THRESHOLD: 0 turns Bulk API off, below 1,000 is refused with what is allowed', () => {
    expect(loadConfig({ SYNC_BULK_THRESHOLD: '0' }).SYNC_BULK_THRESHOLD).to.equal(0);
    expect(loadConfig({ SYNC_BULK_THRESHOLD: '20000' }).SYNC_BULK_THRESHOLD).to.equal(20000);
    for (const bad of ['200', '1.5', 'lots']) {
      expect(() => loadConfig({ SYNC_BULK_THRESHOLD: bad })).to.throw(
        /SYNC_BULK_THRESHOLD must be a whole number of records, 0 \(Bulk API off\) or at least 1000/,
      );
    }
  });

  it('rejects a SYNC_API_BUDGET outside 0.05..1', () => {
    expect(loadConfig({ SYNC_API_BUDGET: '0.5' }).SYNC_API_BUDGET).to.equal(0.5);
    expect(() => loadConfig({ SYNC_API_BUDGET: '2' })).to.throw(/SYNC_API_BUDGET must be a share/);
  });

  it('reads process.env when called without an argument', () => {
    const saved = process.env.PORT;
    process.env.PORT = '9100';
    try {
      expect(loadConfig().PORT).to.equal(9100);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('parses set values into their types', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      SF_INSTANCE_URL: 'https://acme.my.salesforce.com/',
      SF_API_VERSION: 'v61.0',
      DEMO_TRAFFIC: '1',
      LOG_LEVEL: 'debug',
      DATA_DIR: '/var/lib/socialcrm',
    });
    expect(config.PORT).to.equal(0);
    expect(config.HOST).to.equal('0.0.0.0');
    expect(config.SF_INSTANCE_URL).to.equal('https://acme.my.salesforce.com');
    expect(config.SF_API_VERSION).to.equal('61.0');
    expect(config.DEMO_TRAFFIC).to.equal(true);
    expect(config.LOG_LEVEL).to.equal('debug');
    expect(config.DATA_DIR).to.equal('/var/lib/socialcrm');
  });

  it('points SF_INSTANCE_URL at the dev org on DEV_ORG_PORT unless set', () => {
    expect(loadConfig({ DEV_ORG_PORT: '9999' }).SF_INSTANCE_URL).to.equal('http://localhost:9999');
    expect(
      loadConfig({ DEV_ORG_PORT: '9999', SF_INSTANCE_URL: 'http://org.test:1' }).SF_INSTANCE_URL,
    ).to.equal('http://org.test:1');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DEMO_TRAFFIC: '' })).to.include({ PORT: 8787, DEMO_TRAFFIC: false });
  });

  const badValues: [name: string, value: string, allowed: string][] = [
    ['PORT', 'abc', 'an integer between 0 and 65535'],
    ['PORT', '65536', 'an integer between 0 and 65535'],
    ['PORT', '-1', 'an integer between 0 and 65535'],
    ['DEV_ORG_PORT', '8.5', 'an integer between 0 and 65535'],
    ['HOST', 'local host', 'a host name or IP address'],
    ['SF_INSTANCE_URL', 'ftp://org.example.com', 'an http(s) URL'],
    ['SF_INSTANCE_URL', 'not a url', 'an http(s) URL'],
    ['SF_API_VERSION', '62', 'a Salesforce API version such as 62.0'],
    ['DEMO_TRAFFIC', 'yes', '0 or 1'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error, warn, info, debug, trace, silent'],
  ];
  for (const [name, value, allowed] of badValues) {
    it(`rejects ${name}=${JSON.stringify(value)} naming the variable, the value and what is allowed`, () => {
      const error = configErrorFor({ [name]: value });
      expect(error.message.startsWith(`${name} must be `)).to.equal(true);
      expect(error.message).to.include(allowed);
      expect(error.message).to.include(`(got ${JSON.stringify(value)})`);
      expect(error.issues).to.deep.equal([{ variable: name, message: error.message }]);
    });
  }

  it('gives the exact message for a non-numeric PORT', () => {
    expect(configErrorFor({ PORT: 'abc' }).message).to.equal(
      'PORT must be an integer between 0 and 65535 (got "abc")',
    );
  });

  it('reports every bad variable at once, one per line', () => {
    const error = configErrorFor({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(error.issues.map((i) => i.variable)).to.deep.equal(['PORT', 'LOG_LEVEL']);
    expect(error.message.split('\n')).to.have.length(2);
  });

  for (const secret of ['SF_ACCESS_TOKEN', 'X_CONSUMER_SECRET', 'META_APP_SECRET', 'META_VERIFY_TOKEN']) {
    it(`names ${secret} but never echoes its value`, () => {
      const value = secret === 'SF_ACCESS_TOKEN' ? 'tok en-with-space' : '   ';
      const error = configErrorFor({ [secret]: value });
      expect(error.message).to.match(new RegExp(`^${secret} must be `));
      expect(error.message).not.to.include('got');
      expect(error.message).not.to.include(value.trim() || '"   "');
    });
  }

  it('keeps secrets byte for byte', () => {
    expect(loadConfig({ X_CONSUMER_SECRET: ' spaced secret ' }).X_CONSUMER_SECRET).to.equal(
      ' spaced secret ',
    );
  });
});
