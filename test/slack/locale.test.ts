import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import { ask, buttonLabelled, click, EN_USER, expectValidMessage, headerOf, ZH_USER } from './helpers.ts';

/** A user whose Slack language duban does not speak. */
const JA_USER = 'U0JAPAN001';
/** A user users.info does not know (user_not_found). */
const GHOST = 'U0GHOST001';

describe('with the default BOT_LOCALE (zh-CN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: SEED_NOW });
    t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
    t.fake.setUser(EN_USER, { locale: 'en-US' });
    t.fake.setUser(JA_USER, { locale: 'ja-JP' });
  });
  afterAll(async () => t.close());

  it('asks users.info for the user’s locale', async () => {
    await ask(t, '/targets', '住建局', EN_USER);
    const lookup = t.fake.callsTo('users.info').find((c) => c.args.user === EN_USER);
    expect(lookup?.args.include_locale).toBe('true');
  });

  it('answers an English-speaking user in English', async () => {
    const { body, text } = await ask(t, '/targets', '住建局', EN_USER);
    expectValidMessage(body);
    expect(headerOf(body)).toBe('HURDB · Targets');
    expect(text).toContain('As of 28 Nov 2026');
    expect(text).toMatch(/(At \d+ [A-Z][a-z]+: plan|Plan) [\d.]+%, actual [\d.]+%, [\d.]+ points behind/);
    expect(text).toContain('Urban-renewal projects started');
    expect(text).not.toMatch(/\p{Script=Han}{2,}/u);
  });

  it('states a level target in English', async () => {
    const { text } = await ask(t, '/targets', 'EDB', EN_USER);
    expect(text).toMatch(/Target at least 7\.5%, latest [\d.]+%/);
  });

  it('tells an English-speaking user in English that a name is unknown', async () => {
    const { body, text } = await ask(t, '/targets', 'Mars Bureau', EN_USER);
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('I couldn’t find “Mars Bureau”.');
    expect(text).toContain('Try: `/targets HURDB`');
  });

  it('gives English help and English usage answers', async () => {
    const help = await ask(t, '/duban', 'help', EN_USER);
    expect(headerOf(help.body)).toBe('duban · Help');
    const wrong = await ask(t, '/duban', 'frobnicate', EN_USER);
    expect(wrong.text).toContain('I don’t know the subcommand “frobnicate”.');
  });

  it('pages in English: the button says Next page and page 2 is English too', async () => {
    const page1 = await ask(t, '/duban', 'behind', EN_USER);
    expect(headerOf(page1.body)).toBe('Behind and at risk, worst first');
    const page2 = await click(t, buttonLabelled(page1.body, 'Next page'), EN_USER);
    expect(headerOf(page2.body)).toBe('Behind and at risk, worst first');
    expect(page2.text).toMatch(/Page 2 of 2, \d+ items/);
  });

  it('answers a Chinese-speaking user in Chinese', async () => {
    const { body } = await ask(t, '/targets', 'HURDB', ZH_USER);
    expect(headerOf(body)).toBe('住建局 · 目标');
  });

  it.each([
    [JA_USER, 'whose Slack language duban does not speak'],
    [GHOST, 'whom users.info does not know'],
  ])('falls back to Chinese for %s, %s', async (user) => {
    const { body, text } = await ask(t, '/duban', 'status 住建局', user);
    expect(headerOf(body)).toBe('住建局 · 记分卡');
    expect(text).toContain('截至 2026年11月28日');
  });

  it('still answers, in Chinese, when users.info fails', async () => {
    t.fake.failNext('users.info', { ok: false, error: 'ratelimited' });
    const { body } = await ask(t, '/duban', 'help', 'U0FAILING01');
    expect(headerOf(body)).toBe('督办 · 使用帮助');
  });
});

describe('with BOT_LOCALE set to en', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: SEED_NOW, locale: 'en' });
    t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  });
  afterAll(async () => t.close());

  it('answers a user whose locale is unknown in English', async () => {
    const { body } = await ask(t, '/targets', '住建局', GHOST);
    expect(headerOf(body)).toBe('HURDB · Targets');
  });

  it('still answers a Chinese-speaking user in Chinese', async () => {
    const { body } = await ask(t, '/targets', '住建局', ZH_USER);
    expect(headerOf(body)).toBe('住建局 · 目标');
  });
});
