/**
 * Less noise, as plain data: what a run leaves out of a department's digest (items updated recently,
 * everything but 特急 once the week's cap is reached), the escalation grace, the earlier heads-up of
 * urgent items, and the one digest that tells an escalation.
 */
import { describe, expect, it } from 'vitest';
import { applyNoiseRules, digestReply, digestTargets } from '../../commands/noise.ts';
import { planEscalations, planReminders } from '../../commands/remind.ts';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { HELD } from '../../src/domain/noise.ts';
import { type ReadModel, readModelFromState } from '../../src/domain/read-model.ts';
import type { StoreState } from '../../src/domain/state.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { buildModel } from '../slack/helpers.ts';

const calendar = makeCalendar(chineseCalendarData());
/** Monday 2026-11-30, a working day; Thursday 11-26 is two working days before it, Friday 11-27 one. */
const MONDAY = '2026-11-30';
const SLOT = 'reminders@2026-11-30T09:00';
const year = { start: '2026-01-01', end: '2026-12-31' };
const LEAD = 'U0BUILDLD1';
const LIAISON = 'U0BUILDLI1';

/** A commitment behind on an overdue milestone; `urgency` as assigned (交办), none for a work-meeting pledge. */
function commitment(id: string, urgency?: 'urgent' | 'pressing' | 'normal', due = '2026-10-30') {
  return {
    id,
    departmentId: 'build',
    name: { zh: `事项${id}`, en: `Item ${id}` },
    pledge: { zh: `承诺${id}`, en: `Pledge ${id}` },
    period: year,
    reporting: { cadence: 'none' },
    milestones: [{ id: 'm1', name: { zh: '完成', en: 'Done' }, due }],
    ...(urgency
      ? { assignment: { source: 'instruction', urgency, by: 'U0ADMIN001', at: '2026-09-01T09:00:00+08:00' } }
      : {}),
  };
}

const update = (itemId: string, date: string) => ({
  id: `u-${itemId}-${date}`,
  itemId,
  at: `${date}T10:00:00+08:00`,
  by: LIAISON,
  note: '正在推进',
  source: 'command',
});

function zone(updates: Array<ReturnType<typeof update>> = [], commitments = [commitment('a'), commitment('b')]) {
  return buildModel({
    departments: [
      {
        id: 'build',
        name: { zh: '建设局', en: 'Construction Bureau' },
        memberIds: [LIAISON],
        leadIds: [LEAD],
      },
    ],
    commitments,
    updates,
  });
}

function withState(model: ReadModel, patch: Partial<StoreState>): ReadModel {
  return readModelFromState({ ...model.db, ...patch }, model.timeZone);
}

const plan = (model: ReadModel, today = MONDAY) =>
  applyNoiseRules(model, planReminders(model, today, calendar), { today, calendar, slot: SLOT });

