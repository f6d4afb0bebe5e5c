/**
 * Shadow root mode, fixed at build time. Lightning's `lwc:external` needs closed shadow roots, so the
 * Lightning flavour of the bundle is built with `__SHADOW_MODE__` = "closed" (see vite.config.ts);
 * the tests set it through a global before the components load (see web-test-runner.config.mjs).
 */
declare const __SHADOW_MODE__: ShadowRootMode | undefined;

export const SHADOW_MODE: ShadowRootMode =
  typeof __SHADOW_MODE__ === 'string' && __SHADOW_MODE__ === 'closed' ? 'closed' : 'open';
