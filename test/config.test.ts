import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, VARIABLES } from '../src/config.ts';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' };

function problems(env: Record<string, string>, requireSlack = false): string[] {
  try {
    loadConfig(env, { requireSlack });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('has defaults for everything but Slack credentials', () => {
    expect(loadConfig({})).toEqual({
      slack: {},
      mode: 'http',
      port: 3000,
      dataFile: 'data/db.json',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      logLevel: 'info',
      adminUserIds: [],
      scheduler: { enabled: true, overrides: {} },
    });
  });

  it("checks the schedule patterns it is given with the scheduler's own parser", () => {
    const checkCron = (p: string) => (p.split(' ').length === 5 ? undefined : 'needs five fields');
    expect(loadConfig({ REMINDER_CRON: '0 9 * * 1', SCHEDULER: 'off' }, { checkCron }).scheduler).toEqual({
      enabled: false,
      overrides: { reminders: '0 9 * * 1' },
    });
    expect(() => loadConfig({ BULLETIN_CRON: 'fridays' }, { checkCron })).toThrow(
      /BULLETIN_CRON: "fridays" is not a cron pattern: needs five fields/,
    );
  });

  it('reads the admins as a list of user ids and an optional user group', () => {
    expect(loadConfig({ ADMIN_USER_IDS: 'U012ABCDEF, U034GHIJKL', ADMIN_USERGROUP_ID: 'S0SUPERVIS' })).toMatchObject({
      adminUserIds: ['U012ABCDEF', 'U034GHIJKL'],
      adminUsergroupId: 'S0SUPERVIS',
    });
    expect(problems({ ADMIN_USER_IDS: 'zhang san' }).map((x) => x.split(':')[0])).toEqual(['ADMIN_USER_IDS']);
  });

  it('chooses Socket Mode when an app token is set', () => {
    expect(loadConfig({ ...slack, SLACK_APP_TOKEN: 'xapp-1-A1-xyz' }, { requireSlack: true }).mode).toBe('socket');
  });

  it('normalises the API URL to end in a slash', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('treats empty values as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ PORT: '', BOT_LOCALE: ' ' }).port).toBe(3000);
  });

  it('reports every problem at once, each with what the variable is for', () => {
    const p = problems(
      {
        PORT: 'eighty',
        BOT_LOCALE: 'fr',
        DUBAN_TIMEZONE: 'Mars/Olympus',
        SLACK_BOT_TOKEN: 'xoxp-user',
        LOG_LEVEL: 'loud',
      },
      true,
    );
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual([
      'BOT_LOCALE',
      'DUBAN_TIMEZONE',
      'LOG_LEVEL',
      'PORT',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]);
    expect(p.find((x) => x.startsWith('SLACK_SIGNING_SECRET'))).toMatch(/not set.*Signing secret/);
  });

  it('requires the bot token and signing secret only to run in Slack', () => {
    expect(problems({})).toEqual([]);
    expect(problems({}, true).map((x) => x.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(problems({ SLACK_BOT_TOKEN: slack.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A1-xyz' }, true)).toEqual([]);
  });

  describe('many workspaces (OAuth)', () => {
    const oauth = {
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'clientsecret0123456789abcdef',
      SLACK_STATE_SECRET: 'a-state-secret-of-our-own',
      DUBAN_TOKEN_KEY: Buffer.alloc(32, 9).toString('base64'),
      SLACK_SIGNING_SECRET: slack.SLACK_SIGNING_SECRET,
    };
    const names = (env: Record<string, string>) => problems(env, true).map((x) => x.split(':')[0]);

    it('runs for every installing workspace with all four set, without a bot token', () => {
      const c = loadConfig(oauth, { requireSlack: true });
      expect(c.slack.oauth?.clientId).toBe(oauth.SLACK_CLIENT_ID);
      expect(c.slack.oauth?.tokenKey).toEqual(Buffer.alloc(32, 9));
      expect(c.slack.botToken).toBeUndefined();
      expect(loadConfig({ ...oauth, DUBAN_TOKEN_KEY: Buffer.alloc(32, 9).toString('hex') }).slack.oauth).toBeDefined();
    });

    it('keeps every workspace in Postgres with DATABASE_URL', () => {
      const c = loadConfig({ ...oauth, DATABASE_URL: 'postgres://duban@localhost/duban' }, { requireSlack: true });
      expect(c.slack.oauth).toBeDefined();
      expect(c.database?.url).toBe('postgres://duban@localhost/duban');
    });

    it.each([
      ['without the client secret', { SLACK_CLIENT_SECRET: '' }, ['SLACK_CLIENT_SECRET']],
      ['without the token key', { DUBAN_TOKEN_KEY: '' }, ['DUBAN_TOKEN_KEY']],
      ['with a short token key', { DUBAN_TOKEN_KEY: Buffer.alloc(16).toString('base64') }, ['DUBAN_TOKEN_KEY']],
      ['with a bot token as well', { SLACK_BOT_TOKEN: slack.SLACK_BOT_TOKEN }, ['SLACK_BOT_TOKEN']],
      ['in Socket Mode', { SLACK_APP_TOKEN: 'xapp-1-A1-xyz' }, ['SLACK_APP_TOKEN']],
      ['with one zone named for Postgres', { DUBAN_ZONE: 'nantong' }, ['DUBAN_ZONE']],
    ])('refuses to start %s, naming the variable', (_name, change, expected) => {
      expect(names({ ...oauth, ...change })).toEqual(expected);
    });

    it('never echoes the secrets it rejects', () => {
      const text = problems({ ...oauth, DUBAN_TOKEN_KEY: 'not-a-key-zzzz' }, true).join('\n');
      expect(text).not.toContain('not-a-key-zzzz');
      expect(text).not.toContain(oauth.SLACK_CLIENT_SECRET);
    });
  });

  it('configures the optional model only when OPENAI_MODEL is set, with a bounded timeout and retries', () => {
    expect(loadConfig({}).llm).toBeUndefined();
    expect(loadConfig({ OPENAI_MODEL: 'qwen2.5:14b', OPENAI_BASE_URL: 'http://10.0.0.5:11434/v1/' }).llm).toEqual({
      baseURL: 'http://10.0.0.5:11434/v1',
      model: 'qwen2.5:14b',
      responseFormat: 'json_schema',
      timeoutMs: 20_000,
      maxRetries: 1,
    });
    expect(
      loadConfig({
        OPENAI_MODEL: 'deepseek-chat',
        OPENAI_API_KEY: 'sk-abc123',
        OPENAI_BASE_URL: 'https://api.deepseek.com',
        OPENAI_RESPONSE_FORMAT: 'json_object',
        OPENAI_TIMEOUT_MS: '8000',
        OPENAI_MAX_RETRIES: '0',
      }).llm,
    ).toEqual({
      baseURL: 'https://api.deepseek.com',
      apiKey: 'sk-abc123',
      model: 'deepseek-chat',
      responseFormat: 'json_object',
      timeoutMs: 8000,
      maxRetries: 0,
    });
    expect(loadConfig({ OPENAI_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-abc123' }).llm?.baseURL).toBe(
      'https://api.openai.com/v1',
    );
  });

  it('reports an incomplete or out-of-bounds model configuration with everything else', () => {
    expect(problems({ OPENAI_API_KEY: 'sk-abc123' }).map((x) => x.split(':')[0])).toEqual(['OPENAI_MODEL']);
    expect(problems({ OPENAI_MODEL: 'gpt-4o-mini' }).map((x) => x.split(':')[0])).toEqual(['OPENAI_API_KEY']);
    const p = problems({
      OPENAI_MODEL: 'm',
      OPENAI_BASE_URL: 'ftp://x',
      OPENAI_TIMEOUT_MS: '500',
      OPENAI_MAX_RETRIES: '9',
      OPENAI_RESPONSE_FORMAT: 'xml',
      PORT: 'x',
    });
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual([
      'OPENAI_BASE_URL',
      'OPENAI_MAX_RETRIES',
      'OPENAI_RESPONSE_FORMAT',
      'OPENAI_TIMEOUT_MS',
      'PORT',
    ]);
    expect(problems({ OPENAI_MODEL: 'm', OPENAI_API_KEY: 'sk very secret' }).join('\n')).not.toContain('secret');
  });

  it('never echoes a secret it rejects', () => {
    const p = problems({ SLACK_BOT_TOKEN: 'xoxp-very-secret-value' }, true).join('\n');
    expect(p).not.toContain('very-secret');
  });

  it('documents every variable in .env.example and the README', async () => {
    const root = join(import.meta.dirname, '..');
    const example = await readFile(join(root, '.env.example'), 'utf8');
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    for (const name of Object.keys(VARIABLES)) {
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(readme, `README lacks ${name}`).toContain(`\`${name}\``);
    }
  });
});
