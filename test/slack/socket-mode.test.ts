/**
 * Socket Mode (SLACK_MODE=socket), end to end: the real app opens its connection through the fake Web API's
 * apps.connections.open, receives envelopes over a WebSocket as Slack sends them, acknowledges each one, and
 * answers through the Web API and response_urls exactly as in HTTP mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText, type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.ts';
import { appMention, blockAction, eventCallback, slashCommand } from '../support/slack-requests.ts';
import { CHANNEL, freshId, ZH_USER } from './helpers.ts';

let socket: FakeSocketMode;
let fake: FakeSlack;
let t: TestApp;

beforeAll(async () => {
  socket = await startFakeSocketMode();
  fake = await startFakeSlack({ socketModeUrl: () => socket.url() });
  fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t = await startTestApp({ fake, model: await seedModel(), socketMode: { appToken: 'xapp-1-A0FAKEAPP1-0000-test' } });
  await socket.connected();
});
afterAll(async () => {
  await t.close();
  await fake.close();
  await socket.close();
});

let envelopes = 0;
const envelopeId = () => `env-${++envelopes}`;

describe('Socket Mode', () => {
  it('opened its connection with the app-level token through apps.connections.open', () => {
    const opened = fake.callsTo('apps.connections.open');
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened[0]!.ok).toBe(true);
  });

  it('serves GET /healthz on PORT for whoever runs it, and nothing else there', async () => {
    const health = await fetch(`http://127.0.0.1:${t.running.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'socket' });
    const other = await fetch(`http://127.0.0.1:${t.running.port}/slack/events`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
  });

  it('acknowledges a slash command at once and posts the answer in the channel', async () => {
    const id = envelopeId();
    const { data } = slashCommand({
      command: '/targets',
      text: '住建局',
      userId: ZH_USER,
      channelId: CHANNEL,
      responseUrl: fake.responseUrl(freshId('sock')),
    });
    const sent = socket.send({
      envelope_id: id,
      type: 'slash_commands',
      payload: data as unknown as Record<string, unknown>,
      accepts_response_payload: true,
    });
    const ack = await socket.ackOf(id);
    expect(ack.at - sent).toBeLessThan(3000);
    const post = await fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === CHANNEL &&
        allText(r.args).includes('住建局'),
    );
    expect(post.ok).toBe(true);
  });

  it('answers an @mention in its thread, once, even when Slack delivers the event again', async () => {
    const event = appMention({ text: '谁落后了？', userId: ZH_USER, channelId: CHANNEL });
    const eventId = freshId('Ev');
    const { data } = eventCallback(event, { eventId });
    const first = envelopeId();
    socket.send({
      envelope_id: first,
      type: 'events_api',
      payload: data as unknown as Record<string, unknown>,
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    await socket.ackOf(first);
    const inThread = (r: { kind: string; method?: string; args?: Record<string, unknown> }) =>
      r.kind === 'api' && r.method === 'chat.postMessage' && r.args?.thread_ts === event.ts;
    await fake.waitFor((r): r is ApiCall => inThread(r));
    const again = envelopeId();
    socket.send({
      envelope_id: again,
      type: 'events_api',
      payload: data as unknown as Record<string, unknown>,
      accepts_response_payload: false,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    await socket.ackOf(again);
    // A command answered after the redelivery shows the app has processed it.
    const probe = envelopeId();
    const { data: help } = slashCommand({
      command: '/duban',
      text: 'help',
      userId: ZH_USER,
      channelId: CHANNEL,
      responseUrl: fake.responseUrl(freshId('probe')),
    });
    socket.send({
      envelope_id: probe,
      type: 'slash_commands',
      payload: help as unknown as Record<string, unknown>,
      accepts_response_payload: true,
    });
    await socket.ackOf(probe);
    await fake.waitFor((r) => r.kind === 'response' && r.id.startsWith('probe'));
    expect(fake.calls.filter(inThread)).toHaveLength(1);
  });

  it('acknowledges a button of an old message and says it has expired', async () => {
    const id = envelopeId();
    const responseId = freshId('expired');
    const { data } = blockAction({
      actionId: 'gone.button',
      value: 'x',
      userId: ZH_USER,
      channelId: CHANNEL,
      responseUrl: fake.responseUrl(responseId),
    });
    socket.send({
      envelope_id: id,
      type: 'interactive',
      payload: data as unknown as Record<string, unknown>,
      accepts_response_payload: false,
    });
    await socket.ackOf(id);
    const answer = await fake.waitFor((r) => r.kind === 'response' && r.id === responseId);
    expect(allText((answer as { body: unknown }).body)).toContain('已失效');
  });
});
