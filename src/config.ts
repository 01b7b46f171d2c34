/**
 * Configuration is a pure function of an environment object. Every variable is declared here once,
 * with what it is for; a bad or missing one is reported together with all the others.
 */
import { z } from 'zod';
import { isValidTimeZone } from './domain/dates.ts';
import { LOCALES, type Locale } from './i18n/index.ts';
import { parseTokenKey } from './zones/secrets.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** name → [schema, what it is for]; the order is the order of .env.example and the README table. */
export const VARIABLES = {
  SLACK_BOT_TOKEN: [
    z
      .string()
      .regex(/^xoxb-[A-Za-z0-9-]+$/, 'must look like xoxb-…')
      .optional(),
    'Bot token (OAuth & Permissions → Bot User OAuth Token); required to run in Slack',
  ],
  SLACK_SIGNING_SECRET: [
    z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/, "must be the app's signing secret (letters and digits)")
      .optional(),
    'Signing secret (Basic Information → App Credentials); required for HTTP mode',
  ],
  SLACK_APP_TOKEN: [
    z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/, 'must look like xapp-…')
      .optional(),
    'App-level token with connections:write; when set, duban uses Socket Mode instead of HTTP',
  ],
  SLACK_API_URL: [
    z.url({ protocol: /^https?$/ }).optional(),
    'Base URL of the Slack Web API (default https://slack.com/api/); for proxies and tests',
  ],
  SLACK_CLIENT_ID: [
    z
      .string()
      .regex(/^[0-9]+\.[0-9]+$/, 'must look like 1234567890.1234567890')
      .optional(),
    'Client ID (Basic Information → App Credentials); with the client secret, duban serves every workspace that installs it (/slack/install)',
  ],
  SLACK_CLIENT_SECRET: [
    z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/, "must be the app's client secret (letters and digits)")
      .optional(),
    'Client secret (Basic Information → App Credentials); multi-workspace mode',
  ],
  SLACK_STATE_SECRET: [
    z.string().min(16, 'must be at least 16 characters').optional(),
    "A secret of your own (16+ characters) that signs the install flow's state; multi-workspace mode",
  ],
  DUBAN_TOKEN_KEY: [
    z
      .string()
      .refine(
        (t) => parseTokenKey(t) !== undefined,
        'must be 32 random bytes as base64 or 64 hex digits (openssl rand -base64 32)',
      )
      .optional(),
    "Key that encrypts the installed workspaces' bot tokens at rest; multi-workspace mode (keep it secret and backed up)",
  ],
  PORT: [
    z.coerce.number().int().min(1).max(65535).default(3000),
    'HTTP port for /slack/events and /healthz (HTTP mode); /healthz alone in Socket Mode',
  ],
  DATA_FILE: [
    z.string().min(1).default('data/db.json'),
    'The lowdb JSON store; created on first write, one process per file',
  ],
  DATABASE_URL: [
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        'must be a Postgres URL such as postgres://duban:secret@db.example.org:5432/duban',
      )
      .optional(),
    'Postgres instead of DATA_FILE (README: "Postgres mode"): the database for every instance; schema migrations run on start. With SLACK_CLIENT_ID, every workspace\'s zone and installation',
  ],
  DUBAN_ZONE: [
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _, e.g. default or nantong')
      .default('default'),
    'With DATABASE_URL: the zone this instance serves (its rows in the database); default "default". Not with SLACK_CLIENT_ID (each workspace is its own zone)',
  ],
  DUBAN_LEADER_CAMPAIGN_SECONDS: [
    z.coerce.number().min(0.1).max(60).default(5),
    'With DATABASE_URL: how often an instance tries to become the one that runs the schedule (and the leader checks it still is); another instance takes over within this after the leader dies',
  ],
  BOT_LOCALE: [
    z.enum(LOCALES as [Locale, ...Locale[]]).default('zh-CN'),
    "Default language, zh-CN or en; a Slack user's own locale wins when known",
  ],
  DUBAN_TIMEZONE: [
    z.string().default('Asia/Shanghai').refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    'Time zone for dates, pacing and deadlines',
  ],
  LOG_LEVEL: [z.enum(LOG_LEVELS).default('info'), 'Log level: fatal, error, warn, info, debug, trace or silent'],
  ADMIN_USER_IDS: [
    z
      .string()
      .regex(
        /^\s*[UW][A-Z0-9]{2,}(\s*,\s*[UW][A-Z0-9]{2,})*\s*$/,
        'must be Slack user ids separated by commas, e.g. U012ABCDEF,U034GHIJKL',
      )
      .optional(),
    'Supervision-office admins (Slack user ids, comma-separated): manage members, review, exempt, see the audit trail',
  ],
  ADMIN_USERGROUP_ID: [
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id such as S012ABCDEF')
      .optional(),
    'A Slack user group whose members are admins too (needs usergroups:read)',
  ],
  SCHEDULER: [
    z.enum(['on', 'off']).default('on'),
    'Scheduled reminders and bulletins in this process: on or off (only one process may send; the data-file lock ensures it)',
  ],
  REMINDER_CRON: [
    z.string().max(100).optional(),
    'Cron pattern of reminder runs in DUBAN_TIMEZONE (overrides the store; default 0 9 * * 1, Monday 09:00)',
  ],
  BULLETIN_CRON: [
    z.string().max(100).optional(),
    'Cron pattern of the progress bulletin in DUBAN_TIMEZONE (overrides the store; default 0 16 * * 5, Friday 16:00)',
  ],
  OPENAI_BASE_URL: [
    z.url({ protocol: /^https?$/ }).optional(),
    'Optional LLM: base URL of an OpenAI-compatible API (default https://api.openai.com/v1); point it at a server on the premises (vLLM, Ollama) to keep data local',
  ],
  OPENAI_API_KEY: [
    z
      .string()
      .regex(/^\S{1,512}$/, 'must be one word without spaces')
      .optional(),
    'Optional LLM: API key for OPENAI_BASE_URL (local servers usually need none)',
  ],
  OPENAI_MODEL: [
    z
      .string()
      .regex(/^[\w.:/@+-]{1,128}$/, 'must be a model name such as qwen2.5:14b or deepseek-chat')
      .optional(),
    'Optional LLM: the model name; without it duban never calls a model. Admins then turn it on with /duban llm on',
  ],
  OPENAI_RESPONSE_FORMAT: [
    z.enum(['json_schema', 'json_object']).default('json_schema'),
    'Optional LLM: structured output as json_schema (OpenAI, vLLM, Ollama) or json_object (servers without JSON Schema support, such as DeepSeek)',
  ],
  OPENAI_TIMEOUT_MS: [
    z.coerce.number().int().min(1000).max(120_000).default(20_000),
    'Optional LLM: how long one model request may take, in milliseconds',
  ],
  OPENAI_MAX_RETRIES: [
    z.coerce.number().int().min(0).max(3).default(1),
    'Optional LLM: retries of a failed or timed-out model request',
  ],
} as const;

