/**
 * 牵头 / 配合 in the reminder plan: a supporting department is reminded of its own sub-tasks only
 * (overdue, or due within the heads-up window), the lead of the item as a whole; a supporting
 * department without a sub-task is not reminded. Snoozes, exemptions and done sub-tasks are respected.
 */
import { describe, expect, it } from 'vitest';
import { applyNoiseRules } from '../../commands/noise.ts';
import { planReminders, previewReply, reminderReply } from '../../commands/remind.ts';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { readModelFromState } from '../../src/domain/read-model.ts';
import { Database, FORMAT_VERSION } from '../../src/domain/schema.ts';
import { type StoreState, stateFromDatabase } from '../../src/domain/state.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';

const year = { start: '2026-01-01', end: '2026-12-31' };
const calendarData = chineseCalendarData();
const calendar = makeCalendar(calendarData);

const db = Database.parse({
  version: FORMAT_VERSION,
  departments: [
    {
      id: 'build',
      name: { zh: '建设局', en: 'Construction Bureau' },
      channelId: 'C0BUILD001',
      memberIds: ['U0BUILD001'],
    },
    { id: 'water', name: { zh: '水务局', en: 'Water Bureau' }, channelId: 'C0WATER001', memberIds: ['U0WATER001'] },
    { id: 'parks', name: { zh: '园林局', en: 'Parks Bureau' }, channelId: 'C0PARKS001', memberIds: ['U0PARKS001'] },
  ],
  projects: [
    {
      id: 'p-park',
      departmentId: 'build',
      coDepartmentIds: ['water', 'parks'],
      name: { zh: '滨江公园提升工程', en: 'Riverside park upgrade' },
      period: year,
      reporting: { cadence: 'none' },
      milestones: [
        // 水务局's part.
        { id: 'm-pipe', name: { zh: '雨污管网改造', en: 'Drainage works' }, due: '2026-06-17', departmentId: 'water' },
        // The lead's own, named as a sub-task of its own department: not a supporting part.
        { id: 'm-own', name: { zh: '园路铺装', en: 'Paths' }, due: '2026-06-17', departmentId: 'build' },
        { id: 'm-end', name: { zh: '竣工验收', en: 'Acceptance' }, due: '2026-12-01' },
      ],
    },
  ],
});

type Tweak = (s: StoreState) => StoreState;
const none: Tweak = (s) => s;
const snoozeItem: Tweak = (s) => ({
  ...s,
  snoozes: { 'p-park': { until: '2026-12-31', reason: '等雨季后', by: 'U0ADMIN001' } },
});
const snoozeWater: Tweak = (s) => ({
  ...s,
  snoozes: { water: { until: '2026-12-31', reason: '汛期', by: 'U0ADMIN001' } },
});
const exempt: Tweak = (s) => ({
  ...s,
  exemptions: [{ itemId: 'p-park', reason: '规划调整', by: 'U0ADMIN001', at: '2026-06-01T00:00:00.000Z' }],
});
const pipeDone: Tweak = (s) => ({
  ...s,
  progress: {
    'p-park': {
      milestonesDone: { 'm-pipe': '2026-06-12' },
      reports: 1,
      recent: [],
      series: [],
      lastReportDate: '2026-06-12',
    },
  },
});

function plan(today: string, tweak: Tweak) {
  const model = readModelFromState(
    tweak(stateFromDatabase(db, 'Asia/Shanghai')),
    'Asia/Shanghai',
    0,
    undefined,
    calendarData,
  );
  return { model, reminders: planReminders(model, today, calendar) };
}

