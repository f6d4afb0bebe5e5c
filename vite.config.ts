/**
 * `vite build` from the repository root builds the components bundle: the configuration lives with the
 * components (ui-components/vite.config.ts); this runs it with ui-components as the project root.
 */
import { defineConfig, type ConfigEnv, type UserConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import components from './ui-components/vite.config.ts';

export default defineConfig(async (env: ConfigEnv): Promise<UserConfig> => {
  const config = typeof components === 'function' ? await components(env) : await components;
  return { ...config, root: fileURLToPath(new URL('./ui-components', import.meta.url)) };
});
