/**
 * A date that looks right but does not exist (2027-02-30) is a user's mistake: it gets a polite answer
 * naming the field, with an example, in the user's language, and nothing is changed; never the
 * "try again later" of an internal error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ask, EN_USER, expectValidMessage, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const EN_ADMIN = 'U0ENADMIN1';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ admins: [ADMIN, EN_ADMIN] });
  t.fake.setUser(ADMIN, { locale: 'zh-CN' });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en-US' });
  t.fake.setUser(EN_ADMIN, { locale: 'en-US' });
});
afterAll(async () => t.close());

const APOLOGY = /稍后再试|try again later/i;

describe('a date that does not exist', () => {
  it.each([
    [ADMIN, 'calendar holiday 2027-02-30', '日期「2027-02-30」不是有效的日期', '/duban calendar holiday 2027-01-01'],
    [ADMIN, 'calendar workday 2027-13-01', '日期「2027-13-01」不是有效的日期', '/duban calendar holiday 2027-01-01'],
    [ADMIN, 'calendar holiday 2027-2-3', '日期「2027-2-3」不是有效的日期', '/duban calendar holiday 2027-01-01'],
    [
      EN_ADMIN,
      'calendar holiday 2027-02-30',
      'The date “2027-02-30” is not a valid date',
      '/duban calendar holiday 2027-01-01',
    ],
    [
      ZH_USER,
      'away 2026-02-30 2026-03-01',
      '开始日期「2026-02-30」不是有效的日期',
      '/duban away 2026-12-01 2026-12-05',
    ],
    [
      ZH_USER,
      'away 2026-03-01 2026-02-29',
      '结束日期「2026-02-29」不是有效的日期',
      '/duban away 2026-12-01 2026-12-05',
    ],
    [ZH_USER, 'away 2026/02/30', '开始日期「2026/02/30」不是有效的日期', '/duban away 2026-12-01 2026-12-05'],
    [
      ZH_USER,
      'away 2026-03-05 2026-03-01',
      '结束日期 2026-03-01 早于开始日期 2026-03-05',
      '/duban away 2026-12-01 2026-12-05',
    ],
    [
      EN_USER,
      'away 2026-02-30 2026-03-01',
      'The start date “2026-02-30” is not a valid date',
      '/duban away 2026-12-01 2026-12-05',
    ],
    [
      ADMIN,
      `away <@${ZH_USER}> 2026-04-31 2026-05-02`,
      '开始日期「2026-04-31」不是有效的日期',
      '/duban away 2026-12-01 2026-12-05',
    ],
  ])(
    'answers %s typing "/duban %s" with "%s" and the example, changing nothing',
    async (user, text, problem, example) => {
      const before = t.store.model();
      const answer = await ask(t, '/duban', text, user);
      expect(answer.body.response_type).toBe('ephemeral');
      expectValidMessage(answer.body);
      expect(answer.text).toContain(problem);
      expect(answer.text).toContain(example);
      expect(answer.text).not.toMatch(APOLOGY);
      expect(answer.raw).not.toMatch(/ZodError|invalid_format|at .*\.ts:\d+/);
      const after = t.store.model();
      expect(after.db.settings).toEqual(before.db.settings);
      expect(after.db.absences).toEqual(before.db.absences);
    },
  );

  it('still takes a leap day and a real range', async () => {
    const holiday = await ask(t, '/duban', 'calendar holiday 2028-02-29', ADMIN);
    expect(holiday.text).toContain('2028-02-29 已设为休息日');
    expect(t.store.model().db.settings.schedule.holidays).toContain('2028-02-29');
    const away = await ask(t, '/duban', 'away 2026-12-01 2026-12-05', ZH_USER);
    expect(away.text).toContain('请假');
    expect(away.text).not.toMatch(APOLOGY);
  });
});
