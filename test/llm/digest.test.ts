/**
 * The deterministic side: the facts every summary is written from, the digests and the bulletin
 * narrative rules write, the fields a model's reading may propose, and how machine summaries are
 * folded into (and dropped from) the journal's view of recent updates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bulletinNarrative, narrativeBlocks, narrativeText } from '../../commands/llm-bulletin.ts';
import {
  digestRequest,
  firstLine,
  machineSummaryLine,
  narrativeRequest,
  personLabeller,
  rulesAssistant,
  rulesDigest,
} from '../../commands/llm-digest.ts';
import type { Assistant, NoteReading } from '../../commands/llm-port.ts';
import { fieldsLabel, proposedReadings } from '../../commands/llm-read.ts';
import { buildBulletin } from '../../src/domain/bulletin.ts';
import { type JournalEvent, refoldItem } from '../../src/domain/journal.ts';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { Item } from '../../src/domain/schema.ts';
import { CumulativeTarget } from '../../src/domain/schema.ts';
import { seedModel } from '../support/seed-model.ts';

const TODAY = '2026-11-28';
let model: ReadModel;

beforeAll(async () => {
  model = await seedModel();
});

describe('the facts of a summary', () => {
  it("counts a department's items, lists what is behind worst first, and its recent notes newest first", () => {
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
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [expect.objectContaining({ mrkdwn: '📋 按规则自动汇总（未使用模型）' })],
    });
    expect(narrativeText(narrative, 'en').split('\n').at(-1)).toBe('📋 Compiled by rules (no model used)');
  });

  it('falls back to rules if an assistant throws', async () => {
    const broken: Assistant = { ...rulesAssistant, narrate: async () => Promise.reject(new Error('boom')) };
    const bulletin = buildBulletin(model, TODAY);
    const narrative = await bulletinNarrative(bulletin, { model, locale: 'en', assistant: broken });
    expect(narrative.by).toBe('rules');
    expect(narrativeRequest(bulletin, model, 'en').stuck.length).toBe(bulletin.risks.length);
  });

  it("escapes a model's narrative when rendering it", () => {
    const blocks = narrativeBlocks(
      { by: 'model', model: 'm', moved: '<!channel> a & b', stuck: 's', attention: 'a' },
      'en',
    );
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(blocks)).toContain('&lt;!channel&gt; a &amp; b');
  });
});

describe('readings the model may propose, decided as the rules decide', () => {
  const target = () => model.item('t-hurdb-renewal-starts')!.item as Item;
  const project = () => model.db.projects.find((p) => p.milestones.length > 0)! as Item;
  const at = (value?: number): ItemProgress => ({ ...emptyProgress(), ...(value !== undefined ? { value } : {}) });
  const reading = (r: Partial<NoteReading>): NoteReading => ({
    by: 'model',
    model: 'm',
    found: true,
    blockers: [],
    evidence: [],
    ...r,
  });
  const amounts = CumulativeTarget.parse({
    id: 't-amounts',
    departmentId: 'edb',
    name: { zh: '工业投资' },
    kind: 'cumulative',
    unit: { zh: '亿元' },
    baseline: 0,
    target: 50,
    period: { start: '2026-01-01', end: '2026-12-31' },
  });

  it('turns an increment into the new total, and labels it as duban writes figures', () => {
    const readings = proposedReadings(reading({ figure: { mode: 'increment', value: 3 } }), target(), at(30));
    expect(readings?.map((r) => r.fields)).toEqual([{ value: 33 }]);
    expect(readings![0]!.label.zh).toBe('新增 3 项（累计 33 项）');
    expect(fieldsLabel({ value: 33 }, target(), 30, 'zh-CN')).toBe('新增 3 项（累计 33 项）');
  });

  it('keeps only what fits the item: no figure for a project, no percent for a target, only its own milestones', () => {
    const p = project();
    const milestone = 'milestones' in p ? p.milestones[0]!.id : '';
    const fields = (r: Partial<NoteReading>, item: Item, progress = at()) =>
      proposedReadings(reading(r), item, progress)?.map((x) => x.fields);
    expect(fields({ figure: { mode: 'absolute', value: 5 }, percent: 80 }, p)).toEqual([{ percent: 80 }]);
    expect(fields({ percent: 80 }, target(), at(30))).toBeUndefined();
    expect(fields({ milestoneId: milestone }, p)).toEqual([{ milestoneId: milestone, state: 'done' }]);
    expect(fields({ milestoneId: 'nope', state: 'blocked' }, p)).toEqual([{ state: 'blocked' }]);
    expect(fields({ figure: { mode: 'absolute', value: Number.POSITIVE_INFINITY } }, target(), at(30))).toBeUndefined();
  });

  it('asks, the likely reading first, when the proposed increment jumps far past the target (30/40 + 31)', () => {
    const readings = proposedReadings(reading({ figure: { mode: 'increment', value: 31 } }), target(), at(30));
    expect(readings?.map((r) => r.fields.value)).toEqual([61, 31]);
    expect(readings![0]!.label.zh).toBe('累计 61/40 项，确认');
  });

  it("asks with the reading in the item's scale first when the proposed figure is 10⁴ off (32000 for 亿元)", () => {
    const readings = proposedReadings(reading({ figure: { mode: 'absolute', value: 32000 } }), amounts, at(20));
    expect(readings![0]!.fields).toEqual({ value: 3.2 });
    expect(readings?.map((r) => r.fields.value)).toContain(32000);
  });

  it('asks when a proposed running total falls below the last value', () => {
    const readings = proposedReadings(reading({ figure: { mode: 'absolute', value: 12 } }), target(), at(30));
    expect(readings!.length).toBeGreaterThan(1);
    expect(readings!.map((r) => r.fields.value)).toEqual(expect.arrayContaining([12, 42]));
  });
});

describe('machine summaries in the journal', () => {
  const at = '2026-11-20T02:00:00.000Z';
  const update = (id: string, note: string): JournalEvent => ({
    seq: 1,
    type: 'update',
    at,
    by: 'U1AAAAAAAA',
    update: { id, itemId: 'x', at, by: 'U1AAAAAAAA', note, evidence: [], source: 'slack' },
  });
  const summary = (updateId: string, text: string): JournalEvent => ({
    seq: 2,
    type: 'update.summary',
    at,
    by: 'duban',
    itemId: 'x',
    updateId,
    summary: text,
    model: 'm',
  });

  it('attaches a summary to its update, and drops it when the update is edited', () => {
    const folded = refoldItem([update('u1', 'long note'), summary('u1', 'short')], 'Asia/Shanghai');
    expect(folded.recent[0]).toMatchObject({ id: 'u1', note: 'long note', summary: { text: 'short', model: 'm' } });
    const edited = refoldItem(
      [
        update('u1', 'long note'),
        summary('u1', 'short'),
        {
          seq: 3,
          type: 'update.edit',
          at,
          by: 'U1AAAAAAAA',
          itemId: 'x',
          updateId: 'u1',
          before: {},
          after: { note: 'other' },
        },
      ],
      'Asia/Shanghai',
    );
    expect(edited.recent[0]?.summary).toBeUndefined();
    expect(edited.recent[0]?.note).toBe('other');
  });

  it("is shown labelled with the model, under the update's own words", () => {
    expect(machineSummaryLine({ summary: { text: '<!channel> 已封顶', model: 'qwen' } }, 'zh-CN')?.mrkdwn).toBe(
      '　🤖 机器摘要（qwen）：&lt;!channel&gt; 已封顶',
    );
    expect(machineSummaryLine({}, 'zh-CN')).toBeUndefined();
  });
});
