import { describe, expect, it } from 'vitest';
import { canReportSomething, canReportSubTask, subTasksOf } from '../../src/domain/permissions.ts';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import { Department, Project, Settings } from '../../src/domain/schema.ts';
import { evaluateProject } from '../../src/domain/status.ts';

const ctx = { today: '2026-06-01', settings: Settings.parse({}) };
const project = Project.parse({
  id: 'p1',
  departmentId: 'lead',
  coDepartmentIds: ['co'],
  name: { zh: '片区综合整治' },
  period: { start: '2026-01-01', end: '2026-12-31' },
  reporting: { cadence: 'none' },
  milestones: [
    { id: 'plan', name: { zh: '方案批复' }, due: '2026-09-01' },
    { id: 'roads', name: { zh: '道路改造' }, due: '2026-09-01', departmentId: 'co' },
    { id: 'pipes', name: { zh: '管网改造' }, due: '2026-10-01', departmentId: 'lead' },
  ],
});
const done = (ids: string[], extra: Partial<ItemProgress> = {}): ItemProgress => ({
  ...emptyProgress(),
  milestonesDone: Object.fromEntries(ids.map((id) => [id, '2026-05-01'])),
  ...extra,
});

describe('an item with sub-tasks rolls up from them', () => {
  it.each([
    { name: 'none done', ids: [], state: undefined, completion: 0, status: 'green' },
    { name: 'one of two', ids: ['roads'], state: undefined, completion: 0.5, status: 'green' },
    { name: 'a plain milestone does not count', ids: ['plan'], state: undefined, completion: 0, status: 'green' },
    { name: 'both, not claimed done', ids: ['roads', 'pipes'], state: undefined, completion: 1, status: 'green' },
    { name: 'claimed done with one open', ids: ['roads'], state: 'done', completion: 0.5, status: 'green' },
    { name: 'claimed done with all done', ids: ['roads', 'pipes'], state: 'done', completion: 1, status: 'done' },
  ] as const)('$name → $completion, $status', ({ ids, state, completion, status }) => {
    const s = evaluateProject(project, done([...ids], { ...(state ? { state } : {}), percent: 30 }), ctx);
    expect(s.completion).toBe(completion);
    expect(s.status).toBe(status);
  });

  it('an item without sub-tasks keeps its reported percent', () => {
    const plain = { ...project, milestones: project.milestones.map(({ departmentId: _, ...m }) => m) };
    expect(subTasksOf(plain)).toEqual([]);
    expect(evaluateProject(plain, done([], { percent: 30 }), ctx).completion).toBe(0.3);
  });
});

describe('who may report a sub-task done', () => {
  const departments = [
    Department.parse({ id: 'lead', name: { zh: '住建局' }, memberIds: ['ULEAD'] }),
    Department.parse({ id: 'co', name: { zh: '城管局' }, memberIds: ['UCO'] }),
    Department.parse({ id: 'other', name: { zh: '财政局' }, leadIds: ['UOTHER'] }),
  ];
  it.each([
    { user: 'ULEAD', milestone: 'roads', admin: false, may: true },
    { user: 'ULEAD', milestone: 'pipes', admin: false, may: true },
    { user: 'UCO', milestone: 'roads', admin: false, may: true },
    { user: 'UCO', milestone: 'pipes', admin: false, may: false },
    { user: 'UCO', milestone: 'plan', admin: false, may: false },
    { user: 'UOTHER', milestone: 'roads', admin: false, may: false },
    { user: 'UOTHER', milestone: 'roads', admin: true, may: true },
  ])('$user on $milestone (admin $admin) → $may', ({ user, milestone, admin, may }) => {
    expect(canReportSubTask(departments, user, project, milestone, admin)).toBe(may);
  });
  it('a sub-task department may report something on the item, others may not', () => {
    expect(canReportSomething(departments, 'UCO', project, false)).toBe(true);
    expect(canReportSomething(departments, 'UOTHER', project, false)).toBe(false);
  });
});
