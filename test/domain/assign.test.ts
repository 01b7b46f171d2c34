/**
 * 交办 and 签收 in the domain: prefilling the form from real sentences (test/fixtures/assign), the
 * date expressions a deadline may take, what a submission must have, who may assign and sign, and
 * when an unsigned item is late, counted in working days.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/domain/apply.ts';
import {
  type AssignInput,
  assignedCommitment,
  assignedItemId,
  canAssign,
  checkAssignInput,
  readAssignment,
  readDeadline,
  readSource,
  readUrgency,
  signingDepartment,
} from '../../src/domain/assign.ts';
import { makeCalendar, PLAIN_CALENDAR } from '../../src/domain/calendar.ts';
import { emptyProgress } from '../../src/domain/progress.ts';
import { type Department, Settings } from '../../src/domain/schema.ts';
import { emptyState } from '../../src/domain/state.ts';
import { evaluateCommitment } from '../../src/domain/status.ts';

const dept = (id: string, zh: string, short: string, aliases: string[] = []): Department => ({
  id,
  name: { zh },
  shortName: { zh: short },
  aliases,
  memberIds: [],
  leadIds: [],
});

/** A zone with the departments the fixture sentences name. */
const ZONE: Department[] = [
  dept('zj', '住房和城乡建设局', '住建局', ['住房城乡建设局', '住建委']),
  dept('fg', '发展和改革委员会', '发改委', ['发展改革委', '发改局']),
  dept('cz', '财政局', '财政局'),
  dept('gt', '国土资源局', '国土局', ['规土局', '国土分局']),
  dept('jg', '建设管理委员会', '建管委', ['建设管理委']),
  dept('zf', '政府办公室', '政府办'),
  dept('zs', '征收办公室', '征收办'),
];

type Case = {
  name: string;
  url: string;
  text: string;
  today: string;
  expect: { leadId?: string; coIds: string[]; deadline?: string; source: string };
};
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'assign', 'instructions.json'), 'utf8'),
) as { cases: Case[] };

describe('prefilling the 交办 form from real sentences', () => {
  it.each(fixture.cases)('$name ($url)', (c) => {
    const draft = readAssignment(c.text, ZONE, c.today);
    expect({
      ...(draft.leadId ? { leadId: draft.leadId } : {}),
      coIds: draft.coIds,
      ...(draft.deadline ? { deadline: draft.deadline } : {}),
      source: draft.source,
    }).toEqual(c.expect);
    // What is to be done is the sentence itself, never rewritten.
    expect(draft.name).toBe(c.text.replace(/\s+/g, ' ').trim());
    expect(draft.urgency).toBe('normal');
  });

  it('resolves Slack markup and keeps the whole message as the quote, the name cut to 200 characters', () => {
    const long = `<@U0LEADER01> 请住建局牵头办理：${'老旧小区改造'.repeat(60)}`;
    const draft = readAssignment(long, ZONE, '2026-11-28');
    expect(draft.name).toHaveLength(200);
    expect(draft.name.startsWith('@U0LEADER01 请住建局牵头办理')).toBe(true);
    expect(draft.quote.length).toBeGreaterThan(200);
    expect(draft.leadId).toBe('zj');
  });
});

describe('reading a deadline', () => {
  const today = '2026-11-28';
  const calendar = makeCalendar(PLAIN_CALENDAR);
  describe.each([
    ['2026年12月31日前完成', '2026-12-31'],
    ['二〇二七年一月十五日前报送', '2027-01-15'],
    ['12月20日前完成', '2026-12-20'],
    ['十二月二十日前完成', '2026-12-20'],
    ['3月1日前完成（已过今年的 3 月 1 日）', '2027-03-01'],
    ['于2026-12-15前反馈', '2026-12-15'],
    ['于2026/12/15反馈', '2026-12-15'],
    ['12月底前办结', '2026-12-31'],
    ['年底前完成', '2026-12-31'],
    ['本月底前上报', '2026-11-30'],
    ['2027年1月底前完成', '2027-01-31'],
    ['10日内反馈', '2026-12-08'],
    ['5个工作日内反馈', '2026-12-04'],
    ['12月上旬前完成', '2026-12-10'],
  ])('%s', (text, date) => {
    it(`is ${date}`, () => expect(readDeadline(text, today, calendar)).toBe(date));
  });

  describe.each([
    ['no date at all', '请住建局抓紧办理'],
    ['a date said in passing', '12月1日召开了会议，请抓紧落实'],
    ['a date that does not exist', '2026年2月30日前完成'],
    ['working days without a calendar', '5个工作日内反馈'],
  ])('%s', (_label, text) => {
    it('is none: the person fills it in', () => expect(readDeadline(text, today)).toBeUndefined());
  });

  it('never prefills a deadline already past', () => {
    expect(readAssignment('2026年11月1日前完成', ZONE, today).deadline).toBeUndefined();
  });
});