export type VariableName = keyof typeof VARIABLES;

const EnvSchema = z.object(
  Object.fromEntries(Object.entries(VARIABLES).map(([k, [schema]]) => [k, schema])) as {
    [K in VariableName]: (typeof VARIABLES)[K][0];
  },
);

export type Config = {
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** Multi-workspace mode: Slack's OAuth distribution, one zone per installed workspace. */
    oauth?: { clientId: string; clientSecret: string; stateSecret: string; tokenKey: Buffer };
  };
  mode: 'http' | 'socket';
  port: number;
  dataFile: string;
  /** Postgres mode (DATABASE_URL): the database and the zone this instance serves; lowdb at dataFile otherwise. */
  database?: { url: string; zone: string; campaignMs: number };
  locale: Locale;
  timeZone: string;
  logLevel: (typeof LOG_LEVELS)[number];
  adminUserIds: string[];
  adminUsergroupId?: string;
  scheduler: { enabled: boolean; overrides: { reminders?: string; bulletin?: string } };
  /** The optional model, when OPENAI_MODEL is set; admins still have to turn it on. */
  llm?: LlmConfig;
};

export type LlmConfig = {
  baseURL: string;
  apiKey?: string;
  model: string;
  responseFormat: 'json_schema' | 'json_object';
  timeoutMs: number;
  maxRetries: number;
};

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `duban cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'ConfigError';
  }
}

function describe(name: string): string {
  return (VARIABLES as Record<string, readonly [unknown, string]>)[name]?.[1] ?? '';
}

/**
 * Reads configuration from `env`. With `requireSlack`, the tokens needed to connect are required:
 * the bot token always, the signing secret in HTTP mode, the app token's presence selects Socket Mode.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: { requireSlack?: boolean; checkCron?: (pattern: string) => string | undefined } = {},
): Config {
  // Empty strings (as left by a copied .env.example) mean "not set".
  const cleaned = Object.fromEntries(
    Object.keys(VARIABLES).map((k) => [k, env[k]?.trim() ? env[k]!.trim() : undefined]),
  );
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      problems.push(`${name}: ${issue.message}. (${describe(name)})`);
    }
  }
  const v = parsed.success ? parsed.data : undefined;
  const mode = cleaned.SLACK_APP_TOKEN ? 'socket' : 'http';
  for (const name of ['REMINDER_CRON', 'BULLETIN_CRON'] as const) {
    const pattern = cleaned[name];
    const problem = pattern && options.checkCron?.(pattern);
    if (problem) problems.push(`${name}: "${pattern}" is not a cron pattern: ${problem}. (${describe(name)})`);
  }
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'DUBAN_TOKEN_KEY'] as const;
  const oauth = oauthNames.some((n) => cleaned[n]);
  if (oauth) {
    for (const n of oauthNames)
      if (!cleaned[n])
        problems.push(`${n}: not set; multi-workspace mode needs all of ${oauthNames.join(', ')}. (${describe(n)})`);
    if (cleaned.SLACK_BOT_TOKEN)
      problems.push(
        'SLACK_BOT_TOKEN: set together with SLACK_CLIENT_ID; use one: the bot token for one workspace, or the client id and secret for every workspace that installs duban.',
      );
    if (cleaned.DUBAN_ZONE)
      problems.push(
        'DUBAN_ZONE: with SLACK_CLIENT_ID every installed workspace is a zone of its own, named by its Slack id; unset DUBAN_ZONE.',
      );
    if (mode === 'socket')
      problems.push(
        'SLACK_APP_TOKEN: multi-workspace mode runs over HTTP (/slack/install, /slack/events); unset SLACK_APP_TOKEN.',
      );
  }
  if (options.requireSlack) {
    if (!cleaned.SLACK_BOT_TOKEN && !oauth) problems.push(`SLACK_BOT_TOKEN: not set. (${describe('SLACK_BOT_TOKEN')})`);
    if (mode === 'http' && !cleaned.SLACK_SIGNING_SECRET)
      problems.push(`SLACK_SIGNING_SECRET: not set. (${describe('SLACK_SIGNING_SECRET')})`);
  }
  if (cleaned.OPENAI_MODEL === undefined && (cleaned.OPENAI_API_KEY || cleaned.OPENAI_BASE_URL)) {
    problems.push(`OPENAI_MODEL: not set, but OPENAI_API_KEY or OPENAI_BASE_URL is. (${describe('OPENAI_MODEL')})`);
  }
  if (cleaned.OPENAI_MODEL && !cleaned.OPENAI_API_KEY && !cleaned.OPENAI_BASE_URL) {
    problems.push(
      `OPENAI_API_KEY: not set; api.openai.com needs one (or set OPENAI_BASE_URL to a server on the premises). (${describe('OPENAI_API_KEY')})`,
    );
  }
  if (problems.length > 0 || !v) throw new ConfigError(problems);
  const slack: Config['slack'] = {};
  if (v.SLACK_BOT_TOKEN) slack.botToken = v.SLACK_BOT_TOKEN;
  if (v.SLACK_SIGNING_SECRET) slack.signingSecret = v.SLACK_SIGNING_SECRET;
  if (v.SLACK_APP_TOKEN) slack.appToken = v.SLACK_APP_TOKEN;
  if (v.SLACK_CLIENT_ID && v.SLACK_CLIENT_SECRET && v.SLACK_STATE_SECRET && v.DUBAN_TOKEN_KEY)
    slack.oauth = {
      clientId: v.SLACK_CLIENT_ID,
      clientSecret: v.SLACK_CLIENT_SECRET,
      stateSecret: v.SLACK_STATE_SECRET,
      tokenKey: parseTokenKey(v.DUBAN_TOKEN_KEY)!,
    };
  if (v.SLACK_API_URL) slack.apiUrl = v.SLACK_API_URL.endsWith('/') ? v.SLACK_API_URL : `${v.SLACK_API_URL}/`;
  return {
    slack,
    mode,
    port: v.PORT,
    dataFile: v.DATA_FILE,
    ...(v.DATABASE_URL
      ? {
          database: {
            url: v.DATABASE_URL,
            zone: v.DUBAN_ZONE,
            campaignMs: Math.round(v.DUBAN_LEADER_CAMPAIGN_SECONDS * 1000),
          },
        }
      : {}),
    locale: v.BOT_LOCALE,
    timeZone: v.DUBAN_TIMEZONE,
    logLevel: v.LOG_LEVEL,
    adminUserIds: v.ADMIN_USER_IDS ? v.ADMIN_USER_IDS.split(',').map((x) => x.trim()) : [],
    ...(v.ADMIN_USERGROUP_ID ? { adminUsergroupId: v.ADMIN_USERGROUP_ID } : {}),
    scheduler: {
      enabled: v.SCHEDULER === 'on',
      overrides: {
        ...(v.REMINDER_CRON ? { reminders: v.REMINDER_CRON } : {}),
        ...(v.BULLETIN_CRON ? { bulletin: v.BULLETIN_CRON } : {}),
      },
    },
    ...(v.OPENAI_MODEL
      ? {
          llm: {
            baseURL: (v.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, ''),
            ...(v.OPENAI_API_KEY ? { apiKey: v.OPENAI_API_KEY } : {}),
            model: v.OPENAI_MODEL,
            responseFormat: v.OPENAI_RESPONSE_FORMAT,
            timeoutMs: v.OPENAI_TIMEOUT_MS,
            maxRetries: v.OPENAI_MAX_RETRIES,
          },
        }
      : {}),
  };
}
