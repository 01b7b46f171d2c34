/** The only place Bolt's App is built: HTTP or Socket Mode, listeners registered, /healthz. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App } from '@slack/bolt';
import type { Config } from '../config.ts';
import { boltLogger } from './logger.ts';
import { readContext, type ListenerDeps, type SlackDeps } from './context.ts';
import { createAdminResolver } from './admins.ts';
import { createLocaleResolver } from './locale.ts';
import { registerMessages } from './listeners/messages.ts';
import { registerCommands } from './listeners/commands.ts';
import { registerEvents } from './listeners/events.ts';
import { registerInteractions } from './listeners/interactions.ts';
import { registerErrorHandler } from './errors.ts';

export type RunningApp = {
  app: App;
  /** The HTTP port actually bound (HTTP mode). */
  port?: number;
  stop(): Promise<void>;
};

export function createSlackApp(config: Config, deps: SlackDeps): { app: App; ready: () => void } {
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
  const app =
    config.mode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: config.slack.appToken!, ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}) })
      : new App({
          ...common,
          signingSecret: config.slack.signingSecret!,
          port: config.port,
          customRoutes: [
            {
              path: '/healthz',
              method: ['GET'],
              handler: (_req, res) => {
                const model = deps.store.model();
                const body = {
                  status: isReady ? 'ok' : 'starting',
                  mode: config.mode,
                  revision: model.revision,
                  departments: model.db.departments.length,
                  items: model.db.targets.length + model.db.projects.length + model.db.commitments.length,
                  uptimeSeconds: Math.round((deps.clock().getTime() - startedAt) / 1000),
                };
                res.writeHead(isReady ? 200 : 503, { 'content-type': 'application/json' });
                res.end(JSON.stringify(body));
              },
            },
          ],
        });

  const admins = createAdminResolver(app.client, deps.adminUserIds ?? [], deps.adminUsergroupId, deps.clock, deps.logger);
  const listenerDeps: ListenerDeps = {
    ...deps,
    locale: createLocaleResolver(app.client, deps.defaultLocale, deps.clock, deps.logger),
    admins,
    readContext: (userId, locale) => readContext(deps, userId, locale),
    context: async (userId, locale) => ({ ...readContext(deps, userId, locale), userId, now: deps.clock(), isAdmin: await admins.isAdmin(userId), store: deps.store }),
  };
  registerCommands(app, listenerDeps);
  registerEvents(app, listenerDeps);
  registerMessages(app, listenerDeps);
  registerInteractions(app, listenerDeps);
  registerErrorHandler(app, listenerDeps);
  return { app, ready: () => (isReady = true) };
}

export async function startSlackApp(config: Config, deps: SlackDeps): Promise<RunningApp> {
  const { app, ready } = createSlackApp(config, deps);
  const started = (await app.start(config.port)) as unknown;
  ready();
  const address = config.mode === 'http' ? ((started as Server).address() as AddressInfo | null) : null;
  return {
    app,
    ...(address ? { port: address.port } : {}),
    stop: () => app.stop() as Promise<void>,
  };
}
