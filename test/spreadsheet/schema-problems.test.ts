/**
 * Import problems are worded from codes and structure, never from the English of the data model:
 * every reference code has words in both languages, and rewording any domain message leaves the
 * Chinese (and English) problems exactly as they were.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  Department,
  findReferenceProblems,
  Project,
  REFERENCE_CODES,
  type ReferenceCode,
  type ReferenceParams,
  type ReferenceProblem,
  Target,
  Update,
} from '../../src/domain/schema.ts';
import { describeIssue, describeReference } from '../../src/spreadsheet/schema-problems.ts';
import { brokenDocument } from '../domain/broken-document.ts';

/** Parameters for each code; a code added to the domain without words here fails to compile. */
const PARAMS: { [C in ReferenceCode]: ReferenceParams[C] } = {
  duplicate_department_id: { id: 'edb' },
  duplicate_item_id: { id: 't-edb-iva' },
  unknown_department: { id: 'nowhere' },
  duplicate_milestone_id: { id: 'm-1a2b3c4d' },
  target_equals_baseline: {},
  checkpoint_outside_period: { date: '2027-01-01' },
  checkpoints_out_of_order: { date: '2026-06-30' },
  unknown_target: { id: 'p-urban' },
  unknown_project: { id: 't-iva' },
  duplicate_update_id: { id: 'u-0a1b2c3d4e5f' },
  unknown_item: { id: 'ghost' },
  unknown_milestone: { id: 'p-urban', milestoneId: 'm9' },
  amber_above_red: { amber: 40, red: 30 },
};

function problem(code: ReferenceCode, message: string): ReferenceProblem {
  return { code, params: PARAMS[code], path: [], message } as ReferenceProblem;
}

/** The text left when the ids and figures a message is about are taken out. */
function withoutParams(text: string, params: object): string {
  let rest = text;
  for (const v of Object.values(params)) rest = rest.split(String(v)).join('');
  return rest;
}

describe('the words of every reference problem', () => {
  it('covers every code the domain has', () => {
    expect(Object.keys(PARAMS).sort()).toEqual([...REFERENCE_CODES].sort());
  });

  it.each(REFERENCE_CODES)(
    '%s reads in Chinese with no Latin word but its ids, and in English with no Chinese',
    (code) => {
      const words = describeReference(problem(code, 'any English wording at all'));
      expect(words.zh).toMatch(/\p{Script=Han}/u);
      expect(withoutParams(words.zh, PARAMS[code])).not.toMatch(/[A-Za-z]/);
      expect(words.en).toMatch(/[A-Za-z]{3}/);
      expect(withoutParams(words.en, PARAMS[code])).not.toMatch(/\p{Script=Han}/u);
    },
  );

  it.each(REFERENCE_CODES)('%s says the same whatever the domain’s message says', (code) => {
    expect(describeReference(problem(code, 'reworded'))).toEqual(describeReference(problem(code, '')));
  });
});

describe('rewording every domain message', () => {
  it('leaves the reference problems of a real document unchanged', () => {
    const found = findReferenceProblems(brokenDocument());
    const before = found.map(describeReference);
    const after = found.map((p) =>
      describeReference({ ...p, message: `reworded: ${p.message.toUpperCase()}` } as ReferenceProblem),
    );
    expect(after).toEqual(before);
    expect(before.map((m) => m.zh)).toContain('事项没有节点『m9』');
  });

  const period = { start: '2026-01-01', end: '2026-12-31' };
  const at = '2026-05-01T12:00:00+08:00';
  const BAD: Array<[string, z.ZodType, Record<string, unknown>, string]> = [
    [
      'an id with a space',
      Department,
      { id: 'a b', name: { zh: '一局' } },
      '编号只能包含字母、数字和 . _ -，以字母或数字开头，最长 64 位：『a b』',
    ],
    [
      'a channel that is not a Slack channel id',
      Department,
      { id: 'd', name: { zh: '一局' }, channelId: '#zjj' },
      '不是 Slack 频道 ID（如 C012ABCDEF）：『#zjj』',
    ],
    [
      'a member that is not a Slack user id',
      Department,
      { id: 'd', name: { zh: '一局' }, memberIds: ['张三'] },
      '不是 Slack 用户 ID（如 U012ABCDEF）：『张三』',
    ],
    [
      'a period that starts after it ends',
      Project,
      { id: 'p', departmentId: 'd', name: { zh: '项' }, period: { start: '2026-12-31', end: '2026-01-01' } },
      '开始日期晚于完成时限',
    ],
    [
      'a name too long',
      Target,
      {
        id: 't',
        departmentId: 'd',
        name: { zh: '长'.repeat(201) },
        period,
        kind: 'level',
        unit: { zh: '%' },
        target: 1,
      },
      '太长（201 个字符，最多 200 个）',
    ],
    [
      'an empty unit',
      Target,
      { id: 't', departmentId: 'd', name: { zh: '指标' }, period, kind: 'level', unit: { zh: '' }, target: 1 },
      '不能为空',
    ],
    ['a percent over 100', Update, { id: 'u', itemId: 'p', at, by: 'x', percent: 120 }, '不能大于 100：『120』'],
    [
      'a link that is not http',
      Update,
      { id: 'u', itemId: 'p', at, by: 'x', evidence: [{ kind: 'link', url: 'ftp://x.org/a' }] },
      '不是有效的链接（应以 http:// 或 https:// 开头）：『ftp://x.org/a』',
    ],
    [
      'a state duban does not know',
      Update,
      { id: 'u', itemId: 'p', at, by: 'x', state: 'paused' },
      '取值无效：『paused』',
    ],
    ['a missing item', Update, { id: 'u', at, by: 'x' }, '必填，不能为空'],
  ];

  it.each(BAD)('leaves the words for %s unchanged', (_what, schema, input, zh) => {
    const issues = schema.safeParse(input).error?.issues ?? [];
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    const value = issue.path.reduce<unknown>(
      (node, k) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[k] : undefined),
      input,
    );
    const words = describeIssue(issue, value);
    expect(words.zh).toBe(zh);
    expect(describeIssue({ ...issue, message: 'reworded' }, value)).toEqual(words);
  });
});
