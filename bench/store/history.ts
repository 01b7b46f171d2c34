/**
 * A deterministic history of years of use for the store-at-scale benchmark (bench/store-scale.ts):
 * the seed's definitions (data/seed/nantong-2026.json) and N progress reports spread over Y years of
 * recording, with seasons (a year-end rush in December that overflows into a second chunk, a quiet
 * Spring Festival) and a zone that grows a little every year. The same options always give the same
 * bytes.
 *
 * Two ways of storing it, for the two sides of the comparison:
 *  - `writeStoreDataset`: through the real store (`openStore` + `importParsed` + one `transact` per
 *    month of recording), so the journal chunks and the hot document are exactly what the store
 *    writes, by construction;
 *  - `writeNaiveDataset`: the naive design the issue measured — one lowdb `Low` + `JSONFile`
 *    (pretty-printed JSON) holding the definitions and every update inline (a schema version 1
 *    document, which is also what `duban import` reads).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { addDays } from '../../src/domain/dates.ts';
import { messageKey, SEEN_EVENT_MS, SEEN_MESSAGE_MS } from '../../src/domain/delivery.ts';
import { setEntry } from '../../src/domain/owned-records.ts';
import {
  type Database,
  emptyDatabase,
  FORMAT_VERSION,
  ImportFile,
  type Item,
  Update,
} from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import { importParsed } from '../../src/store/import.ts';
import { CHUNK_LIMIT } from '../../src/store/journal-files.ts';
import { openStore } from '../../src/store/store.ts';
import { prng } from '../generate.ts';

export const TIME_ZONE = 'Asia/Shanghai';
export const SEED_FILE = join(import.meta.dirname, '..', '..', 'data', 'seed', 'nantong-2026.json');

export type HistoryOptions = {
  /** Progress reports in the history. */
  updates: number;
  /** Years of recording, starting on 1 January of `startYear` (Asia/Shanghai). */
  years: number;
  startYear: number;
  /**
   * 'seed': the seed's 64 items receive every report, whatever the year. 'yearly': each year of
   * recording gets its own copy of the seed's items (ids suffixed with the year, periods shifted),
   * imported on 1 January, and that year's reports go to them: the definitions grow with the years.
   */
  definitions: 'seed' | 'yearly';
  seed: number;
  /**
   * Events the last chunk of the last month is left holding (the other months give or take the
   * difference), so that measured writes after the history land on a chunk of a chosen size; by
   * default the month's own share.
   */
  lastChunkFill?: number;
};

export const DEFAULT_HISTORY: HistoryOptions = {
  updates: 100_000,
  years: 10,
  startYear: 2026,
  definitions: 'seed',
  seed: 20261128,
};

/** The deterministic PRNG the other benchmarks use. */
export { prng };

const SEED: ImportFile = ImportFile.parse(JSON.parse(readFileSync(SEED_FILE, 'utf8')));
const SEED_YEAR = 2026;

