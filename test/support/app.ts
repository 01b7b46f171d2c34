/**
 * Starts the real duban Slack app in HTTP mode on a free port, against the fake Web API, with an
 * injected clock and a store (the bundled seed by default). Tests talk to it with SlackClient.
 */
import { Writable } from 'node:stream';
import type { Config } from '../../src/config.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { loadDemoModel, DEFAULT_SEED } from '../../src/main.ts';
import { startSlackApp, type RunningApp } from '../../src/slack/app.ts';
import { startFakeSlack, type FakeSlack } from './fake-slack.ts';
import { SlackClient } from './slack-requests.ts';

export const SIGNING_SECRET = 'testsigningsecret0123456789abcd';
export const BOT_TOKEN = 'xoxb-test-0000-duban';
/** A Saturday late in the seed year, at 10:00 in Shanghai. */
export const SEED_NOW = new Date('2026-11-28T10:00:00+08:00');

export type TestApp = {
  fake: FakeSlack;
  slack: SlackClient;
  running: RunningApp;
  baseUrl: string;
  logs: string[];
  /** Replace the model the app reads (as a store write would). */
  setModel(model: ReadModel): void;
  setNow(now: Date): void;
  close(): Promise<void>;
};

export async function seedModel(): Promise<ReadModel> {
  return loadDemoModel(DEFAULT_SEED, 'Asia/Shanghai');
}

export async function startTestApp(options: { model?: ReadModel; now?: Date; locale?: Locale; fake?: FakeSlack; modelFn?: () => ReadModel } = {}): Promise<TestApp> {
  const fake = options.fake ?? (await startFakeSlack());
  let model = options.model ?? (await seedModel());
  let now = options.now ?? SEED_NOW;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger: Logger = createLogger('debug', sink);
  const config: Config = {
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.url },
    mode: 'http',
    port: 0,
    dataFile: '(memory)',
    locale: options.locale ?? 'zh-CN',
    timeZone: 'Asia/Shanghai',
    logLevel: 'debug',
  };
  const running = await startSlackApp(config, {
    model: options.modelFn ?? (() => model),
    clock: () => now,
    timeZone: 'Asia/Shanghai',
    defaultLocale: config.locale,
    logger,
  });
  const baseUrl = `http://127.0.0.1:${running.port}`;
  return {
    fake,
    slack: new SlackClient({ baseUrl, secret: SIGNING_SECRET }),
    running,
    baseUrl,
    logs,
    setModel: (m) => (model = m),
    setNow: (n) => (now = n),
    async close() {
      await running.stop();
      if (!options.fake) await fake.close();
    },
  };
}
