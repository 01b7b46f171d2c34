/**
 * Lookups keyed by ids people chose. A plain `{}` already "has" `constructor`, `toString` and the rest
 * of Object.prototype, all valid ids: read records with `own`, and keep stored records null-prototype
 * (`nullProto`), so that even a plain `record[id]` elsewhere finds only what was put there.
 */

/** What `record` holds under `key` itself, never what it inherits. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `record` as a null-prototype object: itself when it already is one, so unchanged parts keep their identity. */
export function nullProto<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  if (Object.getPrototypeOf(record) === null) return record as Record<string, T>;
  return Object.assign(Object.create(null) as Record<string, T>, record);
}

/** A null-prototype copy of `record` with `key` set to `value`. */
export function withEntry<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  const next = Object.assign(Object.create(null) as Record<string, T>, record);
  next[key] = value;
  return next;
}

/** A null-prototype record of `entries`. */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}
