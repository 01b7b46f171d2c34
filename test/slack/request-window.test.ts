/**
 * Slack's requests carry the time they were signed; one more than five minutes away from our clock, in
 * either direction, is turned away as Bolt turns away a stale one. The app's request clock is frozen
 * here, so the verdicts do not depend on when the test runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.ts';
import { slashCommand } from '../support/slack-requests.ts';
import { answerTo, CHANNEL, freshId, headerOf, ZH_USER } from './helpers.ts';

let t: TestApp;
/** The frozen wall clock, in seconds; near the real time, because Bolt still checks staleness against it too. */
let nowSec: number;

beforeAll(async () => {
  const frozen = Date.now();
  nowSec = Math.floor(frozen / 1000);
  t = await startTestApp({ requestClock: () => frozen });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
});
afterAll(async () => t.close());

/** Sends a correctly signed `/targets 住建局` as `userId`, signed `offsetSec` away from the frozen clock. */
async function targetsSigned(offsetSec: number, userId: string) {
  const id = freshId('window');
  const before = t.fake.calls.length;
  const res = await t.slack.send(
    slashCommand({
      command: '/targets',
      text: '住建局',
      userId,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl(id),
    }),
    { timestamp: nowSec + offsetSec },
  );
  return { res, id, before };
}

describe('the request timestamp window', () => {
  it.each([
    ['six minutes ahead', 6 * 60, 'U0FUTURE06'],
    ['301 seconds ahead', 301, 'U0FUTURE31'],
    ['six minutes behind', -6 * 60, 'U0PAST0006'],
  ])('turns away a correctly signed request %s with 401 and answers nothing', async (_label, offset, userId) => {
    const { res, id, before } = await targetsSigned(offset, userId);
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    // A request signed now is answered; by then anything the refused one caused would be recorded.
    const ok = await targetsSigned(0, ZH_USER);
    expect(ok.res.status).toBe(200);
    await answerTo(t, ok.res, ok.id, ok.before);
    expect(t.fake.responsesTo(id)).toEqual([]);
    expect(t.fake.calls.slice(before).filter((c) => JSON.stringify(c.args).includes(userId))).toEqual([]);
  });

  it.each([
    ['four minutes ahead', 4 * 60],
    ['exactly five minutes ahead', 300],
    ['four minutes behind', -4 * 60],
  ])('answers a correctly signed request %s', async (_label, offset) => {
    const { res, id, before } = await targetsSigned(offset, ZH_USER);
    expect(res.status).toBe(200);
    expect(headerOf((await answerTo(t, res, id, before)).body)).toBe('住建局 · 目标');
  });

  it('logs a refusal with the skew, never the signature, the secret or the token', async () => {
    expect((await targetsSigned(6 * 60, 'U0FUTURELG')).res.status).toBe(401);
    const refusals = t.logs.filter((l) => l.includes('signed in the future'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(JSON.parse(refusals[0]!)).toMatchObject({ level: 40, skewSeconds: 360, maxSkewSeconds: 300 });
    const all = t.logs.join('');
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toMatch(/v0=[0-9a-f]{64}/);
  });
});
