/**
 * The UI components: bundle size (gzip; all four, <social-inbox> included, within the 43 KB budget) and
 * the first render in headless Chromium of <social-timeline> with 1,000 posts and of <social-inbox> with
 * 1,000 open posts, and of each with 10,000 against that (virtualization keeps the ratio near 1). Runs
 * ui-components/bench/render.bench.ts, which builds the bundle if missing.
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
    const render = (name: string): number => {
      const value = renders[name]?.value;
      if (typeof value !== 'number') throw new Error(`the ui render benchmark printed no ${name}:\n${last}`);
      return value;
    };
    const first1000 = render('ui_timeline_first_render_1000');
    const first10000 = render('ui_timeline_first_render_10000');
    const inbox1000 = render('ui_inbox_first_render_1000');
    const inbox10000 = render('ui_inbox_first_render_10000');
    const gzipKiB = (file: string): number =>
      gzipSync(readFileSync(`${root}/ui-components/dist/${file}`), { level: 9 }).length / 1024;
    return {
      ui_bundle_gzip: result(gzipKiB('social-components.js'), 'KiB'),
      ui_bundle_closed_gzip: result(gzipKiB('social-components.closed.js'), 'KiB'),
      ui_timeline_first_render_1000: result(first1000, 'ms'),
      ui_timeline_first_render_10000: result(first10000, 'ms', first1000),
      ui_inbox_first_render_1000: result(inbox1000, 'ms'),
      ui_inbox_first_render_10000: result(inbox10000, 'ms', inbox1000),
    };
  },
};
