import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import { ask, blocksOf, expectValidMessage, headerOf, mention, RAW_MENTION, ZH_USER } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
});
afterAll(async () => t.close());

const TEN_THOUSAND = '住建局 城市更新 '.repeat(1250).slice(0, 10_000);
const MENTIONS = '<!channel> <@U123> <!everyone> <!here> <@U0ABCDEF12|bob> <!subteam^S0TEAM|@team>';

/** What every answer to garbage must be: a non-empty usage answer shown only to the asker, valid, mentioning nobody. */
function expectPoliteUsage(a: {
  body: { blocks?: unknown; text?: string; response_type?: string };
  text: string;
}): void {
  expectValidMessage(a.body);
  expect(a.body.response_type).toBe('ephemeral');
  expect(blocksOf(a.body).length).toBeGreaterThan(0);
  expect(a.body.text?.trim()).toBeTruthy();
  expect(a.text).toMatch(/用法示例：|督办 · 使用帮助/);
  expect(a.text).not.toMatch(RAW_MENTION);
}

describe('garbage after a slash command', () => {
  it('answers a bare /duban with the help, only to the asker', async () => {
    const a = await ask(t, '/duban', '');
    expectPoliteUsage(a);
    expect(headerOf(a.body)).toBe('督办 · 使用帮助');
  });

  it.each([
    ['/targets', TEN_THOUSAND],
    ['/projects', TEN_THOUSAND],
    ['/duban', `status ${TEN_THOUSAND}`],
    ['/duban', `behind ${TEN_THOUSAND}`],
  ])('says %s with 10,000 characters is too long', async (command, text) => {
    expect(text.length).toBeGreaterThanOrEqual(10_000);
    const a = await ask(t, command, text);
    expectPoliteUsage(a);
    expect(a.text).toContain('输入太长了（最多 200 个字符）。');
    expect(a.text.length).toBeLessThan(1_000);
  });

  it('answers a 10,000-character unknown subcommand without echoing all of it', async () => {
    const a = await ask(t, '/duban', 'x'.repeat(10_000));
    expectPoliteUsage(a);
    expect(a.text).toContain('不认识的子命令');
    expect(a.text.length).toBeLessThan(1_000);
  });

  it.each([
    ['/targets', '🔥🎉👍🏽'],
    ['/projects', '🔥🎉👍🏽'],
    ['/duban', '🔥🎉👍🏽'],
    ['/duban', 'status 🔥🎉'],
    ['/targets', 'Жизнь 火星 مرحبا ñandú ☃ 𠀋'],
    ['/projects', 'Жизнь 火星 مرحبا ñandú ☃ 𠀋'],
    ['/duban', 'Жизнь 火星 مرحبا ñandú'],
  ])('answers %s %s with a polite usage reply', async (command, text) => {
    const a = await ask(t, command, text);
    expectPoliteUsage(a);
  });

  it.each([
    ['/targets', MENTIONS],
    ['/projects', MENTIONS],
    ['/duban', MENTIONS],
    ['/duban', `status ${MENTIONS}`],
    ['/targets', '&lt;!channel&gt; &lt;@U123&gt; @channel @everyone'],
  ])('never lets %s %s broadcast or mention anyone in its answer', async (command, text) => {
    const a = await ask(t, command, text);
    expectPoliteUsage(a);
    expect(a.text).not.toContain('<!channel>');
    expect(a.text).not.toContain('<!everyone>');
    expect(a.text).not.toMatch(/<@U/);
    expect(a.text).not.toMatch(/(^|[^\u2060])@(channel|everyone|here)\b/);
  });

  it('shows a literally typed <!channel> as text, escaped', async () => {
    const a = await ask(t, '/targets', '&lt;!channel&gt;');
    expect(a.text).toContain('没有找到「&lt;!channel&gt;」');
  });
});

describe('garbage in a mention', () => {
  it('answers a mention full of broadcasts with "not understood", only to the asker, mentioning nobody', async () => {
    const m = await mention(t, MENTIONS);
    expect(m.call.method).toBe('chat.postEphemeral');
    expect(m.args.user).toBe(ZH_USER);
    // Mention markup flattens to Latin words ("!channel", "@bob"), so either language is a fair answer here.
    expect(m.text).toMatch(/抱歉，我没听懂|Sorry, I didn’t catch that/);
    expect(m.text).not.toMatch(RAW_MENTION);
  });

  it('says a 10,000-character question is too long', async () => {
    const m = await mention(t, TEN_THOUSAND);
    expect(m.call.method).toBe('chat.postEphemeral');
    expect(m.call.ok).toBe(true);
    expect(m.text).toContain('输入太长了');
  });
});

describe('after all that garbage', () => {
  it('is still up: healthy, and answering real questions', async () => {
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const a = await ask(t, '/targets', '住建局');
    expect(headerOf(a.body)).toBe('住建局 · 目标');
    expect(t.logs.join('')).not.toContain('"msg":"listener failed"');
  });
});
