/**
 * The monthly report's rules as tables: reports on time by their grace days (calendar and working
 * days), done on the deadline or a day late, overdue at month end, 脱幅, departments with nothing due
 * and the office that is not ranked.
 */
import { describe, expect, it } from 'vitest';
import { makeCalendar, PLAIN_CALENDAR } from '../../src/domain/calendar.ts';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { Database, Update } from '../../src/domain/schema.ts';
import {
  type DepartmentScore,
  isMonth,
  itemDeadline,
  previousMonth,
  scoreMonth,
  scoreOf,
} from '../../src/domain/scoring.ts';

const TZ = 'Asia/Shanghai';
const YEAR = { start: '2026-01-01', end: '2026-12-31' };

const db = Database.parse({
  version: 1,
  departments: [
    { id: 'a', name: { zh: '甲局' } },
    { id: 'b', name: { zh: '乙局' } },
    { id: 'c', name: { zh: '丙局' } },
    { id: 'office', name: { zh: '督查室' }, ranked: false },
  ],
  targets: [
    {
      id: 't-behind',
      departmentId: 'c',
      name: { zh: '累计指标（落后）' },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 100,
      period: YEAR,
      reporting: { cadence: 'none' },
    },
    {
      id: 't-ahead',
      departmentId: 'c',
      name: { zh: '累计指标（超前）' },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 100,
      period: YEAR,
      reporting: { cadence: 'none' },
    },
  ],
  projects: [
    // Monthly reports with 5 grace days: October's is due in November.
    {
      id: 'p-monthly',
      departmentId: 'a',
      name: { zh: '月报项目' },
      period: YEAR,
      reporting: { cadence: 'monthly', graceDays: 5 },
    },
    // Due on 20 November, no reports asked.
    {
      id: 'p-due',
      departmentId: 'a',
      name: { zh: '限期项目' },
      period: { start: '2026-01-01', end: '2026-11-20' },
      reporting: { cadence: 'none' },
    },
    // A milestone on 10 November.
    {
      id: 'p-milestone',
      departmentId: 'c',
      name: { zh: '节点项目' },
      period: YEAR,
      reporting: { cadence: 'none' },
      milestones: [
        { id: 'm1', name: { zh: '开工' }, due: '2026-11-10' },
        { id: 'm2', name: { zh: '竣工' }, due: '2026-12-20' },
      ],
    },
    // Nothing comes due in November: no reports, no milestone, a deadline at the year's end.
    { id: 'p-quiet', departmentId: 'b', name: { zh: '年底项目' }, period: YEAR, reporting: { cadence: 'none' } },
    {
      id: 'p-office',
      departmentId: 'office',
      name: { zh: '督查室事项' },
      period: YEAR,
      reporting: { cadence: 'monthly', graceDays: 5 },
    },
  ],
  updates: [],
});

let seq = 0;
function update(itemId: string, date: string, fields: Partial<Update> = {}): JournalEvent {
  const at = `${date}T10:00:00+08:00`;
  return {
    seq: ++seq,
    type: 'update',
    at,
    by: 'U0LIAISON1',
    update: Update.parse({ id: `u${seq}`, itemId, at, by: 'U0LIAISON1', source: 'slack', ...fields }),
  };
}

const model = createReadModel(db, TZ);
const dept = (scores: ReturnType<typeof scoreMonth>, id: string): DepartmentScore =>
  scores.departments.find((d) => d.department.id === id)!;

