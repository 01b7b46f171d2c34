import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, SEED_NOW, SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { appMention } from '../support/slack-requests.ts';
import { ask, CHANNEL, EN_USER, mention, ZH_USER } from './helpers.ts';

const FAILURE = 'store exploded while reading /var/lib/duban/secret-path.json';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    now: SEED_NOW,
    modelFn: () => {
      throw new Error(FAILURE);
    },
  });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en-US' });
});
afterAll(async () => t.close());

type LogLine = Record<string, unknown> & { level: number; msg?: string; err?: { message?: string; stack?: string } };
const logLines = (): LogLine[] =>
  t.logs
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);

/** What Slack must never see: the error, its stack, or where it happened. */
function expectNothingInternal(text: string): void {
  expect(text).not.toContain('store exploded');
  expect(text).not.toContain('/var/lib');
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toMatch(/Error:/);
}

describe('an unexpected error while answering a slash command', () => {
  it('acknowledges the command and apologises briefly on the response_url, only to the asker', async () => {
    const a = await ask(t, '/targets', '住建局');
    expect(a.body.response_type).toBe('ephemeral');
    expect(a.body.replace_original).toBe(false);
    expect(a.body.text).toBe('抱歉，处理您的请求时出了点问题，已记录，请稍后再试。');
    expect(a.raw.length).toBeLessThan(300);
    expectNothingInternal(a.raw);
  });

  it('apologises in the user’s own language', async () => {
    const a = await ask(t, '/duban', 'behind', EN_USER);
    expect(a.body.text).toBe('Sorry, something went wrong on our side. It has been logged; please try again shortly.');
    expectNothingInternal(a.raw);
  });

  it('logs the error once, at error level, with the command and the user', async () => {
    await ask(t, '/projects', '城市更新', 'U0CONTEXT01');
    const failures = logLines().filter((l) => l.msg === 'listener failed' && l.user === 'U0CONTEXT01');
    expect(failures).toHaveLength(1);
    const [line] = failures;
    expect(line!.level).toBe(50);
    expect(line).toMatchObject({ command: '/projects', user: 'U0CONTEXT01', channel: CHANNEL });
    expect(line!.err?.message).toContain(FAILURE);
  });

  it('keeps running and answers the next command the same way', async () => {
    const first = await ask(t, '/targets', '');
    const second = await ask(t, '/targets', '');
    expect(first.body.text).toBe(second.body.text);
    expect(second.body.text).toMatch(/^抱歉/);
  });
});

describe('an unexpected error while answering a mention', () => {
  it('apologises in the thread, only to the asker, and posts nothing else', async () => {
    const event = appMention({ text: '住建局进展如何?', userId: ZH_USER, channelId: CHANNEL });
    expect((await t.slack.event(event)).status).toBe(200);
    const call = await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'chat.postEphemeral' && r.args.thread_ts === event.ts,
    );
    expect(call.args.user).toBe(ZH_USER);
    expect(call.args.channel).toBe(CHANNEL);
    expect(call.args.text).toBe('抱歉，处理您的请求时出了点问题，已记录，请稍后再试。');
    expectNothingInternal(allText(call.args));
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === event.ts)).toEqual([]);
    const failure = logLines().find((l) => l.msg === 'listener failed' && l.event === 'app_mention');
    expect(failure).toMatchObject({ event: 'app_mention', user: ZH_USER, channel: CHANNEL });
  });
});

describe('the logs', () => {
  // Failures of its own to look into, whichever tests ran before.
  beforeAll(async () => {
    await ask(t, '/targets', '住建局');
    await ask(t, '/duban', 'behind', EN_USER);
    await ask(t, '/projects', '城市更新');
    await ask(t, '/targets', '');
    await mention(t, '住建局进展如何?');
  });

  it('never contain the bot token or the signing secret', () => {
    const all = t.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain('listener failed');
    expect(all).not.toContain('xoxb-');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });

  it('nothing the app sent to Slack carries the error text', () => {
    const sent = [...t.fake.responses.map((r) => r.raw), ...t.fake.calls.map((c) => JSON.stringify(c.args))].join('\n');
    expect(t.fake.responses.length).toBeGreaterThan(3);
    expectNothingInternal(sent);
  });
});
