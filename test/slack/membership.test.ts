/**
 * Slack sends a bot the messages of a channel only while it is in it. Through the real app and a fake
 * Web API granting exactly the manifest's scopes: setting a channel joins it when public and tells
 * the admin what to do otherwise, /duban schedule lists the channels duban does not hear, and
 * scheduled runs join before posting and report, in words, where they could not.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import {
  type ApiCall,
  allText,
  FAKE_BOT_USER_ID,
  FAKE_TEAM_ID,
  type FakeSlack,
  startFakeSlack,
} from '../support/fake-slack.ts';
import { message, type SlackEvent } from '../support/slack-requests.ts';
import { ask, CHANNEL, EN_USER, expectValidMessage, freshId, isResponseTo, sectionTexts } from './helpers.ts';

const manifest = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'manifest.json'), 'utf8')) as {
  oauth_config: { scopes: { bot: string[] } };
};
const MANIFEST_SCOPES = manifest.oauth_config.scopes.bot;

const ADMIN = 'U0ADMIN001';
const LIAISON = 'U0LIAISON1';
const PUBLIC = 'C0ZJJPUBLC';
const PRIVATE = 'C0ZJJPRIVT';
const ARCHIVED = 'C0ZJJARCHV';
const MEMBER = 'C0EDBMEMBR';

let t: TestApp;
let fake: FakeSlack;

async function start(scopes: string[] = MANIFEST_SCOPES) {
  fake = await startFakeSlack({ scopes });
  t = await startTestApp({ fake, admins: [ADMIN, EN_USER] });
  fake.setUser(ADMIN, { locale: 'zh-CN' });
  fake.setUser(EN_USER, { locale: 'en-US' });
  fake.setChannel(PUBLIC, { name: 'zjj-督办', isMember: false, members: [LIAISON] });
  fake.setChannel(PRIVATE, { name: 'zjj-内部', isPrivate: true, isMember: false, members: [LIAISON] });
  fake.setChannel(ARCHIVED, { name: 'zjj-旧', isArchived: true, isMember: false });
  fake.setChannel(MEMBER, { name: 'jfj-督办', members: [LIAISON] });
}

afterEach(async () => {
  await t?.close();
  await fake?.close();
});

const link = (channel: string) => `<#${channel}>`;
const callsTo = (method: string, channel: string) => fake.callsTo(method).filter((c) => c.args.channel === channel);

/** Latin words left once commands in backticks, Slack markup and the product's own name are set aside. */
function englishIn(text: string): string[] {
  return (
    text
      .replace(/`[^`]*`/g, '')
      .replace(/<[^>]*>/g, '')
      .match(/[A-Za-z_]{2,}/g) ?? []
  ).filter((w) => w !== 'Slack');
}

/** The answer on the command's response_url (a failed post to a department's channel may come first). */
async function answerOf(text: string, userId: string): Promise<string> {
  const id = freshId('membership');
  await t.slack.command({ command: '/duban', text, userId, channelId: CHANNEL, responseUrl: fake.responseUrl(id) });
  return allText((await fake.waitFor(isResponseTo(id))).body);
}

/** Slack delivers a channel's messages to the app only while its bot is in it. */
async function replyInThread(channel: string, threadTs: string, text: string): Promise<SlackEvent | undefined> {
  if (!fake.isMember(channel)) return undefined;
  const reply = message({ text, userId: LIAISON, channelId: channel, threadTs });
  await t.slack.event(reply);
  return reply;
}

describe('setting a channel', () => {
  it('joins a public channel duban is not in, says so, and asks Slack only once about it', async () => {
    await start();
    const answer = await ask(t, '/duban', `channel 住建局 ${link(PUBLIC)}`, ADMIN);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain(`住建局的督办频道已设为 ${link(PUBLIC)}`);
    expect(answer.text).toContain('督办已自行加入这个频道，能收到话题中的回复。');
    expect(englishIn(answer.text)).toEqual([]);
    expectValidMessage(answer.body);
    expect(callsTo('conversations.join', PUBLIC)).toHaveLength(1);
    expect(fake.isMember(PUBLIC)).toBe(true);
    expect(t.store.model().department('hurdb')?.channelId).toBe(PUBLIC);

    const asked = fake.calls.filter((c) => c.method.startsWith('conversations.')).length;
    const again = await ask(t, '/duban', `channel 经发局 ${link(PUBLIC)}`, ADMIN);
    expect(again.text).toContain('督办在这个频道里，能收到话题中的回复。');
    expect(fake.calls.filter((c) => c.method.startsWith('conversations.'))).toHaveLength(asked);
  });

  it('never tries to join a private channel, and tells the admin to invite duban, in their language', async () => {
    await start();
    const zh = await ask(t, '/duban', `channel 住建局 ${link(PRIVATE)}`, ADMIN);
    expect(zh.text).toContain('督办看不到这个频道：如果是私有频道，请在该频道里输入 `/invite @督办`');
    expect(englishIn(zh.text)).toEqual([]);
    expect(callsTo('conversations.info', PRIVATE)).toHaveLength(1);

    await start();
    const en = await ask(t, '/duban', `channel HURDB ${link(PRIVATE)}`, EN_USER);
    expect(en.text).toContain("HURDB's channel is now");
    expect(en.text).toContain('if it is private, type `/invite @duban` in it');
    expect(en.text).not.toMatch(/\p{Script=Han}/u);
    expect(callsTo('conversations.join', PRIVATE)).toHaveLength(0);
    expect(fake.isMember(PRIVATE)).toBe(false);
  });

  it('says when the channel is archived, and when duban is in it already, without joining', async () => {
    await start();
    const archived = await ask(t, '/duban', `channel 住建局 ${link(ARCHIVED)}`, ADMIN);
    expect(archived.text).toContain('这个频道已归档，督办不能在其中发消息：请改设一个频道。');
    const member = await ask(t, '/duban', `channel 经发局 ${link(MEMBER)}`, ADMIN);
    expect(member.text).toContain('督办在这个频道里，能收到话题中的回复。');
    expect(fake.callsTo('conversations.join')).toHaveLength(0);
  });

  it('checks the review channel and the bulletin channel alike', async () => {
    await start();
    const review = await ask(t, '/duban', `review-channel ${link(PRIVATE)}`, ADMIN);
    expect(review.text).toContain('复核请求和督办升级将发到');
    expect(review.text).toContain('`/invite @督办`');
    const bulletin = await ask(t, '/duban', `schedule set bulletin-channel ${link(PUBLIC)}`, ADMIN);
    expect(bulletin.text).toContain('督办已自行加入这个频道');
    expect(callsTo('conversations.join', PUBLIC)).toHaveLength(1);
    expect(callsTo('conversations.join', PRIVATE)).toHaveLength(0);
  });
});

describe('/duban schedule', () => {
  /** The section listing the channels duban does not hear. */
  const unheardSection = (body: { blocks?: unknown }, title: string) =>
    sectionTexts(body).find((s) => s.startsWith(`*${title}*`)) ?? '';

  it('lists the channels set where duban does not hear replies, with what to do, joining public ones', async () => {
    await start();
    const at = SEED_NOW.toISOString();
    await t.store.transact((tx) => {
      tx.append({ type: 'channel', at, by: ADMIN, departmentId: 'hurdb', after: PRIVATE });
      tx.append({ type: 'channel', at, by: ADMIN, departmentId: 'edb', after: PUBLIC });
      tx.append({ type: 'channel', at, by: ADMIN, departmentId: 'stib', after: MEMBER });
      tx.replace({ ...tx.state, settings: { ...tx.state.settings, supervisionChannelId: ARCHIVED } });
    });
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expectValidMessage(status.body);
    const section = unheardSection(status.body, '督办收不到回复的频道');
    expect(section).toContain(
      `• 住建局 ${link(PRIVATE)}：督办看不到这个频道：如果是私有频道，请在该频道里输入 \`/invite @督办\``,
    );
    expect(section).toContain(`• 复核与升级 ${link(ARCHIVED)}：这个频道已归档`);
    // Joined on the way: it is heard now, so not listed.
    expect(section).not.toContain(link(PUBLIC));
    expect(section).not.toContain(link(MEMBER));
    expect(callsTo('conversations.join', PUBLIC)).toHaveLength(1);
    expect(callsTo('conversations.join', PRIVATE)).toHaveLength(0);
    expect(englishIn(section)).toEqual([]);

    const en = await ask(t, '/duban', 'schedule', EN_USER);
    const enSection = unheardSection(en.body, 'Channels where duban does not hear replies');
    expect(enSection).toContain(`• HURDB ${link(PRIVATE)}: duban cannot see this channel`);
    expect(enSection).toContain('type `/invite @duban` in it');
    expect(enSection).not.toMatch(/\p{Script=Han}/u);
  });

  it('hears at once that duban was invited, without asking Slack again', async () => {
    await start();
    await ask(t, '/duban', `channel 住建局 ${link(PRIVATE)}`, ADMIN);
    expect(unheardSection((await ask(t, '/duban', 'schedule', ADMIN)).body, '督办收不到回复的频道')).toContain(
      link(PRIVATE),
    );

    // Someone in the channel types /invite @督办: Slack adds the bot and tells the app.
    fake.setChannel(PRIVATE, { isMember: true });
    const asked = fake.calls.filter((c) => c.method.startsWith('conversations.')).length;
    const joined = {
      type: 'member_joined_channel',
      user: FAKE_BOT_USER_ID,
      channel: PRIVATE,
      channel_type: 'G',
      team: FAKE_TEAM_ID,
      inviter: LIAISON,
      event_ts: '1764300000.000100',
    };
    expect((await t.slack.event(joined)).status).toBe(200);
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expect(unheardSection(status.body, '督办收不到回复的频道')).toContain(
      '已设置的频道督办都在其中，能收到话题中的回复。',
    );
    expect(fake.calls.filter((c) => c.method.startsWith('conversations.'))).toHaveLength(asked);

    // Removed from it again: Slack says so, and the next look asks Slack afresh.
    fake.setChannel(PRIVATE, { isMember: false });
    expect(
      (await t.slack.event({ type: 'group_left', channel: PRIVATE, actor_id: LIAISON, event_ts: '1764300000.000300' }))
        .status,
    ).toBe(200);
    const after = await ask(t, '/duban', 'schedule', ADMIN);
    expect(unheardSection(after.body, '督办收不到回复的频道')).toContain(link(PRIVATE));
    expect(callsTo('conversations.info', PRIVATE).length).toBeGreaterThan(1);
  });
});

