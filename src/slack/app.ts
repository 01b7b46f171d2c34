/** The only place Bolt's App is built: HTTP or Socket Mode, listeners registered, /healthz. */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, webApi } from '@slack/bolt';
import type { Assistant } from '../../commands/llm-port.ts';
import type { ChartPort } from '../charts/port.ts';
import { createChartRenderer } from '../charts/renderer.ts';
import type { Config } from '../config.ts';
import type { JournalEvent } from '../domain/journal.ts';
import type { WritePort } from '../domain/ports.ts';
import { chineseCalendarData } from '../scheduler/holidays.ts';
import { singleInstance } from '../scheduler/leadership.ts';
import { createScheduler, type Scheduler, schedulerPort } from '../scheduler/scheduler.ts';
import { type ZoneInstallations, zoneIdOf } from '../zones/installations.ts';
import { createAdminResolver } from './admins.ts';
import { createAnswerQueue } from './answers.ts';
import { type ListenerDeps, readContext, type SlackDeps } from './context.ts';
import { errorReporter, registerErrorHandler } from './errors.ts';
import { createHomePublisher, type HomePublisher, watchWrites } from './home-refresh.ts';
import { registerAssign } from './listeners/assign.ts';
import { registerCharts } from './listeners/charts.ts';
import { registerCommands } from './listeners/commands.ts';
import { createDocumentPoster, registerDocuments } from './listeners/documents.ts';
import { registerEvents } from './listeners/events.ts';
import { registerExtension } from './listeners/extension.ts';
import { registerFiles } from './listeners/files.ts';
import { registerHome } from './listeners/home.ts';
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
import { BOT_SCOPES } from './scopes.ts';

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
  /** A zone's runtime: in multi-workspace mode each installed workspace's, opened on first use. */
  zone(id: string): Promise<ZoneRuntime>;
  zones(): ZoneRuntime[];
  /** The HTTP port actually bound: Slack's requests and /healthz (HTTP mode), or /healthz alone (Socket Mode). */
  port?: number;
  stop(): Promise<void>;
};

/**
 * Many workspaces (Slack's OAuth distribution): each installed workspace is a zone with its own store,
 * members, schedule and calendar. Without it, duban serves the one workspace of SLACK_BOT_TOKEN.
 */
export type AppZones = {
  installations: ZoneInstallations;
  /** A zone's store and model, opened on first use (the embedded store's folder, or its rows in Postgres). */
  open(zoneId: string): Promise<{ store: WritePort; assistant?: Assistant }>;
  /** Closes a zone's store when its workspace uninstalls duban (its data stays; a new install opens it again). */
  release?(zoneId: string): Promise<void>;
};

/** Slack's word that a workspace removed duban: app_uninstalled, or tokens_revoked naming bot tokens. */
function isUninstall(body: unknown): boolean {
  const event = (body as { event?: { type?: unknown; tokens?: { bot?: unknown } } } | undefined)?.event;
  if (event?.type === 'app_uninstalled') return true;
  return event?.type === 'tokens_revoked' && Array.isArray(event.tokens?.bot) && event.tokens.bot.length > 0;
}

export type AppDeps =
  | (SlackDeps & { zones?: undefined })
  | (Omit<SlackDeps, 'store' | 'assistant'> & { zones: AppZones; store?: undefined; assistant?: undefined });

/** One zone's listeners, scheduler and services: everything that reads or writes its data or speaks for it. */
export type ZoneRuntime = {
  id: string;
  router: Router;
  scheduler: Scheduler;
  /** App Home: published on opening, refreshed after every write to the zone. */
  home: HomePublisher;
  /** The zone's router as a Bolt middleware (each request counts as intake for the answer queue). */
  dispatch: ReturnType<Router['middleware']>;
  deps: ListenerDeps;
  client: webApi.WebClient;
};

/** The zone of a single-workspace duban (SLACK_BOT_TOKEN). */
export const DEFAULT_ZONE = 'default';

