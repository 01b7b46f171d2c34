/**
 * The deterministic side: the facts every summary is written from, the digests and the bulletin
 * narrative rules write, the fields a model's reading may propose, and how machine summaries are
 * folded into (and dropped from) the journal's view of recent updates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBulletin } from '../../src/domain/bulletin.ts';
import { refoldItem, type JournalEvent } from '../../src/domain/journal.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { Item } from '../../src/domain/schema.ts';
import { bulletinNarrative, narrativeBlocks, narrativeText } from '../../commands/llm-bulletin.ts';
import { digestRequest, firstLine, machineSummaryLine, narrativeRequest, personLabeller, rulesAssistant, rulesDigest } from '../../commands/llm-digest.ts';
import { fieldsLabel, proposedFields } from '../../commands/llm-read.ts';
import type { Assistant } from '../../commands/llm-port.ts';
import { seedModel } from '../support/app.ts';

const TODAY = '2026-11-28';
let model: ReadModel;

beforeAll(async () => {
  model = await seedModel();
});

describe('the facts of a summary', () => {
  it('counts a department\'s items, lists what is behind worst first, and its recent notes newest first', () => {
    const { request, originals } = digestRequest(model, TODAY, 'zh-CN', 'hurdb');
    expect(request.scope).toBe('住建局');
    const { total, red, amber, green, done } = request.counts;
    expect(total).toBeGreaterThanOrEqual(red + amber + green + done);
    expect(request.behind.length).toBeGreaterThan(0);
    expect(request.behind[0]).toMatch(/^(🔴|🟡) /u);
    const dates = originals.map((o) => o.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(request.updates.map((u) => u.ref)).toEqual(originals.map((o) => o.ref));
  });

  it('names people only by neutral labels', () => {
    const { request } = digestRequest(model, TODAY, 'zh-CN');
    for (const u of request.updates) expect(u.by).not.toMatch(/^[UW][A-Z0-9]{2,}$/);
    const label = personLabeller('zh-CN');
    expect([label('U1AAAAAAAA'), label('U2BBBBBBBB'), label('U1AAAAAAAA')]).toEqual(['联络员A', '联络员B', '联络员A']);
    expect(personLabeller('en')('U1AAAAAAAA')).toBe('liaison A');
  });
});

describe('digests by rules', () => {
  it('say the counts, what most needs attention and the latest report', () => {
    const { request } = digestRequest(model, TODAY, 'zh-CN', 'hurdb');
    const text = rulesDigest(request);
    expect(text).toMatch(/^住建局共 \d+ 项：落后 \d+、预警 \d+、正常 \d+、已完成 \d+。最需关注：/);
    expect(text).not.toContain('🔴');
    const en = rulesDigest(digestRequest(model, TODAY, 'en', 'hurdb').request);
    expect(en).toMatch(/items — \d+ behind/);
  });

  it.each([
    ['主体结构已封顶。下一步装修。', '主体结构已封顶。'],
    ['Roof done. Next: fit-out.', 'Roof done.'],
    ['没有句号的一句话', '没有句号的一句话'],
    ['很长'.repeat(50), `${'很长'.repeat(50).slice(0, 59)}…`],
  ])('take the first sentence of %j', (note, line) => {
    expect(firstLine(note)).toBe(line);
  });
});

describe('the bulletin narrative', () => {
  it('says what moved, what is stuck and what needs a leader, by rules when no model is on', async () => {
    const previous = buildBulletin(model, '2026-10-30');
    const bulletin = buildBulletin(model, TODAY, { date: '2026-10-30', snapshot: previous.snapshot });
    const narrative = await bulletinNarrative(bulletin, { model, locale: 'zh-CN' });
    expect(narrative.by).toBe('rules');
    expect(narrative.stuck).toMatch(/^(滞后：|没有落后事项)/);
    expect(narrative.attention).toMatch(/^(需领导关注：|暂无)/);
    const blocks = narrativeBlocks(narrative, 'zh-CN');
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [expect.objectContaining({ mrkdwn: '📋 按规则自动汇总（未使用模型）' })] });
    expect(narrativeText(narrative, 'en').split('\n').at(-1)).toBe('📋 Compiled by rules (no model used)');
  });

  it('falls back to rules if an assistant throws', async () => {
    const broken: Assistant = { ...rulesAssistant, narrate: async () => Promise.reject(new Error('boom')) };
    const bulletin = buildBulletin(model, TODAY);
    const narrative = await bulletinNarrative(bulletin, { model, locale: 'en', assistant: broken });
    expect(narrative.by).toBe('rules');
    expect(narrativeRequest(bulletin, model, 'en').stuck.length).toBe(bulletin.risks.length);
  });

  it('escapes a model\'s narrative when rendering it', () => {
    const blocks = narrativeBlocks({ by: 'model', model: 'm', moved: '<!channel> a & b', stuck: 's', attention: 'a' }, 'en');
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(blocks)).toContain('&lt;!channel&gt; a &amp; b');
  });
});

describe('fields a reading may propose', () => {
  const target = () => model.item('t-hurdb-renewal-starts')!.item as Item;
  const project = () => model.db.projects.find((p) => p.milestones.length > 0)! as Item;

  it('turns an increment into the new total, and labels it as duban writes figures', () => {
    const fields = proposedFields({ by: 'model', model: 'm', found: true, figure: { mode: 'increment', value: 3 }, blockers: [], evidence: [] }, target(), 30);
    expect(fields).toEqual({ value: 33 });
    expect(fieldsLabel(fields!, target(), 30, 'zh-CN')).toBe('新增 3 项（累计 33 项）');
  });

  it('keeps only what fits the item: no figure for a project, no percent for a target, only its own milestones', () => {
    const p = project();
    const milestone = 'milestones' in p ? p.milestones[0]!.id : '';
    expect(proposedFields({ by: 'model', model: 'm', found: true, figure: { mode: 'absolute', value: 5 }, percent: 80, blockers: [], evidence: [] }, p, undefined)).toEqual({ percent: 80 });
    expect(proposedFields({ by: 'model', model: 'm', found: true, percent: 80, blockers: [], evidence: [] }, target(), 30)).toBeUndefined();
    expect(proposedFields({ by: 'model', model: 'm', found: true, milestoneId: milestone, blockers: [], evidence: [] }, p, undefined)).toEqual({ milestoneId: milestone, state: 'done' });
    expect(proposedFields({ by: 'model', model: 'm', found: true, milestoneId: 'nope', state: 'blocked', blockers: [], evidence: [] }, p, undefined)).toEqual({ state: 'blocked' });
    expect(proposedFields({ by: 'model', model: 'm', found: true, figure: { mode: 'absolute', value: Number.POSITIVE_INFINITY }, blockers: [], evidence: [] }, target(), 30)).toBeUndefined();
  });
});

describe('machine summaries in the journal', () => {
  const at = '2026-11-20T02:00:00.000Z';
  const update = (id: string, note: string): JournalEvent => ({ seq: 1, type: 'update', at, by: 'U1AAAAAAAA', update: { id, itemId: 'x', at, by: 'U1AAAAAAAA', note, evidence: [], source: 'slack' } });
  const summary = (updateId: string, text: string): JournalEvent => ({ seq: 2, type: 'update.summary', at, by: 'duban', itemId: 'x', updateId, summary: text, model: 'm' });

  it('attaches a summary to its update, and drops it when the update is edited', () => {
    const folded = refoldItem([update('u1', 'long note'), summary('u1', 'short')], 'Asia/Shanghai');
    expect(folded.recent[0]).toMatchObject({ id: 'u1', note: 'long note', summary: { text: 'short', model: 'm' } });
    const edited = refoldItem([update('u1', 'long note'), summary('u1', 'short'), { seq: 3, type: 'update.edit', at, by: 'U1AAAAAAAA', itemId: 'x', updateId: 'u1', before: {}, after: { note: 'other' } }], 'Asia/Shanghai');
    expect(edited.recent[0]?.summary).toBeUndefined();
    expect(edited.recent[0]?.note).toBe('other');
  });

  it('is shown labelled with the model, under the update\'s own words', () => {
    expect(machineSummaryLine({ summary: { text: '<!channel> 已封顶', model: 'qwen' } }, 'zh-CN')?.mrkdwn).toBe('　🤖 机器摘要（qwen）：&lt;!channel&gt; 已封顶');
    expect(machineSummaryLine({}, 'zh-CN')).toBeUndefined();
  });
});
