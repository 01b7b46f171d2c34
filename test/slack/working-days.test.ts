/** Report deadlines count the zone's working days: nobody is chased for a report due during the National Day holiday. */
import { afterEach, describe, expect, it } from 'vitest';
import { createReadModel } from '../../src/domain/read-model.ts';
import { Database } from '../../src/domain/schema.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ask, ZH_USER } from './helpers.ts';

// A monthly report with 5 days' grace, last sent in August. September's is due by 5 October in calendar days
// (inside the 1–7 October holiday) or by 13 October in working days (8, 9, 10 (make-up Saturday), 12, 13).
const db = Database.parse({
  version: 1,
  meta: { zone: { zh: '测试开发区' }, year: 2026 },
  departments: [{ id: 'edb', name: { zh: '经济发展局' }, shortName: { zh: '经发局' }, liaisonIds: [ZH_USER] }],
  targets: [
    {
      id: 't-growth',
      departmentId: 'edb',
      name: { zh: '规上工业增加值增速' },
      kind: 'level',
      unit: { zh: '%' },
      target: 7.5,
      tolerance: 0.5,
      period: { start: '2026-01-01', end: '2026-12-31' },
      reporting: { cadence: 'monthly', graceDays: 5 },
    },
  ],
  updates: [{ id: 'u1', itemId: 't-growth', at: '2026-08-25T10:00:00+08:00', by: ZH_USER, value: 8 }],
});

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function detailOn(date: string, withCalendar: boolean): Promise<string> {
  const model = createReadModel(db, 'Asia/Shanghai', 0, withCalendar ? chineseCalendarData() : undefined);
  t = await startTestApp({ model, now: new Date(`${date}T10:00:00+08:00`) });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  const answer = await ask(t, '/targets', 't-growth');
  await t.close();
  t = undefined;
  return answer.text;
}

describe('report deadlines in working days', () => {
  it.each([
    {
      date: '2026-10-09',
      withCalendar: true,
      late: false,
      case: 'the second working day after the holiday: not late yet',
    },
    {
      date: '2026-10-09',
      withCalendar: false,
      late: true,
      case: 'the same day counted in calendar days would already be late',
    },
    { date: '2026-10-14', withCalendar: true, late: true, case: 'the day after the fifth working day: late' },
  ])('$case', async ({ date, withCalendar, late }) => {
    const text = await detailOn(date, withCalendar);
    expect(text).toContain('规上工业增加值增速');
    expect(text.includes('未按时报送')).toBe(late);
    if (late) expect(text).toContain(withCalendar ? '应于 10月13日 前报送' : '应于 10月5日 前报送');
  });
});
