import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { Router } from '../../src/slack/router.ts';

type Call = string;

/** Runs the router's middleware on a hand-made payload; returns what ran, in order, and whether it passed the request on. */
async function route(router: Router, payload: Record<string, unknown>): Promise<{ passed: boolean; requests: number }> {
  let passed = false;
  let requests = 0;
  const args = { ...payload, next: async () => void (passed = true) } as unknown as AnyMiddlewareArgs &
    AllMiddlewareArgs;
  await router.middleware(() => void requests++)(args as never);
  return { passed, requests };
}

const command = (name: string, text = '') => ({
  command: { command: name, text },
  body: { command: name, text },
  ack: async () => undefined,
});
const event = (type: string) => ({ event: { type }, body: { type: 'event_callback', event: { type } } });
const action = (a: Record<string, string>) => ({
  action: a,
  body: { type: 'block_actions' },
  ack: async () => undefined,
});
const options = (actionId: string, type = 'block_suggestion') => ({
  options: { action_id: actionId },
  body: { type },
  ack: async () => undefined,
});
const view = (callbackId: string, type = 'view_submission') => ({
  view: { callback_id: callbackId },
  body: { type },
  ack: async () => undefined,
});
const shortcut = (callbackId: string) => ({
  shortcut: { callback_id: callbackId },
  body: { type: 'shortcut' },
  ack: async () => undefined,
});

function recording() {
  const calls: Call[] = [];
  const router = new Router();
  const note = (name: string) => async () => void calls.push(name);
  return { calls, router, note };
}

describe('Router', () => {
  it('gives a command to the first handler that claims it, and passes on one nobody claims', async () => {
    const { calls, router, note } = recording();
    router.command((c) => c.command === '/duban' && c.text.startsWith('export'), note('export'));
    router.command((c) => c.command !== '/other', note('catch-all'));
    for (const [name, text, expected, passed] of [
      ['/duban', 'export ledger', ['export'], false],
      ['/duban', 'status', ['catch-all'], false],
      ['/targets', '', ['catch-all'], false],
      ['/other', '', [], true],
    ] as const) {
      calls.length = 0;
      const r = await route(router, command(name, text));
      expect({ name, text, calls, passed: r.passed }).toEqual({ name, text, calls: expected, passed });
    }
  });

  it('runs every handler of an event type, and passes on types nobody handles', async () => {
    const { calls, router, note } = recording();
    router.event('message', note('files'));
    router.event('message', note('threads'));
    router.event('app_mention', note('mention'));
    expect((await route(router, event('message'))).passed).toBe(false);
    expect(calls).toEqual(['files', 'threads']);
    calls.length = 0;
    expect((await route(router, event('reaction_added'))).passed).toBe(true);
    expect(calls).toEqual([]);
  });

  it('lets the other handlers of an event finish when one fails, then reports the failure', async () => {
    const { calls, router, note } = recording();
    router.event('message', async () => {
      throw new Error('boom');
    });
    router.event('message', note('threads'));
    await expect(route(router, event('message'))).rejects.toThrow('boom');
    expect(calls).toEqual(['threads']);
    router.event('message', async () => {
      throw new Error('bang');
    });
    await expect(route(router, event('message'))).rejects.toThrow(AggregateError);
  });

  it('matches buttons by exact id before patterns registered later, and legacy payloads by callback_id', async () => {
    const { calls, router, note } = recording();
    router.action('import.apply', note('apply'));
    router.action(/^duban\./, note('duban'));
    for (const [payload, expected, passed] of [
      [{ action_id: 'import.apply' }, ['apply'], false],
      [{ action_id: 'duban.page.next' }, ['duban'], false],
      [{ callback_id: 'duban.legacy' }, ['duban'], false],
      [{ action_id: 'someone.else' }, [], true],
    ] as const) {
      calls.length = 0;
      const r = await route(router, action(payload as Record<string, string>));
      expect({ payload, calls, passed: r.passed }).toEqual({ payload, calls: expected, passed });
    }
  });

  it('routes option searches of block menus and modal submissions only', async () => {
    const { calls, router, note } = recording();
    router.options('item', note('items'));
    router.options(/.*/, note('no options'));
    router.view('progress', note('progress form'));
    router.view(/.*/, note('other form'));
    router.shortcut(/.*/, note('shortcut'));
    for (const [payload, expected, passed] of [
      [options('item'), ['items'], false],
      [options('department'), ['no options'], false],
      [options('item', 'dialog_suggestion'), [], true],
      [view('progress'), ['progress form'], false],
      [view('snooze'), ['other form'], false],
      [view('progress', 'view_closed'), [], true],
      [shortcut('anything'), ['shortcut'], false],
    ] as const) {
      calls.length = 0;
      const r = await route(router, payload);
      expect({ payload: payload.body.type, calls, passed: r.passed }).toEqual({
        payload: payload.body.type,
        calls: expected,
        passed,
      });
    }
  });

  it('answers what no route takes with its otherwise handler, whatever the order of registration', async () => {
    const { calls, router, note } = recording();
    router.otherwise('action', note('stale button'));
    router.otherwise('view', note('stale form'));
    router.otherwise('options', note('no options'));
    router.otherwise('shortcut', note('stale shortcut'));
    // Registered after the fallbacks: still found by id first.
    router.action('duban.sign', note('sign'));
    router.view('duban.assign.form', note('assign form'));
    router.shortcut('duban.assign.message', note('assign shortcut'));
    for (const [payload, expected] of [
      [action({ action_id: 'duban.sign' }), ['sign']],
      [action({ action_id: 'duban.retired' }), ['stale button']],
      [view('duban.assign.form'), ['assign form']],
      [view('duban.retired'), ['stale form']],
      [options('department'), ['no options']],
      [shortcut('duban.assign.message'), ['assign shortcut']],
      [shortcut('duban.retired'), ['stale shortcut']],
    ] as const) {
      calls.length = 0;
      const r = await route(router, payload);
      expect({ calls, passed: r.passed }).toEqual({ calls: expected, passed: false });
    }
  });

  it('counts every request as it arrives, routed or not', async () => {
    const { router, note } = recording();
    router.command(() => true, note('any'));
    let total = 0;
    for (const payload of [command('/targets'), event('team_join'), view('x', 'view_closed')])
      total += (await route(router, payload)).requests;
    expect(total).toBe(3);
  });
});
