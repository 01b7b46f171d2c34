/** Schema versions. Each step takes a document of version N and returns version N + 1. */
import { SCHEMA_VERSION } from '../domain/schema.ts';
import { DataFileError } from './errors.ts';

type Doc = Record<string, unknown>;
const steps: Record<number, (doc: Doc) => Doc> = {
  // 1 → 2 will go here, e.g. moving history out of the hot document.
};

export function migrate(file: string, raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  let doc = raw as Doc;
  const version = doc.version;
  if (typeof version !== 'number') return doc;
  if (version > SCHEMA_VERSION) {
    throw new DataFileError(file, [`version: ${version} is newer than this duban understands (${SCHEMA_VERSION})`], 'Upgrade duban, or restore a file written by this version.');
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = steps[v];
    if (!step) throw new DataFileError(file, [`version: no migration from ${v}`]);
    doc = { ...step(doc), version: v + 1 };
  }
  return doc;
}
