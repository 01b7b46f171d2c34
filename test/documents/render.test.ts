/**
 * A 督办单 as the department opens it: the .docx is unzipped and its word/document.xml read back —
 * the office, the level word and colour, the number, the addressee's full name, the items with their
 * reasons, the deadline — for each level of the ladder and for the office's own wording.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument, LEVEL_COLOURS } from '../../src/documents/model.ts';
import { renderDocx } from '../../src/documents/render-docx.ts';
import { fillTemplate, templatesOf, unknownPlaceholders } from '../../src/documents/template.ts';
import type { DocumentLevel } from '../../src/domain/documents.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { seedModel } from '../support/app.ts';
import { docxParagraphs, docxPart } from './read-docx.ts';

const TODAY = '2026-11-28';
let model: ReadModel;
let itemIds: string[];
let departmentId: string;

beforeAll(async () => {
  model = await seedModel();
  const behind = model.evaluate(TODAY).tracked.filter((s) => s.status === 'red' || s.status === 'amber');
  // The department with the most items behind, so the document lists several.
  const counts = new Map<string, number>();
  for (const s of behind) counts.set(s.item.departmentId, (counts.get(s.item.departmentId) ?? 0) + 1);
  departmentId = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  itemIds = behind
    .filter((s) => s.item.departmentId === departmentId)
    .map((s) => s.item.id)
    .slice(0, 3);
});

describe.each([
  ['notice', '提示单', '1F5FBF'],
  ['supervision', '督办单', 'F2B705'],
  ['letter', '督办函', 'C00000'],
] as const)('a %s', (level: DocumentLevel, word, band) => {
  let bytes: Buffer;
  let text: string[];
  beforeAll(async () => {
    const doc = buildDocument(model, {
      level,
      departmentId,
      itemIds,
      number: { year: 2026, n: 12 },
      today: TODAY,
      deadline: '2026-12-03',
    });
    bytes = await renderDocx(doc);
    text = docxParagraphs(bytes);
  });

  it(`says ${word} in the band beside the office, so the level does not rest on colour alone`, () => {
    expect(text[0]).toBe(`南通经济技术开发区督查室　${word}`);
  });

  it('carries the number, the department’s full name and the date', () => {
    expect(text).toContain('督〔2026〕12号');
    expect(text).toContain(`${model.department(departmentId)!.name.zh}：`);
    expect(text.at(-1)).toBe('2026年11月28日');
    expect(text.at(-2)).toBe('南通经济技术开发区督查室');
  });

  it('lists each item with its list number and the reasons in the words of every other view', () => {
    const evaluation = model.evaluate(TODAY);
    itemIds.forEach((id, i) => {
      const s = evaluation.byId.get(id)!;
      const line = text.find((p) => p.startsWith(`${i + 1}. 「${s.item.name.zh}」（#${model.numberOf(id)}）：`));
      expect(line, s.item.name.zh).toBeDefined();
      expect(line!.endsWith('。')).toBe(true);
    });
  });

  it('asks for an answer by the deadline', () => {
    expect(text.some((p) => p.startsWith('请于12月3日前将办理情况书面反馈南通经济技术开发区督查室。'))).toBe(true);
  });

  it(`shades the band ${band} and inks the title in the level’s colour`, () => {
    const xml = docxPart(bytes);
    expect(xml).toContain(`w:fill="${band}"`);
    expect(xml).toContain(`<w:color w:val="${LEVEL_COLOURS[level].ink}"/>`);
  });

  it('names the fonts of official documents for Chinese text', () => {
    const xml = docxPart(bytes);
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
  });
});

describe('a preview', () => {
  it('has no number yet and says so on the page', async () => {
    const doc = buildDocument(model, { level: 'notice', departmentId, itemIds, today: TODAY, deadline: '2026-12-07' });
    const text = docxParagraphs(await renderDocx(doc));
    expect(text).toContain('督〔2026〕　号');
    expect(text).toContain('预览稿　发出时编号');
    expect(text.join('')).not.toMatch(/督〔2026〕\d+号/);
  });
});

describe('the office’s wording', () => {
  it('replaces the default title, opening and requirement, placeholders filled in', async () => {
    const settings = {
      ...model.db.settings,
      documents: {
        templates: {
          title: { letter: '{督查室}督办函' },
          body: '{部门}：\n关于{事项}，{原因}。',
          requirement: '限{时限}前反馈（{编号}，{文种}）。',
        },
      },
    };
    const custom = { ...model, db: { ...model.db, settings } } as ReadModel;
    const doc = buildDocument(custom, {
      level: 'letter',
      departmentId,
      itemIds: itemIds.slice(0, 1),
      number: { year: 2026, n: 3 },
      today: TODAY,
      deadline: '2026-12-01',
    });
    const text = docxParagraphs(await renderDocx(doc));
    const s = model.evaluate(TODAY).byId.get(itemIds[0]!)!;
    expect(text).toContain('南通经济技术开发区督查室督办函');
    expect(text.some((p) => p.startsWith(`关于「${s.item.name.zh}」，`))).toBe(true);
    expect(text).toContain('限12月1日前反馈（督〔2026〕3号，督办函）。');
    // Levels the office left alone keep the default.
    expect(templatesOf(settings).title.notice).toBe('督办事项提示单');
  });
});

describe('unknownPlaceholders', () => {
  it.each([
    ['请于{时限}前反馈', []],
    ['{部门}{事项}{原因}{时限}{督查室}{文种}{编号}', []],
    ['请{单位}于{期限}前反馈{单位}', ['单位', '期限']],
    ['{ 部门 }', []],
    ['{constructor}', ['constructor']],
    ['没有占位符', []],
  ])('in %j finds %j', (text, expected) => {
    expect(unknownPlaceholders(text)).toEqual(expected);
  });
});

describe('fillTemplate', () => {
  const values = {
    部门: '住建局',
    事项: '「A」',
    原因: '逾期',
    时限: '12月3日',
    督查室: '督查室',
    文种: '督办单',
    编号: '督〔2026〕1号',
  };
  it.each([
    ['{部门}：请于{时限}前反馈', '住建局：请于12月3日前反馈'],
    ['{未知}保持原样', '{未知}保持原样'],
    ['值里的{时限}不再替换：{原因}', '值里的12月3日不再替换：逾期'],
  ])('fills %j as %j', (text, expected) => {
    expect(fillTemplate(text, values)).toBe(expected);
  });
  it('never reads a value as a template', () => {
    expect(fillTemplate('{部门}', { ...values, 部门: '{时限}' })).toBe('{时限}');
  });
});
