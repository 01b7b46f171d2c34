import { describe, expect, it } from 'vitest';
import { findDepartmentsInText, matchDepartment, normalize, searchItems } from '../../src/domain/match.ts';
import { Department, Project } from '../../src/domain/schema.ts';

const departments = [
  Department.parse({
    id: 'edb',
    name: { zh: '经济发展局', en: 'Economic Development Bureau' },
    shortName: { zh: '经发局', en: 'EDB' },
    aliases: ['经发'],
  }),
  Department.parse({
    id: 'hurdb',
    name: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
    shortName: { zh: '住建局', en: 'HURDB' },
    aliases: ['Housing and Construction Bureau'],
  }),
  Department.parse({
    id: 'zhongxing',
    name: { zh: '中兴街道', en: 'Zhongxing Subdistrict' },
    aliases: ['中兴街道办事处'],
  }),
  Department.parse({
    id: 'stb',
    name: { zh: '科技创新局', en: 'Science and Technology Innovation Bureau' },
    shortName: { zh: '科创局' },
  }),
];

describe('matching a department by what a person typed', () => {
  it.each([
    ['经济发展局', 'edb'],
    ['经发局', 'edb'],
    ['Economic Development Bureau', 'edb'],
    ['economic development bureau', 'edb'],
    ['EDB', 'edb'],
    ['住房和城乡建设局', 'hurdb'],
    ['住建局', 'hurdb'],
    ['住建局？', 'hurdb'],
    ['  住建局 ', 'hurdb'],
    ['Housing and Construction Bureau', 'hurdb'],
    ['住建', 'hurdb'],
    ['中兴', 'zhongxing'],
    ['中兴街道办事处', 'zhongxing'],
    ['ＥＤＢ', 'edb'],
  ])('"%s" → %s', (query, id) => {
    const m = matchDepartment(departments, query);
    expect(m.kind).toBe('one');
    if (m.kind === 'one') expect(m.department.id).toBe(id);
  });

  it('reports several departments when a fragment fits more than one', () => {
    const m = matchDepartment(departments, 'Bureau');
    expect(m.kind).toBe('many');
  });

  it.each([
    ['住建委', 'hurdb'],
    ['经发', 'edb'],
    ['科创', 'stb'],
    ['Housing Bureau', 'hurdb'],
  ])('suggests or finds the nearest for "%s"', (query, id) => {
    const m = matchDepartment(departments, query);
    const ids =
      m.kind === 'one'
        ? [m.department.id]
        : m.kind === 'none'
          ? m.suggestions.map((d) => d.id)
          : m.departments.map((d) => d.id);
    expect(ids).toContain(id);
  });

  it('suggests nothing for text unlike any name', () => {
    const m = matchDepartment(departments, '🎉🎉🎉');
    expect(m).toEqual({ kind: 'none', suggestions: [] });
  });
});

describe('finding departments named in a question', () => {
  it.each([
    ['住建局进展如何?', ['hurdb']],
    ['how is HURDB doing?', ['hurdb']],
    ['经发局和中兴街道谁落后了', ['edb', 'zhongxing']],
    ['who is behind?', []],
    ['bedbug', []],
  ])('%s', (text, ids) => {
    expect(findDepartmentsInText(departments, text).map((d) => d.id)).toEqual(ids);
  });
});

describe('keyword search over items', () => {
  const projects = [
    Project.parse({
      id: 'ur-01',
      departmentId: 'hurdb',
      name: { zh: '星湖花园老旧小区改造', en: 'Xinghu Garden retrofit' },
      category: { zh: '老旧小区改造' },
      tags: ['城市更新', 'urban renewal'],
      period: { start: '2026-01-01', end: '2026-12-31' },
    }),
    Project.parse({
      id: 'ai-01',
      departmentId: 'stb',
      name: { zh: 'AI+制造孵化器' },
      tags: ['AI+制造'],
      period: { start: '2026-01-01', end: '2026-12-31' },
    }),
  ];
  it.each([
    ['城市更新', ['ur-01']],
    ['Urban Renewal', ['ur-01']],
    ['老旧小区', ['ur-01']],
    ['孵化器', ['ai-01']],
    ['ai-01', ['ai-01']],
    ['nothing like it', []],
  ])('"%s" finds %j', (q, ids) => {
    expect(searchItems(projects, q).map((p) => p.id)).toEqual(ids);
  });

  it('normalises width, case and punctuation', () => {
    expect(normalize(' ＡＩ＋制造！ ')).toBe('ai制造');
  });
});
