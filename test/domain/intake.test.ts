import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findDeadlines } from '../../src/domain/intake/deadlines.ts';
import { findFigures } from '../../src/domain/intake/figures.ts';
import { type Draft, draftCommitments, keepQuoted, type ModelDraft } from '../../src/domain/intake/index.ts';
import { segmentText } from '../../src/domain/intake/segments.ts';
import { Department, ImportFile } from '../../src/domain/schema.ts';

const seed = ImportFile.parse(JSON.parse(readFileSync('data/seed/nantong-2026.json', 'utf8')));
/** The work meeting's article the sample zone models, as in test/fixtures/intake/README.md. */
const articleText = readFileSync('test/fixtures/intake/seed-article.txt', 'utf8');
const zone = { departments: seed.departments, today: '2026-02-10', year: 2026 };

function spansHold(text: string, d: Draft): void {
  const spans = [d.sentence, d.name?.span, d.lead?.span, d.deadline?.span, d.figure?.span, ...d.co.map((c) => c.span)];
  for (const s of spans) if (s) expect(text.slice(s.start, s.end)).toBe(s.text);
}

describe('the seed article (acceptance)', () => {
  const drafts = draftCommitments(articleText, zone);

  it('drafts the three departments’ commitments and nothing else', () => {
    expect(drafts.map((d) => d.lead?.value)).toEqual(['edb', 'hurdb', 'zhongxing']);
  });

  it('reads 经济发展局: 规上工业增加值 at least 7.5%', () => {
    const [edb] = drafts;
    expect(edb!.name?.value).toBe('规上工业增加值');
    expect(edb!.figure?.value).toEqual({ value: 7.5, unit: '%', comparator: 'atLeast' });
    expect(edb!.figure?.span.text).toBe('7.5%以上');
    expect(edb!.lead?.span.text).toBe('经济发展局');
  });

  it('reads 住建局: 40 renewal projects', () => {
    const hurdb = drafts[1]!;
    expect(hurdb.name?.value).toBe('实施四大类共40项更新项目');
    expect(hurdb.figure?.value).toEqual({ value: 40, unit: '项' });
  });

  it('reads 中兴街道: the “三个一线” campaign, with no figure made up from 三个', () => {
    const zx = drafts[2]!;
    expect(zx.name?.value).toBe('广泛开展“三个一线”攻坚行动');
    expect(zx.figure).toBeUndefined();
  });

  it('leaves what the article does not say empty: no deadline, no supporting department', () => {
    for (const d of drafts) {
      expect(d.deadline).toBeUndefined();
      expect(d.co).toEqual([]);
      expect(d.unknownDepartments).toEqual([]);
      spansHold(articleText, d);
    }
  });
});

type Expected = {
  name?: string;
  lead?: string;
  co?: string[];
  deadline?: string;
  figure?: { value: number; unit: string };
  unknown?: string[];
};
type Passage = {
  id: string;
  source: string;
  year: number;
  text: string;
  departments: unknown[];
  expected: Expected[];
};
const passages = (JSON.parse(readFileSync('test/fixtures/intake/passages.json', 'utf8')) as { passages: Passage[] })
  .passages;
type Tally = { right: number; empty: number; wrong: number; wrongs: string[] };
const tally: Tally = { right: 0, empty: 0, wrong: 0, wrongs: [] };

function judge(id: string, field: string, expected: unknown, drafted: unknown): void {
  const stated = expected !== undefined && !(Array.isArray(expected) && expected.length === 0);
  const given = drafted !== undefined && !(Array.isArray(drafted) && drafted.length === 0);
  if (!given) {
    if (stated) tally.empty++;
    else tally.right++;
    return;
  }
  if (JSON.stringify(expected) === JSON.stringify(drafted)) tally.right++;
  else {
    tally.wrong++;
    tally.wrongs.push(`${id} ${field}: ${JSON.stringify(drafted)} ≠ ${JSON.stringify(expected)}`);
  }
}

describe('real passages from 任务分解 / 会议 / 督办 documents', () => {
  it.each(passages)('$id ($source)', ({ id, text, year, departments, expected }) => {
    const drafts = draftCommitments(text, {
      departments: departments.map((d) => Department.parse(d)),
      today: `${year}-03-01`,
      year,
    });
    expect(drafts.length, `${id}: drafted ${drafts.map((d) => d.sentence.text).join(' | ')}`).toBe(expected.length);
    drafts.forEach((d, i) => {
      const e = expected[i]!;
      spansHold(text, d);
      judge(id, 'name', e.name, d.name?.value);
      judge(id, 'lead', e.lead, d.lead?.value);
      judge(
        id,
        'co',
        e.co,
        d.co.map((c) => c.value),
      );
      judge(id, 'deadline', e.deadline, d.deadline?.value);
      const f = d.figure && { value: d.figure.value.value, unit: d.figure.value.unit };
      judge(id, 'figure', e.figure, f);
      judge(
        id,
        'unknown',
        e.unknown,
        d.unknownDepartments.map((u) => u.span.text),
      );
    });
  });

  it('drafts no field wrong: what the rules cannot be sure of stays empty', () => {
    expect(tally.wrongs).toEqual([]);
    expect(tally).toMatchObject({ right: 70, empty: 2, wrong: 0 });
  });
});

