/**
 * Issuing a 督办单: number it, render it, post it to the department's channel — each step once.
 *
 * The number is given inside a store transaction that appends the `document` event, keyed by the step
 * (src/domain/documents.ts), so a retry, a second click or a restart finds the step numbered and reuses
 * its number. Posting is claimed in the delivery bookkeeping in one transaction ("sending"), then
 * recorded as sent or failed, as the scheduler's messages are: a failed post is tried again with the
 * same number; one in flight when duban stopped is not posted twice. Slack is a port (`upload`).
 */
import type { CalendarData } from '../domain/calendar.ts';
import { localDate } from '../domain/dates.ts';
import { allocateDocument, type DocumentLevel, type DocumentRecord } from '../domain/documents.ts';
import { own } from '../domain/lookup.ts';
import type { WritePort } from '../domain/ports.ts';
import { calendarOf, type ReadModel } from '../domain/read-model.ts';
import { formatDate, type Locale, messages } from '../i18n/index.ts';
import { departmentName } from '../words/status.ts';
import { buildDocument, type DocumentModel } from './model.ts';
import { renderDocx } from './render-docx.ts';

/** Working days a department has to answer, by level: the sharper the document, the shorter the time. */
export const ANSWER_WORKDAYS: Record<DocumentLevel, number> = { notice: 5, supervision: 3, letter: 2 };

export type OutFile = { bytes: Buffer; filename: string; title: string };
/** Posts a file to a channel with a comment (Slack's external upload). Throws on failure. */
export type UploadPort = (channel: string, file: OutFile, comment: string) => Promise<void>;

export type IssueDeps = {
  store: WritePort;
  clock: () => Date;
  timeZone: string;
  calendarData: CalendarData;
  /** The language of the one-line comment posted with the file (the document itself is Chinese). */
  locale: Locale;
  upload: UploadPort;
};

export type IssueRequest = {
  key: string;
  level: DocumentLevel;
  departmentId: string;
  itemIds: readonly string[];
  by: string;
};

export type IssueOutcome =
  | { kind: 'sent'; record: DocumentRecord }
  | { kind: 'already_sent'; record: DocumentRecord }
  | { kind: 'in_flight'; record: DocumentRecord }
  | { kind: 'failed'; record: DocumentRecord; error: string }
  | { kind: 'no_channel' };

/** The date by which a document of `level` issued on `today` is to be answered. */
export function answerBy(
  model: Pick<ReadModel, 'db'>,
  data: CalendarData,
  today: string,
  level: DocumentLevel,
): string {
  return calendarOf(model, data).addWorkingDays(today, ANSWER_WORKDAYS[level]);
}

/** A document as a file: `督办函-督〔2026〕12号-经发局.docx`, safe on every system. */
export async function documentFile(doc: DocumentModel, departmentLabel: string): Promise<OutFile> {
  const name = `${doc.levelWord}-${doc.preview ? doc.previewMark : doc.number}-${departmentLabel}.docx`
    .replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, '-')
    .slice(0, 120);
  return { bytes: await renderDocx(doc), filename: name, title: name };
}

/** A document of the store as it stands, unnumbered (a preview) or with the record's number and date. */
export function documentOf(
  model: ReadModel,
  data: CalendarData,
  facts: { level: DocumentLevel; departmentId: string; itemIds: readonly string[]; today: string },
  record?: DocumentRecord,
): DocumentModel {
  return buildDocument(model, {
    ...facts,
    deadline: answerBy(model, data, facts.today, facts.level),
    ...(record ? { number: { year: record.year, n: record.number } } : {}),
  });
}

const errorText = (e: unknown): string =>
  ((e as { data?: { error?: string } }).data?.error ?? (e as Error).message ?? String(e)).slice(0, 200);

export async function issueDocument(deps: IssueDeps, request: IssueRequest): Promise<IssueOutcome> {
  const at = () => deps.clock().toISOString();
  const year = Number(localDate(deps.clock(), deps.timeZone).slice(0, 4));
  const { result: record } = await deps.store.transact((tx) => {
    const found = allocateDocument(tx.state.documents, request.key, year);
    if (found.kind === 'existing') return found.record;
    const channel = tx.state.departments.find((d) => d.id === request.departmentId)?.channelId;
    if (!channel) return undefined;
    tx.append({
      type: 'document',
      at: at(),
      by: request.by,
      key: request.key,
      number: found.number,
      year,
      level: request.level,
      departmentId: request.departmentId,
      itemIds: [...request.itemIds],
      channel,
    });
    return own(tx.state.documents, request.key);
  });
  if (!record) return { kind: 'no_channel' };

  const deliveryKey = `document:${request.key}`;
  const { result: claim } = await deps.store.transact((tx) => {
    const previous = own(tx.state.deliveries, deliveryKey);
    if (previous?.status === 'sent' || previous?.status === 'sending') return previous.status;
    tx.bookkeep((s) => ({
      deliveries: { ...s.deliveries, [deliveryKey]: { status: 'sending', at: at(), channel: record.channel } },
    }));
    return 'claimed' as const;
  });
  if (claim === 'sent') return { kind: 'already_sent', record };
  if (claim === 'sending') return { kind: 'in_flight', record };

  const model = deps.store.model();
  // Dated as numbered, so a retry renders the same document.
  const today = localDate(new Date(record.at), deps.timeZone);
  const doc = documentOf(model, deps.calendarData, { ...record, today }, record);
  const department = model.department(record.departmentId);
  const label = department ? departmentName(department, 'zh-CN') : record.departmentId;
  const deadline = answerBy(model, deps.calendarData, today, record.level);
  const w = messages(deps.locale).documents;
  const comment = w.postComment(
    w.level[record.level],
    doc.number,
    department ? departmentName(department, deps.locale) : record.departmentId,
    formatDate(deadline, deps.locale, today),
  );
  try {
    await deps.upload(record.channel, await documentFile(doc, label), comment);
  } catch (e) {
    const error = errorText(e);
    await deps.store.transact((tx) =>
      tx.bookkeep((s) => ({ deliveries: { ...s.deliveries, [deliveryKey]: { status: 'failed', at: at(), error } } })),
    );
    return { kind: 'failed', record, error };
  }
  await deps.store.transact((tx) =>
    tx.bookkeep((s) => ({
      deliveries: { ...s.deliveries, [deliveryKey]: { status: 'sent', at: at(), channel: record.channel } },
    })),
  );
  return { kind: 'sent', record };
}
