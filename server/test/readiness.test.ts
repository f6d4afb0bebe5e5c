import { expect } from 'chai';
import { runReadinessChecks } from '../src/readiness/readiness.ts';
import type { ReadinessCheck } from '../src/readiness/readiness.ts';

const after = (ms: number, ok: boolean): Promise<{ ok: boolean }> =>
  new Promise((resolve) => setTimeout(() => resolve({ ok }), ms));

describe('runReadinessChecks', () => {
  it('runs checks concurrently', async () => {
    const checks: ReadinessCheck[] = [
      { name: 'a', check: () => after(150, true) },
      { name: 'b', check: () => after(150, true) },
    ];
    const started = Date.now();
    const report = await runReadinessChecks(checks, 1000);
    expect(Date.now() - started).to.be.lessThan(280);
    expect(report).to.deep.equal({ ready: true, checks: { a: { ok: true }, b: { ok: true } } });
  });

  it('catches a check that throws synchronously', async () => {
    const checks: ReadinessCheck[] = [
      {
        name: 'queue',
        check: () => {
          throw new Error('queue file is locked');
        },
      },
    ];
    expect(await runReadinessChecks(checks)).to.deep.equal({
      ready: false,
      checks: { queue: { ok: false, detail: 'queue file is locked' } },
    });
  });
});