describe('deadlines', () => {
  it.each([
    ['6月底前完成', '2026-06-30'],
    ['9月30日前', '2026-09-30'],
    ['2027年2月3日前报送', '2027-02-03'],
    ['年内建成', '2026-12-31'],
    ['年底前完工', '2026-12-31'],
    ['2025年底前', '2025-12-31'],
    ['十月底前', '2026-10-31'],
    ['上半年完成', '2026-06-30'],
    ['三季度末', '2026-09-30'],
    ['本季度完成', '2026-06-30'],
    ['本月底前', '2026-05-31'],
    ['11月中旬前', '2026-11-20'],
  ])('%s → %s', (text, date) => {
    expect(findDeadlines(text, 0, text.length, 2026, '2026-05-12').map((d) => d.value)).toEqual([date]);
  });

  it.each([['5年内'], ['两年内'], ['6月动工'], ['每月28日前报送'], ['2月30日前'], ['全年'], ['1月初']])(
    'reads no deadline in %s',
    (text) => {
      expect(findDeadlines(text, 0, text.length, 2026, '2026-05-12')).toEqual([]);
    },
  );
});

describe('figures', () => {
  it.each([
    ['力争规上工业增加值7.5%以上', 7.5, '%', 'atLeast'],
    ['新建3万平方米', 3, '万平方米', undefined],
    ['完成投资10亿元', 10, '亿元', undefined],
    ['不少于15个', 15, '个', 'atLeast'],
    ['控制在3%以内', 3, '%', 'atMost'],
    ['盘活存量土地400亩', 400, '亩', undefined],
  ])('%s → %s %s', (text, value, unit, comparator) => {
    const [f] = findFigures(text, 0, text.length);
    expect(f?.value).toEqual({ value, unit, ...(comparator ? { comparator } : {}) });
  });

  it.each([['“1223”跨越发展行动'], ['“4+6”招商体系'], ['压缩至90个工作日以内'], ['2018年'], ['三个一线'], ['第3项']])(
    'reads no target in %s',
    (text) => {
      expect(findFigures(text, 0, text.length)).toEqual([]);
    },
  );
});

describe('segments', () => {
  it('splits 一是…二是… into one item each and keeps role lines with their item', () => {
    const text = '会议要求：一是住建局要在6月底前完成改造；二是经发局要年内完成招商。\n责任单位：经发局';
    const segs = segmentText(text);
    expect(segs.map((s) => s.sentence.text)).toEqual(['一是住建局要在6月底前完成改造', '二是经发局要年内完成招商。']);
    expect(segs[1]!.roleLines.map((l) => l.text)).toEqual(['责任单位：经发局']);
  });
});