describe('source and urgency', () => {
  it.each([
    ['王主任批示：请抓紧办理', 'instruction'],
    ['按照领导指示', 'instruction'],
    ['区长办公会议定', 'meeting'],
    ['会议纪要第3条', 'meeting'],
    ['请抓紧办理', 'other'],
  ] as const)('%s → %s', (text, source) => expect(readSource(text)).toBe(source));

  it.each([
    ['特急：请今日办结', 'urgent'],
    ['紧急通知', 'pressing'],
    ['请抓紧办理', 'normal'],
  ] as const)('%s → %s', (text, urgency) => expect(readUrgency(text)).toBe(urgency));
});

describe('checking a submitted form', () => {
  const ok: AssignInput = {
    name: '完成方案',
    leadId: 'zj',
    coIds: ['cz'],
    deadline: '2026-12-31',
    urgency: 'normal',
    source: 'other',
  };
  it.each([
    ['a complete form', ok, {}],
    ['no name', { ...ok, name: '  ' }, { name: 'need_name' }],
    ['no lead', { ...ok, leadId: undefined }, { lead: 'need_lead' }],
    ['an unknown lead', { ...ok, leadId: 'nope' }, { lead: 'unknown_department' }],
    ['an unknown supporting department', { ...ok, coIds: ['nope'] }, { co: 'unknown_department' }],
    ['no deadline', { ...ok, deadline: undefined }, { deadline: 'need_deadline' }],
    ['a deadline yesterday', { ...ok, deadline: '2026-11-27' }, { deadline: 'deadline_past' }],
    ['a deadline today', { ...ok, deadline: '2026-11-28' }, {}],
  ])('%s', (_label, input, problems) => {
    expect(checkAssignInput(input as AssignInput, ZONE, '2026-11-28')).toEqual(problems);
  });
});

describe('who may assign and sign', () => {
  const zone = [
    { ...dept('zj', '住房和城乡建设局', '住建局'), memberIds: ['U0MEMBER01'], leadIds: ['U0LEAD0001'] },
    { ...dept('cz', '财政局', '财政局'), memberIds: ['U0CZMEMB01'] },
  ];
  it.each([
    ['admins', 'U0ADMIN001', true, true],
    ['admins', 'U0LEAD0001', false, false],
    ['admins_and_leads', 'U0LEAD0001', false, true],
    ['admins_and_leads', 'U0MEMBER01', false, false],
  ] as const)('with %s, %s (admin: %s) may assign: %s', (assigners, user, isAdmin, may) => {
    expect(canAssign({ assigners }, zone, user, isAdmin)).toBe(may);
  });

  it.each([
    ['U0MEMBER01', 'zj'],
    ['U0LEAD0001', 'zj'],
    ['U0CZMEMB01', 'cz'],
    ['U0OUTSIDE1', undefined],
  ])('%s signs for %s', (user, signs) => {
    expect(signingDepartment({ departmentId: 'zj', coDepartmentIds: ['cz'] }, zone, user)).toBe(signs);
  });
});

