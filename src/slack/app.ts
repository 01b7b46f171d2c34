/** The only place Bolt's App is built: HTTP or Socket Mode, listeners registered, /healthz. */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import type { Assistant } from '../../commands/llm-port.ts';
import type { ChartPort } from '../charts/port.ts';
import { createChartRenderer } from '../charts/renderer.ts';
import type { Config } from '../config.ts';
import { chineseCalendarData } from '../scheduler/holidays.ts';
import { createScheduler, type Scheduler, schedulerPort } from '../scheduler/scheduler.ts';
import { createAdminResolver } from './admins.ts';
import { createAnswerQueue } from './answers.ts';
import { type ListenerDeps, readContext, type SlackDeps } from './context.ts';
import { errorReporter, registerErrorHandler } from './errors.ts';
import { registerAssign } from './listeners/assign.ts';
import { registerCommands } from './listeners/commands.ts';
import { createDocumentPoster, registerDocuments } from './listeners/documents.ts';
import { registerEvents } from './listeners/events.ts';
import { registerExtension } from './listeners/extension.ts';
import { registerFiles } from './listeners/files.ts';
import { registerIntake } from './listeners/intake.ts';
import { registerInteractions } from './listeners/interactions.ts';
import { registerMessages } from './listeners/messages.ts';
import { registerPublishing } from './listeners/publishing.ts';
import { registerSubTasks } from './listeners/subtasks.ts';
import { createLocaleResolver } from './locale.ts';
import { boltLogger } from './logger.ts';
import { createChannelMembership, registerMembershipEvents } from './membership.ts';
import { createMessenger } from './messenger.ts';
import { refuseOutsideRequestWindow } from './request-window.ts';
import { Router } from './router.ts';

/** The model's health for /healthz: configured, on, circuit state; never the key or the text. */
function llmHealth(assistant: Assistant) {
  const s = assistant.status();
  return s.configured
    ? {
        configured: true,
        enabled: assistant.enabled(),
        model: s.model,
        circuit: s.breaker.state,
        calls: s.calls,
        failures: s.failures,
      }
    : { configured: false };
}

export type RunningApp = {
  app: App;
  /** The scheduled chasing; started by the caller (main.ts) when enabled. */
  scheduler: Scheduler;
  /** The HTTP port actually bound: Slack's requests and /healthz (HTTP mode), or /healthz alone (Socket Mode). */
  port?: number;
  stop(): Promise<void>;
};