export function createSlackApp(
  config: Config,
  deps: AppDeps,
): {
  app: App;
  ready: () => void;
  /** The single workspace's scheduler; in multi-workspace mode, see `zone(id)`. */
  scheduler: Scheduler;
  healthz: (req: IncomingMessage, res: ServerResponse) => void;
  charts: ChartPort;
  /** A zone's runtime (multi-workspace mode: opened on first use). */
  zone(id: string): Promise<ZoneRuntime>;
  /** The zones opened so far. */
  zones(): ZoneRuntime[];
} {
  let isReady = false;
  const startedAt = deps.clock().getTime();
  const clientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
  };
  const oauth = deps.zones && config.slack.oauth ? { zones: deps.zones, ...config.slack.oauth } : undefined;
  const common = {
    ...(oauth ? {} : { token: config.slack.botToken! }),
    logger: boltLogger(deps.logger),
    extendedErrorHandler: true,
    clientOptions,
  };
  const runtimes = new Map<string, Promise<ZoneRuntime>>();
  const opened: ZoneRuntime[] = [];
  // Which instance runs the schedule: the leader in Postgres mode; the one process the embedded store's lock allows.
  const gate = deps.schedule?.gate ?? singleInstance({ clock: deps.clock });
  /** GET /healthz: 200 with a small JSON status once ready, 503 before. */
  const healthz = (_req: IncomingMessage, res: ServerResponse) => {
    const store = deps.store?.model();
    const database = deps.storeStatus?.();
    const up = isReady && database?.connected !== false;
    const body = {
      status: !isReady ? 'starting' : up ? 'ok' : 'database unavailable',
      mode: config.mode,
      ...(store
        ? {
            revision: store.revision,
            departments: store.db.departments.length,
            items: store.db.targets.length + store.db.projects.length + store.db.commitments.length,
          }
        : { zones: opened.length }),
      uptimeSeconds: Math.round((deps.clock().getTime() - startedAt) / 1000),
      ...(deps.assistant ? { llm: llmHealth(deps.assistant) } : {}),
      ...(database ? { database } : {}),
      leadership: gate.status(),
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
      ...(oauth
        ? {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            scopes: [...BOT_SCOPES],
            installationStore: oauth.zones.installations,
            installerOptions: {
              directInstall: true,
              clientOptions,
            },
          }
        : {}),
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

  const overrides = deps.schedule?.overrides ?? {};
  const calendarData = deps.schedule?.calendarData ?? chineseCalendarData();
  const charts = deps.charts ?? createChartRenderer();
  const answers = createAnswerQueue();

  /** Builds one zone: its services speak to Slack with `client` (its bot token) and read and write `zone.store` only. */
  const buildZone = (id: string, zoneDeps: SlackDeps, client: webApi.WebClient): ZoneRuntime => {
    // Every write's events reach App Home's refresher, whoever wrote: listeners and scheduled runs alike.
    let wrote: (events: readonly JournalEvent[]) => void = () => undefined;
    const zone: SlackDeps = { ...zoneDeps, store: watchWrites(zoneDeps.store, (events) => wrote(events)) };
    const admins = createAdminResolver(client, zone.adminUserIds ?? [], zone.adminUsergroupId, zone.clock, zone.logger);
    const channels = createChannelMembership(client, zone.clock, zone.logger);
    const documents = createDocumentPoster(client, { ...zone, calendarData, channels });
    const scheduler = createScheduler({
      store: zone.store,
      messenger: createMessenger(client, zone.schedule?.pacing ?? {}),
      clock: zone.clock,
      timeZone: zone.timeZone,
      locale: zone.defaultLocale,
      logger: zone.logger,
      calendarData,
      admins: () => admins.all(),
      channels,
      overrides,
      documents,
      charts,
      ...(deps.schedule?.gate ? { gate: deps.schedule.gate } : {}),
      ...(zone.assistant ? { assistant: zone.assistant } : {}),
    });
    const port = schedulerPort(scheduler, {
      store: zone.store,
      calendarData,
      enabled: zone.schedule?.enabled ?? false,
      overrides,
    });
    let reportError: ListenerDeps['reportError'] = async () => undefined;
    const listenerDeps: ListenerDeps = {
      ...zone,
      charts,
      answers,
      reportError: (args) => reportError(args),
      locale: createLocaleResolver(client, zone.defaultLocale, zone.clock, zone.logger),
      admins,
      readContext: (userId, locale) => readContext(zone, userId, locale),
      context: async (userId, locale) => ({
        ...readContext(zone, userId, locale),
        userId,
        now: zone.clock(),
        isAdmin: await admins.isAdmin(userId),
        store: zone.store,
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
    const home = createHomePublisher(client, listenerDeps);
    wrote = (events) => home.changed(events);
    registerHome(router, home);
    registerMessages(router, listenerDeps);
    registerAssign(router, listenerDeps);
    registerPublishing(router, listenerDeps);
    registerExtension(router, listenerDeps);
    registerDocuments(router, listenerDeps, documents);
    registerSubTasks(router, listenerDeps);
    registerCharts(router, listenerDeps);
    registerInteractions(router, listenerDeps);
    registerMembershipEvents(router, channels);
    reportError = errorReporter(client, listenerDeps);
    // Every request counts as intake, so deferred answers yield to a burst of them.
    const dispatch = router.middleware(() => answers.noteArrival());
    return { id, router, scheduler, home, dispatch, deps: listenerDeps, client };
  };

  const zone = (id: string): Promise<ZoneRuntime> => {
    let runtime = runtimes.get(id);
    if (!runtime) {
      runtime = (async () => {
        if (!oauth) throw new Error(`only the ${DEFAULT_ZONE} zone exists with SLACK_BOT_TOKEN`);
        const [{ store, assistant }, token, installer] = await Promise.all([
          oauth.zones.open(id),
          oauth.zones.installations.botToken(id),
          oauth.zones.installations.installer(id),
        ]);
        const client = new webApi.WebClient(token, { ...clientOptions, logger: common.logger });
        const admins = [...(deps.adminUserIds ?? []), ...(installer ? [installer] : [])];
        const { assistant: _shared, ...rest } = deps;
        const built = buildZone(
          id,
          {
            ...rest,
            store,
            adminUserIds: admins,
            logger: deps.logger.child({ zone: id }),
            ...(assistant ? { assistant } : {}),
          },
          client,
        );
        opened.push(built);
        if (started) built.scheduler.start();
        return built;
      })();
      runtime.catch(() => runtimes.delete(id));
      runtimes.set(id, runtime);
    }
    return runtime;
  };

  let started = false;
  /** Multi-workspace mode: every installed zone's own scheduler, started together and stopped together. */
  const zonesScheduler = (): Scheduler => ({
    async tick() {
      for (const id of await oauth!.zones.installations.zoneIds()) await (await zone(id)).scheduler.tick();
    },
    runNow() {
      return Promise.reject(new Error('in multi-workspace mode, run a zone schedule through its own scheduler'));
    },
    upcoming: () => [],
    start() {
      started = true;
      for (const runtime of opened) runtime.scheduler.start();
      void oauth!.zones.installations
        .zoneIds()
        .then((ids) =>
          Promise.all(
            ids.map((id) => zone(id).catch((e) => deps.logger.error({ err: e, zone: id }, 'a zone did not open'))),
          ),
        );
    },
    async stop() {
      started = false;
      await Promise.all(opened.map((runtime) => runtime.scheduler.stop()));
    },
  });

  /** A workspace removed duban: its installation is deleted and its zone stops; its data is kept. */
  const uninstall = async (id: string, isEnterpriseInstall: boolean) => {
    await oauth!.zones.installations.deleteInstallation?.({
      isEnterpriseInstall,
      enterpriseId: isEnterpriseInstall ? id : undefined,
      teamId: isEnterpriseInstall ? undefined : id,
    });
    const runtime = await runtimes.get(id)?.catch(() => undefined);
    runtimes.delete(id);
    if (runtime) {
      opened.splice(opened.indexOf(runtime), 1);
      await runtime.scheduler.stop();
      runtime.home.close();
    }
    await oauth!.zones.release?.(id);
    deps.logger.info({ zone: id }, 'a workspace removed duban: its zone stopped, its data is kept');
  };

  let single: ZoneRuntime | undefined;
  if (oauth) {
    // The zone of each request: its workspace (or organisation), found by Bolt's authorize from the installation.
    app.use(async (args) => {
      const zoneId = zoneIdOf({
        isEnterpriseInstall: args.context.isEnterpriseInstall ?? false,
        enterpriseId: args.context.enterpriseId,
        teamId: args.context.teamId,
      });
      if (!zoneId) return args.next();
      if (isUninstall(args.body)) return uninstall(zoneId, args.context.isEnterpriseInstall ?? false);
      const runtime = await zone(zoneId);
      await runtime.dispatch(args);
    });
    app.error((async (args: { error: Error; body?: unknown; context?: { retryNum?: number } }) => {
      const body = args.body as { team_id?: string; team?: { id?: string } } | undefined;
      const zoneId = body?.team_id ?? body?.team?.id;
      const runtime = zoneId ? runtimes.get(zoneId) : undefined;
      if (runtime) return errorReporter((await runtime).client, (await runtime).deps)(args);
      deps.logger.error({ err: args.error, team: zoneId }, 'listener failed outside any zone');
    }) as unknown as Parameters<App['error']>[0]);
  } else {
    if (!deps.store) throw new Error('one workspace (SLACK_BOT_TOKEN) needs its store');
    single = buildZone(DEFAULT_ZONE, deps as SlackDeps, app.client);
    runtimes.set(DEFAULT_ZONE, Promise.resolve(single));
    opened.push(single);
    app.use(single.dispatch);
    registerErrorHandler(app, single.client, single.deps);
  }
  return {
    app,
    ready: () => (isReady = true),
    scheduler: single?.scheduler ?? zonesScheduler(),
    healthz,
    charts,
    zone,
    zones: () => [...opened],
  };
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

export async function startSlackApp(config: Config, deps: AppDeps): Promise<RunningApp> {
  const { app, ready, scheduler, healthz, charts, zone, zones } = createSlackApp(config, deps);
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
    zone,
    zones,
    ...(address ? { port: address.port } : {}),
    stop: async () => {
      await scheduler.stop();
      for (const z of zones()) z.home.close();
      await (app.stop() as Promise<void>);
      await charts.close();
      if (health) await new Promise<void>((resolve) => health.close(() => resolve()));
    },
  };
}