describe('scheduled runs', () => {
  async function mapChannels(hurdb: string, edb: string) {
    const at = SEED_NOW.toISOString();
    await t.store.transact((tx) => {
      tx.append({ type: 'channel', at, by: ADMIN, departmentId: 'hurdb', after: hurdb });
      tx.append({ type: 'channel', at, by: ADMIN, departmentId: 'edb', after: edb });
      tx.append({
        type: 'membership',
        at,
        by: ADMIN,
        departmentId: 'hurdb',
        role: 'member',
        userId: LIAISON,
        change: 'add',
      });
    });
  }
  const postsTo = (channel: string) => callsTo('chat.postMessage', channel).filter((c) => c.ok);

  it("joins a public channel before posting there, so a reply in the reminder's thread reaches duban", async () => {
    await start();
    await mapChannels(PUBLIC, MEMBER);
    // The item is updated the day before: without this, the digest leaves it out as updated recently.
    await t.store.transact((tx) =>
      tx.replace({
        ...tx.state,
        settings: { ...tx.state.settings, schedule: { ...tx.state.settings.schedule, recentUpdateWorkdays: 0 } },
      }),
    );
    const outcome = await t.scheduler.runNow('reminders');
    expect(outcome).toMatchObject({ hurdb: 'sent', edb: 'sent' });
    const join = callsTo('conversations.join', PUBLIC)[0]!;
    const post = postsTo(PUBLIC)[0]!;
    expect(fake.calls.indexOf(join)).toBeLessThan(fake.calls.indexOf(post));
    expect(callsTo('conversations.join', MEMBER)).toHaveLength(0);

    const reply = await replyInThread(PUBLIC, (post.response as { ts: string }).ts, '城市更新项目开工数 累计开工33项');
    expect(reply).toBeDefined();
    await fake.waitFor((r) => r.kind === 'api' && r.method === 'reactions.add' && r.args.timestamp === reply!.ts);
    expect(t.store.model().progress.get('t-hurdb-renewal-starts')?.value).toBe(33);
  });

  it('keeps going when duban is not in a private channel, and reports it to admins in words', async () => {
    await start();
    await mapChannels(PRIVATE, MEMBER);
    const outcome = await t.scheduler.runNow('reminders');
    expect(outcome).toMatchObject({ hurdb: 'failed: not_in_channel', edb: 'sent' });
    expect(postsTo(MEMBER)).toHaveLength(1);
    expect(callsTo('conversations.join', PRIVATE)).toHaveLength(0);
    // Nothing duban posted there, and nothing said there reaches it.
    expect(fake.isMember(PRIVATE)).toBe(false);
    expect(await replyInThread(PRIVATE, '1764300000.000200', '累计开工33项')).toBeUndefined();

    const status = await ask(t, '/duban', 'schedule', ADMIN);
    const runs = sectionTexts(status.body).find((s) => s.startsWith('*最近运行*'))!;
    expect(runs).toMatch(/• 督办提醒（手动） 11月28日 \d\d:\d\d — 部分失败：发送 \d+ 条、失败 1 个/);
    expect(runs).toContain('住建局：未发送：督办不在该频道里，请在该频道里输入 `/invite @督办`');
    expect(englishIn(runs)).toEqual([]);
    expect(status.raw).not.toContain('not_in_channel');

    const now = await answerOf('remind now 住建局', ADMIN);
    expect(now).toContain('住建局：未发送：督办不在该频道里，请在该频道里输入 `/invite @督办`');
    expect(englishIn(now)).toEqual([]);
    const en = await answerOf('remind now HURDB', EN_USER);
    expect(en).toContain('HURDB: not sent: duban is not in the channel; type `/invite @duban` in it');
    expect(en).not.toMatch(/\p{Script=Han}|not_in_channel/u);
  });

  it('says when a message went out but duban could not join to hear the replies (an install without channels:join)', async () => {
    await start(MANIFEST_SCOPES.filter((s) => s !== 'channels:join'));
    await mapChannels(PUBLIC, MEMBER);
    const outcome = await t.scheduler.runNow('reminders');
    expect(outcome).toMatchObject({ hurdb: 'sent: not heard', edb: 'sent' });
    expect(postsTo(PUBLIC)).toHaveLength(1);
    expect((callsTo('conversations.join', PUBLIC)[0] as ApiCall).ok).toBe(false);
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expect(allText(status.body)).toContain(
      '住建局：已发送，但督办不在该频道里，收不到话题中的回复：请在该频道里输入 `/invite @督办`',
    );
    expect(allText(status.body)).toContain(`• 住建局 ${link(PUBLIC)}：督办未能自行加入这个频道`);
  });
});
