/**
 * 销号 with evidence (佐证): which claims of done need a file or link, and the words in a claim that say
 * it is not finished ("基本完成" is not 办结). Pure; the words are a table, one row per way of hedging,
 * each drawn from real progress reports (test/fixtures/evidence/hedges.json).
 */
import type { Item, ItemKind, Settings } from './schema.ts';

/** Whether a claim of done on `item` needs evidence under the zone's setting. */
export function needsEvidence(setting: Settings['evidenceRequired'], item: Item, kind: ItemKind): boolean {
  if (setting === 'none') return false;
  if (setting === 'all') return true;
  return kind === 'commitment' && 'assignment' in item && item.assignment !== undefined;
}

/** One way of saying "not finished": what it is, and the pattern that finds it. */
type Hedge = { kind: HedgeKind; pattern: RegExp };
export type HedgeKind =
  | 'mostly'
  | 'preliminary'
  | 'part'
  | 'remaining'
  | 'ongoing'
  | 'soon'
  | 'pending_check'
  | 'share';

const HEDGES: readonly Hedge[] = [
  // 基本完成、基本完工、基本建成、基本做到、基本到位: "basically", short of done.
  { kind: 'mostly', pattern: /基本(?:上)?(?:完成|完工|建成|做到|到位|实现|结束|具备|符合|落实)/g },
  // 初步完成、初步形成、初步建成.
  { kind: 'preliminary', pattern: /初步(?:完成|形成|建成|实现|落实)/g },
  // 大部分、小部分、部分完成、部分整改.
  { kind: 'part', pattern: /(?:大部分|小部分|大部|部分(?:完成|整改|完工|到位))/g },
  // 剩余、尚未、仍未、未完成、未全部.
  { kind: 'remaining', pattern: /(?:剩余|尚未|仍未|未完成|未全部|还剩|仅剩)/g },
  // 正在…、…中 (推进中、实施中、整改中)、收尾、扫尾.
  { kind: 'ongoing', pattern: /(?:正在|(?:推进|实施|整改|施工|建设)中|收尾|扫尾)/g },
  // 即将完成、接近完成、预计…完成、计划…完成: a date still ahead.
  { kind: 'soon', pattern: /(?:即将|接近|预计|计划|力争)[^，。；,;]{0,12}?(?:完成|完工|交付|验收|投入使用)/g },
  // 待验收、待审批: done only once checked.
  { kind: 'pending_check', pattern: /待(?:验收|审批|审核|批复)/g },
  // 已完成90%、完成任务目标的82%: a share short of all.
  { kind: 'share', pattern: /完成[^，。；,;]{0,12}?(?<![\d.])(?:[1-9]?\d(?:\.\d+)?)\s*[%％]/g },
];

/** The hedging words in a claim, in the order they appear, each once. */
export function findHedges(text: string): Array<{ kind: HedgeKind; words: string }> {
  const found: Array<{ kind: HedgeKind; words: string; at: number }> = [];
  for (const h of HEDGES) {
    for (const m of text.matchAll(h.pattern)) found.push({ kind: h.kind, words: m[0], at: m.index ?? 0 });
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(f.words) && seen.add(f.words)).map(({ kind, words }) => ({ kind, words }));
}
