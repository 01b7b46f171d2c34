/** Finding departments and items from what a person typed: names, short names, aliases, keywords. */
import { distance } from 'fastest-levenshtein';
import type { Department, Item, Project, Target, Text } from './schema.ts';

/** Folds width, case, spaces and punctuation so "住建局 " and "住建局？" and "EDB" vs "edb" compare equal. */
export function normalize(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

const departmentNameCache = new WeakMap<Department, string[]>();

export function departmentNames(d: Department): string[] {
  let names = departmentNameCache.get(d);
  if (!names) {
    const raw = [d.id, d.name.zh, d.name.en, d.shortName.zh, d.shortName.en, ...d.aliases];
    names = [
      ...new Set(
        raw
          .filter((n): n is string => !!n)
          .map(normalize)
          .filter((n) => n.length > 0),
      ),
    ];
    departmentNameCache.set(d, names);
  }
  return names;
}

export type DepartmentMatch =
  | { kind: 'one'; department: Department }
  | { kind: 'many'; departments: Department[] }
  | { kind: 'none'; readonly suggestions: Department[] };

/**
 * Matches a query against every name of every department: exact first, then a unique
 * prefix/substring ("住建" → 住建局), otherwise the closest names as suggestions.
 */
export function matchDepartment(departments: readonly Department[], query: string): DepartmentMatch {
  const q = normalize(query);
  if (!q) return { kind: 'none', suggestions: [] };
  const exact = departments.filter((d) => departmentNames(d).includes(q));
  if (exact.length === 1) return { kind: 'one', department: exact[0]! };
  if (exact.length > 1) return { kind: 'many', departments: exact };
  if ([...q].length >= 2) {
    const partial = departments.filter((d) => departmentNames(d).some((n) => n.includes(q)));
    if (partial.length === 1) return { kind: 'one', department: partial[0]! };
    if (partial.length > 1) return { kind: 'many', departments: partial };
  }
  // Suggestions cost an edit distance per name: computed only when a reply needs them.
  return {
    kind: 'none',
    get suggestions() {
      return suggestDepartments(departments, q);
    },
  };
}

/** The departments whose names are closest to `query`, best first (at most `limit`). */
export function suggestDepartments(departments: readonly Department[], query: string, limit = 3): Department[] {
  const q = normalize(query);
  const scored = departments.map((d) => {
    const best = Math.min(
      ...departmentNames(d).map((n) => {
        const common = [...q].filter((ch) => n.includes(ch)).length;
        // Edit distance relative to length, helped by shared characters (Chinese names share few letters).
        return distance(q, n) / Math.max(q.length, n.length) - common / Math.max(q.length, 1) / 2;
      }),
    );
    return { d, best };
  });
  return scored
    .filter((s) => s.best < 0.75)
    .sort((a, b) => a.best - b.best)
    .slice(0, limit)
    .map((s) => s.d);
}

/** Departments named anywhere in free text ("住建局进展如何?"), longest name first, without duplicates. */
export function findDepartmentsInText(departments: readonly Department[], text: string): Department[] {
  const t = normalize(text);
  const hits: Array<{ d: Department; len: number; at: number }> = [];
  for (const d of departments) {
    let best: { len: number; at: number } | undefined;
    for (const n of departmentNames(d)) {
      // Short ascii ids ("edb") only count as whole words; everything else by containment.
      if (n.length < 2) continue;
      if (
        /^[a-z0-9]+$/.test(n) &&
        !new RegExp(`(^|[^a-z0-9])${n}([^a-z0-9]|$)`).test(text.normalize('NFKC').toLowerCase())
      )
        continue;
      const at = t.indexOf(n);
      if (at >= 0 && (!best || n.length > best.len)) best = { len: n.length, at };
    }
    if (best) hits.push({ d, ...best });
  }
  return hits.sort((a, b) => a.at - b.at || b.len - a.len).map((h) => h.d);
}

type SearchKey = { id: string; texts: string[] };
const searchKeys = new WeakMap<Item, SearchKey>();

/** An item's normalised id and searchable texts, computed once per item object (items are immutable). */
function searchKey(i: Item): SearchKey {
  let key = searchKeys.get(i);
  if (!key) {
    const texts = [i.name.zh, i.name.en, i.category?.zh, i.category?.en, ...i.tags]
      .filter((t): t is string => !!t)
      .map(normalize);
    key = { id: normalize(i.id), texts };
    searchKeys.set(i, key);
  }
  return key;
}

/** Items whose id, name, category or tags contain the keyword. */
export function searchItems<T extends Item>(items: readonly T[], keyword: string): T[] {
  const q = normalize(keyword);
  if (!q) return [];
  return items.filter((i) => {
    const key = searchKey(i);
    return key.id === q || key.texts.some((t) => t.includes(q));
  });
}

/** Exact id match (ignoring case and width), for detail views. */
export function findItemById<T extends Item>(items: readonly T[], id: string): T | undefined {
  const q = normalize(id);
  return items.find((i) => searchKey(i).id === q);
}

/** Distinct categories of projects (by Chinese name), for "did you mean" answers. */
export function projectCategories(projects: readonly Project[]): Text[] {
  const seen = new Map<string, Text>();
  for (const p of projects) if (p.category && !seen.has(p.category.zh)) seen.set(p.category.zh, p.category);
  return [...seen.values()];
}

export function isTarget(item: Item): item is Target {
  return 'kind' in item && (item.kind === 'cumulative' || item.kind === 'level');
}
