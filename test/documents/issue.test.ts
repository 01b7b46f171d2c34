/**
 * Issuing 督办单 on a store on disk: numbers given in concurrent transactions are 1…N without a gap or a
 * repeat; a step issued again (a retry, a double click, after a restart) keeps its number and is posted
 * once; a new year starts at 1; a refused post is tried again with the same number.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IssueDeps, type IssueRequest, issueDocument, type OutFile } from '../../src/documents/issue.ts';
import { DEFAULT_SEED } from '../../src/main.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { docxParagraphs } from './read-docx.ts';

const CHANNEL = 'C0HURDB001';
let root: string;
let file: string;
let store: Store;
let now: Date;
let posted: Array<{ channel: string; file: OutFile; comment: string }>;
let refuse = 0;

async function open() {
  store = await openStore(file, { timeZone: 'Asia/Shanghai', clock: () => now });
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'duban-documents-'));
  file = join(root, 'db.json');
  now = new Date('2026-11-28T10:00:00+08:00');
  posted = [];
  refuse = 0;
  await open();
  await importIntoStore(store, DEFAULT_SEED, { now, by: 'seed' });
  await store.transact((tx) =>
    tx.append({ type: 'channel', at: now.toISOString(), by: 'U0ADMIN001', departmentId: 'hurdb', after: CHANNEL }),
  );
});
afterEach(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

function deps(): IssueDeps {
  return {
    store,
    clock: () => now,
    timeZone: 'Asia/Shanghai',
    calendarData: chineseCalendarData(),
    locale: 'zh-CN',
    upload: async (channel, f, comment) => {
      if (refuse > 0) {
        refuse -= 1;
        throw Object.assign(new Error('An API error occurred: not_in_channel'), { data: { error: 'not_in_channel' } });
      }
      posted.push({ channel, file: f, comment });
    },
  };
}

const hurdbItem = () => store.model().db.projects.find((p) => p.departmentId === 'hurdb')!.id;
const request = (key: string): IssueRequest => ({
  key,
  level: 'supervision',
  departmentId: 'hurdb',
  itemIds: [hurdbItem()],
  by: 'U0ADMIN001',
});
const numbers = async () =>
  (await store.history()).flatMap((e) => (e.type === 'document' ? [`${e.year}-${e.number}`] : []));

describe('issueDocument', () => {
  it('numbers twenty steps issued at once 1 to 20, each posted once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => issueDocument(deps(), request(`manual:p${i}:supervision`))),
    );
    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    expect((await numbers()).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `2026-${i + 1}`).sort());
    expect(posted).toHaveLength(20);
    expect(new Set(posted.map((p) => p.file.filename)).size).toBe(20);
  });

  it('gives one step one number and one post, however many times it is issued at once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => issueDocument(deps(), request('manual:same:supervision'))),
    );
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(1);
    // The others find it being posted, and post nothing.
    expect(outcomes.filter((o) => o.kind === 'in_flight')).toHaveLength(4);
    expect(await numbers()).toEqual(['2026-1']);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.channel).toBe(CHANNEL);
    expect(docxParagraphs(posted[0]!.file.bytes)).toContain('督〔2026〕1号');
  });

  it('keeps numbers across a restart: the same step is found, a new one gets the next number', async () => {
    await issueDocument(deps(), request('manual:a:supervision'));
    await store.close();
    await open();
    expect(await issueDocument(deps(), request('manual:a:supervision'))).toMatchObject({
      kind: 'already_sent',
      record: { number: 1 },
    });
    expect(await issueDocument(deps(), request('manual:b:supervision'))).toMatchObject({
      kind: 'sent',
      record: { number: 2 },
    });
    expect(posted).toHaveLength(2);
  });

  it('starts again at 1 in a new year in the zone’s time zone, and dates the document as numbered', async () => {
    now = new Date('2026-12-31T23:30:00+08:00');
    await issueDocument(deps(), request('manual:a:supervision'));
    await issueDocument(deps(), request('manual:b:supervision'));
    // 00:30 on New Year's Day in Shanghai is still 2026 in UTC.
    now = new Date('2027-01-01T00:30:00+08:00');
    await issueDocument(deps(), request('manual:c:supervision'));
    expect(await numbers()).toEqual(['2026-1', '2026-2', '2027-1']);
    expect(docxParagraphs(posted[2]!.file.bytes)).toContain('督〔2027〕1号');
    expect(docxParagraphs(posted[2]!.file.bytes).at(-1)).toBe('2027年1月1日');
  });

  it('tries a refused post again with the same number, and says why it failed', async () => {
    refuse = 1;
    const first = await issueDocument(deps(), request('manual:a:supervision'));
    expect(first).toMatchObject({ kind: 'failed', error: 'not_in_channel', record: { number: 1 } });
    expect(posted).toHaveLength(0);
    expect(await issueDocument(deps(), request('manual:a:supervision'))).toMatchObject({
      kind: 'sent',
      record: { number: 1 },
    });
    expect(await numbers()).toEqual(['2026-1']);
    expect(posted).toHaveLength(1);
  });

  it('numbers nothing for a department without a channel', async () => {
    const edbItem = store.model().db.targets.find((t) => t.departmentId === 'edb')!.id;
    const outcome = await issueDocument(deps(), {
      ...request('manual:x:notice'),
      departmentId: 'edb',
      itemIds: [edbItem],
    });
    expect(outcome).toEqual({ kind: 'no_channel' });
    expect(await numbers()).toEqual([]);
  });
});
