/**
 * The sync server's settings: one zod schema, parsed once at start-up from the environment.
 * Every variable is optional; the defaults run the embedded default (the local dev org).
 */
import { z } from 'zod';
import { CaseRules } from './sync/case-rules.ts';
import { EngagementRefreshConfig } from './sync/engagement-refresh.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/)
  .transform(Number)
  .pipe(z.number().int().min(0).max(65535));

// Secrets are HMAC keys and tokens: kept byte for byte, but a blank one is surely a mistake.
const secretSchema = z.string().regex(/\S/);

/**
 * What each variable accepts, in the words of the error message, and whether its value may be
 * echoed back. Kept beside the schema so the two are read (and changed) together.
 */
const VARIABLES = {
  PORT: { allowed: 'an integer between 0 and 65535', secret: false },
  HOST: { allowed: 'a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0', secret: false },
  DEV_ORG_PORT: { allowed: 'an integer between 0 and 65535', secret: false },
  SF_INSTANCE_URL: {
    allowed: 'an http(s) URL of a Salesforce org, e.g. https://mydomain.my.salesforce.com',
    secret: false,
  },
  SF_ACCESS_TOKEN: { allowed: 'a Salesforce session id or OAuth access token (no spaces)', secret: true },
  SF_API_VERSION: { allowed: 'a Salesforce API version such as 62.0', secret: false },
  X_CONSUMER_SECRET: { allowed: 'a non-blank string', secret: true },
  META_APP_SECRET: { allowed: 'a non-blank string', secret: true },
  META_VERIFY_TOKEN: { allowed: 'a non-blank string', secret: true },
  SF_CLIENT_ID: {
    allowed: 'the consumer key of a connected app (for renewing expired sessions)',
    secret: false,
  },
  SF_CLIENT_SECRET: { allowed: 'the consumer secret of that connected app', secret: true },
  SF_LOGIN_URL: { allowed: 'an http(s) URL of the org login (token endpoint host)', secret: false },
  RECORD_PAGE_URL: {
    allowed:
      'the public http(s) base URL of the record page, e.g. https://social.example.com (its /oauth/callback is the connected app callback)',
    secret: false,
  },
  SESSION_SECRET: { allowed: 'a non-blank string of at least 32 characters', secret: true },
  OPS_TOKEN: {
    allowed:
      'a bearer token of at least 32 characters without spaces for the operator routes, e.g. from `openssl rand -hex 32`',
    secret: true,
  },
  SYNC_API_BUDGET: {
    allowed: 'a share of the daily API allowance between 0.05 and 1, e.g. 0.9',
    secret: false,
  },
  SYNC_BULK_THRESHOLD: {
    allowed: 'a whole number of records, 0 (Bulk API off) or at least 1000, e.g. 5000',
    secret: false,
  },
  CASE_RULES: {
    allowed:
      'JSON like {"influenceThreshold":60,"reopenWithinDays":5,"openFor":["complaint","needs_reply"],"alertInfluenceThreshold":70,"enabled":true}',
    secret: false,
  },
  ENGAGEMENT_REFRESH: {
    allowed:
      'JSON like {"everyMinutes":15,"callsPerHour":120,"postsPerPersona":10,"maxAgeDays":7,"blueskyAppView":"https://public.api.bsky.app"} (everyMinutes 0 turns it off; blueskyAppView "off" where there is no AppView)',
    secret: false,
  },
  X_USER_ID: { allowed: "the numeric id of the brand's X account", secret: false },
  X_API_URL: { allowed: 'an http(s) URL of the X API (polling); unset turns X polling off', secret: false },
  X_BEARER_TOKEN: { allowed: 'an X API bearer token', secret: true },
  X_USERNAME: { allowed: "the brand's X username without @, e.g. acmeoutdoor", secret: false },
  X_USER_ACCESS_TOKEN: {
    allowed: "an OAuth 2.0 user-context token of the brand's X account (tweet.write), for replies",
    secret: true,
  },
  META_GRAPH_URL: {
    allowed: 'an http(s) URL of the Graph API (default https://graph.facebook.com)',
    secret: false,
  },
  META_PAGE_ACCESS_TOKEN: {
    allowed: 'a Page access token (pages_manage_engagement, instagram_manage_comments), for replies',
    secret: true,
  },
  REPLY_APPROVAL_INFLUENCE: {
    allowed: 'an influence score 0–100: replies to authors at or above it wait for an approver',
    secret: false,
  },
  REPLY_APPROVAL_PERMISSION_SET: {
    allowed:
      'the API name of a permission set whose users’ replies wait for an approver, e.g. Social_CRM_Trainee',
    secret: false,
  },
  REPLY_POLL_SECONDS: {
    allowed: 'seconds between checks of the org for replies to send, 1–3600 (default 60)',
    secret: false,
  },
  CUSTOMER_VALUE_FIELD: {
    allowed:
      'Account.<field> or Contact.<field> read as lifetime value, e.g. Account.AnnualRevenue (default: won Opportunity amounts)',
    secret: false,
  },
  CUSTOMER_VALUE_REFRESH_MINUTES: {
    allowed: 'minutes between customer value refreshes, 1–10080 (default 60)',
    secret: false,
  },
  CUSTOMER_VALUE_REFERRAL_SHARE: {
    allowed: "a referrer's share of a deal they referred, 0–1 (default 0.1)",
    secret: false,
  },
  CUSTOMER_VALUE_INFLUENCE_UNIT: {
    allowed: 'what influence 100 with sentiment +1 is worth in the org currency, ≥ 0 (default 1000)',
    secret: false,
  },
  META_PAGE_ID: { allowed: "the brand's Facebook Page id", secret: false },
  INSTAGRAM_ACCOUNT_ID: { allowed: "the brand's Instagram business account id", secret: false },
  MASTODON_URL: {
    allowed: "an http(s) URL of the brand's Mastodon instance; unset turns Mastodon off",
    secret: false,
  },
  MASTODON_ACCESS_TOKEN: { allowed: 'a Mastodon access token with read:notifications', secret: true },
  BLUESKY_HANDLE: {
    allowed: "the brand's Bluesky handle without @, e.g. acme.bsky.social; unset turns Bluesky off",
    secret: false,
  },
  BLUESKY_APP_PASSWORD: { allowed: 'a Bluesky app password', secret: true },
  BLUESKY_PDS_URL: { allowed: 'an http(s) URL of the PDS the brand account lives on', secret: false },
  BLUESKY_FIREHOSE_URL: { allowed: 'a ws(s) or http(s) URL of a relay or PDS event stream', secret: false },
  BLUESKY_PLC_URL: { allowed: 'an http(s) URL of a PLC directory', secret: false },
  BLUESKY_START_CURSOR: { allowed: 'a non-negative integer event seq', secret: false },
  DEMO_TRAFFIC: { allowed: '0 or 1', secret: false },
  DATA_DIR: { allowed: 'a directory path', secret: false },
  LOG_LEVEL: { allowed: `one of ${LOG_LEVELS.join(', ')}`, secret: false },
} as const satisfies Record<string, { allowed: string; secret: boolean }>;

