import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/domain/apply.ts';
import {
  approvedExtensions,
  type ExtensionRequest,
  type Extensions,
  extensionProblem,
} from '../../src/domain/extension.ts';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import { Commitment, CumulativeTarget, Project, Settings } from '../../src/domain/schema.ts';
import { emptyState } from '../../src/domain/state.ts';
import {
  type EvaluationContext,
  evaluateCommitment,
  evaluateProject,
  evaluateTarget,
  isBehind,
  isDueSoon,
} from '../../src/domain/status.ts';

const settings = Settings.parse({});
const ctx = (today: string, extendedTo?: Record<string, string>): EvaluationContext => ({
  today,
  settings,
  ...(extendedTo ? { extendedTo: new Map(Object.entries(extendedTo)) } : {}),
});
const progress = (p: Partial<ItemProgress> = {}): ItemProgress => ({ ...emptyProgress(), ...p });

const project = Project.parse({
  id: 'p1',
  departmentId: 'd1',
  name: { zh: '老旧小区改造' },
  period: { start: '2026-01-01', end: '2026-06-30' },
  reporting: { cadence: 'none' },
});
const commitment = Commitment.parse({
  id: 'c1',
  departmentId: 'd1',
  name: { zh: '完成片区征迁' },
  pledge: { zh: '6月底前完成片区征迁' },
  period: { start: '2026-01-01', end: '2026-06-30' },
  reporting: { cadence: 'none' },
});

describe('an item against its deadline (its period end, or an approved extension)', () => {
  // dueSoonDays is 14 by default.
  it.each([
    { today: '2026-06-01', ext: undefined, status: 'green', code: undefined, days: undefined },
    { today: '2026-06-15', ext: undefined, status: 'green', code: undefined, days: undefined },
    { today: '2026-06-16', ext: undefined, status: 'green', code: 'deadline_due_soon', days: 14 },
    { today: '2026-06-30', ext: undefined, status: 'green', code: 'deadline_due_soon', days: 0 },
    { today: '2026-07-01', ext: undefined, status: 'red', code: 'deadline_overdue', days: 1 },
    { today: '2026-07-31', ext: undefined, status: 'red', code: 'deadline_overdue', days: 31 },
    { today: '2026-07-01', ext: '2026-09-30', status: 'green', code: undefined, days: undefined },
    { today: '2026-09-20', ext: '2026-09-30', status: 'green', code: 'deadline_due_soon', days: 10 },
    { today: '2026-10-01', ext: '2026-09-30', status: 'red', code: 'deadline_overdue', days: 1 },
  ])('on $today with extension $ext: $status, $code ($days)', ({ today, ext, status, code, days }) => {
    for (const s of [
      evaluateProject(project, progress(), ctx(today, ext ? { p1: ext } : undefined)),
      evaluateCommitment({ ...commitment, id: 'p1' }, progress(), ctx(today, ext ? { p1: ext } : undefined), []),
    ]) {
      const expectedCode = code;
      const r = s.reasons.find((x) => x.code === 'deadline_overdue' || x.code === 'deadline_due_soon');
      expect(r?.code).toBe(expectedCode);
      expect(s.status).toBe(status);
      if (r?.code === 'deadline_overdue') {
        expect(r.daysOverdue).toBe(days);
        expect(r.original).toBe('2026-06-30');
        expect(r.deadline).toBe(ext ?? '2026-06-30');
      }
      if (r?.code === 'deadline_due_soon') expect(r.daysLeft).toBe(days);
      expect(isBehind(s)).toBe(status === 'red');
      expect(isDueSoon(s)).toBe(expectedCode === 'deadline_due_soon');
    }
  });

  it('a done item is done however late', () => {
    const s = evaluateProject(project, progress({ state: 'done' }), ctx('2026-08-01'));
    expect(s.status).toBe('done');
    expect(s.reasons.some((r) => r.code === 'deadline_overdue')).toBe(false);
  });

  it('an item not started yet has no deadline reason', () => {
    const later = { ...project, period: { start: '2026-07-01', end: '2026-07-10' } };
    expect(evaluateProject(later, progress(), ctx('2026-06-30')).status).toBe('pending');
  });

  it('is worse the longer it is overdue', () => {
    const a = evaluateProject(project, progress(), ctx('2026-07-02'));
    const b = evaluateProject(project, progress(), ctx('2026-08-02'));
    expect(b.severity).toBeGreaterThan(a.severity);
  });

  it('targets keep their own rule past the period end (pace against 100%), no deadline reason', () => {
    const t = CumulativeTarget.parse({
      id: 't1',
      departmentId: 'd1',
      name: { zh: '新开工项目' },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 40,
      period: { start: '2026-01-01', end: '2026-06-30' },
      reporting: { cadence: 'none' },
    });
    const s = evaluateTarget(t, progress({ value: 20 }), ctx('2026-07-15'));
    expect(s.status).toBe('red');
    expect(s.reasons.map((r) => r.code)).not.toContain('deadline_overdue');
  });
});

