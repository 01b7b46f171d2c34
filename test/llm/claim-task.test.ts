/**
 * The model's check of a claim of done: what leaves duban about its evidence (names and addresses,
 * people and numbers masked, never a Slack permalink's uploader), and what of the answer is kept (a
 * quote only when it is the claim's own words; the concern made plain).
 */
import { describe, expect, it } from 'vitest';
import { claimCheckTask, evidenceForModel, readClaimAnswer } from '../../src/llm/claim-task.ts';
import { createPseudonymiser } from '../../src/llm/privacy.ts';

// A real sentence from a public progress report (test/fixtures/evidence/hedges.json):
// https://m.dawenxue.cn/fanwen/zichabaogao/1072/1072512.html
const CLAIM = '敬老院新扩建工程主体结束待验收,附属工程进入招投标前的准备工作。';

describe('evidenceForModel', () => {
  const pseudo = createPseudonymiser('zh-CN');
  it.each([
    [
      'a Slack file: its name only',
      { kind: 'file' as const, url: 'https://x.slack.com/files/U0LIAISON1/F0EV/zj.pdf', name: '攻坚行动总结.pdf' },
      { kind: 'file', name: '攻坚行动总结.pdf' },
    ],
    [
      'a file without a name: the last part of its address',
      { kind: 'file' as const, url: 'https://www.example.gov.cn/files/%E9%AA%8C%E6%94%B6.pdf' },
      { kind: 'file', name: '验收.pdf' },
    ],
    [
      'a link: host and path, the query dropped',
      { kind: 'link' as const, url: 'https://www.example.gov.cn/art/2026/ys.html?token=abc#p2' },
      { kind: 'link', host: 'www.example.gov.cn', path: '/art/2026/ys.html' },
    ],
    [
      'a link with its text; a phone number in the path masked',
      { kind: 'link' as const, url: 'https://a.example.cn/u/13912345678/report', name: '验收报告' },
      { kind: 'link', host: 'a.example.cn', path: '/u/[电话]/report', text: '验收报告' },
    ],
  ])('%s', (_what, evidence, expected) => {
    expect(evidenceForModel(evidence, pseudo)).toEqual(expected);
  });

  it('sends the claim and names as data, never a permalink', () => {
    const task = claimCheckTask({
      locale: 'zh-CN',
      item: '敬老院扩建',
      claim: CLAIM,
      evidence: [
        evidenceForModel(
          { kind: 'file', url: 'https://x.slack.com/files/U0LIAISON1/F0EV/a.pdf', name: 'a.pdf' },
          pseudo,
        ),
      ],
    });
    expect(task.name).toBe('claim_check');
    expect(JSON.parse(task.user)).toEqual({
      item: '敬老院扩建',
      claim: CLAIM,
      evidence: [{ kind: 'file', name: 'a.pdf' }],
    });
  });
});

describe('readClaimAnswer', () => {
  it.each([
    [
      'a quote found as written: kept',
      { matches: false, concern: '尚待验收', quote: '主体结束待验收' },
      { concern: '尚待验收', quote: '主体结束待验收' },
    ],
    [
      'a quote not in the claim: dropped',
      { matches: false, concern: '尚待验收', quote: '基本完成' },
      { concern: '尚待验收' },
    ],
    ['an empty quote: dropped', { matches: false, concern: '尚待验收', quote: '  ' }, { concern: '尚待验收' }],
    ['a quote with markup: dropped', { matches: false, concern: 'x', quote: '<!here>' }, { concern: 'x' }],
    [
      'markup in the concern: removed',
      { matches: false, concern: '<!channel> 不宜销号', quote: null },
      { concern: '不宜销号' },
    ],
    ['no concern', { matches: true, concern: null, quote: null }, {}],
  ])('%s', (_what, answer, expected) => {
    expect(readClaimAnswer(answer, CLAIM, 'm')).toEqual({ model: 'm', matches: answer.matches, ...expected });
  });

  it('drops a quote longer than 60 characters even when it is in the claim', () => {
    const long = `${CLAIM}${CLAIM}`;
    expect(readClaimAnswer({ matches: false, concern: 'c', quote: long }, long, 'm').quote).toBeUndefined();
  });
});
