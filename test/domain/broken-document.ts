/** A store document with one of every reference problem, for the reference checks and their words. */
import { Commitment, Department, Project, Settings, Target, Update } from '../../src/domain/schema.ts';

const period = { start: '2026-01-01', end: '2026-12-31' };
const name = (zh: string) => ({ zh });

export function brokenDocument() {
  return {
    departments: [
      Department.parse({ id: 'd1', name: name('一局') }),
      Department.parse({ id: 'd1', name: name('一局') }),
    ],
    targets: [
      Target.parse({
        id: 't1',
        departmentId: 'd1',
        name: name('指标'),
        period,
        kind: 'cumulative',
        unit: name('项'),
        target: 0,
        checkpoints: [
          { date: '2027-01-01', share: 0.5 },
          { date: '2026-06-30', share: 0.6 },
        ],
      }),
      Target.parse({
        id: 't1',
        departmentId: 'nowhere',
        name: name('重名'),
        period,
        kind: 'level',
        unit: name('%'),
        target: 7.5,
      }),
    ],
    projects: [
      Project.parse({
        id: 'p1',
        departmentId: 'd1',
        name: name('项目'),
        period,
        milestones: [
          { id: 'm1', name: name('开工'), due: '2026-03-31' },
          { id: 'm1', name: name('竣工'), due: '2026-09-30' },
        ],
      }),
    ],
    commitments: [
      Commitment.parse({
        id: 'c1',
        departmentId: 'd1',
        name: name('承诺'),
        pledge: name('力争'),
        period,
        targetIds: ['p1'],
        projectIds: ['t1'],
      }),
    ],
    updates: [
      Update.parse({
        id: 'u1',
        itemId: 'p1',
        at: '2026-05-01T12:00:00+08:00',
        by: 'import',
        state: 'done',
        milestoneId: 'm9',
      }),
      Update.parse({ id: 'u1', itemId: 'ghost', at: '2026-05-01T12:00:00+08:00', by: 'import', value: 3 }),
    ],
    exemptions: [],
    settings: Settings.parse({ amberGapPoints: 40, redGapPoints: 30 }),
  };
}