const req = (over: Partial<ExtensionRequest>): ExtensionRequest => ({
  id: 'ext-1',
  requestedBy: 'U1',
  requestedAt: '2026-06-01T01:00:00.000Z',
  from: '2026-06-30',
  to: '2026-09-30',
  reason: '征迁协调未完成',
  status: 'pending',
  ...over,
});

describe('extension requests: who, when, how far', () => {
  const base = {
    item: project,
    deadline: '2026-06-30',
    to: '2026-09-30',
    today: '2026-06-01',
    done: false,
    inLeadDepartment: true,
    isAdmin: false,
    extensions: {} as Extensions,
  };
  it.each([
    { name: 'a member of the lead department before the deadline', over: {}, code: undefined },
    { name: 'on the deadline day itself', over: { today: '2026-06-30' }, code: undefined },
    { name: 'the day after the deadline', over: { today: '2026-07-01' }, code: 'past_deadline' },
    { name: 'someone outside the lead department', over: { inLeadDepartment: false }, code: 'not_lead_department' },
    { name: 'an admin on its behalf', over: { inLeadDepartment: false, isAdmin: true }, code: undefined },
    { name: 'a done item', over: { done: true }, code: 'done' },
    { name: 'the same date as the deadline', over: { to: '2026-06-30' }, code: 'not_later' },
    { name: 'an earlier date', over: { to: '2026-06-01' }, code: 'not_later' },
    { name: 'two years past the period end', over: { to: '2028-06-30' }, code: undefined },
    { name: 'more than two years past', over: { to: '2028-07-01' }, code: 'too_late_in_year' },
    {
      name: 'while another request is pending',
      over: { extensions: { p1: [req({})] } },
      code: 'pending',
    },
    {
      name: 'after a refused one',
      over: { extensions: { p1: [req({ status: 'refused' })] } },
      code: undefined,
    },
  ])('$name → $code', ({ over, code }) => {
    expect(extensionProblem({ ...base, ...over })?.code).toBe(code);
  });

  it('the latest approved request sets the deadline; refused and pending ones do not', () => {
    const ext: Extensions = {
      p1: [
        req({ id: 'a', status: 'approved', to: '2026-08-31' }),
        req({ id: 'b', status: 'approved', to: '2026-09-30' }),
      ],
      c1: [req({ id: 'c', status: 'refused' }), req({ id: 'd', status: 'pending' })],
    };
    expect([...approvedExtensions(ext)]).toEqual([['p1', '2026-09-30']]);
  });
});

describe('extension events in the store state', () => {
  const state = { ...emptyState(), departments: [], projects: [project] } as ReturnType<typeof emptyState>;
  const withDept = {
    ...state,
    departments: [{ id: 'd1', name: { zh: '住建局' }, shortName: {}, aliases: [], memberIds: [], leadIds: [] }],
  };
  it('a request is kept pending, then with its outcome; the original date is never touched', () => {
    const asked = applyEvent(
      withDept,
      {
        seq: 1,
        at: '2026-06-01T01:00:00.000Z',
        by: 'U1',
        type: 'extension.request',
        itemId: 'p1',
        request: req({}),
      },
      'Asia/Shanghai',
    );
    expect(asked.extensions.p1).toEqual([req({})]);
    const refused = applyEvent(
      asked,
      {
        seq: 2,
        at: '2026-06-02T01:00:00.000Z',
        by: 'UADMIN',
        type: 'extension.decide',
        itemId: 'p1',
        requestId: 'ext-1',
        decision: 'refused',
        reason: '理由不充分',
      },
      'Asia/Shanghai',
    );
    expect(refused.extensions.p1?.[0]).toMatchObject({
      status: 'refused',
      decidedBy: 'UADMIN',
      decisionReason: '理由不充分',
    });
    expect(refused.projects[0]?.period.end).toBe('2026-06-30');
    // A second decision on the same request changes nothing.
    const again = applyEvent(
      refused,
      {
        seq: 3,
        at: '2026-06-03T01:00:00.000Z',
        by: 'UADMIN',
        type: 'extension.decide',
        itemId: 'p1',
        requestId: 'ext-1',
        decision: 'approved',
      },
      'Asia/Shanghai',
    );
    expect(again.extensions.p1?.[0]?.status).toBe('refused');
  });
});