type VariableName = keyof typeof VARIABLES;

/** Every setting's name, for the documentation check (each must be in the READMEs' tables). */
export const SETTING_NAMES = Object.keys(VARIABLES) as readonly VariableName[];

export const ConfigSchema = z
  .object({
    PORT: portSchema.default(8787),
    HOST: z
      .string()
      .regex(/^[A-Za-z0-9.:\-[\]%]+$/)
      .default('127.0.0.1'),
    DEV_ORG_PORT: portSchema.default(8788),
    // Defaulted below from DEV_ORG_PORT: the embedded dev org.
    SF_INSTANCE_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    SF_ACCESS_TOKEN: z.string().regex(/^\S+$/).default('00Ddev0000000000!local'),
    SF_API_VERSION: z
      .string()
      .regex(/^v?\d{2,3}\.0$/)
      .transform((v) => v.replace(/^v/, ''))
      .default('62.0'),
    X_CONSUMER_SECRET: secretSchema.default('dev-x-secret'),
    META_APP_SECRET: secretSchema.default('dev-meta-secret'),
    META_VERIFY_TOKEN: secretSchema.default('dev-meta-verify'),
    SF_CLIENT_ID: z.string().regex(/^\S+$/).optional(),
    SF_CLIENT_SECRET: secretSchema.optional(),
    SF_LOGIN_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    RECORD_PAGE_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    SESSION_SECRET: secretSchema.min(32).optional(),
    OPS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{32,}$/)
      .optional(),
    SYNC_API_BUDGET: z.coerce.number().min(0.05).max(1).default(0.9),
    SYNC_BULK_THRESHOLD: z.coerce
      .number()
      .int()
      .refine((n) => n === 0 || n >= 1000, 'below 1,000 records a Bulk job costs more calls than collections')
      .default(5000),
    CASE_RULES: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not JSON' });
          return z.NEVER;
        }
      })
      .pipe(CaseRules)
      .default(CaseRules.parse({})),
    // Optional (defaults applied where it is used): unset, the refresher runs with EngagementRefreshConfig's defaults.
    ENGAGEMENT_REFRESH: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not JSON' });
          return z.NEVER;
        }
      })
      .pipe(EngagementRefreshConfig)
      .optional(),
    X_USER_ID: z.string().regex(/^\d+$/).default('1500000000000000001'),
    X_API_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    X_BEARER_TOKEN: secretSchema.optional(),
    X_USERNAME: z
      .string()
      .transform((v) => v.replace(/^@/, ''))
      .pipe(z.string().regex(/^[A-Za-z0-9_]{1,15}$/))
      .optional(),
    X_USER_ACCESS_TOKEN: secretSchema.optional(),
    META_GRAPH_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://graph.facebook.com'),
    META_PAGE_ACCESS_TOKEN: secretSchema.optional(),
    REPLY_APPROVAL_INFLUENCE: z.coerce.number().min(0).max(100).optional(),
    REPLY_APPROVAL_PERMISSION_SET: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/)
      .optional(),
    REPLY_POLL_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    CUSTOMER_VALUE_FIELD: z
      .string()
      .trim()
      .regex(/^(Account|Contact)\.[A-Za-z][A-Za-z0-9_]{0,79}$/)
      .optional(),
    CUSTOMER_VALUE_REFRESH_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
    CUSTOMER_VALUE_REFERRAL_SHARE: z.coerce.number().min(0).max(1).default(0.1),
    CUSTOMER_VALUE_INFLUENCE_UNIT: z.coerce.number().min(0).max(1e9).default(1000),
    META_PAGE_ID: z.string().regex(/^\d+$/).default('100000000000001'),
    INSTAGRAM_ACCOUNT_ID: z.string().regex(/^\d+$/).default('17841400000000001'),
    MASTODON_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    MASTODON_ACCESS_TOKEN: secretSchema.optional(),
    BLUESKY_HANDLE: z
      .string()
      .regex(/^[a-z0-9.-]+$/i)
      .optional(),
    BLUESKY_APP_PASSWORD: secretSchema.optional(),
    BLUESKY_PDS_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://bsky.social'),
    BLUESKY_FIREHOSE_URL: z
      .url({ protocol: /^(wss?|https?)$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('wss://bsky.network'),
    BLUESKY_PLC_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://plc.directory'),
    BLUESKY_START_CURSOR: z.coerce.number().int().min(0).optional(),
    DEMO_TRAFFIC: z
      .enum(['0', '1'])
      .transform((v) => v === '1')
      .default(false),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  })
  .transform((c) => ({
    ...c,
    SF_INSTANCE_URL: c.SF_INSTANCE_URL ?? `http://localhost:${c.DEV_ORG_PORT}`,
  }));

export type Config = z.infer<typeof ConfigSchema>;

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** A setting the process cannot start with. The message names the variable and what it accepts. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((i) => i.message).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

function describeIssue(variable: string, value: string | undefined): string {
  const spec = VARIABLES[variable as VariableName] as { allowed: string; secret: boolean } | undefined;
  const allowed = spec?.allowed ?? 'valid';
  // Secrets are never echoed: the message goes to terminals and CI logs.
  if (spec?.secret || value === undefined) return `${variable} must be ${allowed}`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return `${variable} must be ${allowed} (got ${JSON.stringify(shown)})`;
}

/**
 * Parses the environment into a Config. Unset and empty variables take their defaults (an empty
 * `PORT=` in a compose file means "not set", not "port zero").
 * @throws ConfigError naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const name of Object.keys(VARIABLES)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const result = ConfigSchema.safeParse(input);
  if (result.success) return result.data;

  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const issue of result.error.issues) {
    const variable = String(issue.path[0] ?? '(environment)');
    if (seen.has(variable)) continue;
    seen.add(variable);
    issues.push({ variable, message: describeIssue(variable, input[variable]) });
  }
  throw new ConfigError(issues);
}
