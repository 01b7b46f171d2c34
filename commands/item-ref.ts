/**
 * An item named by the short number lists show (#12), by its id, or by its name: how `/duban #12`,
 * `/duban item 12` and `/targets #3` find one item of any kind (target, project or commitment).
 */
import { findItemById, searchItems } from '../src/domain/match.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import type { Item } from '../src/domain/schema.ts';

/** `#12`, `＃12`, `#12号`: the short number, when the text is nothing else. */
const NUMBER_REF = /^[#＃]\s*(\d{1,6})\s*号?$/;

/** The item the text names by its short number (#12), or undefined when the text is not a number reference. */
export function itemByNumberRef(text: string, model: ReadModel): Item | undefined | 'unknown_number' {
  const m = NUMBER_REF.exec(text.trim());
  if (!m) return undefined;
  return model.itemByNumber(Number(m[1]))?.item ?? 'unknown_number';
}

export type ItemRefResult =
  | { kind: 'one'; item: Item }
  | { kind: 'many'; items: Item[] }
  | { kind: 'unknown_number'; text: string }
  | { kind: 'none'; text: string };

/** Resolves what follows `/duban item`: a short number, an id, or words of a name (several may match). */
export function resolveItemRef(text: string, model: ReadModel): ItemRefResult {
  const query = text.trim();
  const byNumber = itemByNumberRef(query, model);
  if (byNumber === 'unknown_number') return { kind: 'unknown_number', text: query };
  if (byNumber) return { kind: 'one', item: byNumber };
  // A bare number is the short number too, here where nothing else is asked.
  if (/^\d{1,6}$/.test(query)) {
    const hit = model.itemByNumber(Number(query));
    return hit ? { kind: 'one', item: hit.item } : { kind: 'unknown_number', text: `#${query}` };
  }
  const { targets, projects, commitments } = model.db;
  const all: Item[] = [...targets, ...projects, ...commitments];
  const byId = findItemById(all, query);
  if (byId) return { kind: 'one', item: byId };
  const found = searchItems(all, query);
  if (found.length === 1) return { kind: 'one', item: found[0]! };
  return found.length === 0 ? { kind: 'none', text: query } : { kind: 'many', items: found };
}