function shiftDate(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

/** The definitions in force in `year`: the seed's, or for 'yearly' a copy for that year. */
export function definitionsOfYear(year: number, mode: HistoryOptions['definitions']): ImportFile {
  const base = { ...SEED, updates: [] };
  if (mode === 'seed' || year === SEED_YEAR) return structuredClone(base);
  const dy = year - SEED_YEAR;
  const id = (x: string) => `${x}-${year}`;
  const period = (p: { start: string; end: string }) => ({ start: shiftDate(p.start, dy), end: shiftDate(p.end, dy) });
  const copy = structuredClone(base);
  return {
    ...copy,
    targets: copy.targets.map((t) =>
      t.kind === 'cumulative'
        ? {
            ...t,
            id: id(t.id),
            period: period(t.period),
            checkpoints: t.checkpoints.map((c) => ({ ...c, date: shiftDate(c.date, dy) })),
          }
        : { ...t, id: id(t.id), period: period(t.period) },
    ),
    projects: copy.projects.map((p) => ({
      ...p,
      id: id(p.id),
      period: period(p.period),
      milestones: p.milestones.map((m) => ({ ...m, due: shiftDate(m.due, dy) })),
    })),
    commitments: copy.commitments.map((c) => ({
      ...c,
      id: id(c.id),
      period: period(c.period),
      targetIds: c.targetIds.map(id),
      projectIds: c.projectIds.map(id),
      milestones: c.milestones.map((m) => ({ ...m, due: shiftDate(m.due, dy) })),
    })),
  };
}

/** Reports per month of recording: a growing zone, a December rush, a quiet Spring Festival. */
export function monthlyCounts(o: HistoryOptions): number[] {
  const season = [0.7, 0.6, 1.0, 1.0, 1.0, 1.25, 1.0, 0.9, 1.0, 1.0, 1.1, 2.6];
  const weights = Array.from({ length: o.years * 12 }, (_, i) => (1 + 0.06 * Math.floor(i / 12)) * season[i % 12]!);
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / total) * o.updates));
  let rest = o.updates - counts.reduce((a, b) => a + b, 0);
  for (let i = counts.length - 1; rest > 0; i--, rest--) counts[i]!++;
  const last = counts.length - 1;
  if (o.lastChunkFill !== undefined && last > 0) {
    // The month's size nearest to its share that leaves its last chunk holding lastChunkFill events.
    const below = Math.floor((counts[last]! - o.lastChunkFill) / CHUNK_LIMIT) * CHUNK_LIMIT + o.lastChunkFill;
    const want =
      below >= 0 && counts[last]! - below <= below + CHUNK_LIMIT - counts[last]! ? below : below + CHUNK_LIMIT;
    if (want <= o.updates / 2) {
      let delta = want - counts[last]!;
      counts[last] = want;
      for (let i = 0; delta !== 0; i = (i + 1) % last) {
        const step = Math.sign(delta);
        if (counts[i]! - step >= 0) {
          counts[i]! -= step;
          delta -= step;
        }
      }
    }
  }
  return counts;
}

const PHRASES = [
  '已完成本月计划',
  '施工单位已进场,正在进行基础施工',
  '受天气影响进度略有滞后,已安排周末加班追赶',
  '已召开协调会,明确责任分工',
  '资金已拨付到位',
  '完成招投标,签订施工合同',
  '主体结构封顶',
  '正在办理竣工验收手续',
  '与企业对接三次,意向明确',
  '统计口径已与统计局核对',
  '项目用地手续正在报批',
  '居民意见征询完成,满意率92%',
];

/** Slack-ish identifiers: users, channels, message timestamps. */
export const USER_IDS: readonly string[] = Array.from(
  { length: 240 },
  (_, i) => `U0${(1_000_000 + i * 7919).toString(36).toUpperCase()}`,
);
const CHANNELS = Array.from({ length: 12 }, (_, i) => `C0DUBAN${String(i).padStart(2, '0')}`);

