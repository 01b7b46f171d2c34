import { describe, expect, it } from 'vitest';
import { md, type ReplyBlock, trusted } from '../../commands/reply.ts';
import { blocksToText } from '../../src/console/render-text.ts';
import { LIMITS, renderBlocks, renderMessage, splitText, truncate } from '../../src/slack/blocks.ts';
import { validateBlocks } from '../support/fake-slack.ts';

describe('Block Kit limits', () => {
  it('truncates headers to 150 characters, counting code points', () => {
    const [h] = renderBlocks([{ type: 'header', text: '🏗️城市更新'.repeat(100) }], 'zh-CN');
    const text = (h as { text: { text: string } }).text.text;
    expect([...text].length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(text.endsWith('…')).toBe(true);
  });

  it('splits a long section at line breaks into sections of at most 3,000 characters', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `第 ${i} 项：${'进展'.repeat(20)}`);
    const blocks = renderBlocks([{ type: 'section', text: trusted(lines.join('\n')) }], 'zh-CN');
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks)
      expect([...(b as { text: { text: string } }).text.text].length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(blocks.map((b) => (b as { text: { text: string } }).text.text).join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a single over-long line without breaking an escape sequence', () => {
    const t = truncate(`${'a'.repeat(2997)}&amp;xyz`, 3000);
    expect(t).toMatch(/a…$/);
  });

  it('never returns more than 50 blocks, and says how many were left out', () => {
    const many: ReplyBlock[] = Array.from({ length: 80 }, (_, i) => ({ type: 'section', text: md`item ${i}` }));
    const blocks = renderBlocks(many, 'en');
    expect(blocks).toHaveLength(50);
    expect(JSON.stringify(blocks.at(-1))).toContain('31 more not shown');
    expect(validateBlocks(blocks)).toEqual([]);
  });

  it('allows 100 blocks on App Home', () => {
    const many: ReplyBlock[] = Array.from({ length: 150 }, (_, i) => ({ type: 'section', text: md`item ${i}` }));
    expect(renderBlocks(many, 'en', LIMITS.surfaceBlocks)).toHaveLength(100);
  });

  it('keeps at most 10 fields and 25 buttons', () => {
    const blocks = renderBlocks(
      [
        { type: 'section', text: md`x`, fields: Array.from({ length: 14 }, (_, i) => md`f${i}`) },
        {
          type: 'actions',
          buttons: Array.from({ length: 30 }, (_, i) => ({ text: `b${i}`, actionId: `a${i}`, value: 'v' })),
        },
      ],
      'en',
    );
    expect((blocks[0] as { fields: unknown[] }).fields).toHaveLength(10);
    expect((blocks[1] as { elements: unknown[] }).elements).toHaveLength(25);
  });

  it('escapes the fallback text', () => {
    const m = renderMessage({ text: '<!channel> 通报', blocks: [], visibility: 'in_channel' }, 'zh-CN');
    expect(m.text).toBe('&lt;!channel&gt; 通报');
  });

  it('splitText keeps short text whole', () => {
    expect(splitText('短', 3000)).toEqual(['短']);
  });
});

describe('the console rendering of Block Kit', () => {
  it('shows headers, sections, fields, context and buttons as readable text, unescaped', () => {
    const blocks = renderBlocks(
      [
        { type: 'header', text: '住建局 · 目标' },
        { type: 'section', text: md`🟡 *${'A & <B>'}*`, fields: [md`*状态*\n预警`] },
        { type: 'context', elements: [md`截至 11月28日`] },
        { type: 'divider' },
        { type: 'actions', buttons: [{ text: '下一页', actionId: 'duban.page.next', value: '{}' }] },
      ],
      'zh-CN',
    );
    const text = blocksToText(blocks);
    expect(text).toContain('住建局 · 目标\n═');
    expect(text).toContain('🟡 *A & <B>*');
    expect(text).toContain('*状态*: 预警');
    expect(text).toContain('截至 11月28日');
    expect(text).toContain('[ 下一页 ]');
  });
});
