import { defineConfig, type Plugin } from 'vite';
import MagicString from 'magic-string';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { fileURLToPath } from 'node:url';
import { shims } from './build/shims.ts';
import { TLD_MODULE, rewriteTldModule } from './build/tld-list.ts';

/**
 * Library build of src/index.ts, lit and everything else bundled in:
 * - `vite build`               → dist/social-components.js         (open shadow roots)
 * - `vite build --mode closed` → dist/social-components.closed.js  (closed shadow roots, for Lightning's lwc:external)
 */
/** The rewritten module with a source map: only the span between the common head and tail changed. */
function withSourceMap(code: string, rewritten: string, id: string) {
  let head = 0;
  while (head < code.length && code[head] === rewritten[head]) head++;
  let tail = 0;
  while (
    tail < code.length - head &&
    tail < rewritten.length - head &&
    code[code.length - 1 - tail] === rewritten[rewritten.length - 1 - tail]
  )
    tail++;
  const edit = new MagicString(code);
  if (head < code.length - tail)
    edit.overwrite(head, code.length - tail, rewritten.slice(head, rewritten.length - tail));
  else edit.appendLeft(head, rewritten.slice(head, rewritten.length - tail));
  return { code: edit.toString(), map: edit.generateMap({ source: id, hires: true }) };
}

export default defineConfig(({ mode }) => {
  const closed = mode === 'closed';
  return {
    // Collapses the whitespace of html`` and css`` templates, which the JS minifier must keep verbatim.
    // Conservatively: a run of whitespace becomes one space, never none, so "Ann Lee" and "12K followers"
    // in two elements do not run together as "Ann Lee12K followers" (the tests run the unminified source).
    plugins: [
      {
        ...minifyHtmlLiterals({
          include: [fileURLToPath(new URL('src/**/*.ts', import.meta.url))],
          options: { minifyOptions: { conservativeCollapse: true } },
        }),
        enforce: 'pre',
      } as unknown as Plugin,
      {
        name: 'social-tld-list',
        enforce: 'pre',
        transform: (code, id) =>
          TLD_MODULE.test(id) ? withSourceMap(code, rewriteTldModule(code), id) : null,
      },
    ],
    define: { __SHADOW_MODE__: JSON.stringify(closed ? 'closed' : 'open') },
    resolve: {
      alias: Object.entries(shims).map(([find, file]) => ({
        find: new RegExp(find),
        replacement: fileURLToPath(new URL(file, import.meta.url)),
      })),
    },
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !closed,
      minify: true,
      sourcemap: true,
      // One file: the virtualizer's lazily imported layout is inlined, so the bundle works as a single
      // Salesforce static resource.
      rolldownOptions: { output: { codeSplitting: false, minify: true } },
      lib: {
        entry: fileURLToPath(new URL('src/index.ts', import.meta.url)),
        formats: ['es'],
        fileName: () => (closed ? 'social-components.closed.js' : 'social-components.js'),
      },
    },
  };
});
