/** Reminders as plain data: what each department is told, in each language, without Slack. */
import { describe, expect, it } from 'vitest';
import { planReminders, reminderReply } from '../../commands/remind.ts';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { buildModel } from '../slack/helpers.ts';

const year = { start: '2026-01-01', end: '2026-12-31' };
const model = buildModel({
  departments: [{ id: 'build', name: { zh: '建设局', en: 'Construction Bureau' }, channelId: 'C0BUILD001' }],
  projects: [
    {
      id: 'p-park',
      departmentId: 'build',
      name: { zh: '滨江公园提升工程', en: 'Riverside park upgrade' },
      period: year,
      reporting: { cadence: 'none' },
      milestones: [{ id: 'm1', name: { zh: '主体完工', en: 'Main works complete' }, due: '2026-06-17' }],
    },
  ],
});
const calendar = makeCalendar(chineseCalendarData());
const textOf = (reply: ReturnType<typeof reminderReply>) => JSON.stringify(reply.blocks);

describe('a heads-up about a milestone due soon', () => {
  const [plan] = planReminders(model, '2026-06-15', calendar);

  it('is a heads-up, not an item behind', () => {
    expect(plan?.behind).toEqual([]);
    expect(plan?.headsUp.map((h) => h.what)).toEqual(['milestone']);
  });

  it.each([
    ['zh-CN', '主体完工', 'Main works complete'],
    ['en', 'Main works complete', '主体完工'],
  ] as const)('names the milestone in the reader’s language (%s)', (locale, shown, hidden) => {
    const text = textOf(reminderReply(plan!, model, '2026-06-15', locale));
    expect(text).toContain(shown);
    expect(text).not.toContain(hidden);
  });
});
