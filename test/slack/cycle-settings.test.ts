/**
 * `/duban schedule set assigners|sign-within|evidence`: the 督办 cycle's settings, changed by admins
 * through the Slack app, stored, audited and listed in `/duban schedule`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ask, EN_USER, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
let t: TestApp;
afterEach(async () => t?.close());

const settings = () => t.store.model().db.settings;

describe('the 督办 cycle settings', () => {
  it.each([
    ['assigners leads', { assigners: 'admins_and_leads' }, '已将可交办人员设为 管理员和各部门负责人。'],
    ['assigners 管理员', { assigners: 'admins' }, '已将可交办人员设为 仅管理员。'],
    ['sign-within 5', { signWithinWorkdays: 5 }, '已将签收时限设为 5 个工作日。'],
    ['sign-within 0', { signWithinWorkdays: 0 }, '已将签收时限设为 0 个工作日。'],
    ['evidence all', { evidenceRequired: 'all' }, '已将销号佐证设为 所有事项须附佐证。'],
    ['evidence 不需要', { evidenceRequired: 'none' }, '已将销号佐证设为 不要求佐证。'],
  ])('sets %s: stored and audited', async (words, stored, answer) => {
    t = await startTestApp({ admins: [ADMIN] });
    const reply = await ask(t, '/duban', `schedule set ${words}`, ADMIN);
    expect(reply.text).toContain(answer);
    expect(settings()).toMatchObject(stored);
    expect((await ask(t, '/duban', 'audit', ADMIN)).text).toContain('修改督办设置');
  });

  it.each([
    ['assigners everyone', '看不懂可交办人员「everyone」', '/duban schedule set assigners leads'],
    ['sign-within 31', '签收时限应在 0 个工作日 到 30 个工作日 之间', '/duban schedule set sign-within 2'],
    ['sign-within -1', '签收时限应在 0 个工作日 到 30 个工作日 之间', '/duban schedule set sign-within 2'],
    ['evidence maybe', '看不懂销号佐证「maybe」', '/duban schedule set evidence all'],
  ])('refuses %s, naming the setting, with an example, changing nothing', async (words, problem, example) => {
    t = await startTestApp({ admins: [ADMIN] });
    const before = structuredClone(settings());
    const reply = await ask(t, '/duban', `schedule set ${words}`, ADMIN);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.text).toContain(problem);
    expect(reply.text).toContain(example);
    expect(settings()).toEqual(before);
  });

  it('is for admins only', async () => {
    t = await startTestApp({ admins: [ADMIN] });
    const reply = await ask(t, '/duban', 'schedule set assigners leads', ZH_USER);
    expect(reply.text).toContain(messages('zh-CN').admin.adminsOnly);
    expect(settings().assigners).toBe('admins');
  });

  it('is listed in /duban schedule, in the reader’s language', async () => {
    t = await startTestApp({ admins: [ADMIN, EN_USER] });
    t.fake.setUser(EN_USER, { locale: 'en-US' });
    await ask(t, '/duban', 'schedule set evidence all', ADMIN);
    expect((await ask(t, '/duban', 'schedule', ADMIN)).text).toContain('销号佐证：所有事项须附佐证');
    expect((await ask(t, '/duban', 'schedule', EN_USER)).text).toContain(
      'Evidence to close: every item needs evidence',
    );
  });
});
