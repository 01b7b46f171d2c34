/** A small LRU cache keyed by the SHA-256 of a request's content: identical requests are answered once. */
import { createHash } from 'node:crypto';

export function contentHash(parts: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(typeof p === 'string' ? p : JSON.stringify(p)).update('\0');
  return hash.digest('hex');
}

export type Lru<V> = { get(key: string): V | undefined; set(key: string, value: V): void; readonly size: number };

export function createLru<V>(max: number): Lru<V> {
  const map = new Map<string, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v === undefined) return undefined;
      // Re-inserting moves the entry to the end: the most recently used.
      map.delete(key);
      map.set(key, v);
      return v;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      while (map.size > max) map.delete(map.keys().next().value!);
    },
    get size() {
      return map.size;
    },
  };
}
