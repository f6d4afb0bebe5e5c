/** The sync server's metrics as the plugin reads them, and how `serve` renews the org session. */
import { expect } from 'chai';
import type { Org } from '@salesforce/core';
import { checkSince } from '../../src/backfill/backfill.ts';
import { cliSessionRenewal } from '../../src/serve/serve-org.ts';
import { metricTotal, parsePrometheus } from '../../src/sync-server/prometheus.ts';

describe('prometheus text', () => {
  const text = [
    '# HELP socialcrm_mentions_synced_total Mentions written to the CRM.',
    '# TYPE socialcrm_mentions_synced_total counter',
    'socialcrm_mentions_synced_total{network="x"} 12',
    'socialcrm_mentions_synced_total{network="bluesky"} 3',
    'socialcrm_queue_depth 4',
    'socialcrm_odd{label="a \\"quoted\\" value"} 1.5e3',
  ].join('\n');

  it('reads samples with their labels, skipping comments', () => {
    const samples = parsePrometheus(text);
    expect(samples).to.have.length(4);
    expect(samples[0]).to.deep.equal({
      name: 'socialcrm_mentions_synced_total',
      labels: { network: 'x' },
      value: 12,
    });
    expect(samples[3]).to.deep.equal({
      name: 'socialcrm_odd',
      labels: { label: 'a "quoted" value' },
      value: 1500,
    });
  });

  it('sums a metric over its label sets, null when absent', () => {
    const samples = parsePrometheus(text);
    expect(metricTotal(samples, 'socialcrm_mentions_synced_total')).to.equal(15);
    expect(metricTotal(samples, 'socialcrm_missing')).to.equal(null);
  });
});

describe('backfill --since', () => {
  it('takes durations and ISO dates as the server does', () => {
    for (const value of ['7d', '12h', '30m', '2w', '2025-01-01', '2025-01-01T10:00:00Z'])
      expect(checkSince(value)).to.equal(value);
  });

  it('refuses anything else with the accepted forms', () => {
    expect(() => checkSince('yesterday')).to.throw(/7d, 12h or 30m, or an ISO 8601 date/);
  });
});

describe('serve: session renewal', () => {
  it('asks the CLI to refresh the org’s auth and hands the server the new session', async () => {
    let refreshed = 0;
    let token = 'old-session';
    // A small typed fake of the two Org methods the renewal uses.
    const org = {
      refreshAuth: async () => {
        refreshed += 1;
        token = 'new-session';
      },
      getConnection: () => ({ accessToken: token }),
    } as unknown as Org;
    expect(await cliSessionRenewal(org)()).to.equal('new-session');
    expect(refreshed).to.equal(1);
  });
});
