import type { z } from 'zod';

/** A data or import file that cannot be used; `problems` name every issue found, with its path. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly hint?: string,
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}${hint ? `\n${hint}` : ''}`,
    );
    this.name = 'DataFileError';
  }
}

/** Another process holds the data file. */
export class StoreLockedError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is in use by another duban process (lock: ${file}.lock). Only one process may use a data file; ` +
        'stop the other one, or point DATA_FILE elsewhere. A lock left by a crashed process is taken over after 10 seconds.',
    );
    this.name = 'StoreLockedError';
  }
}

type Doc = Record<string, unknown>;

/** "targets[id=ur-01].departmentId": array positions shown by the element's id where it has one. */
export function describePath(doc: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = doc;
  for (const key of path) {
    if (typeof key === 'number') {
      const el = Array.isArray(node) ? (node[key] as unknown) : undefined;
      const id = el && typeof el === 'object' && typeof (el as Doc).id === 'string' ? (el as Doc).id : undefined;
      out += id ? `[id=${id as string}]` : `[${key}]`;
      node = el;
    } else {
      out += out ? `.${String(key)}` : String(key);
      node = node && typeof node === 'object' ? (node as Doc)[key as string] : undefined;
    }
  }
  return out || '(document)';
}

function found(doc: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = doc;
  for (const key of path) node = node && typeof node === 'object' ? (node as Doc)[key as string] : undefined;
  if (node === undefined) return 'nothing';
  const s = JSON.stringify(node);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Every zod issue as "path: message (found …)", in document order, at most `max`. */
export function formatIssues(doc: unknown, issues: readonly z.core.$ZodIssue[], max = 50): string[] {
  const lines = issues.slice(0, max).map((i) => {
    const where = describePath(doc, i.path);
    const tail =
      i.code === 'invalid_type' ||
      i.code === 'invalid_value' ||
      i.code === 'invalid_format' ||
      i.code === 'too_big' ||
      i.code === 'too_small'
        ? ` (found ${found(doc, i.path)})`
        : '';
    return `${where}: ${i.message}${tail}`;
  });
  if (issues.length > max) lines.push(`… and ${issues.length - max} more`);
  return lines;
}