describe('a report due in the month is on time by its last grace day', () => {
  describe.each([
    { calendar: 'calendar days', cal: undefined, lastDay: '2026-11-05', dayAfter: '2026-11-06' },
    // 31 October 2026 is a Saturday: five working days after it end on Friday 6 November.
    { calendar: 'working days', cal: makeCalendar(PLAIN_CALENDAR), lastDay: '2026-11-06', dayAfter: '2026-11-09' },
  ])('counting $calendar', ({ cal, lastDay, dayAfter }) => {
    it.each([
      { when: 'on the last grace day', date: () => lastDay, onTime: 1, late: 0, missing: 0 },
      { when: 'the day after', date: () => dayAfter, onTime: 0, late: 1, missing: 0 },
      { when: 'in December only', date: () => '2026-12-01', onTime: 0, late: 0, missing: 1 },
    ])('a report made $when', ({ date, onTime, late, missing }) => {
      const scores = scoreMonth(model, [update('p-monthly', date(), { percent: 40 })], '2026-11', cal);
      const a = dept(scores, 'a');
      expect(a.reports).toMatchObject({ due: 1, onTime, late, missing });
      expect(a.reports.list[0]).toMatchObject({
        itemId: 'p-monthly',
        period: { start: '2026-10-01', end: '2026-10-31' },
      });
    });
  });

  it('does not count a report made in the month before for the period due in it', () => {
    // Made on 3 October, within September's grace days: it covers September, not October.
    const scores = scoreMonth(model, [update('p-monthly', '2026-10-03', { percent: 10 })], '2026-11');
    expect(dept(scores, 'a').reports).toMatchObject({ due: 1, onTime: 0, missing: 1 });
  });

  it('does not count a retracted report', () => {
    const made = update('p-monthly', '2026-11-02', { percent: 40 });
    const retract: JournalEvent = {
      seq: ++seq,
      type: 'update.retract',
      at: '2026-11-03T09:00:00+08:00',
      by: 'U0LIAISON1',
      itemId: 'p-monthly',
      updateId: made.type === 'update' ? made.update.id : '',
    };
    expect(dept(scoreMonth(model, [made], '2026-11'), 'a').reports.onTime).toBe(1);
    expect(dept(scoreMonth(model, [made, retract], '2026-11'), 'a').reports.onTime).toBe(0);
  });
});

describe('a store whose reports are only in the fold (the console sample, a store older than the journal)', () => {
  it('reads the report dates and the month-end figures from the folded progress', () => {
    const updates = [
      { id: 'f1', itemId: 'p-monthly', at: '2026-11-05T10:00:00+08:00', by: 'seed', percent: 40, source: 'seed' },
      { id: 'f2', itemId: 't-behind', at: '2026-11-15T10:00:00+08:00', by: 'seed', value: 50, source: 'seed' },
      { id: 'f3', itemId: 't-behind', at: '2026-12-02T10:00:00+08:00', by: 'seed', value: 99, source: 'seed' },
      { id: 'f4', itemId: 't-ahead', at: '2026-11-15T10:00:00+08:00', by: 'seed', value: 95, source: 'seed' },
    ];
    const folded = createReadModel(Database.parse({ ...db, updates }), TZ);
    const scores = scoreMonth(folded, [], '2026-11');
    expect(dept(scores, 'a').reports).toMatchObject({ due: 1, onTime: 1 });
    expect(dept(scores, 'c').gap).toEqual({ points: 20.8, targets: 2 });
  });
});

describe('done on time or late, and overdue at month end', () => {
  it.each([
    { when: 'on the deadline', date: '2026-11-20', onTime: 1, late: 0, overdue: 0 },
    { when: 'a day late', date: '2026-11-21', onTime: 0, late: 1, overdue: 0 },
    { when: 'not by month end', date: '2026-12-01', onTime: 0, late: 0, overdue: 1 },
  ])('an item done $when', ({ date, onTime, late, overdue }) => {
    const scores = scoreMonth(model, [update('p-due', date, { state: 'done' })], '2026-11');
    const a = dept(scores, 'a');
    expect(a.done).toMatchObject({ total: onTime + late, onTime, late });
    expect(a.overdue.map((s) => s.item.id)).toEqual(overdue ? ['p-due'] : []);
  });

  it('counts a claim of done only once approved by month end, dated by the claim', () => {
    const claim = update('p-due', '2026-11-19', { state: 'done', reviewId: 'r1' });
    const decide = (date: string): JournalEvent => ({
      seq: ++seq,
      type: 'review.decide',
      at: `${date}T09:00:00+08:00`,
      by: 'U0ADMIN001',
      itemId: 'p-due',
      reviewId: 'r1',
      decision: 'approved',
    });
    expect(dept(scoreMonth(model, [claim, decide('2026-11-25')], '2026-11'), 'a').done).toMatchObject({ onTime: 1 });
    const pending = dept(scoreMonth(model, [claim, decide('2026-12-02')], '2026-11'), 'a');
    expect(pending.done.total).toBe(0);
    expect(pending.overdue.map((s) => s.item.id)).toEqual(['p-due']);
  });

  it('leaves out an item done before the month', () => {
    const a = dept(scoreMonth(model, [update('p-due', '2026-10-15', { state: 'done' })], '2026-11'), 'a');
    expect(a.done.total).toBe(0);
    expect(a.overdue).toEqual([]);
  });

  it.each([
    {
      when: 'reached on its day',
      events: () => [update('p-milestone', '2026-11-10', { state: 'done', milestoneId: 'm1' })],
      overdue: [],
    },
    {
      when: 'reached a day late',
      events: () => [update('p-milestone', '2026-12-01', { state: 'done', milestoneId: 'm1' })],
      overdue: ['p-milestone'],
    },
  ])('an item whose milestone was $when', ({ events, overdue }) => {
    expect(dept(scoreMonth(model, events(), '2026-11'), 'c').overdue.map((s) => s.item.id)).toEqual(overdue);
  });

  it("takes an item's deadline from its last milestone, else its period's end", () => {
    expect(itemDeadline(db.projects[2]!)).toBe('2026-12-20');
    expect(itemDeadline(db.projects[1]!)).toBe('2026-11-20');
  });
});