describe('an assigned item not signed for', () => {
  const item = assignedCommitment(
    { name: '完成方案', leadId: 'zj', coIds: ['cz'], deadline: '2026-12-31', urgency: 'normal', source: 'other' },
    { id: assignedItemId('2026-11-27', new Set()), today: '2026-11-27', by: 'U0ADMIN001', at: '2026-11-27T02:00:00Z' },
  );
  const settings = Settings.parse({});
  const calendar = makeCalendar(PLAIN_CALENDAR);
  const evaluate = (today: string, signs = {}) =>
    evaluateCommitment(item, emptyProgress(), { today, settings, calendar, signs }, []);

  it('is given an id of its day', () => expect(item.id).toBe('a-20261127-1'));

  // Assigned on Friday 27 November: two working days are Monday 30 November and Tuesday 1 December.
  it.each([
    ['2026-11-27', false],
    ['2026-11-30', false],
    ['2026-12-01', false],
    ['2026-12-02', true],
  ])('on %s is late to sign: %s', (today, late) => {
    const s = evaluate(today);
    expect(s.reasons.some((r) => r.code === 'not_signed')).toBe(late);
    if (late) expect(s.status).toBe('amber');
  });

  it('is not chased once its lead department signed, whoever else has not', () => {
    const signs = { [item.id]: { zj: { by: 'U0MEMBER01', at: '2026-11-27T03:00:00Z' } } };
    expect(evaluate('2026-12-10', signs).reasons.some((r) => r.code === 'not_signed')).toBe(false);
  });

  it('is chased when only a supporting department signed', () => {
    const signs = { [item.id]: { cz: { by: 'U0CZMEMB01', at: '2026-11-27T03:00:00Z' } } };
    expect(evaluate('2026-12-10', signs).reasons.some((r) => r.code === 'not_signed')).toBe(true);
  });
});

describe('folding assignments and signatures into the store', () => {
  const item = assignedCommitment(
    { name: '完成方案', leadId: 'zj', coIds: ['cz'], deadline: '2026-12-31', urgency: 'normal', source: 'other' },
    { id: 'a-20261127-1', today: '2026-11-27', by: 'U0ADMIN001', at: '2026-11-27T02:00:00Z' },
  );
  const base = { ...emptyState(), departments: ZONE };
  const assign = {
    seq: 1,
    at: '2026-11-27T02:00:00Z',
    by: 'U0ADMIN001',
    type: 'item.assign' as const,
    itemId: item.id,
    item,
  };

  it('adds the item when a replay finds the document without it, and only once', () => {
    const once = applyEvent(base, assign, 'Asia/Shanghai');
    expect(once.commitments.map((c) => c.id)).toEqual([item.id]);
    expect(applyEvent(once, { ...assign, seq: 2 }, 'Asia/Shanghai').commitments).toHaveLength(1);
  });

  it('records a signature per department, and the lead signature clears the streak of reminders about the item', () => {
    const assigned = {
      ...applyEvent(base, assign, 'Asia/Shanghai'),
      streaks: { [item.id]: { count: 1, lastSlot: 's', level: 0 } },
    };
    const sign = (seq: number, departmentId: string, by: string) => ({
      seq,
      at: '2026-11-27T03:00:00Z',
      by,
      type: 'sign' as const,
      itemId: item.id,
      departmentId,
    });
    const co = applyEvent(assigned, sign(2, 'cz', 'U0CZMEMB01'), 'Asia/Shanghai');
    expect(co.signs[item.id]).toEqual({ cz: { by: 'U0CZMEMB01', at: '2026-11-27T03:00:00Z' } });
    expect(co.streaks[item.id]?.count).toBe(1);
    const lead = applyEvent(co, sign(3, 'zj', 'U0MEMBER01'), 'Asia/Shanghai');
    expect(Object.keys(lead.signs[item.id] ?? {})).toEqual(['cz', 'zj']);
    expect(lead.streaks[item.id]).toBeUndefined();
  });

  it('refuses a signature for a department that does not exist', () => {
    const assigned = applyEvent(base, assign, 'Asia/Shanghai');
    expect(() =>
      applyEvent(
        assigned,
        { seq: 2, at: '2026-11-27T03:00:00Z', by: 'U1', type: 'sign', itemId: item.id, departmentId: 'nope' },
        'Asia/Shanghai',
      ),
    ).toThrow(/unknown department "nope"/);
  });
});
