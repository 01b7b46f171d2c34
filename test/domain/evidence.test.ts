import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findHedges, needsEvidence } from '../../src/domain/evidence.ts';
import { Commitment, Project } from '../../src/domain/schema.ts';

type Case = { text: string; source: string; hedges: string[] };
const fixture = JSON.parse(readFileSync(new URL('../fixtures/evidence/hedges.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

describe('hedging words in real progress reports ("基本完成" is not 办结)', () => {
  it.each(fixture.cases)('$text → $hedges', ({ text, hedges }) => {
    expect(findHedges(text).map((h) => h.words)).toEqual(hedges);
  });

  it.each([
    { text: '已全部完成，验收报告见附件', hedges: [] },
    { text: '已完成100%', hedges: [] },
    { text: '完成率达到 99.5%', hedges: ['完成率达到 99.5%'] },
    { text: '基本完成', hedges: ['基本完成'] },
    { text: '初步完成方案编制', hedges: ['初步完成'] },
  ])('a short claim: $text → $hedges', ({ text, hedges }) => {
    expect(findHedges(text).map((h) => h.words)).toEqual(hedges);
  });
});

describe('which claims of done need evidence', () => {
  const commitment = Commitment.parse({
    id: 'c1',
    departmentId: 'd1',
    name: { zh: '落实批示' },
    pledge: { zh: '落实批示' },
    period: { start: '2026-01-01', end: '2026-06-30' },
  });
  const assigned = Commitment.parse({
    ...commitment,
    assignment: { source: 'instruction', by: 'U1', at: '2026-01-05T01:00:00.000Z' },
  });
  const project = Project.parse({
    id: 'p1',
    departmentId: 'd1',
    name: { zh: '老旧小区改造' },
    period: { start: '2026-01-01', end: '2026-06-30' },
  });
  it.each([
    { setting: 'assigned', item: assigned, kind: 'commitment', needs: true },
    { setting: 'assigned', item: commitment, kind: 'commitment', needs: false },
    { setting: 'assigned', item: project, kind: 'project', needs: false },
    { setting: 'all', item: project, kind: 'project', needs: true },
    { setting: 'all', item: commitment, kind: 'commitment', needs: true },
    { setting: 'none', item: assigned, kind: 'commitment', needs: false },
  ] as const)('$setting, $item.id ($kind) → $needs', ({ setting, item, kind, needs }) => {
    expect(needsEvidence(setting, item, kind)).toBe(needs);
  });
});
