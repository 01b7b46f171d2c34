/**
 * The store's hot document (schema version 2): definitions, the persisted fold of the journal
 * (progress per item, open reviews), and the delivery bookkeeping that makes Slack deliveries idempotent (src/domain/delivery.ts).
 * The history itself lives in the journal, partitioned on disk, so this document stays small
 * however many years of updates accumulate.
 */

import { z } from 'zod';
import { DocumentRecord } from './documents.ts';
import { ExtensionRequest } from './extension.ts';
import { ItemProgressState, PublicationContent, PublicationKind, Review } from './journal.ts';
import { nullProto, own, recordOf } from './lookup.ts';
import type { BookkeepingKey } from './ports.ts';
import { foldProgress } from './progress.ts';
import {
  type Database,
  definitionFields,
  Evidence,
  findReferenceProblems,
  Id,
  IsoDateTime,
  MessageRef,
  ProjectState,
  referenceIssue,
  UpdateSource,
} from './schema.ts';

export const STATE_VERSION = 2;

export const JournalChunk = z.object({
  name: z.string().regex(/^[0-9]{4}-[0-9]{2}(\.[0-9]+)?$/),
  firstSeq: z.number().int().positive(),
  lastSeq: z.number().int().positive(),
  count: z.number().int().positive(),
  /** The file's size when last written: start-up reads only chunks whose size differs. */
  bytes: z.number().int().min(0).optional(),
});
export type JournalChunk = z.infer<typeof JournalChunk>;

export const ThreadContext = z.object({
  departmentId: Id.optional(),
  itemIds: z.array(Id).max(100).default([]),
  /** Epoch ms after which the thread is forgotten. */
  until: z.number().int(),
});
export type ThreadContext = z.infer<typeof ThreadContext>;

/** A question duban asked in a thread (which item? increment or total?) awaiting a button click. */
export const PendingChoice = z.object({
  userId: z.string().min(1).max(64),
  /** What the person wrote, kept to be read again once they have chosen. */
  text: z.string().max(4000),
  /** Candidate items when the question is which item; the item when the question is about the figure. */
  itemIds: z.array(Id).max(25),
  options: z
    .array(
      z.object({
        label: z.object({ zh: z.string().max(75), en: z.string().max(75) }),
        fields: z.object({
          value: z.number().optional(),
          percent: z.number().optional(),
          state: ProjectState.optional(),
          milestoneId: Id.optional(),
        }),
      }),
    )
    .max(10)
    .default([]),
  evidence: z.array(Evidence).max(20).default([]),
  source: UpdateSource,
  message: MessageRef.optional(),
  until: z.number().int(),
});
export type PendingChoice = z.infer<typeof PendingChoice>;

export const LlmSwitches = z.object({
  enabled: z.boolean().default(false),
  departments: z.record(z.string(), z.boolean()).default({}),
});
export type LlmSwitches = z.infer<typeof LlmSwitches>;

const Posted = z.object({ channel: z.string().max(20), ts: z.string().max(30) });

/** Where a publication stands; the content is kept until it is published or returned (a monthly report's for good). */
export const PublicationRecord = z.object({
  kind: PublicationKind,
  period: z.string(),
  status: z.enum(['pending', 'approved', 'returned', 'published']),
  at: IsoDateTime,
  by: z.string(),
  reason: z.string().max(1000).optional(),
  content: PublicationContent.optional(),
  snapshot: z.record(z.string(), z.enum(['red', 'amber', 'green', 'done', 'exempt', 'pending'])).optional(),
  slot: z.string().max(60).optional(),
  preview: Posted.optional(),
  published: Posted.optional(),
});
export type PublicationRecord = z.infer<typeof PublicationRecord>;

