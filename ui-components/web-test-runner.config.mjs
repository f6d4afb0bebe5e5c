// @web/test-runner: the components' TypeScript sources (never dist/) in headless Chromium (the one npm ci brings, see scripts/browser.ts), twice:
// group "open" and group "closed" (closed shadow roots, as Lightning's lwc:external needs them).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { shims } from './build/shims.ts';
import { TLD_MODULE, rewriteTldModule } from './build/tld-list.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/browser.ts';

/** The same module replacements as vite.config.ts, served to the browser. */
const shimPlugin = {
  name: 'social-shims',
  resolveImport({ source }) {
    for (const [pattern, file] of Object.entries(shims)) {
      if (new RegExp(pattern).test(source)) return file.replace(/^\./, '');
    }
    return undefined;
  },
};

/** twitter-text's TLD list front-coded, as vite.config.ts builds it (build/tld-list.ts). */
const tldPlugin = {
  name: 'social-tld-list',
  transform(context) {
    if (TLD_MODULE.test(context.path)) return { body: rewriteTldModule(String(context.body)) };
    return undefined;
  },
};

const html = (mode) => (testFramework) =>
  `<!doctype html><html lang="en"><head><title>social components (${mode})</title></head><body>
  <script>
    globalThis.__SOCIAL_SHADOW_MODE__ = ${JSON.stringify(mode)};
    // The virtualizer resizes rows inside ResizeObserver callbacks; Chromium then reports the benign
    // "ResizeObserver loop completed with undelivered notifications", which mocha would count as a failure.
    addEventListener('error', (e) => {
      if (/^ResizeObserver loop/.test(e.message)) e.stopImmediatePropagation();
    });
  </script>
  <script type="module" src="${testFramework}"></script></body></html>`;

export default {
  nodeResolve: true,
  concurrency: 2,
  concurrentBrowsers: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  plugins: [
    shimPlugin,
    tldPlugin,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: new URL('./tsconfig.json', import.meta.url).pathname,
      // src/shadow-mode.ts reads the build-time constant; here each group sets it before loading.
      define: { __SHADOW_MODE__: 'globalThis.__SOCIAL_SHADOW_MODE__' },
    }),
  ],
  browsers: [
    chromeLauncher({
      // Each test page in its own window: a page in a background tab gets no animation frames, and the
      // virtualizer lays out on animation frames.
      createPage: ({ context }) => context.newPage({ type: 'window' }),
      launchOptions: {
        executablePath: await chromiumExecutable(),
        args: [
          ...CHROMIUM_ARGS,
          // Keep pages that are not focused rendering at full speed.
          '--disable-background-timer-throttling',
          '--disable-renderer-backgrounding',
          '--disable-backgrounding-occluded-windows',
        ],
      },
    }),
  ],
  groups: [
    { name: 'open', files: 'test/**/*.test.ts', testRunnerHtml: html('open') },
    { name: 'closed', files: 'test/**/*.test.ts', testRunnerHtml: html('closed') },
  ],
};
