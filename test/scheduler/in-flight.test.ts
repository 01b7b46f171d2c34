/**
 * A reminder left "sending" (duban, or the instance that led before, stopped between marking it and
 * recording it sent) is finished exactly once through the real app and the fake Web API: each target's
 * message is looked for in Slack by the delivery key it carries (message metadata); found, it is recorded
 * with its ts; not found, it is sent — in channels and in direct messages alike.
 */
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEventInput } from '../../src/domain/journal.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, startFakeSlack } from '../support/fake-slack.ts';

const ADMIN = 'U0ADMIN001';
const HURDB_CHANNEL = 'C0HURDB001';
const EDB_CHANNEL = 'C0EDB00001';
const STIB_MEMBERS = ['U0STIB0001', 'U0STIB0002'];
const STIB_LEAD = 'U0STIBLEAD';
/** Monday 2026-11-30 at 09:00 in Shanghai: the default reminder run is due. */
const MONDAY_9 = new Date('2026-11-30T09:00:00+08:00');
const SLOT = 'reminders@2026-11-30T09:00';
const keyOf = (department: string) => `reminder:${department}:${SLOT}`;

let t: TestApp;

beforeEach(async () => {
  // Slack's ts near the seeded clock, so the history read since the mark compares like Slack's.
  const fake = await startFakeSlack({ tsBaseSeconds: Math.floor(MONDAY_9.getTime() / 1000) });
  t = await startTestApp({ admins: [ADMIN], now: MONDAY_9, fake });
  const base = { at: MONDAY_9.toISOString(), by: ADMIN };
  const events: JournalEventInput[] = [
    { ...base, type: 'channel', departmentId: 'hurdb', after: HURDB_CHANNEL },
    { ...base, type: 'channel', departmentId: 'edb', after: EDB_CHANNEL },
    ...STIB_MEMBERS.map(
      (userId): JournalEventInput => ({
        ...base,
        type: 'membership',
        departmentId: 'stib',
        role: 'member',
        userId,
        change: 'add',
      }),
    ),
    { ...base, type: 'membership', departmentId: 'stib', role: 'lead', userId: STIB_LEAD, change: 'add' },
  ];
  await t.store.transact((tx) => {
    for (const e of events) tx.append(e);
  });
  await t.store.transact((tx) =>
    tx.replace({
      ...tx.state,
      settings: { ...tx.state.settings, schedule: { ...tx.state.settings.schedule, recentUpdateWorkdays: 0 } },
    }),
  );
});
afterEach(async () => {
  await t.close();
  await t.fake.close();
});

/** What the stopped instance got out before it stopped: a message carrying the delivery's key. */
async function postedBefore(channel: string, department: string): Promise<string> {
  const client = new webApi.WebClient('xoxb-test-0000-duban', { slackApiUrl: t.fake.url });
  const res = await client.chat.postMessage({
    channel,
    text: `督办提醒 (${department})`,
    metadata: { event_type: 'duban_delivery', event_payload: { key: keyOf(department) } },
  });
  return res.ts!;
}

const carrying = (department: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter(
      (c: ApiCall) =>
        c.ok &&
        (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key === keyOf(department),
    );

describe('a reminder found in flight', () => {
  it('records what went, sends what did not, and each target has it once', async () => {
    await t.store.transact((tx) =>
      tx.bookkeep((s) => ({
        deliveries: {
          ...s.deliveries,
          ...Object.fromEntries(
            ['hurdb', 'edb', 'stib'].map((d) => [keyOf(d), { status: 'sending' as const, at: MONDAY_9.toISOString() }]),
          ),
        },
      })),
    );
    // 住建局's went; 经发局's never reached Slack; 科技局's reached one of its three people.
    const hurdbTs = await postedBefore(HURDB_CHANNEL, 'hurdb');
    await postedBefore(STIB_MEMBERS[0]!, 'stib');

    await t.scheduler.tick();

    expect(carrying('hurdb').map((c) => c.args.channel)).toEqual([HURDB_CHANNEL]);
    expect(carrying('edb').map((c) => c.args.channel)).toEqual([EDB_CHANNEL]);
    expect(
      carrying('stib')
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual([...STIB_MEMBERS, STIB_LEAD].sort());
    const deliveries = t.store.model().db.deliveries;
    expect(deliveries[keyOf('hurdb')]).toMatchObject({ status: 'sent', channel: HURDB_CHANNEL, ts: hurdbTs });
    expect(deliveries[keyOf('edb')]).toMatchObject({ status: 'sent', channel: EDB_CHANNEL });
    expect(t.store.model().db.runs[SLOT]).toMatchObject({
      status: 'done',
      outcome: { hurdb: 'sent', edb: 'sent', stib: 'sent' },
    });
    const reminders = (await t.store.history()).filter((e) => e.type === 'reminder');
    expect(reminders.map((e) => (e.type === 'reminder' ? e.departmentId : '')).sort()).toEqual(
      ['edb', 'hurdb', 'stib'].sort(),
    );
    // The direct messages were looked up in the DM channels conversations.open names.
    expect(t.fake.callsTo('conversations.history').length).toBeGreaterThanOrEqual(5);
  });

  it('sends each message with its delivery key, so a later run can look it up', async () => {
    await t.scheduler.tick();
    expect(carrying('hurdb')).toHaveLength(1);
    expect(carrying('edb')).toHaveLength(1);
    expect(t.fake.callsTo('conversations.history')).toHaveLength(0);
  });
});