describe('who is reminded of a sub-task', () => {
  it.each([
    // today, tweak, water's parts (id:overdue), lead reminded, why
    ['2026-06-10', none, [], false, 'five working days ahead: nobody yet'],
    ['2026-06-12', none, ['m-pipe:due'], true, 'three working days ahead (the window’s edge): a heads-up to 水务局'],
    ['2026-06-16', none, ['m-pipe:due'], true, 'the day before'],
    ['2026-06-17', none, ['m-pipe:due'], true, 'the due date itself: still due, not overdue'],
    ['2026-06-18', none, ['m-pipe:overdue'], true, 'a day late: overdue, to 水务局; the lead still reminded'],
    [
      '2026-06-18',
      pipeDone,
      [],
      true,
      'done already: not 水务局’s to be reminded of (the lead has its own overdue part)',
    ],
    ['2026-06-18', snoozeItem, [], false, 'the item snoozed: nobody'],
    ['2026-06-18', snoozeWater, [], true, '水务局 snoozed: the lead only'],
    ['2026-06-18', exempt, [], false, 'the item exempt: nobody'],
  ] as const)('%s %#: %s', (today, tweak, parts, leadReminded, _why) => {
    const { reminders } = plan(today, tweak);
    const water = reminders.find((r) => r.department.id === 'water');
    expect((water?.parts ?? []).map((p) => `${p.milestone.id}:${p.overdue ? 'overdue' : 'due'}`)).toEqual(parts);
    // 水务局 leads nothing: it is reminded of its part only.
    expect(water?.behind ?? []).toEqual([]);
    expect(water?.headsUp ?? []).toEqual([]);
    expect(reminders.some((r) => r.department.id === 'build')).toBe(leadReminded);
    // 园林局 supports the item but has no sub-task: never reminded.
    expect(reminders.some((r) => r.department.id === 'parks')).toBe(false);
  });

  it.each([
    [3, false, 'held: the week’s cap of 3 digests reached'],
    [0, true, 'the cap off: sent'],
  ] as const)('keeps to the weekly cap (%i): %s', (weeklyCap, sent, _why) => {
    // Three digests to 水务局 this week (Monday 2026-06-15 … Wednesday 06-17); today is Thursday.
    const deliveries = Object.fromEntries(
      ['2026-06-15', '2026-06-16', '2026-06-17'].map((d) => [
        `reminder:water:reminders@manual-${d}T08:00`,
        { status: 'sent' as const, at: `${d}T00:00:00.000Z` },
      ]),
    );
    const { model, reminders } = plan('2026-06-18', (s) => ({
      ...s,
      deliveries,
      settings: { ...s.settings, schedule: { ...s.settings.schedule, weeklyCap } },
    }));
    const { send, held } = applyNoiseRules(model, reminders, { today: '2026-06-18', calendar });
    expect(send.some((r) => r.department.id === 'water' && r.parts?.length === 1)).toBe(sent);
    expect(held.has('water')).toBe(!sent);
  });

  it.each([
    ['2026-06-18', '落后 1 项，即将到期 0 项'],
    ['2026-06-16', '落后 0 项，即将到期 1 项'],
  ] as const)('/duban remind preview counts 水务局’s sub-task on %s', (today, line) => {
    const { reminders } = plan(today, none);
    const water = reminders.filter((r) => r.department.id === 'water');
    expect(JSON.stringify(previewReply(water, 'zh-CN').blocks)).toContain(line);
  });

  it('the lead’s reminder is about the item as a whole, never as a supporting part', () => {
    const { reminders } = plan('2026-06-18', none);
    const build = reminders.find((r) => r.department.id === 'build')!;
    expect(build.behind.map((s) => s.item.id)).toEqual(['p-park']);
    expect(build.parts).toBeUndefined();
  });
});

describe('the supporting department’s digest', () => {
  it.each([
    [
      'zh-CN',
      ['滨江公园提升工程', '雨污管网改造', '配合（牵头：建设局）', '已逾期 1 天', '报送子任务'],
      ['园路铺装', '竣工验收'],
    ],
    [
      'en',
      ['Riverside park upgrade', 'Drainage works', 'supporting (lead: Construction Bureau)', '1 day overdue'],
      ['Paths'],
    ],
  ] as const)('names the item, its sub-task, the due date and the lead (%s)', (locale, shown, hidden) => {
    const { model, reminders } = plan('2026-06-18', none);
    const water = reminders.find((r) => r.department.id === 'water')!;
    const reply = reminderReply(water, model, '2026-06-18', locale);
    const text = JSON.stringify(reply.blocks);
    for (const s of shown) expect(text).toContain(s);
    for (const s of hidden) expect(text).not.toContain(s);
    expect(reply.about?.departmentId).toBe('water');
    const button = reply.blocks.find((b) => b.type === 'section' && b.button?.actionId === 'duban.remind.subtask');
    expect(button?.type === 'section' && button.button?.value).toBe('p-park m-pipe');
  });

  it.each([
    [3, false, 'reported yesterday, within the 3 working days: held as recently updated'],
    [0, true, 'the rule off: sent'],
  ] as const)('keeps to the noise rules (recent update %i days): %s', (days, sent, _why) => {
    const { model, reminders } = plan('2026-06-16', (s) => ({
      ...s,
      settings: { ...s.settings, schedule: { ...s.settings.schedule, recentUpdateWorkdays: days } },
      progress: {
        'p-park': { milestonesDone: {}, reports: 1, recent: [], series: [], lastReportDate: '2026-06-15' },
      },
    }));
    expect(reminders.find((r) => r.department.id === 'water')?.parts).toHaveLength(1);
    const { send, held } = applyNoiseRules(model, reminders, { today: '2026-06-16', calendar });
    expect(send.some((r) => r.department.id === 'water' && r.parts?.length === 1)).toBe(sent);
    expect(held.has('water')).toBe(!sent);
  });
});