describe('roles', () => {
  /** The goal each row's draft is named by: never the clause that only says who leads. */
  const names: Record<string, string | undefined> = {
    '由住建局牵头，经发局、科创局配合，9月30日前完成老旧小区改造。': '完成老旧小区改造',
    '经发局（牵头）、投促局：年内新引进项目10个。': '新引进项目',
    '住建局要在6月底前完成改造。': '完成改造',
  };
  it.each([
    ['由住建局牵头，经发局、科创局配合，9月30日前完成老旧小区改造。', 'hurdb', ['edb', 'stib']],
    ['经发局（牵头）、投促局：年内新引进项目10个。', 'edb', ['ipb']],
    ['住建局要在6月底前完成改造。', 'hurdb', []],
    ['区住建局牵头，各街道配合，年底前完成。', 'hurdb', []],
  ])('%s', (text, lead, co) => {
    const [d] = draftCommitments(text, zone);
    expect(d?.name?.value).toBe(names[text]);
    expect(d?.lead?.value).toBe(lead);
    expect(d?.co.map((c) => c.value)).toEqual(co);
  });

  // Constructed rows, one per phrasing (not quotations): what each slot reads, and what stays empty.
  it.each<[string, { name?: string; lead?: string; co?: string[]; deadline?: string; unknown?: string[] }]>([
    [
      '会议要求，住建局牵头负责城市更新工作，9月底前拿出方案。',
      { name: '城市更新工作', lead: 'hurdb', deadline: '2026-09-30' },
    ],
    ['请财政局于10月15日前完成资金拨付。', { name: '完成资金拨付', deadline: '2026-10-15', unknown: ['财政局'] }],
    [
      '（一）加快城市更新。住建局要会同经发局，在三季度末前完成40项更新项目的开工。',
      { name: '完成40项更新项目的开工', lead: 'hurdb', co: ['edb'], deadline: '2026-09-30' },
    ],
    ['科创局：年内新增高新技术企业30家。', { name: '新增高新技术企业', lead: 'stib', deadline: '2026-12-31' }],
    ['经发局、投促局要抓紧推进招商工作，确保年内签约项目20个。', { name: '签约项目', deadline: '2026-12-31' }],
    ['投促局负责，12月31日前完成。', { lead: 'ipb', deadline: '2026-12-31' }],
    // Labelled roles pasted onto one line (a form field flattens the document's lines): each list ends at the next label.
    [
      '年内新引进项目10个。牵头单位：投促局 配合单位：经发局、科创局 完成时限：2026年9月30日',
      { name: '新引进项目', lead: 'ipb', co: ['edb', 'stib'], deadline: '2026-09-30' },
    ],
  ])('%s', (text, e) => {
    const [d] = draftCommitments(text, zone);
    expect({
      name: d?.name?.value,
      lead: d?.lead?.value,
      co: d?.co.map((c) => c.value),
      deadline: d?.deadline?.value,
      unknown: d?.unknownDepartments.map((u) => u.span.text),
    }).toEqual({ name: e.name, lead: e.lead, co: e.co ?? [], deadline: e.deadline, unknown: e.unknown ?? [] });
  });

  it('names an office the zone does not have as unknown, never as another department', () => {
    const [d] = draftCommitments('由区财政局牵头，住建局配合，年底前完成。', zone);
    expect(d?.lead).toBeUndefined();
    expect(d?.unknownDepartments.map((u) => [u.role, u.span.text])).toEqual([['lead', '区财政局']]);
    expect(d?.co.map((c) => c.value)).toEqual(['hurdb']);
  });

  it('never takes a department merely named in the sentence as the lead', () => {
    const [d] = draftCommitments('各单位要于6月底前将方案报送督查室。', zone);
    expect(d?.lead).toBeUndefined();
    expect(d?.deadline?.value).toBe('2026-06-30');
  });
});

describe("the model's drafts", () => {
  const text = '住建局要在9月30日前完成40项城市更新项目。';
  const model = (over: Partial<ModelDraft>): ModelDraft => ({
    sentence: text,
    name: { value: '完成40项城市更新项目', quote: '完成40项城市更新项目' },
    lead: { department: '住建局', quote: '住建局' },
    co: [],
    deadline: { date: '2026-09-30', quote: '9月30日前' },
    figure: { value: 40, unit: '项', comparator: null, quote: '40项' },
    ...over,
  });

  it('keeps every field whose quote is in the text', () => {
    const [d] = keepQuoted(text, [model({})], seed.departments);
    expect(d).toMatchObject({
      name: { value: '完成40项城市更新项目' },
      lead: { value: 'hurdb', span: { text: '住建局' } },
      deadline: { value: '2026-09-30' },
      figure: { value: { value: 40, unit: '项' } },
    });
    spansHold(text, d!);
  });

  it.each<[string, Partial<ModelDraft>, keyof Draft]>([
    ['a name not quoted', { name: { value: '完成50项', quote: '完成50项城市更新' } }, 'name'],
    ['a lead whose quote names another office', { lead: { department: '住建局', quote: '城市更新' } }, 'lead'],
    ['a department the zone does not have', { lead: { department: '财政局', quote: '住建局' } }, 'lead'],
    ['a deadline not quoted', { deadline: { date: '2026-06-30', quote: '6月底前' } }, 'deadline'],
    [
      'a figure whose value is not in its quote',
      { figure: { value: 45, unit: '项', comparator: null, quote: '40项' } },
      'figure',
    ],
  ])('drops %s', (_what, over, field) => {
    const [d] = keepQuoted(text, [model(over)], seed.departments);
    expect(d?.[field]).toBeUndefined();
  });

  it('drops a draft whose sentence is not in the text', () => {
    expect(keepQuoted(text, [model({ sentence: '经发局要完成招商。' })], seed.departments)).toEqual([]);
  });
});

describe('hostile input', () => {
  it.each([
    ['role words', '由住建局牵头，'.repeat(5000)],
    ['list marks', '一是二是三是'.repeat(5000)],
    ['deadlines', '6月底前9月30日前年底前'.repeat(3000)],
    ['figures', '40项7.5%以上3万平方米'.repeat(3000)],
    ['one long line without breaks', '经发局要'.repeat(10000)],
    ['numbered lines', '1.牵头单位：\n'.repeat(8000)],
  ])('drafts %s of about 40,000 characters quickly', (_what, text) => {
    const started = performance.now();
    const drafts = draftCommitments(text, zone);
    expect(drafts.length).toBeLessThanOrEqual(15);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
