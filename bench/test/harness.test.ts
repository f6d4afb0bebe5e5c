import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchmarks } from '../harness.ts';

const registry = fileURLToPath(new URL('./fixtures/registry.ts', import.meta.url));

describe('npm run bench (the harness)', function () {
  this.timeout(120_000);
  let dir: string;
  let outFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socialcrm-bench-'));
    outFile = join(dir, 'results.json');
    process.env['BENCH_OUT'] = outFile;
  });
  afterEach(() => {
    delete process.env['BENCH_OUT'];
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each result as its benchmark finishes, and a failing, crashing or hanging one loses no other', async () => {
    // A result of an earlier run, for a benchmark not run now, is kept.
    writeFileSync(outFile, JSON.stringify({ older: { value: 1, unit: 'x', baseline: null, ratio: null } }));
    const failed = await runBenchmarks(['first', 'throws', 'crashes', 'hangs', 'last'], {
      outFile,
      registry,
      timeoutMs: 5_000,
    });
    expect(failed).to.deep.equal(['throws', 'crashes', 'hangs']);
    const written = JSON.parse(readFileSync(outFile, 'utf8')) as Record<string, { value: number }>;
    expect(Object.keys(written).sort()).to.deep.equal(['first_value', 'last_saw_first_on_disk', 'older']);
    expect(written['first_value']).to.deep.equal({ value: 3, unit: 'ms', baseline: 6, ratio: 0.5 });
    expect(written['last_saw_first_on_disk']!.value).to.equal(1);
  });

  it('names an unknown benchmark as a failure', async () => {
    expect(await runBenchmarks(['nope'], { outFile, registry })).to.deep.equal(['nope']);
  });
});