export function createSlackApp(
  config: Config,
  deps: SlackDeps,
): {
  app: App;
  ready: () => void;
  scheduler: Scheduler;
  healthz: (req: IncomingMessage, res: ServerResponse) => void;
  charts: ChartPort;
} {
  let isReady = false;
  const startedAt = deps.clock().getTime();
  const clientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
  };
  const common = {
    token: config.slack.botToken!,
    logger: boltLogger(deps.logger),
    extendedErrorHandler: true,
    clientOptions,
  };
  /** GET /healthz: 200 with a small JSON status once ready, 503 before. */
  const healthz = (_req: IncomingMessage, res: ServerResponse) => {
    const model = deps.store.model();
    const database = deps.storeStatus?.();
    const up = isReady && database?.connected !== false;
    const body = {
      status: !isReady ? 'starting' : up ? 'ok' : 'database unavailable',
      mode: config.mode,
      revision: model.revision,
      departments: model.db.departments.length,
      items: model.db.targets.length + model.db.projects.length + model.db.commitments.length,
      uptimeSeconds: Math.round((deps.clock().getTime() - startedAt) / 1000),
      ...(deps.assistant ? { llm: llmHealth(deps.assistant) } : {}),
      ...(database ? { database } : {}),
    };
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const httpReceiver = (): HTTPReceiver => {
    const receiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret!,
      port: config.port,
      logger: common.logger,
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: healthz }],
    });
    // Bolt refuses only old timestamps; this refuses those too far ahead as well.
    receiver.requestListener = refuseOutsideRequestWindow(receiver.requestListener, {
      nowMs: deps.requestClock ?? Date.now,
      logger: deps.logger,
    });
    return receiver;
  };
  const app =
    config.mode === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          appToken: config.slack.appToken!,
          ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
        })
      : new App({ ...common, receiver: httpReceiver() });

  const admins = createAdminResolver(
    app.client,
    deps.adminUserIds ?? [],
    deps.adminUsergroupId,
    deps.clock,
    deps.logger,
  );
  const channels = createChannelMembership(app.client, deps.clock, deps.logger);
  const overrides = deps.schedule?.overrides ?? {};
  const calendarData = deps.schedule?.calendarData ?? chineseCalendarData();
  const charts = deps.charts ?? createChartRenderer();
  const documents = createDocumentPoster(app.client, { ...deps, calendarData, channels });
  const scheduler = createScheduler({
    store: deps.store,
    messenger: createMessenger(app.client, deps.schedule?.pacing ?? {}),
    clock: deps.clock,
    timeZone: deps.timeZone,
    locale: deps.defaultLocale,
    logger: deps.logger,
    calendarData,
    admins: () => admins.all(),
    channels,
    overrides,
    documents,
    charts,
    ...(deps.assistant ? { assistant: deps.assistant } : {}),
  });
  const port = schedulerPort(scheduler, {
    store: deps.store,
    calendarData,
    enabled: deps.schedule?.enabled ?? false,
    overrides,
  });
  let reportError: ListenerDeps['reportError'] = async () => undefined;
  const answers = createAnswerQueue();
  const listenerDeps: ListenerDeps = {
    ...deps,
    charts,
    answers,
    reportError: (args) => reportError(args),
    locale: createLocaleResolver(app.client, deps.defaultLocale, deps.clock, deps.logger),
    admins,
    readContext: (userId, locale) => readContext(deps, userId, locale),
    context: async (userId, locale) => ({
      ...readContext(deps, userId, locale),
      userId,
      now: deps.clock(),
      isAdmin: await admins.isAdmin(userId),
      store: deps.store,
      scheduler: port,
      channels,
    }),
  };
  const router = new Router();
  // Each handler is found by its id; what no handler takes goes to the router's `otherwise` (interactions.ts).
  const imports = registerFiles(router, listenerDeps);
  registerIntake(router, listenerDeps, imports);
  registerCommands(router, listenerDeps);
  registerEvents(router, listenerDeps);
  registerMessages(router, listenerDeps);
  registerAssign(router, listenerDeps);
  registerPublishing(router, listenerDeps);
  registerExtension(router, listenerDeps);
  registerDocuments(router, listenerDeps, documents);
  registerSubTasks(router, listenerDeps);
  registerInteractions(router, listenerDeps);
  registerMembershipEvents(router, channels);
  // Every request counts as intake, so deferred answers yield to a burst of them.
  app.use(router.middleware(() => answers.noteArrival()));
  registerErrorHandler(app, listenerDeps);
  reportError = errorReporter(app, listenerDeps);
  return { app, ready: () => (isReady = true), scheduler, healthz, charts };
}

/**
 * Socket Mode needs no inbound port for Slack, but whoever runs duban still wants a health check:
 * /healthz alone, on PORT.
 */
async function startHealthServer(
  port: number,
  healthz: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/healthz') return healthz(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found: in Socket Mode duban serves only GET /healthz here.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export async function startSlackApp(config: Config, deps: SlackDeps): Promise<RunningApp> {
  const { app, ready, scheduler, healthz, charts } = createSlackApp(config, deps);
  // Bound before connecting, so a port already in use stops start-up with its own error.
  const health = config.mode === 'socket' ? await startHealthServer(config.port, healthz) : undefined;
  let started: unknown;
  try {
    started = (await app.start(config.port)) as unknown;
  } catch (e) {
    health?.close();
    throw e;
  }
  ready();
  const server = health ?? (started as Server);
  const address = server.address() as AddressInfo | null;
  return {
    app,
    scheduler,
    ...(address ? { port: address.port } : {}),
    stop: async () => {
      await scheduler.stop();
      await (app.stop() as Promise<void>);
      await charts.close();
      if (health) await new Promise<void>((resolve) => health.close(() => resolve()));
    },
  };
}