export const StoreState = z
  .object({
    version: z.literal(STATE_VERSION),
    ...definitionFields,
    /** item id → its progress: the fold of its journal events, kept so start-up need not read history. */
    progress: z.record(z.string(), ItemProgressState).default({}),
    /** Claims of "done" awaiting review. */
    reviews: z.array(Review).default([]),
    /** item id → department id → who acknowledged (签收) an assigned item for that department, and when. */
    signs: z
      .record(z.string(), z.record(z.string(), z.object({ by: z.string().min(1).max(64), at: IsoDateTime })))
      .default({}),
    /** Short numbers shown in lists (#12), stable once given. */
    numbers: z.record(z.string(), z.number().int().positive()).default({}),
    journal: z
      .object({ lastSeq: z.number().int().min(0), chunks: z.array(JournalChunk) })
      .default({ lastSeq: 0, chunks: [] }),
    /** Slack deliveries already handled: event ids and channel:ts of messages, with an expiry (epoch ms). */
    seen: z
      .object({
        events: z.record(z.string(), z.number().int()),
        messages: z.record(z.string(), z.object({ updateId: Id, itemId: Id, until: z.number().int() })),
      })
      .default({ events: {}, messages: {} }),
    /** channel:thread_ts of messages duban posted → what they are about, so replies in the thread can be logged. */
    threads: z.record(z.string(), ThreadContext).default({}),
    choices: z.record(z.string(), PendingChoice).default({}),
    /** The optional model (LLM): off unless an admin turns it on, zone-wide or per department (a department's own switch wins). */
    llm: LlmSwitches.default({ enabled: false, departments: {} }),
    /** Reminders paused for an item or a whole department, until a date. */
    snoozes: z
      .record(z.string(), z.object({ until: z.iso.date(), reason: z.string().max(500), by: z.string() }))
      .default({}),
    /** 延期申请 by item id, oldest first, each with its outcome; an approved one moves the item's deadline. */
    extensions: z.record(z.string(), z.array(ExtensionRequest).max(100)).default({}),
    /** People on leave: reminders go to the others. */
    absences: z.record(z.string(), z.object({ from: z.iso.date(), to: z.iso.date(), by: z.string() })).default({}),
    /** Consecutive reminders that named an item without an update since, and the escalation level reached. */
    streaks: z
      .record(
        z.string(),
        z.object({
          count: z.number().int().min(0),
          lastSlot: z.string(),
          level: z.number().int().min(0),
          /** When the streak's first reminder went out, and when its level was last raised (escalation grace). */
          since: IsoDateTime.optional(),
          levelAt: IsoDateTime.optional(),
        }),
      )
      .default({}),
    /** Scheduled runs: done, partly done (some departments failed) or missed, with the outcome per department. */
    runs: z
      .record(
        z.string(),
        z.object({
          status: z.enum(['done', 'partial', 'missed']),
          at: IsoDateTime,
          attempts: z.number().int().min(0).default(1),
          caughtUp: z.boolean().default(false),
          outcome: z.record(z.string(), z.string().max(200)).default({}),
          note: z.string().max(500).optional(),
          /** Sent later than due because the occurrence fell in quiet hours, a weekend or a holiday. */
          deferred: z.boolean().optional(),
        }),
      )
      .default({}),
    /** Each message a run sends, recorded before and after sending, so nothing is ever sent twice. */
    deliveries: z
      .record(
        z.string(),
        z.object({
          status: z.enum(['sending', 'sent', 'failed']),
          at: IsoDateTime,
          channel: z.string().optional(),
          ts: z.string().optional(),
          error: z.string().max(300).optional(),
        }),
      )
      .default({}),
    /** 督办单 issued, by step (src/domain/documents.ts): the fold of `document` events, never forgotten, so numbers are never reused. */
    documents: z.record(z.string(), DocumentRecord).default({}),
    /** The last bulletin's statuses, so the next one can say what changed. */
    lastBulletin: z
      .object({
        slot: z.string(),
        date: z.iso.date(),
        snapshot: z.record(z.string(), z.enum(['red', 'amber', 'green', 'done', 'exempt', 'pending'])),
      })
      .optional(),
    /** Bulletins and monthly reports through preview → approve → publish (审核发布), by publication id. */
    publications: z.record(z.string(), PublicationRecord).default({}),
  })
  .superRefine((s, ctx) => {
    for (const problem of findReferenceProblems({ ...s, updates: [] })) ctx.addIssue(referenceIssue(problem));
    const ids = new Set([...s.targets, ...s.projects, ...s.commitments].map((i) => i.id));
    for (const id of Object.keys(s.progress)) {
      if (!ids.has(id))
        ctx.addIssue({ code: 'custom', path: ['progress', id], message: `progress for unknown item "${id}"` });
    }
  })
  .describe('The duban store document');
export type StoreState = z.infer<typeof StoreState>;

export function emptyState(): StoreState {
  return StoreState.parse({ version: STATE_VERSION });
}

