import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { SEED_NOW, SIGNING_SECRET, seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { FAKE_TEAM_DOMAIN, FAKE_TEAM_ID } from '../support/fake-slack.ts';
import { fakeTriggerId, fakeTs, type SlackRequest, signSlackRequest, slashCommand } from '../support/slack-requests.ts';
import { answerTo, ask, CHANNEL, freshId, headerOf, isResponseTo, mention, ZH_USER } from './helpers.ts';

let t: TestApp;
let model: ReadModel;

beforeAll(async () => {
  model = await seedModel();
  t = await startTestApp({ model, now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
});
afterAll(async () => t.close());

/** A form-encoded interactivity request (`payload=<json>`), as Slack sends shortcuts. */
function payload(data: Record<string, unknown>): SlackRequest {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(data) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
    data,
  };
}

const user = { id: ZH_USER, username: 'liaison', name: 'liaison', team_id: FAKE_TEAM_ID };
const team = { id: FAKE_TEAM_ID, domain: FAKE_TEAM_DOMAIN };

const chatPosts = () => t.fake.calls.filter((c) => c.method.startsWith('chat.')).length;

describe('request signatures', () => {
  /** Sends /targets as `userId` with the given signing options; the request must be turned away. */
  async function rejected(
    options: { signature?: string; timestamp?: number; headers?: Record<string, string> },
    userId: string,
  ) {
    const id = freshId('rejected');
    const callsBefore = t.fake.calls.length;
    const res = await t.slack.send(
      slashCommand({
        command: '/targets',
        text: '住建局',
        userId,
        channelId: CHANNEL,
        responseUrl: t.fake.responseUrl(id),
      }),
      options,
    );
    expect(res.status).toBe(401);
    // A signed request sent afterwards is answered; by then anything the rejected one caused would be recorded.
    await ask(t, '/duban', 'help');
    expect(t.fake.responsesTo(id)).toEqual([]);
    const fromRejected = t.fake.calls.slice(callsBefore).filter((c) => JSON.stringify(c.args).includes(userId));
    expect(fromRejected).toEqual([]);
  }

  it('turns away a request with a bad signature with 401, calling nothing and answering nothing', async () => {
    await rejected({ signature: `v0=${'0'.repeat(64)}` }, 'U0BADSIG01');
  });

  it('turns away a request signed with another secret with 401', async () => {
    const request = slashCommand({
      command: '/targets',
      text: '',
      userId: 'U0OTHERSEC',
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl(freshId('other')),
    });
    const now = Math.floor(Date.now() / 1000);
    const res = await t.slack.send(request, {
      timestamp: now,
      signature: signSlackRequest(`${SIGNING_SECRET}x`, now, request.body),
    });
    expect(res.status).toBe(401);
  });

  it('turns away a correctly signed request whose timestamp is older than five minutes with 401', async () => {
    await rejected({ timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }, 'U0STALE001');
  });

  it('turns away a request with no signature headers at all with 401', async () => {
    const request = slashCommand({
      command: '/targets',
      text: '',
      userId: 'U0UNSIGNED',
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl(freshId('unsigned')),
    });
    const res = await fetch(t.slack.endpoint, {
      method: 'POST',
      headers: { 'content-type': request.contentType },
      body: request.body,
    });
    expect(res.status).toBe(401);
  });

  it('logs rejected requests without the signing secret or the bot token', async () => {
    await rejected({ signature: `v0=${'0'.repeat(64)}` }, 'U0BADSIGLG');
    const all = t.logs.join('');
    expect(all).toMatch(/signature|stale|verif/i);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain('xoxb-');
  });

  it('accepts a request signed a minute ago', async () => {
    const id = freshId('recent');
    const before = t.fake.calls.length;
    const res = await t.slack.send(
      slashCommand({
        command: '/targets',
        text: '住建局',
        userId: ZH_USER,
        channelId: CHANNEL,
        responseUrl: t.fake.responseUrl(id),
      }),
      {
        timestamp: Math.floor(Date.now() / 1000) - 60,
      },
    );
    expect(res.status).toBe(200);
    expect(headerOf((await answerTo(t, res, id, before)).body)).toBe('住建局 · 目标');
  });
});

describe('Events API housekeeping', () => {
  it('answers url_verification with the challenge', async () => {
    const res = await t.slack.urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(res.status).toBe(200);
    expect(res.json<{ challenge: string }>().challenge).toBe('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('acknowledges events it does not handle (reaction_added, a plain message) with 200 and posts nothing', async () => {
    const before = chatPosts();
    const reaction = {
      type: 'reaction_added',
      user: ZH_USER,
      reaction: 'thumbsup',
      item: { type: 'message', channel: CHANNEL, ts: fakeTs() },
      item_user: 'U0DUBANBOT',
      event_ts: fakeTs(),
    };
    expect((await t.slack.event(reaction)).status).toBe(200);
    const message = {
      type: 'message',
      user: ZH_USER,
      text: '住建局进展如何?',
      ts: fakeTs(),
      channel: CHANNEL,
      channel_type: 'channel',
      event_ts: fakeTs(),
    };
    expect((await t.slack.event(message)).status).toBe(200);
    await mention(t, '帮助');
    expect(chatPosts()).toBe(before + 1);
  });
});

describe('interactivity duban does not know', () => {
  it('acknowledges a button with an unknown action_id on an old message and says it has expired, only to the clicker', async () => {
    const id = freshId('old-button');
    const res = await t.slack.action({
      actionId: 'duban.approve.v0',
      value: 'legacy',
      userId: ZH_USER,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl(id),
    });
    expect(res.status).toBe(200);
    const post = await t.fake.waitFor(isResponseTo(id));
    expect(post.body.response_type).toBe('ephemeral');
    expect(post.body.replace_original).toBe(false);
    expect(post.body.text).toBe('这个按钮已失效，请重新运行命令获取最新内容。');
  });

  it.each([
    ['a value that is not JSON', 'not json'],
    ['a command duban does not have', JSON.stringify({ c: '/rm', t: '', p: 2 })],
    ['a page out of range', JSON.stringify({ c: '/targets', t: '', p: 0 })],
  ])('treats a page button carrying %s as expired', async (_what, value) => {
    const id = freshId('bad-page');
    const res = await t.slack.action({
      actionId: 'duban.page.next',
      value,
      userId: ZH_USER,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl(id),
    });
    expect(res.status).toBe(200);
    const post = await t.fake.waitFor(isResponseTo(id));
    expect(post.body.text).toBe('这个按钮已失效，请重新运行命令获取最新内容。');
    expect(post.body.replace_original).toBe(false);
  });

  it('acknowledges an unknown view submission with 200 and no errors for the modal', async () => {
    const res = await t.slack.view({
      callbackId: 'duban.report.v0',
      values: { progress: { value: '30' } },
      userId: ZH_USER,
    });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('errors');
  });

  it('acknowledges an unknown global shortcut with 200', async () => {
    const res = await t.slack.send(
      payload({
        type: 'shortcut',
        token: 'x',
        action_ts: fakeTs(),
        team,
        user,
        callback_id: 'duban.unknown',
        trigger_id: fakeTriggerId(),
        is_enterprise_install: false,
        enterprise: null,
      }),
    );
    expect(res.status).toBe(200);
  });

  it('acknowledges an unknown message shortcut with 200 and says it has expired', async () => {
    const id = freshId('shortcut');
    const ts = fakeTs();
    const res = await t.slack.send(
      payload({
        type: 'message_action',
        token: 'x',
        action_ts: fakeTs(),
        team,
        user,
        channel: { id: CHANNEL, name: 'general' },
        callback_id: 'duban.unknown',
        trigger_id: fakeTriggerId(),
        response_url: t.fake.responseUrl(id),
        message_ts: ts,
        message: { type: 'message', user: ZH_USER, text: 'hi', ts },
        is_enterprise_install: false,
        enterprise: null,
      }),
    );
    expect(res.status).toBe(200);
    const post = await t.fake.waitFor(isResponseTo(id));
    expect(post.body.text).toBe('这个按钮已失效，请重新运行命令获取最新内容。');
  });

  it('answers an unknown slash command routed to duban with a usage answer', async () => {
    const { body, text } = await ask(t, '/dubann', 'status');
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('不认识的子命令「/dubann」。');
    expect(text).toContain('`/duban help`');
  });
});

describe('GET /healthz', () => {
  it('answers 200 with JSON saying ok and what it serves', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', mode: 'http' });
    expect(body.departments).toBe(model.db.departments.length);
    expect(body.items).toBe(model.db.targets.length + model.db.projects.length + model.db.commitments.length);
    expect(typeof body.uptimeSeconds).toBe('number');
  });

  it('does not answer health checks on the Slack endpoint', async () => {
    const res = await fetch(`${t.baseUrl}/slack/events`);
    expect(res.status).not.toBe(200);
  });
});
