import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, type WebAPIHTTPError, type WebAPIPlatformError, WebClient, WebClientEvent } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiCall,
  allText,
  FAKE_BOT_USER_ID,
  type FakeSlack,
  type ResponsePost,
  startFakeSlack,
} from './fake-slack.ts';
import {
  appMention,
  blockAction,
  retryHeaders,
  SlackClient,
  signedPost,
  signSlackRequest,
  slashCommand,
  viewSubmission,
} from './slack-requests.ts';

const TOKEN = 'xoxb-test-token';
const SECRET = 'test-signing-secret';
const fastRetries = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 };

function client(fake: FakeSlack, options: { rejectRateLimitedCalls?: boolean } = {}): WebClient {
  return new WebClient(TOKEN, {
    slackApiUrl: fake.url,
    retryConfig: fastRetries,
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}

describe('fake Slack Web API', () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it('listens on 127.0.0.1 and exposes an /api/ base url', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('records chat.postMessage with blocks decoded, the bearer token, and answers like Slack', async () => {
    const web = client(fake);
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: '本周督办' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*目标* 12 项, 逾期 [2]' } },
    ];
    const first = await web.chat.postMessage({ channel: 'C0TARGETS', text: '[2] 逾期', blocks });
    const second = await web.chat.postMessage({ channel: 'C0TARGETS', text: 'again', thread_ts: first.ts });

    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C0TARGETS');
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message?.blocks).toEqual(blocks);
    expect(second.message?.thread_ts).toBe(first.ts);

    const [call] = fake.callsTo('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', token: TOKEN, ok: true, status: 200 });
    // blocks arrive as a JSON string on the wire and are decoded back; text that looks like JSON stays text
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args.text).toBe('[2] 逾期');
    expect(call?.args).not.toHaveProperty('token');
    expect(allText(call?.args)).toContain('本周督办');
    expect(fake.messagesIn('C0TARGETS').map((m) => m.ts)).toEqual([first.ts, second.ts]);

    const updated = await web.chat.update({ channel: 'C0TARGETS', ts: first.ts ?? '', text: 'edited' });
    expect(updated.text).toBe('edited');
    const missing = await rejection(web.chat.update({ channel: 'C0TARGETS', ts: '1.000001', text: 'x' }));
    expect((missing as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('rejects invalid blocks the way Slack does', async () => {
    const web = client(fake);
    const tooLongHeader = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    const error = await rejection(web.chat.postMessage({ channel: 'C1', text: 't', blocks: tooLongHeader }));
    expect((error as WebAPIPlatformError).data.error).toBe('invalid_blocks');
    const noText = await rejection(web.chat.postMessage({ channel: 'C1', text: '' }));
    expect((noText as WebAPIPlatformError).data.error).toBe('no_text');
  });

  it('answers 429 with Retry-After; the client waits that long, retries, and succeeds', async () => {
    const web = client(fake);
    const rateLimited: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const result = await web.chat.postMessage({ channel: 'C1', text: 'hello' });

    expect(result.ok).toBe(true);
    expect(rateLimited).toEqual([1]);
    const attempts = fake.callsTo('chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[0]?.ok).toBe(false);
    const gap = (attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('lets a client that rejects rate-limited calls see WebAPIRateLimitedError', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await rejection(
      client(fake, { rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'x' }),
    );
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('answers HTTP 500: retried by the client, and surfaced as WebAPIHTTPError once retries run out', async () => {
    const web = client(fake);
    fake.failNext('users.info', { status: 500 });
    fake.setUser('U0ALICE', { name: '爱丽丝' });
    const recovered = await web.users.info({ user: 'U0ALICE' });
    expect(recovered.user?.name).toBe('爱丽丝');
    expect(fake.callsTo('users.info').map((c) => c.status)).toEqual([500, 200]);

    fake.reset();
    fake.failNext('chat.postMessage', { status: 500 }, 3);
    const error = await rejection(web.chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(error.code).toBe(ErrorCode.HTTPError);
    expect((error as WebAPIHTTPError).statusCode).toBe(500);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('answers injected ok:false errors without retries', async () => {
    fake.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    const error = await rejection(client(fake).chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('channel_not_found');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    // the queue is consumed: the next call goes through
    await expect(client(fake).chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('serves users.info with locale only when include_locale is set, and user_not_found otherwise', async () => {
    const web = client(fake);
    fake.setUser('U0BOB', { locale: 'en-US', name: 'bob', tz: 'America/New_York', isAdmin: true });
    fake.setUser('U0CHEN', { name: '陈' });

    const bob = await web.users.info({ user: 'U0BOB', include_locale: true });
    expect(bob.user).toMatchObject({
      id: 'U0BOB',
      name: 'bob',
      locale: 'en-US',
      tz: 'America/New_York',
      is_admin: true,
    });
    expect((await web.users.info({ user: 'U0CHEN', include_locale: true })).user?.locale).toBe('zh-CN');
    expect((await web.users.info({ user: 'U0CHEN' })).user?.locale).toBeUndefined();
    expect((await web.users.info({ user: 'U0CHEN' })).user?.tz_offset).toBe(8 * 3600);

    const error = await rejection(web.users.info({ user: 'U0NOBODY' }));
    expect((error as WebAPIPlatformError).data.error).toBe('user_not_found');
  });

  it('answers unknown methods with unknown_method and still records them', async () => {
    const error = await rejection(client(fake).apiCall('chat.frobnicate', { channel: 'C1' }));
    expect((error as WebAPIPlatformError).data.error).toBe('unknown_method');
    expect(fake.callsTo('chat.frobnicate')).toHaveLength(1);
  });

  it('answers not_authed without a token', async () => {
    const error = await rejection(
      new WebClient(undefined, {
        slackApiUrl: fake.url,
        retryConfig: fastRetries,
        logLevel: LogLevel.ERROR,
      }).auth.test(),
    );
    expect((error as WebAPIPlatformError).data.error).toBe('not_authed');
  });

  it('opens DMs, serves conversations.info, usergroups and views', async () => {
    const web = client(fake);
    const dm = await web.conversations.open({ users: 'U0ALICE' });
    expect(dm.channel?.id).toMatch(/^D/);
    const posted = await web.chat.postMessage({ channel: 'U0ALICE', text: 'hi' });
    expect(posted.channel).toBe(dm.channel?.id);

    fake.setChannel('C0PRIV', { name: 'zone-office', isPrivate: true });
    expect((await web.conversations.info({ channel: 'C0PRIV' })).channel).toMatchObject({
      name: 'zone-office',
      is_private: true,
      is_member: true,
    });
    fake.setChannel('C0PRIV', { isMember: false });
    const notIn = await rejection(web.chat.postMessage({ channel: 'C0PRIV', text: 'x' }));
    expect((notIn as WebAPIPlatformError).data.error).toBe('not_in_channel');

    fake.setUsergroup('S0LEADS', ['U0ALICE', 'U0BOB']);
    expect((await web.usergroups.users.list({ usergroup: 'S0LEADS' })).users).toEqual(['U0ALICE', 'U0BOB']);

    const home = await web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [] } });
    expect(home.view?.id).toMatch(/^V/);
    expect(fake.callsTo('views.publish')[0]?.args.view).toEqual({ type: 'home', blocks: [] });
    const longTitle = await rejection(
      web.views.open({
        trigger_id: '1.2.abc',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: '这是一个超过二十四个字符长度限制的模态窗口标题文字' },
          blocks: [],
        },
      }),
    );
    expect((longTitle as WebAPIPlatformError).data.error).toBe('invalid_arguments');
  });

  it('accepts file uploads through files.uploadV2 and records the bytes', async () => {
    const web = client(fake);
    const content = 'target,owner\n招商引资,U0ALICE\n';
    const result = await web.filesUploadV2({
      channel_id: 'C0TARGETS',
      filename: 'targets.csv',
      content,
      title: '目标',
    });
    expect(result.ok).toBe(true);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.bytes.toString('utf8')).toBe(content);
    const fileId = fake.uploads[0]?.fileId ?? '';
    const complete = fake.callsTo('files.completeUploadExternal')[0];
    expect(complete?.args.files).toEqual([{ id: fileId, title: '目标' }]);
    const info = await web.files.info({ file: fileId });
    expect(info.file).toMatchObject({
      id: fileId,
      name: 'targets.csv',
      title: '目标',
      size: Buffer.byteLength(content),
    });
  });

  it('records POSTs to response URLs and lets tests wait for them', async () => {
    const url = fake.responseUrl('cmd-1');
    const waiting = fake.waitFor((item): item is ResponsePost => item.kind === 'response' && item.id === 'cmd-1');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: '已记录' }),
    });
    expect(res.status).toBe(200);
    const post = await waiting;
    expect(post.body).toEqual({ response_type: 'ephemeral', text: '已记录' });
    expect(fake.responsesTo('cmd-1')).toHaveLength(1);

    fake.failNext('response_url', { ok: false, error: 'expired_url' });
    const expired = await fetch(fake.responseUrl(), {
      method: 'POST',
      body: JSON.stringify({ text: 'late' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(expired.status).toBe(404);
  });

  it('waitFor rejects with a listing of what was recorded', async () => {
    await client(fake).chat.postMessage({ channel: 'C0LISTED', text: 'visible in the report' });
    const error = await rejection(fake.waitFor('chat.delete', 50));
    expect(error.message).toContain('timed out after 50ms waiting for API call to chat.delete');
    expect(error.message).toContain('chat.postMessage');
    expect(error.message).toContain('visible in the report');
  });

  it('waitFor resolves on a call that arrives later, and waitForCount counts ok calls', async () => {
    const web = client(fake);
    const waiting = fake.waitFor('reactions.add');
    await web.reactions.add({ channel: 'C1', timestamp: '1764300000.000100', name: 'white_check_mark' });
    const call: ApiCall = await waiting;
    expect(call.args).toMatchObject({ name: 'white_check_mark' });
    const again = await rejection(
      web.reactions.add({ channel: 'C1', timestamp: '1764300000.000100', name: 'white_check_mark' }),
    );
    expect((again as WebAPIPlatformError).data.error).toBe('already_reacted');

    const counted = fake.waitForCount('chat.postMessage', 2);
    await web.chat.postMessage({ channel: 'C1', text: 'a' });
    await web.chat.postMessage({ channel: 'C2', text: 'b' });
    expect((await counted).map((c) => c.args.text)).toEqual(['a', 'b']);
  });
});

describe('fake Slack channel membership, as Slack has it', () => {
  let fake: FakeSlack;
  const platformError = async (promise: Promise<unknown>) => (await rejection(promise)) as WebAPIPlatformError;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it('has the bot in channels a test sets up, unless the test says otherwise', async () => {
    fake.setChannel('C0ZONE', { members: ['U0ALICE'] });
    expect(fake.isMember('C0ZONE')).toBe(true);
    expect(fake.isMember('C0ZONE', 'U0ALICE')).toBe(true);
    expect(fake.isMember('C0ZONE', 'U0BOB')).toBe(false);
    expect(fake.isMember('C0NEVERSET')).toBe(true);
    expect((await client(fake).conversations.members({ channel: 'C0ZONE' })).members).toEqual([
      FAKE_BOT_USER_ID,
      'U0ALICE',
    ]);
    fake.setChannel('C0GONE', { missing: true });
    expect(fake.isMember('C0GONE')).toBe(false);
  });

  it('joins a public channel the bot is not in, and says so when it already was', async () => {
    const web = client(fake);
    fake.setChannel('C0PUBLIC', { name: 'zjj', isMember: false, members: ['U0ALICE'] });
    expect((await web.conversations.info({ channel: 'C0PUBLIC' })).channel).toMatchObject({
      is_member: false,
      is_private: false,
    });
    const joined = await web.conversations.join({ channel: 'C0PUBLIC' });
    expect(joined.channel).toMatchObject({ id: 'C0PUBLIC', is_member: true });
    expect(joined.warning).toBeUndefined();
    expect(fake.isMember('C0PUBLIC')).toBe(true);
    expect((await web.conversations.members({ channel: 'C0PUBLIC' })).members).toEqual([FAKE_BOT_USER_ID, 'U0ALICE']);
    expect((await web.conversations.join({ channel: 'C0PUBLIC' })).warning).toBe('already_in_channel');
  });

  it("refuses to join private, archived and missing channels with Slack's errors", async () => {
    const web = client(fake);
    fake.setChannel('C0PRIVATE', { isPrivate: true, isMember: false });
    fake.setChannel('C0ARCHIVED', { isArchived: true, isMember: false });
    fake.setChannel('C0GONE', { missing: true });
    expect((await platformError(web.conversations.join({ channel: 'C0PRIVATE' }))).data.error).toBe(
      'method_not_supported_for_channel_type',
    );
    expect((await platformError(web.conversations.join({ channel: 'G0PRIVATE1' }))).data.error).toBe(
      'method_not_supported_for_channel_type',
    );
    expect((await platformError(web.conversations.join({ channel: 'C0ARCHIVED' }))).data.error).toBe('is_archived');
    expect((await platformError(web.conversations.join({ channel: 'C0GONE' }))).data.error).toBe('channel_not_found');
    expect(fake.isMember('C0PRIVATE')).toBe(false);
    expect(fake.isMember('C0ARCHIVED')).toBe(false);
  });

  it('hides a private channel from a bot outside it, and lets it in once invited', async () => {
    const web = client(fake);
    fake.setChannel('C0PRIVATE', { isPrivate: true, isMember: false });
    expect((await platformError(web.conversations.info({ channel: 'C0PRIVATE' }))).data.error).toBe(
      'channel_not_found',
    );
    expect((await platformError(web.conversations.members({ channel: 'C0PRIVATE' }))).data.error).toBe(
      'channel_not_found',
    );
    expect((await platformError(web.chat.postMessage({ channel: 'C0PRIVATE', text: 'x' }))).data.error).toBe(
      'not_in_channel',
    );
    fake.setChannel('C0PRIVATE', { isMember: true });
    expect((await web.conversations.info({ channel: 'C0PRIVATE' })).channel).toMatchObject({
      is_private: true,
      is_member: true,
    });
    expect((await web.chat.postMessage({ channel: 'C0PRIVATE', text: 'x' })).ok).toBe(true);
  });

  it('posts to a public channel the bot is not in only with chat:write.public, and joins only with channels:join', async () => {
    const scoped = await startFakeSlack({ scopes: ['chat:write', 'channels:read'] });
    try {
      const web = client(scoped);
      scoped.setChannel('C0PUBLIC', { isMember: false });
      expect((await platformError(web.chat.postMessage({ channel: 'C0PUBLIC', text: 'x' }))).data.error).toBe(
        'not_in_channel',
      );
      const join = await platformError(web.conversations.join({ channel: 'C0PUBLIC' }));
      expect(join.data).toMatchObject({ error: 'missing_scope', needed: 'channels:join' });
      expect((await web.conversations.info({ channel: 'C0PUBLIC' })).channel).toMatchObject({ is_member: false });
      scoped.setChannel('G0PRIVATE1', {});
      expect((await platformError(web.conversations.info({ channel: 'G0PRIVATE1' }))).data).toMatchObject({
        error: 'missing_scope',
        needed: 'groups:read',
      });
    } finally {
      await scoped.close();
    }
    fake.setChannel('C0PUBLIC', { isMember: false });
    expect((await client(fake).chat.postMessage({ channel: 'C0PUBLIC', text: 'x' })).ok).toBe(true);
    expect(fake.isMember('C0PUBLIC')).toBe(false);
  });
});

describe('fake Slack per-channel rate limit', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ perChannelRateLimit: { perSecond: 1 } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('answers 429 with Retry-After when a channel exceeds its rate, per channel', async () => {
    const post = (channel: string) =>
      fetch(`${fake.url}chat.postMessage`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel, text: 'x' }).toString(),
      });
    expect((await post('C0BUSY')).status).toBe(200);
    const limited = await post('C0BUSY');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await post('C0QUIET')).status).toBe(200);
  });
});

describe('real Bolt app against the fake and signed requests', () => {
  let fake: FakeSlack;
  let app: App;
  let slack: SlackClient;
  let baseUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: TOKEN,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: fastRetries },
    });
    app.command('/targets', async ({ command, ack, respond, client: web }) => {
      seen.push(`command:${command.text}`);
      await ack();
      await respond({ response_type: 'ephemeral', text: `收到: ${command.text}` });
      await web.chat.postMessage({ channel: command.channel_id, text: `${command.user_id} 查询了目标` });
    });
    app.event('app_mention', async ({ event, say }) => {
      seen.push(`mention:${event.text}`);
      await say({ text: 'pong', thread_ts: event.ts });
    });
    app.action('done', async ({ ack, respond, body }) => {
      await ack();
      seen.push(`action:${body.user.id}`);
      await respond({ replace_original: true, text: '已完成' });
    });
    app.view('report', async ({ ack, view }) => {
      const value = view.state.values.progress?.amount?.value;
      seen.push(`view:${value ?? ''}:${view.private_metadata}`);
      await ack();
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    slack = new SlackClient({ baseUrl, secret: SECRET });
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });
  afterEach(() => {
    seen.length = 0;
  });

  it('verified its token with auth.test on the fake', async () => {
    const call = await fake.waitFor('auth.test');
    expect(call.token).toBe(TOKEN);
  });

  it('accepts a signed slash command and its replies reach the fake', async () => {
    const responseUrl = fake.responseUrl('targets-1');
    const res = await slack.command({
      command: '/targets',
      text: '招商 2025',
      userId: 'U0ALICE',
      channelId: 'C0ZONE',
      responseUrl,
    });
    expect(res.status).toBe(200);

    const reply = await fake.waitFor(
      (item): item is ResponsePost => item.kind === 'response' && item.id === 'targets-1',
    );
    expect(reply.body).toEqual({ response_type: 'ephemeral', text: '收到: 招商 2025' });
    const post = await fake.waitFor('chat.postMessage');
    expect(post.args).toMatchObject({ channel: 'C0ZONE', text: 'U0ALICE 查询了目标' });
    expect(post.token).toBe(TOKEN);
    expect(seen).toEqual(['command:招商 2025']);
  });

  it('rejects a bad signature with 401 without running the handler', async () => {
    const req = slashCommand({
      command: '/targets',
      text: 'x',
      userId: 'U0ALICE',
      channelId: 'C0ZONE',
      responseUrl: fake.responseUrl(),
    });
    const wrongSecret = await signedPost(slack.endpoint, 'not-the-secret', req.body, req.contentType);
    expect(wrongSecret.status).toBe(401);
    const forged = await slack.send(req, { signature: 'v0=deadbeef' });
    expect(forged.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('rejects a correctly signed request older than 5 minutes with 401', async () => {
    const req = slashCommand({
      command: '/targets',
      text: 'x',
      userId: 'U0ALICE',
      channelId: 'C0ZONE',
      responseUrl: fake.responseUrl(),
    });
    const timestamp = Math.floor(Date.now() / 1000) - 6 * 60;
    const signature = signSlackRequest(SECRET, timestamp, req.body);
    const stale = await signedPost(slack.endpoint, SECRET, req.body, req.contentType, { timestamp, signature });
    expect(stale.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('answers url_verification and delivers events, actions and view submissions', async () => {
    const challenge = await slack.urlVerification('c-123');
    expect(challenge.status).toBe(200);
    expect(challenge.json()).toEqual({ challenge: 'c-123' });

    const mention = appMention({ text: 'ping', userId: 'U0ALICE', channelId: 'C0ZONE', ts: '1764300001.000200' });
    expect(mention.text).toBe(`<@${FAKE_BOT_USER_ID}> ping`);
    expect((await slack.event(mention, { headers: retryHeaders(1) })).status).toBe(200);
    const say = await fake.waitFor(
      (item) => item.kind === 'api' && item.method === 'chat.postMessage' && item.args.text === 'pong',
    );
    expect(say.kind === 'api' && say.args.thread_ts).toBe('1764300001.000200');

    const responseUrl = fake.responseUrl('action-1');
    const action = blockAction({ actionId: 'done', value: 't-1', userId: 'U0BOB', channelId: 'C0ZONE', responseUrl });
    expect((await slack.send(action)).status).toBe(200);
    expect((await fake.waitFor((i) => i.kind === 'response' && i.id === 'action-1')).kind).toBe('response');

    const submitted = await slack.view({
      callbackId: 'report',
      values: { progress: { amount: '75' } },
      userId: 'U0BOB',
      privateMetadata: '{"target":"t-1"}',
    });
    expect(submitted.status).toBe(200);
    expect(seen).toEqual([`mention:<@${FAKE_BOT_USER_ID}> ping`, 'action:U0BOB', 'view:75:{"target":"t-1"}']);
    expect(viewSubmission({ callbackId: 'x', values: {}, userId: 'U1' }).contentType).toBe(
      'application/x-www-form-urlencoded',
    );
  });
});