/**
 * `state` with every record keyed by ids or message keys null-prototype (see lookup.ts), so that an
 * item, milestone or department called `constructor` is found only when it is there. Records that
 * already are keep their identity, so writing the document re-encodes only what changed.
 */
export function withSafeRecords(state: StoreState): StoreState {
  const progress = mapRecord(state.progress, (p) =>
    Object.getPrototypeOf(p.milestonesDone) === null ? p : { ...p, milestonesDone: nullProto(p.milestonesDone) },
  );
  const runs = mapRecord(state.runs, safeRun);
  const seen = { events: nullProto(state.seen.events), messages: nullProto(state.seen.messages) };
  const departments = nullProto(state.llm.departments);
  const snapshot = state.lastBulletin && nullProto(state.lastBulletin.snapshot);
  return {
    ...state,
    progress,
    numbers: nullProto(state.numbers),
    signs: mapRecord(state.signs, (bySign) => (Object.getPrototypeOf(bySign) === null ? bySign : nullProto(bySign))),
    seen: seen.events === state.seen.events && seen.messages === state.seen.messages ? state.seen : seen,
    threads: nullProto(state.threads),
    choices: nullProto(state.choices),
    llm: departments === state.llm.departments ? state.llm : { ...state.llm, departments },
    snoozes: nullProto(state.snoozes),
    extensions: nullProto(state.extensions),
    absences: nullProto(state.absences),
    streaks: nullProto(state.streaks),
    runs,
    deliveries: nullProto(state.deliveries),
    publications: nullProto(state.publications),
    documents: nullProto(state.documents),
    ...(state.lastBulletin && snapshot !== state.lastBulletin.snapshot
      ? { lastBulletin: { ...state.lastBulletin, snapshot: snapshot! } }
      : {}),
  };
}

/**
 * withSafeRecords for the bookkeeping a `remember()` or `bookkeep()` change returns, when the rest of the
 * state is safe already: the same null-prototype records, without walking every item's progress (10,000
 * entries in a large zone, on every answer a thread is remembered for).
 */
export function safeBookkeeping<T extends Partial<Pick<StoreState, BookkeepingKey>>>(part: T): T {
  const out: Partial<Pick<StoreState, BookkeepingKey>> = { ...part };
  if (part.seen) {
    const seen = { events: nullProto(part.seen.events), messages: nullProto(part.seen.messages) };
    out.seen = seen.events === part.seen.events && seen.messages === part.seen.messages ? part.seen : seen;
  }
  if (part.threads) out.threads = nullProto(part.threads);
  if (part.choices) out.choices = nullProto(part.choices);
  if (part.deliveries) out.deliveries = nullProto(part.deliveries);
  if (part.runs) out.runs = mapRecord(part.runs, safeRun);
  return out as T;
}

const safeRun = (r: StoreState['runs'][string]) =>
  Object.getPrototypeOf(r.outcome) === null ? r : { ...r, outcome: nullProto(r.outcome) };

/** `nullProto(record)` with `fix` applied to each value; `record` itself when nothing changes, and never changed in place. */
function mapRecord<T>(record: Record<string, T>, fix: (value: T) => T): Record<string, T> {
  let out = nullProto(record);
  for (const [k, v] of Object.entries(record)) {
    const fixed = fix(v);
    if (fixed === v) continue;
    if (out === record) out = Object.assign(Object.create(null) as Record<string, T>, record);
    out[k] = fixed;
  }
  return out;
}

/** Gives every item without one the next short number, in definition order. */
export function assignNumbers(state: Pick<StoreState, 'targets' | 'projects' | 'commitments' | 'numbers'>): void {
  let next = Math.max(0, ...Object.values(state.numbers)) + 1;
  for (const item of [...state.targets, ...state.projects, ...state.commitments]) {
    if (own(state.numbers, item.id) === undefined) state.numbers[item.id] = next++;
  }
}

/** A whole dataset with its history (seed, import, tests) as a store document, history folded. */
export function stateFromDatabase(db: Database, timeZone: string): StoreState {
  const { updates, version: _, ...definitions } = db;
  const state: StoreState = {
    ...emptyState(),
    ...definitions,
    progress: recordOf(foldProgress(updates, timeZone)),
  };
  assignNumbers(state);
  return withSafeRecords(state);
}
