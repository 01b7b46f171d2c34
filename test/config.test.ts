import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, VARIABLES, loadConfig } from '../src/config.ts';

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
    expect(loadConfig({})).toEqual({ slack: {}, mode: 'http', port: 3000, dataFile: 'data/db.json', locale: 'zh-CN', timeZone: 'Asia/Shanghai', logLevel: 'info', adminUserIds: [] });
  });

  it('reads the admins as a list of user ids and an optional user group', () => {
    expect(loadConfig({ ADMIN_USER_IDS: 'U012ABCDEF, U034GHIJKL', ADMIN_USERGROUP_ID: 'S0SUPERVIS' })).toMatchObject({ adminUserIds: ['U012ABCDEF', 'U034GHIJKL'], adminUsergroupId: 'S0SUPERVIS' });
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
    const p = problems({ PORT: 'eighty', BOT_LOCALE: 'fr', DUBAN_TIMEZONE: 'Mars/Olympus', SLACK_BOT_TOKEN: 'xoxp-user', LOG_LEVEL: 'loud' }, true);
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual(['BOT_LOCALE', 'DUBAN_TIMEZONE', 'LOG_LEVEL', 'PORT', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(p.find((x) => x.startsWith('SLACK_SIGNING_SECRET'))).toMatch(/not set.*Signing secret/);
  });

  it('requires the bot token and signing secret only to run in Slack', () => {
    expect(problems({})).toEqual([]);
    expect(problems({}, true).map((x) => x.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(problems({ SLACK_BOT_TOKEN: slack.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A1-xyz' }, true)).toEqual([]);
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