describe('脱幅: points behind plan at month end', () => {
  it('averages the points behind over the cumulative targets, a target ahead of plan counting 0', () => {
    const events = [update('t-behind', '2026-11-15', { value: 50 }), update('t-ahead', '2026-11-15', { value: 95 })];
    const c = dept(scoreMonth(model, events, '2026-11'), 'c');
    // At 30 November a linear plan is at 91.5% (334 of 365 days): 41.5 points behind on one, ahead on the other.
    expect(c.gap).toEqual({ points: 20.8, targets: 2 });
    expect(c.parts.gap).toBeCloseTo(0.792, 3);
  });

  it('uses the value reported by month end, not a later one', () => {
    const events = [
      update('t-behind', '2026-11-15', { value: 50 }),
      update('t-ahead', '2026-11-15', { value: 95 }),
      update('t-behind', '2026-12-02', { value: 99 }),
    ];
    expect(dept(scoreMonth(model, events, '2026-11'), 'c').gap?.points).toBe(20.8);
  });
});

describe('the score and the ranking', () => {
  it.each([
    { parts: {}, score: undefined },
    { parts: { reports: 1 }, score: 100 },
    { parts: { reports: 0.5, overdue: 1 }, score: 71.4 },
    { parts: { reports: 1, overdue: 0.5, gap: 0.8, doneOnTime: 0 }, score: 71 },
  ])('scores $parts as $score', ({ parts, score }) => {
    expect(scoreOf(parts)).toBe(score);
  });

  it('lists a department with nothing due as such rather than scoring it 100', () => {
    const b = dept(scoreMonth(model, [], '2026-11'), 'b');
    expect(b).toMatchObject({ nothingDue: true, active: 1 });
    expect(b.score).toBeUndefined();
    expect(b.rank).toBeUndefined();
  });

  it('scores the office that is not ranked but gives it no rank, and ranks the others on outcomes', () => {
    const events = [
      update('p-office', '2026-11-02', { percent: 10 }),
      update('p-monthly', '2026-11-09', { percent: 40 }),
      update('p-due', '2026-11-20', { state: 'done' }),
    ];
    const scores = scoreMonth(model, events, '2026-11');
    const office = dept(scores, 'office');
    expect(office.score).toBe(100);
    expect(office.rank).toBeUndefined();
    const order = scores.departments.map((d) => [d.department.id, d.rank, d.score]);
    // 甲局: October's report late (0/1), none of 2 overdue, 1/1 done on time: (0×40 + 1×30 + 1×10) / 80 = 50.
    // 丙局: no reports due, 1 of 3 overdue, both targets without data 91.5 behind: (⅔×30 + 0.085×20) / 50 = 43.4.
    expect(order).toEqual([
      ['a', 1, 50],
      ['c', 2, 43.4],
      ['office', undefined, 100],
      ['b', undefined, undefined],
    ]);
  });

  it('gives equal scores the same rank', () => {
    const scores = scoreMonth(model, [update('p-monthly', '2026-11-02', { percent: 1 })], '2026-11');
    expect(scores.departments.filter((d) => d.rank !== undefined).map((d) => d.rank)).toEqual([1, 2]);
  });
});

describe('months', () => {
  it.each([
    ['2026-11', true],
    ['2026-13', false],
    ['2026-1', false],
    ['11月', false],
  ])('%s is a month: %s', (text, ok) => {
    expect(isMonth(text)).toBe(ok);
  });
  it.each([
    ['2026-12-01', '2026-11'],
    ['2027-01-04', '2026-12'],
  ])('the month before %s is %s', (today, month) => {
    expect(previousMonth(today)).toBe(month);
  });
});
