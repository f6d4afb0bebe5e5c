/**
 * The record page components: bundle size (gzip, the 35 KB budget) and the first render of
 * <social-timeline> in headless Chromium with 1,000 posts, and with 10,000 against that (virtualization
 * keeps the ratio near 1). Runs ui-components/bench/render.bench.ts, which builds the bundle if missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { result, type Benchmark } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export const uiBenchmark: Benchmark = {
  name: 'ui components',
  async run() {
    if (!existsSync(`${root}/ui-components/dist/social-components.closed.js`)) {
      const build = spawnSync('npm', ['run', 'build', '-w', 'ui-components'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`building the components failed:\n${build.stderr}`);
    }
    const run = spawnSync(process.execPath, ['ui-components/bench/render.bench.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`ui render benchmark failed:\n${run.stderr}`);
    const last = run.stdout.trim().split('\n').at(-1) ?? '{}';
    const renders = JSON.parse(last) as Record<string, { value: number }>;
    const first1000 = renders['ui_timeline_first_render_1000']?.value ?? NaN;
    const first10000 = renders['ui_timeline_first_render_10000']?.value ?? NaN;
    const gzipKiB = (file: string): number =>
      gzipSync(readFileSync(`${root}/ui-components/dist/${file}`), { level: 9 }).length / 1024;
    return {
      ui_bundle_gzip: result(gzipKiB('social-components.js'), 'KiB'),
      ui_bundle_closed_gzip: result(gzipKiB('social-components.closed.js'), 'KiB'),
      ui_timeline_first_render_1000: result(first1000, 'ms'),
      ui_timeline_first_render_10000: result(first10000, 'ms', first1000),
    };
  },
};