describe('no reminder about an item updated in the last N working days (N = 2)', () => {
  it.each([
    ['today', MONDAY, false],
    ['on Friday, one working day ago', '2026-11-27', false],
    ['on Saturday, one working day ago', '2026-11-28', false],
    ['on Thursday, exactly two working days ago', '2026-11-26', true],
    ['a week ago', '2026-11-23', true],
  ])('an item updated %s (%s) is reminded: %s', (_when, date, reminded) => {
    const r = plan(zone([update('a', date)])).send[0]!;
    expect(r.behind.map((s) => s.item.id).includes('a')).toBe(reminded);
    expect(r.behind.map((s) => s.item.id)).toContain('b');
    expect(r.leftOut).toBe(reminded ? 0 : 1);
  });

  it('sends no digest when everything in it was updated recently, and says why', () => {
    const result = plan(zone([update('a', '2026-11-27'), update('b', MONDAY)]));
    expect(result.send).toEqual([]);
    expect(result.held.get('build')).toBe(HELD.recent);
  });

  it('reminds regardless when the setting is 0', () => {
    const model = zone([update('a', MONDAY), update('b', MONDAY)]);
    const off = withState(model, {
      settings: { ...model.db.settings, schedule: { ...model.db.settings.schedule, recentUpdateWorkdays: 0 } },
    });
    expect(plan(off).send[0]?.behind).toHaveLength(2);
  });

  it('still reminds about an urgent (特急) item updated yesterday: it is in every run', () => {
    const model = zone([update('u', '2026-11-27')], [commitment('u', 'urgent')]);
    expect(plan(model).send[0]?.behind.map((s) => s.item.id)).toEqual(['u']);
  });

  it('leaves the items it spares behind in the status: the plan of reminders still has them', () => {
    const model = zone([update('a', '2026-11-27')]);
    expect(
      planReminders(model, MONDAY, calendar)[0]
        ?.behind.map((s) => s.item.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });
});

describe('a cap of 3 messages per department per week', () => {
  const sent = (slot: string, at: string) => [`reminder:build:${slot}`, { status: 'sent' as const, at }] as const;
  const deliveriesOf = (...entries: Array<readonly [string, { status: 'sent'; at: string }]>) =>
    Object.fromEntries(entries);
  const thisWeek = [
    sent('reminders@manual-2026-11-30T08:00', '2026-11-30T00:00:00.000Z'),
    sent('reminders@manual-2026-11-30T08:10', '2026-11-30T00:10:00.000Z'),
  ];
  const third = sent('reminders@manual-2026-11-30T08:20', '2026-11-30T00:20:00.000Z');

  it.each([
    ['two this week', true, deliveriesOf(...thisWeek)],
    ['three this week: the cap is reached', false, deliveriesOf(...thisWeek, third)],
    [
      'three last week, none this week',
      true,
      deliveriesOf(
        sent('a', '2026-11-23T01:00:00.000Z'),
        sent('b', '2026-11-25T01:00:00.000Z'),
        sent('c', '2026-11-29T15:00:00.000Z'),
      ),
    ],
    [
      'two this week and this run’s own, retried',
      true,
      deliveriesOf(...thisWeek, sent(SLOT, '2026-11-30T01:00:00.000Z')),
    ],
  ])('with %s, the digest is sent: %s', (_case, sends, deliveries) => {
    const result = plan(withState(zone(), { deliveries }));
    expect(result.send.length > 0).toBe(sends);
    expect(result.held.get('build')).toBe(sends ? undefined : HELD.cap);
  });

  it('lets urgent (特急) items through once the cap is reached, and only them', () => {
    const model = zone([], [commitment('u', 'urgent'), commitment('p', 'pressing'), commitment('n')]);
    const result = plan(withState(model, { deliveries: deliveriesOf(...thisWeek, third) }));
    expect(result.send[0]?.behind.map((s) => s.item.id)).toEqual(['u']);
  });

  it('has no cap when the setting is 0', () => {
    const model = withState(zone(), { deliveries: deliveriesOf(...thisWeek, third) });
    const off = withState(model, {
      settings: { ...model.db.settings, schedule: { ...model.db.settings.schedule, weeklyCap: 0 } },
    });
    expect(plan(off).send).toHaveLength(1);
  });
});

describe('urgency sets the heads-up: 特急 twice as early', () => {
  // A milestone due 2026-12-07: 5 working days after Monday 11-30; the heads-up window is 3.
  // Signed (签收), so that only the deadline's nearness is at stake.
  const signed = { x: { build: { by: LIAISON, at: '2026-09-01T10:00:00+08:00' } } };
  const soon = (urgency?: 'urgent' | 'pressing' | 'normal') =>
    withState(zone([], [commitment('x', urgency, '2026-12-07')]), { signs: signed });
  it.each([
    ['urgent', 1],
    ['pressing', 0],
    ['normal', 0],
    [undefined, 0],
  ] as const)('an item of urgency %s gets %i heads-up', (urgency, n) => {
    expect(planReminders(soon(urgency), MONDAY, calendar).flatMap((r) => r.headsUp)).toHaveLength(n);
  });
});

describe('a grace of 2 working days before each escalation step', () => {
  const NOW = new Date('2026-11-30T09:00:00+08:00');
  /** Reminded once before: this run's reminder is the second in a row, when level 1 is due. */
  const streak = (since: string, level = 0, levelAt?: string) => ({
    a: { count: 1, lastSlot: 'reminders@earlier', level, since, ...(levelAt ? { levelAt } : {}) },
    b: { count: 1, lastSlot: 'reminders@earlier', level, since, ...(levelAt ? { levelAt } : {}) },
  });
  const escalate = (model: ReadModel) =>
    planEscalations(model, planReminders(model, MONDAY, calendar), SLOT, { now: NOW, today: MONDAY, calendar });

  it.each([
    ['first reminded on Friday: grace − 1 working day', streak('2026-11-27T01:00:00.000Z'), []],
    ['first reminded on Thursday: exactly the grace', streak('2026-11-26T01:00:00.000Z'), [1]],
  ])('%s', (_case, streaks, levels) => {
    const model = withState(zone(), { streaks });
    expect(escalate(model).map((e) => e.level)).toEqual(levels);
  });

  it.each([
    ['Friday', '2026-11-27T01:00:00.000Z', []],
    ['Thursday', '2026-11-26T01:00:00.000Z', [2]],
  ])(
    'with five reminders in a row and level 1 reached on %s (at %s), the levels escalated are %j',
    (_day, levelAt, levels) => {
      const five = Object.fromEntries(
        ['a', 'b'].map((id) => [
          id,
          { count: 4, lastSlot: 'reminders@earlier', level: 1, since: '2026-11-02T01:00:00.000Z', levelAt },
        ]),
      );
      expect(escalate(withState(zone(), { streaks: five })).map((e) => e.level)).toEqual(levels);
    },
  );

  it('escalates in the next run when the grace is 0', () => {
    const model = withState(zone(), { streaks: streak('2026-11-27T01:00:00.000Z') });
    const off = withState(model, {
      settings: { ...model.db.settings, schedule: { ...model.db.settings.schedule, escalationGraceWorkdays: 0 } },
    });
    expect(escalate(off).map((e) => e.level)).toEqual([1]);
  });
});

describe('one digest per department per run', () => {
  const model = withState(zone([update('a', '2026-11-27')], [commitment('a'), commitment('b'), commitment('c')]), {
    streaks: {
      b: { count: 1, lastSlot: 'reminders@2026-11-23T09:00', level: 0, since: '2026-11-23T01:00:00.000Z' },
      c: { count: 1, lastSlot: 'reminders@2026-11-23T09:00', level: 0, since: '2026-11-23T01:00:00.000Z' },
    },
  });
  const { send } = plan(model);
  const escalations = planEscalations(model, send, SLOT, {
    now: new Date('2026-11-30T09:00:00+08:00'),
    today: MONDAY,
    calendar,
  });
  const text = (locale: 'zh-CN' | 'en') =>
    JSON.stringify(digestReply(send[0]!, escalations, model, MONDAY, locale).blocks);

  it('tells the escalation in the digest, naming its items and @-mentioning the leads', () => {
    expect(escalations.map((e) => e.level)).toEqual([1]);
    expect(text('zh-CN')).toContain('已升级督办（第 1 级）');
    expect(text('zh-CN')).toContain(`<@${LEAD}>`);
    expect(text('en')).toContain('Escalated (level 1)');
  });

  it('says how many items it left out as updated recently', () => {
    expect(text('zh-CN')).toContain('另有 1 项近 2 个工作日内已更新，本次不再提醒。');
    expect(text('en')).toContain('1 more item was updated within the last 2 working days');
  });

  it('goes to its channel, or without one to its people directly, its leads among them', () => {
    expect(digestTargets(send[0]!, escalations, model, MONDAY).sort()).toEqual([LEAD, LIAISON].sort());
    expect(digestTargets({ ...send[0]!, channel: 'C0BUILD001' }, escalations, model, MONDAY)).toEqual(['C0BUILD001']);
  });
});
