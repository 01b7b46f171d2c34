import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { appMention, fakeTs, retryHeaders } from '../support/slack-requests.ts';
import {
  blocksOf,
  buttonLabelled,
  CHANNEL,
  click,
  EN_USER,
  expectValidMessage,
  headerOf,
  mention,
  RAW_MENTION,
  sectionTexts,
  ZH_USER,
} from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en-US' });
});
afterAll(async () => t.close());

const postsInThread = (ts: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

describe('@duban questions', () => {
  it('answers "住建局进展如何?" in the mention’s thread, in Chinese, with 住建局’s scorecard', async () => {
    const m = await mention(t, '住建局进展如何?');
    expect(m.call.method).toBe('chat.postMessage');
    expect(m.call.ok).toBe(true);
    expect(m.args.channel).toBe(CHANNEL);
    expect(m.args.thread_ts).toBe(m.ts);
    expectValidMessage(m.args);
    expect(headerOf(m.args)).toBe('住建局 · 记分卡');
    expect(m.text).toContain('截至 2026年11月28日');
    expect(m.text).toContain('*最需关注*');
  });

  it('answers "who is behind?" in English, even for a Chinese-speaking user', async () => {
    const m = await mention(t, 'who is behind?');
    expect(m.call.method).toBe('chat.postMessage');
    expect(m.args.thread_ts).toBe(m.ts);
    expectValidMessage(m.args);
    expect(headerOf(m.args)).toBe('Behind and at risk, worst first');
    expect(m.text).toContain('As of 28 Nov 2026');
    const statuses = sectionTexts(m.args)
      .map((s) => /^(🔴|🟡|🟢) \*/u.exec(s)?.[1])
      .filter(Boolean);
    expect(statuses[0]).toBe('🔴');
    expect(statuses).not.toContain('🟢');
  });

  it('answers "谁落后了？" with the same list in Chinese', async () => {
    const m = await mention(t, '谁落后了？', { userId: EN_USER });
    expect(headerOf(m.args)).toBe('落后和预警事项（按严重程度）');
  });

  it('answers "help" with the usage, only to the asker, in the thread', async () => {
    const m = await mention(t, 'help');
    expect(m.call.method).toBe('chat.postEphemeral');
    expect(m.call.ok).toBe(true);
    expect(m.args.user).toBe(ZH_USER);
    expect(m.args.thread_ts).toBe(m.ts);
    expectValidMessage(m.args);
    expect(headerOf(m.args)).toBe('duban · Help');
    expect(m.text).toContain('`@duban who is behind?`');
  });

  it('answers "帮助" with the Chinese usage', async () => {
    const m = await mention(t, '帮助');
    expect(headerOf(m.args)).toBe('督办 · 使用帮助');
  });

  it('answers a mention inside a thread in that thread, not in a new one', async () => {
    const parent = fakeTs();
    const m = await mention(t, '经发局怎么样', { threadTs: parent });
    expect(m.args.thread_ts).toBe(parent);
    expect(m.args.thread_ts).not.toBe(m.ts);
    expect(headerOf(m.args)).toBe('经发局 · 记分卡');
  });

  it('finds items by keyword: "老旧小区" lists the old-compound renovations', async () => {
    const m = await mention(t, '老旧小区');
    expect(m.call.method).toBe('chat.postMessage');
    expect(headerOf(m.args)).toBe('与「老旧小区」相关的事项');
    expect(m.text).toContain('老旧小区改造');
  });

  it('finds items by an English keyword: "commercial street" finds the commercial street upgrade', async () => {
    // /projects finds it; the mention should too. "commercial" contains "me", which the mention filler list strips.
    const m = await mention(t, 'commercial street');
    expect(m.text).toContain('Tongsheng Avenue commercial street upgrade');
    expect(m.call.method).toBe('chat.postMessage');
  });

  it('finds items by an English keyword: "rest stations" finds the warm-heart rest stations target', async () => {
    const m = await mention(t, 'rest stations');
    expect(m.text).toContain('Warm-heart rest stations opened');
    expect(m.call.method).toBe('chat.postMessage');
  });

  it('pages keyword results: 下一页 under "老旧小区" shows page 2 of the same results', async () => {
    const m = await mention(t, '老旧小区');
    expect(m.text).toMatch(/第 1\/2 页，共 14 项/);
    const page2 = await click(t, buttonLabelled(m.args, '下一页'));
    expect(page2.text).not.toContain('没有找到');
    expect(page2.body.replace_original).toBe(true);
    expect(headerOf(page2.body)).toBe('与「老旧小区」相关的事项');
    expect(page2.text).toMatch(/第 2\/2 页，共 14 项/);
  });

  it('keeps the language of the question on page 2: "who is behind?" from a Chinese-speaking user pages on in English', async () => {
    const m = await mention(t, 'who is behind?');
    const page2 = await click(t, buttonLabelled(m.args, 'Next page'));
    expect(headerOf(page2.body)).toBe('Behind and at risk, worst first');
    expect(page2.text).toMatch(/Page 2 of 2/);
  });

  it('never lets a mention carry a broadcast back into the channel', async () => {
    const m = await mention(t, '<!channel> 住建局 <@U0SOMEONE1> <!everyone>');
    expect(m.call.method).toBe('chat.postMessage');
    expect(headerOf(m.args)).toBe('住建局 · 记分卡');
    expect(m.text).not.toMatch(RAW_MENTION);
  });
});

describe('redelivered events', () => {
  it('answers an event redelivered with the same event_id only once', async () => {
    const event = appMention({ text: '住建局进展如何?', userId: ZH_USER, channelId: CHANNEL });
    const ts = event.ts as string;
    const eventId = 'Ev0REDELIVER1';
    const first = await t.slack.event(event, { eventId });
    expect(first.status).toBe(200);
    await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'chat.postMessage' && r.args.thread_ts === ts,
    );

    const retry = await t.slack.event(event, { eventId, headers: retryHeaders(1) });
    expect(retry.status).toBe(200);
    // A later mention is answered after the retry would have been: by then a second answer would be recorded.
    await mention(t, 'help');
    expect(postsInThread(ts)).toHaveLength(1);
  });

  it('still answers a new event that differs only in its event_id', async () => {
    const event = appMention({ text: '经发局进展如何?', userId: ZH_USER, channelId: CHANNEL });
    const ts = event.ts as string;
    await t.slack.event(event, { eventId: 'Ev0DISTINCT01' });
    await t.slack.event(event, { eventId: 'Ev0DISTINCT02' });
    await mention(t, 'help');
    expect(postsInThread(ts)).toHaveLength(2);
    expect(allText(postsInThread(ts)[0]!.args)).toContain('经发局 · 记分卡');
  });

  it('keeps every answer it posted within Slack’s block limits', async () => {
    for (const question of ['住建局进展如何?', 'who is behind?', '谁落后了？', 'help', '老旧小区', '经发局怎么样'])
      await mention(t, question);
    const posted = [...t.fake.callsTo('chat.postMessage'), ...t.fake.callsTo('chat.postEphemeral')];
    expect(posted.length).toBeGreaterThan(5);
    for (const c of posted) {
      expect(c.ok, `${c.method} ${JSON.stringify(c.response)}`).toBe(true);
      expect(blocksOf(c.args).length).toBeLessThanOrEqual(50);
    }
  });
});
