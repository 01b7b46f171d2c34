/**
 * The escalation's document: when ignored reminders escalate, the department's channel gets the level's
 * numbered .docx (level 1 → 提示单, level 2 → 督办单), once per step — a second tick, an overlapping one
 * or a restart on the same store finds the step numbered and posts nothing again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { runReminders } from '../../src/scheduler/jobs.ts';
import { createDocumentPoster } from '../../src/slack/listeners/documents.ts';
import { docxParagraphs } from '../documents/read-docx.ts';
import { ask } from '../slack/helpers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const ADMIN = 'U0ADMIN001';
const HURDB_CHANNEL = 'C0HURDB001';
const SUPERVISION = 'C0SUPERVIS';
const MONDAYS = ['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21'].map((d) => new Date(`${d}T09:00:00+08:00`));

let t: TestApp;

beforeEach(async () => {
  t = await startTestApp({ admins: [ADMIN], now: MONDAYS[0]! });
  await t.store.transact((tx) => {
    tx.append({
      type: 'channel',
      at: MONDAYS[0]!.toISOString(),
      by: ADMIN,
      departmentId: 'hurdb',
      after: HURDB_CHANNEL,
    });
    tx.replace({ ...tx.state, settings: { ...tx.state.settings, supervisionChannelId: SUPERVISION } });
  });
});
afterEach(async () => t?.close());

async function tickAt(now: Date) {
  t.setNow(now);
  await t.scheduler.tick();
}

/** The documents posted to the channel so far, as their paragraphs. */
function documentsIn(channel: string): string[][] {
  return t.fake
    .callsTo('files.completeUploadExternal')
    .filter((c) => c.ok && c.args.channel_id === channel)
    .map((c) => {
      const id = (c.args.files as Array<{ id: string }>)[0]!.id;
      return docxParagraphs(t.fake.uploads.filter((u) => u.fileId === id).at(-1)!.bytes);
    });
}

describe('the escalation’s document', () => {
  it('posts nothing for a first reminder, a 提示单 at the first escalation and a 督办单 at the second', async () => {
    await tickAt(MONDAYS[0]!);
    expect(documentsIn(HURDB_CHANNEL)).toHaveLength(0);

    await tickAt(MONDAYS[1]!);
    const first = documentsIn(HURDB_CHANNEL);
    expect(first).toHaveLength(1);
    expect(first[0]![0]).toBe('南通经济技术开发区督查室　提示单');
    expect(first[0]).toContain('督〔2026〕1号');
    expect(first[0]).toContain('住房和城乡建设局：');
    // Reminded twice without an update: the items escalated are the document's items.
    const escalation = (await t.store.history()).find((e) => e.type === 'escalation' && e.departmentId === 'hurdb');
    const document = (await t.store.history()).find((e) => e.type === 'document' && e.departmentId === 'hurdb');
    expect(document).toMatchObject({ level: 'notice', by: 'duban', channel: HURDB_CHANNEL });
    expect(escalation?.type === 'escalation' && document?.type === 'document' && document.itemIds).toEqual(
      escalation?.type === 'escalation' ? escalation.itemIds : [],
    );

    await tickAt(MONDAYS[2]!);
    await tickAt(MONDAYS[3]!);
    // Each escalation step has its document: items escalate in the week their streak reaches a level.
    const documents = (await t.store.history()).flatMap((e) => (e.type === 'document' ? [e] : []));
    expect(documents.map((d) => d.number)).toEqual(documents.map((_, i) => i + 1));
    const second = documents.find((d) => d.departmentId === 'hurdb' && d.level === 'supervision')!;
    expect(second.at.slice(0, 10)).toBe('2026-12-21');
    const posted = documentsIn(HURDB_CHANNEL).find((d) => d[0] === '南通经济技术开发区督查室　督办单')!;
    expect(posted).toContain(`督〔2026〕${second.number}号`);
    expect(documentsIn(HURDB_CHANNEL)).toHaveLength(documents.filter((d) => d.departmentId === 'hurdb').length);

    const schedule = await ask(t, '/duban', 'audit', ADMIN);
    expect(schedule.text).toContain(`发出督办单 督〔2026〕${second.number}号 至住建局`);
  });

  it('posts a document Slack refused at the run’s retry, with the number it was given', async () => {
    await tickAt(MONDAYS[0]!);
    t.fake.failNext('files.completeUploadExternal', { ok: false, error: 'not_in_channel' });
    await tickAt(MONDAYS[1]!);
    const numbered = (await t.store.history()).filter((e) => e.type === 'document');
    expect(numbered).toHaveLength(1);
    expect(documentsIn(HURDB_CHANNEL)).toHaveLength(0);
    const slot = Object.keys(t.store.model().db.runs).find((k) => k.startsWith('reminders@2026-12-07'))!;
    expect(t.store.model().db.runs[slot]).toMatchObject({ status: 'partial' });
    // The scheduler retries a partly failed run: the escalation is not sent again, the document is.
    await tickAt(new Date('2026-12-07T09:05:00+08:00'));
    const posted = documentsIn(HURDB_CHANNEL);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain('督〔2026〕1号');
    expect((await t.store.history()).filter((e) => e.type === 'document')).toEqual(numbered);
    expect(t.store.model().db.runs[slot]).toMatchObject({ status: 'done' });
  });

  it('never numbers or posts a step twice: overlapping ticks, and the same run again after a restart', async () => {
    await tickAt(MONDAYS[0]!);
    await tickAt(MONDAYS[1]!);
    await Promise.all([t.scheduler.tick(), t.scheduler.tick()]);
    const uploads = () => t.fake.callsTo('files.completeUploadExternal').length;
    const before = { uploads: uploads(), documents: (await t.store.history()).filter((e) => e.type === 'document') };
    expect(before.documents.length).toBeGreaterThan(0);
    // A restart: the same slot run again by a new scheduler's job on the same store, with a fresh poster.
    const slot = Object.keys(t.store.model().db.runs).find((k) => k.startsWith('reminders@2026-12-07'))!;
    const poster = createDocumentPoster(t.running.app.client, {
      store: t.store,
      clock: () => MONDAYS[1]!,
      timeZone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
      logger: createLogger('silent'),
      calendarData: chineseCalendarData(),
    });
    // Everything of this step is done: the poster itself finds it numbered and posted.
    const step = before.documents[0]!;
    expect(step.type === 'document' && (await poster.issue({ ...step, itemIds: step.itemIds }))).toMatchObject({
      kind: 'already_sent',
    });
    await runReminders(slot, {
      store: t.store,
      messenger: {
        post: async () => {
          throw new Error('must not send');
        },
      },
      clock: () => MONDAYS[1]!,
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      logger: createLogger('silent'),
      calendarData: chineseCalendarData(),
      admins: async () => [ADMIN],
      documents: poster,
    });
    expect(uploads()).toBe(before.uploads);
    expect((await t.store.history()).filter((e) => e.type === 'document')).toEqual(before.documents);
  });
});
