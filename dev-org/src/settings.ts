/**
 * The dev org's settings from the environment, checked apart from starting it: `npm start` checks every
 * part's settings before it starts any part.
 */
import { z } from 'zod';

const Settings = z.object({
  DEV_ORG_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  DEV_ORG_HOST: z.string().min(1).default('127.0.0.1'),
  DEV_ORG_ACCESS_TOKEN: z.string().min(1).optional(),
  DEV_ORG_API_LIMIT: z.coerce.number().int().min(1).default(100_000),
  DATA_DIR: z.string().min(1).default('./.data'),
});

export type DevOrgSettings = z.infer<typeof Settings>;

const ALLOWED: Record<keyof DevOrgSettings, string> = {
  DEV_ORG_PORT: 'an integer between 0 and 65535',
  DEV_ORG_HOST: 'a host name or IP address to listen on, e.g. 127.0.0.1',
  DEV_ORG_ACCESS_TOKEN: 'a non-empty bearer token',
  DEV_ORG_API_LIMIT: 'a whole number of API requests a day, at least 1',
  DATA_DIR: 'a directory',
};

/** The settings, or one message per bad variable naming what it accepts. */
export function parseDevOrgSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: DevOrgSettings } | { ok: false; problems: string[] } {
  // As for the sync server, an empty variable counts as unset.
  const input = Object.fromEntries(
    Object.keys(ALLOWED).flatMap((name) => (env[name] ? [[name, env[name]]] : [])),
  );
  const parsed = Settings.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))] as (keyof DevOrgSettings)[];
  return {
    ok: false,
    problems: names.map((name) =>
      name === 'DEV_ORG_ACCESS_TOKEN'
        ? `${name} must be ${ALLOWED[name]}`
        : `${name} must be ${ALLOWED[name]} (got ${JSON.stringify(input[name])})`,
    ),
  };
}