function isoAt(ms: number): string {
  // The +08:00 form users write; the same instant as the event's UTC `at`.
  const local = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

export type ItemKind = 'target' | 'project' | 'commitment';

export function itemsOf(
  defs: Pick<ImportFile, 'targets' | 'projects' | 'commitments'>,
): Array<{ item: Item; kind: ItemKind }> {
  return [
    ...defs.targets.map((item) => ({ item, kind: 'target' as const })),
    ...defs.projects.map((item) => ({ item, kind: 'project' as const })),
    ...defs.commitments.map((item) => ({ item, kind: 'commitment' as const })),
  ];
}

/**
 * One progress report on `item` at instant `t`, as duban records it from Slack: values that ramp
 * over the item's year, notes on most, a Slack message reference on most, evidence on some.
 */
export function reportOf(item: Item, kind: ItemKind, id: string, t: number, by: string, rand: () => number): Update {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const year = new Date(t + 8 * 3_600_000).getUTCFullYear();
  const yearStart = Date.parse(`${year}-01-01T00:00:00+08:00`);
  const share = (t - yearStart) / (Date.parse(`${year + 1}-01-01T00:00:00+08:00`) - yearStart);
  const r = rand();
  const base: Record<string, unknown> = { id, itemId: item.id, at: isoAt(t), by };
  if (kind === 'target' && 'kind' in item) {
    if (item.kind === 'cumulative') {
      const v = item.baseline + (item.target - item.baseline) * share * (0.8 + 0.35 * rand());
      base.value = Math.round(v * 10) / 10;
    } else {
      base.value = Math.round((item.target + (rand() - 0.6) * Math.max(1, item.tolerance * 4)) * 10) / 10;
    }
  } else {
    const percent = Math.min(100, Math.max(0, Math.round(share * 100 + (rand() - 0.5) * 20)));
    base.percent = percent;
    const milestones = 'milestones' in item ? item.milestones : [];
    if (kind === 'project') {
      if (percent === 100) base.state = 'done';
      else if (r < 0.03) base.state = 'blocked';
      else if (r < 0.05) base.state = 'delayed';
      else if (r < 0.6) base.state = 'in_progress';
      if (milestones.length > 0 && r > 0.95) {
        base.milestoneId = pick(milestones).id;
        base.state = 'done';
      }
    }
  }
  if (rand() < 0.7) base.note = `${item.name.zh}:${pick(PHRASES)}${rand() < 0.4 ? `;${pick(PHRASES)}` : ''}`;
  if (rand() < 0.1) {
    const f = `F0${id.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`;
    base.evidence = [
      rand() < 0.5
        ? { kind: 'link', url: `https://docs.example.cn/duban/${year}/${id}.pdf`, name: '现场照片及进度说明' }
        : {
            kind: 'file',
            url: `https://files.slack.com/files-pri/T0DUBAN-${f}/photo.jpg`,
            fileId: f,
            name: 'photo.jpg',
          },
    ];
  }
  const s = rand();
  if (s < 0.85) {
    base.source = 'slack';
    base.message = {
      channel: pick(CHANNELS),
      ts: `${Math.floor(t / 1000)}.${String(Math.floor(rand() * 1e6)).padStart(6, '0')}`,
    };
  } else base.source = s < 0.95 ? 'command' : 'form';
  return Update.parse(base);
}

export type MonthOfReports = {
  /** "2031-07" */
  month: string;
  /** The definitions to import first (1 January of a year), or undefined. */
  importDefinitions?: { year: number; defs: ImportFile; at: string };
  /** Events to append, in recording order: `at` is when duban recorded the report (UTC). */
  events: Array<{ type: 'update'; at: string; by: string; update: Update }>;
};

/** The history, one month of recording at a time (a generator, so callers can stream it). */
export function* monthsOfHistory(o: HistoryOptions): Generator<MonthOfReports> {
  const rand = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const counts = monthlyCounts(o);
  let serial = 0;
  let items = itemsOf(definitionsOfYear(o.startYear, o.definitions));
  for (let m = 0; m < counts.length; m++) {
    const year = o.startYear + Math.floor(m / 12);
    const month = `${year}-${String((m % 12) + 1).padStart(2, '0')}`;
    const out: MonthOfReports = { month, events: [] };
    if (m % 12 === 0 && (m === 0 || o.definitions === 'yearly')) {
      const defs = definitionsOfYear(year, o.definitions);
      out.importDefinitions = { year, defs, at: new Date(`${year}-01-01T00:00:00+08:00`).toISOString() };
      items = itemsOf(defs);
    }
    const first = `${month}-01`;
    const days = new Date(Date.UTC(year, (m % 12) + 1, 0)).getUTCDate();
    // Report instants in the month, during the (Shanghai) working day 08:30–21:30, in order.
    const times = Array.from({ length: counts[m]! }, () => {
      const day = addDays(first, Math.floor(rand() * days));
      const minute = 510 + Math.floor(rand() * 780);
      return Date.parse(`${day}T00:00:00+08:00`) + minute * 60_000 + Math.floor(rand() * 60_000);
    }).sort((a, b) => a - b);
    for (const t of times) {
      serial++;
      const { item, kind } = pick(items);
      const by = pick(USER_IDS);
      out.events.push({
        type: 'update',
        at: new Date(t).toISOString(),
        by,
        update: reportOf(item, kind, `u-${serial.toString(36).padStart(5, '0')}`, t, by, rand),
      });
    }
    yield out;
  }
}

/** The date of the last report ("today" for the measurements). */
export function lastDayOf(o: HistoryOptions): string {
  return `${o.startYear + o.years - 1}-12-31`;
}

/**
 * What duban remembers when it logs a report read from a Slack message (commands/progress.ts): the
 * delivery's event id for 7 days and the message for 90, in the hot document, so that redeliveries
 * are ignored and edits find their report.
 */
export function rememberDeliveries(
  s: Pick<StoreState, 'seen' | 'threads' | 'choices'>,
  reports: ReadonlyArray<{ at: string; update: Update }>,
): Pick<StoreState, 'seen' | 'threads' | 'choices'> {
  // setEntry: in place under the store's writer (src/domain/owned-records.ts), as the commands' own notes are.
  let events = s.seen.events;
  let messages = s.seen.messages;
  for (const { at, update } of reports) {
    if (update.source !== 'slack' || !update.message) continue;
    const t = Date.parse(at);
    events = setEntry(events, `Ev${update.id.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`, t + SEEN_EVENT_MS);
    messages = setEntry(messages, messageKey(update.message), {
      updateId: update.id,
      itemId: update.itemId,
      until: t + SEEN_MESSAGE_MS,
    });
  }
  return { seen: { events, messages }, threads: s.threads, choices: s.choices };
}

/**
 * Writes the history through the real store: definitions imported on 1 January, then one
 * transaction per month of recording that appends its reports and remembers their Slack deliveries,
 * with the store's clock at that month's last report (so expired deliveries are pruned as they would
 * be). Returns the number of journal events.
 */
export async function writeStoreDataset(file: string, o: HistoryOptions): Promise<{ events: number; updates: number }> {
  let now = new Date(`${o.startYear}-01-01T00:00:00+08:00`);
  const store = await openStore(file, { timeZone: TIME_ZONE, clock: () => now });
  let updates = 0;
  try {
    for (const month of monthsOfHistory(o)) {
      if (month.importDefinitions) {
        const { year, defs, at } = month.importDefinitions;
        now = new Date(at);
        await importParsed(store, defs, `definitions-${year}.json`, { now, by: 'import' });
      }
      const last = month.events.at(-1);
      if (!last) continue;
      now = new Date(last.at);
      await store.transact((tx) => {
        for (const e of month.events) tx.append(e);
        tx.bookkeep((s) => rememberDeliveries(s, month.events));
      });
      updates += month.events.length;
    }
    return { events: store.model().db.journal.lastSeq, updates };
  } finally {
    await store.close();
  }
}

/**
 * The naive baseline: one pretty-printed lowdb document (schema version 1) with every definition
 * of every year and every update inline, written by lowdb's own JSONFile adapter.
 */
export async function writeNaiveDataset(file: string, o: HistoryOptions): Promise<{ updates: number }> {
  const defaults = emptyDatabase();
  const doc: Database = {
    ...defaults,
    version: FORMAT_VERSION,
    meta: SEED.meta ?? defaults.meta,
    settings: SEED.settings ?? defaults.settings,
    departments: [],
    targets: [],
    projects: [],
    commitments: [],
    updates: [],
    exemptions: [],
  };
  for (const month of monthsOfHistory(o)) {
    if (month.importDefinitions) {
      const { defs } = month.importDefinitions;
      if (doc.departments.length === 0) doc.departments.push(...defs.departments);
      doc.targets.push(...defs.targets);
      doc.projects.push(...defs.projects);
      doc.commitments.push(...defs.commitments);
    }
    for (const e of month.events) doc.updates.push(e.update);
  }
  const db = new Low<Database>(new JSONFile<Database>(file), doc);
  await db.write();
  return { updates: doc.updates.length };
}
