/** The small parsers and formatters under the reader and writers, at their boundaries. */
import { describe, expect, it } from 'vitest';
import {
  formatCheckpoints,
  formatEvidence,
  joinTextList,
  parseCheckpoints,
  parseDate,
  parseDateTime,
  parseEvidence,
  parseNumber,
  type Scalar,
  splitTextList,
} from '../../src/spreadsheet/cells.ts';
import { detectFormat, sniffDelimiter } from '../../src/spreadsheet/detect.ts';
import { formatProblem, type SheetProblem } from '../../src/spreadsheet/index.ts';

const text = (v: string): Scalar => ({ t: 'text', v });

describe('formatProblem', () => {
  it.each<[SheetProblem, string, string]>([
    [
      { sheet: '指标', row: 12, column: '目标值', message: { zh: '不是数字：『约7.5』', en: 'not a number: “约7.5”' } },
      '『指标』第 12 行『目标值』不是数字：『约7.5』',
      'Sheet 指标, row 12, 目标值: not a number: “约7.5”',
    ],
    [
      { sheet: '指标', row: 1, message: { zh: '缺少必填列『目标值』', en: 'the required column 目标值 is missing' } },
      '『指标』第 1 行：缺少必填列『目标值』',
      'Sheet 指标, row 1: the required column 目标值 is missing',
    ],
    [
      { sheet: 'a.csv', message: { zh: '文件是空的', en: 'the file is empty' } },
      '『a.csv』：文件是空的',
      'Sheet a.csv: the file is empty',
    ],
  ])('words %j in Chinese and English', (p, zh, en) => {
    expect(formatProblem(p, 'zh-CN')).toBe(zh);
    expect(formatProblem(p, 'en')).toBe(en);
  });
});

describe('parseNumber', () => {
  it.each<[Scalar, number, boolean]>([
    [{ t: 'number', v: 0.075, percent: true }, 7.5, true],
    [{ t: 'number', v: 0.1 + 0.2, percent: true }, 30, true],
    [{ t: 'number', v: 0.1 + 0.2, percent: false }, 0.30000000000000004, false],
    [text('-3.2%'), -3.2, true],
    [text('.5'), 0.5, false],
    [text('1e3'), 1000, false],
  ])('reads %j as %d', (s, value, percent) => {
    const r = parseNumber(s);
    expect(r.ok && r.value).toEqual({ value, percent });
  });

  it.each(['7.5.1', '1,23', '--1', '', '%', '七点五'])('refuses %j', (v) => {
    expect(parseNumber(text(v)).ok).toBe(false);
  });
});

describe('dates and times', () => {
  it.each<[number, string]>([
    [20000, '1954-10-03'],
    [46112, '2026-03-31'],
    [80000, '2119-01-11'],
  ])('reads serial %d as %s', (serial, iso) => {
    const r = parseDate({ t: 'number', v: serial, percent: false });
    expect(r.ok && r.value).toBe(iso);
  });

  it.each([19999, 80001, 46112.5])('refuses serial %d', (serial) => {
    expect(parseDate({ t: 'number', v: serial, percent: false }).ok).toBe(false);
  });

  it.each<[Scalar, string]>([
    [text('2026-03-31T17:00:00+08:00'), '2026-03-31T17:00:00+08:00'],
    [text('2026-03-31T09:00:00Z'), '2026-03-31T09:00:00Z'],
    [text('2026-03-31 17:05'), '2026-03-31T17:05:00+08:00'],
    [text('2026/3/31 9:05:30'), '2026-03-31T09:05:30+08:00'],
    [text('2026年3月31日'), '2026-03-31T12:00:00+08:00'],
    [{ t: 'date', v: new Date(Date.UTC(2026, 2, 31, 17, 5)) }, '2026-03-31T17:05:00+08:00'],
    [{ t: 'date', v: new Date(Date.UTC(2026, 2, 31)) }, '2026-03-31T12:00:00+08:00'],
  ])('reads the time %j as %s', (s, iso) => {
    const r = parseDateTime(s, '+08:00');
    expect(r.ok && r.value).toBe(iso);
  });

  it.each(['2026-03-31 25:00', '2026-02-30T10:00:00+08:00', '昨天'])('refuses the time %j', (v) => {
    expect(parseDateTime(text(v), '+08:00').ok).toBe(false);
  });
});

describe('lists, checkpoints and evidence write back what they read', () => {
  it.each<string[][]>([[['经发', '经济局']], [['经发、经济局']], [['a；b', 'c']], [['one']], [[]]])(
    'text list %j',
    (items) => {
      expect(splitTextList(joinTextList(items))).toEqual(items);
    },
  );

  it.each([[0.15], [0.45], [1 / 3], [0.1 + 0.2], [1], [0.07]])('checkpoint share %d', (share) => {
    const cps = [{ date: '2026-03-31', share }];
    const r = parseCheckpoints(text(formatCheckpoints(cps)));
    expect(r.ok && r.value).toEqual(cps);
  });

  it('evidence lines', () => {
    const list = [
      { kind: 'link' as const, url: 'https://example.org/a?b=c', name: '现场 照片' },
      { kind: 'link' as const, url: 'http://example.org/b' },
      { kind: 'file' as const, url: 'https://files.slack.com/x/y.pdf', name: '报告', fileId: 'F0ABC123' },
    ];
    expect(parseEvidence(formatEvidence(list), undefined)).toEqual(list);
    expect(parseEvidence('验收报告', 'https://example.org/r.pdf')).toEqual([
      { kind: 'link', url: 'https://example.org/r.pdf', name: '验收报告' },
    ]);
  });
});

describe('detecting the format', () => {
  it.each<[string, string]>([
    ['a,b;c\n', ','],
    ['a;b;c\n', ';'],
    ['a\tb\tc,d\n', '\t'],
    ['"a;b;c",d\n', ','],
    ['abc\n', ','],
  ])('finds the delimiter of %j', (t, d) => {
    expect(sniffDelimiter(t)).toBe(d);
  });

  it('tells a zip from text, and text with a few stray control characters from binary', () => {
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])).format).toBe('xlsx');
    const ok = `${'x'.repeat(999)}\u0007`;
    expect(detectFormat(Buffer.from(ok)).format).toBe('csv');
    expect(detectFormat(Buffer.from(`${'x'.repeat(90)}${'\u0007'.repeat(10)}`)).format).toBe('refused');
  });
});
