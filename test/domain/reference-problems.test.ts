/**
 * The reference checks say what is wrong as data: a code and the ids it is about, besides the English
 * message of the store's own reports. Every code is reachable, and zod issues carry the code too.
 */
import { describe, expect, it } from 'vitest';
import { Database, FORMAT_VERSION, findReferenceProblems, Project, REFERENCE_CODES } from '../../src/domain/schema.ts';
import { brokenDocument } from './broken-document.ts';

const name = (zh: string) => ({ zh });

describe('findReferenceProblems', () => {
  const problems = findReferenceProblems(brokenDocument());

  it('finds one of every code in a document with every kind of mistake', () => {
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(REFERENCE_CODES));
  });

  it('gives the ids a problem is about as parameters, not only in the message', () => {
    const byCode = (code: string) =>
      problems.filter((p) => p.code === code).map((p) => ({ path: p.path, params: p.params }));
    expect(byCode('unknown_milestone')).toEqual([
      { path: ['updates', 0, 'milestoneId'], params: { id: 'p1', milestoneId: 'm9' } },
    ]);
    expect(byCode('unknown_department')).toEqual([{ path: ['targets', 1, 'departmentId'], params: { id: 'nowhere' } }]);
    expect(byCode('checkpoint_outside_period')).toEqual([
      { path: ['targets', 0, 'checkpoints', 0, 'date'], params: { date: '2027-01-01' } },
    ]);
    expect(byCode('amber_above_red')).toEqual([
      { path: ['settings', 'amberGapPoints'], params: { amber: 40, red: 30 } },
    ]);
  });

  it('still words every problem in English for the store’s own reports', () => {
    for (const p of problems) expect(p.message).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('zod issues of the data model', () => {
  it('carry a reference problem’s code and ids in their params', () => {
    const doc = brokenDocument();
    const result = Database.safeParse({ version: FORMAT_VERSION, ...doc });
    const custom = (result.error?.issues ?? []).filter((i) => i.code === 'custom');
    expect(custom.find((i) => i.path.join('.') === 'updates.0.milestoneId')).toMatchObject({
      params: { code: 'unknown_milestone', id: 'p1', milestoneId: 'm9' },
    });
    expect(new Set(custom.map((i) => (i.code === 'custom' ? i.params?.code : undefined)))).toEqual(
      new Set(REFERENCE_CODES),
    );
  });

  it('carry a code for a period that starts after it ends', () => {
    const result = Project.safeParse({
      id: 'p',
      departmentId: 'd',
      name: name('项目'),
      period: { start: '2026-12-31', end: '2026-01-01' },
    });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', path: ['period'], params: { code: 'start_after_end' } }),
    ]);
  });
});
