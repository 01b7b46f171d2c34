/**
 * The composition root: the only place that reads process.env, the real clock and the command line.
 * `duban start | demo | import | template | export | check | schema`.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { answerLineSafely, consoleCharts, consoleMessenger, runConsole } from './console/console.ts';
import { loadConsoleZone, ZoneFileError } from './console/zone.ts';
import { itemOfEvent, type JournalEvent } from './domain/journal.ts';
import type { WritePort } from './domain/ports.ts';
import { readModelFromState } from './domain/read-model.ts';
import { ImportFile } from './domain/schema.ts';
import { type StoreState, withSafeRecords } from './domain/state.ts';
import { LOCALES, type Locale, pick, toLocale } from './i18n/index.ts';
import { createAssistant } from './llm/index.ts';
import { createLogger, type Logger } from './log.ts';
import { chineseCalendarData } from './scheduler/holidays.ts';
import { createLeadership, type Leadership } from './scheduler/leadership.ts';
import { createScheduler, parseCron, schedulerPort } from './scheduler/scheduler.ts';
import { startSlackApp } from './slack/app.ts';
import type { CliFiles } from './spreadsheet/cli.ts';
import { type StoreView, storeAsOf } from './spreadsheet/exchange.ts';
import { DataFileError, StoreLockedError } from './store/errors.ts';
import { importerOf, readImportFile } from './store/import.ts';
import { JournalFiles } from './store/journal-files.ts';
import { copyFromPostgres, copyToPostgres, TargetNotEmptyError } from './store/postgres/copy.ts';
import { SchemaTooNewError } from './store/postgres/migrations.ts';
import { describeUrl, openPostgresStore, type PostgresStatus } from './store/postgres/store.ts';
import { journalDirOf, loadState, openStore, type Store } from './store/store.ts';
import { dataDirOf, embeddedZones } from './zones/embedded.ts';
import { isZoneId } from './zones/installations.ts';
import { openPostgresZones } from './zones/postgres.ts';
import { createSealer } from './zones/secrets.ts';

/** The package root: this module is src/main.ts under tsx and dist/src/main.js compiled. */
const ROOT = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '..' : '../..', import.meta.url));
export const DEFAULT_SEED = join(ROOT, 'data', 'seed', 'nantong-2026.json');
/** The console's user: an admin, so every command can be tried. */
const DEMO_USER = 'U0DEMOUSER';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream; env: Record<string, string | undefined> };

/** A --locale option, or the configured default; a bad value is a configuration problem. */
function localeOption(value: string | undefined, fallback: Locale): Locale {
  if (value === undefined) return fallback;
  const locale = toLocale(value);
  if (!locale) throw new ConfigError([`--locale: expected ${LOCALES.join(' or ')}, got "${value}"`]);
  return locale;
}

/** A --now option: noon of that civil date in the zone (noon keeps the date whatever the offset), or the clock. */
function nowOption(value: string | undefined): Date {
  if (value === undefined) return new Date();
  if (!z.iso.date().safeParse(value).success)
    throw new ConfigError([`--now: expected YYYY-MM-DD, e.g. --now 2026-06-30, got "${value}"`]);
  return new Date(`${value}T12:00:00+08:00`);
}

/** The spreadsheet commands, loaded when one runs (the workbook code is large; `start` never needs it). */
const spreadsheetCli = () => import('./spreadsheet/cli.ts');

/** The file system as the spreadsheet commands see it. */
const CLI_FILES: CliFiles = {
  stat: async (path) => {
    const s = await stat(path);
    return { size: s.size, directory: s.isDirectory() };
  },
  read: (path) => readFile(path),
  write: (path, data, exclusive) => writeFile(path, data, { flag: exclusive ? 'wx' : 'w' }),
};

/**
 * The data file as it is on disk, without the lock and without writing, so an export can run beside
 * `duban start`: the document, and the journal's events up to its watermark (events a concurrent
 * write appended past it are not part of the store yet).
 */
/** A Postgres zone's state and journal as they are now (the database's own transactions keep them consistent). */
async function readPostgres(config: Config): Promise<{ state: StoreState; events: JournalEvent[] }> {
  const store = await openPostgresStore({
    url: config.database!.url,
    zoneId: config.database!.zone,
    timeZone: config.timeZone,
  });
  try {
    return { state: store.model().db as StoreState, events: await store.history() };
  } finally {
    await store.close();
  }
}

async function readSnapshot(config: Config, until?: Date): Promise<StoreView> {
  const { dataFile, timeZone } = config;
  const loaded = config.database ? await readPostgres(config) : await loadState(dataFile, timeZone);
  const all =
    // Events a concurrent write added past the document's watermark are not part of it yet.
    (
      'events' in loaded
        ? loaded.events
        : await new JournalFiles(journalDirOf(dataFile)).readAll(loaded.state.journal.chunks.map((c) => c.name))
    ).filter((e) => e.seq <= loaded.state.journal.lastSeq);
  // With --now, as it stood then: reports made after it are left out.
  const { state, events } = until
    ? storeAsOf(loaded.state, all, until, timeZone)
    : { state: loaded.state, events: all };
  const model = readModelFromState(withSafeRecords(state), timeZone, 0, undefined, chineseCalendarData());
  return {
    model: () => model,
    history: async (filter) => (filter?.itemId ? events.filter((e) => itemOfEvent(e) === filter.itemId) : events),
  };
}

/** `duban start` with SLACK_CLIENT_ID: every workspace that installs duban is a zone of its own. */
async function startZones(config: Config, oauth: NonNullable<Config['slack']['oauth']>): Promise<number> {
  const logger = createLogger(config.logLevel);
  const dataDir = dataDirOf(config.dataFile);
  const options = {
    sealer: createSealer(oauth.tokenKey),
    timeZone: config.timeZone,
    calendar: chineseCalendarData(),
    onNotice: (msg: string, details: Record<string, unknown>) => logger.warn(details, msg),
    assistant: (store: WritePort) =>
      createAssistant(config.llm, { store, clock: () => new Date(), logger, defaultLocale: config.locale }),
  };
  // With DATABASE_URL every zone is in the database (one pool, one change feed); else in the data folder.
  const pg = config.database ? await openPostgresZones({ ...options, url: config.database.url }) : undefined;
  const zones = pg ?? embeddedZones({ ...options, dataDir });
  // Several instances on one database: the one holding the scheduler's lock runs every zone's schedule.
  const leadership = campaign(config, logger);
  const running = await startSlackApp(config, {
    zones,
    ...(pg ? { storeStatus: () => pg.status() } : {}),
    clock: () => new Date(),
    timeZone: config.timeZone,
    defaultLocale: config.locale,
    logger,
    adminUserIds: config.adminUserIds,
    schedule: {
      enabled: config.scheduler.enabled,
      overrides: config.scheduler.overrides,
      ...(leadership ? { gate: leadership } : {}),
    },
  });
  await leadership?.start();
  if (config.scheduler.enabled) running.scheduler.start();
  const installed = await zones.installations.zoneIds();
  logger.info(
    {
      mode: 'multi-workspace',
      port: running.port,
      ...(config.database ? { store: describeUrl(config.database.url) } : { dataDir }),
      zones: installed.length,
      scheduler: config.scheduler.enabled,
    },
    'duban is running; workspaces install it at /slack/install',
  );
  await stopSignal(logger);
  await running.stop();
  await leadership?.stop();
  await zones.close();
  return 0;
}

/** Postgres mode with the scheduler on: this instance campaigns to be the one that runs the schedule. */
function campaign(config: Config, logger: Logger): Leadership | undefined {
  if (!config.database || !config.scheduler.enabled) return undefined;
  return createLeadership({
    url: config.database.url,
    campaignMs: config.database.campaignMs,
    logger: logger.child({ component: 'leadership' }),
  });
}

function stopSignal(logger: { info(details: object, msg: string): void }): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The store the configuration names: Postgres with DATABASE_URL (the zone DUBAN_ZONE), else the lowdb DATA_FILE. */
async function openConfiguredStore(
  config: Config,
  onNotice?: (message: string, details: Record<string, unknown>) => void,
): Promise<Store & { status?: () => PostgresStatus }> {
  const common = { timeZone: config.timeZone, calendar: chineseCalendarData(), ...(onNotice ? { onNotice } : {}) };
  if (config.database) return openPostgresStore({ ...common, url: config.database.url, zoneId: config.database.zone });
  return openStore(config.dataFile, common);
}

async function start(config: Config, io: Io): Promise<number> {
  if (config.slack.oauth) return startZones(config, config.slack.oauth);
  const logger = createLogger(config.logLevel);
  const store = await openConfiguredStore(config, (msg, details) => logger.warn(details, msg));
  const model = store.model();
  if (model.db.departments.length === 0) {
    logger.warn(
      { dataFile: config.dataFile },
      'the store is empty: run `npx duban import data/seed/nantong-2026.json` to load the sample zone',
    );
  }
  // Off unless OPENAI_MODEL is set and an admin turns it on (/duban llm on); rules answer otherwise.
  const assistant = createAssistant(config.llm, {
    store,
    clock: () => new Date(),
    logger,
    defaultLocale: config.locale,
  });
  // Postgres mode: any number of instances share the database; the one holding the scheduler's lock runs the schedule.
  const leadership = campaign(config, logger);
  const running = await startSlackApp(config, {
    store,
    assistant,
    clock: () => new Date(),
    timeZone: config.timeZone,
    defaultLocale: config.locale,
    logger,
    adminUserIds: config.adminUserIds,
    ...(config.adminUsergroupId ? { adminUsergroupId: config.adminUsergroupId } : {}),
    schedule: {
      enabled: config.scheduler.enabled,
      overrides: config.scheduler.overrides,
      ...(leadership ? { gate: leadership } : {}),
    },
    ...(store.status ? { storeStatus: store.status } : {}),
  });
  // The embedded store: its data-file lock makes this the only process that sends scheduled messages for it.
  await leadership?.start();
  if (config.scheduler.enabled) running.scheduler.start();
  logger.info(
    {
      mode: config.mode,
      port: running.port,
      store: store.file,
      revision: model.revision,
      scheduler: config.scheduler.enabled,
      ...(leadership ? { leadership: leadership.status() } : {}),
    },
    'duban is running',
  );
  await stopSignal(logger);
  await running.stop();
  // Frees the lock at once: another instance's next campaign takes over.
  await leadership?.stop();
  await store.close();
  io.out.write('');
  return 0;
}

export async function main(
  argv: string[],
  io: Io = { out: process.stdout, err: process.stderr, env: process.env },
): Promise<number> {
  const program = new Command('duban')
    .description("督办 duban: keeps a development zone's yearly commitments on track, in Slack")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
  let code = 0;

  program
    .command('start')
    .description('run the Slack bot (HTTP on PORT, or Socket Mode with SLACK_APP_TOKEN)')
    .action(async () => {
      code = await start(
        loadConfig(io.env, {
          requireSlack: true,
          checkCron: (p) => {
            const r = parseCron(p);
            return r.ok ? undefined : r.problem;
          },
        }),
        io,
      );
    });

  program
    .command('demo')
    .description(
      'local console on your zone (DATA_FILE, or --data FILE) or, without either, the bundled sample; no Slack needed, nothing written',
    )
    .argument('[input...]', 'one command to answer and exit, e.g. "/targets 经发局"')
    .option(
      '--data <file>',
      'the zone to show: an import file (.json, .xlsx, .csv) or the data file the bot writes; default DATA_FILE when it is set, else the bundled sample',
    )
    .option('--now <date>', "pretend today is this date (YYYY-MM-DD), in the zone's time zone")
    .option('--locale <locale>', `reply language: ${LOCALES.join(' or ')}`)
    .action(async (input: string[], opts: { data?: string; now?: string; locale?: string }) => {
      const config = loadConfig(io.env);
      const problems: string[] = [];
      if (opts.now && !z.iso.date().safeParse(opts.now).success)
        problems.push(`--now: expected YYYY-MM-DD, got "${opts.now}"`);
      const locale: Locale | undefined = opts.locale ? toLocale(opts.locale) : config.locale;
      if (!locale) problems.push(`--locale: expected ${LOCALES.join(' or ')}, got "${opts.locale}"`);
      if (opts.data !== undefined && !opts.data.trim())
        problems.push('--data: expected a file, e.g. --data data/db.json or --data zone.xlsx');
      if (problems.length || !locale) throw new ConfigError(problems);
      // Noon in the zone keeps the civil date stable whatever the offset.
      const clock = opts.now ? () => new Date(`${opts.now}T12:00:00+08:00`) : () => new Date();
      // The zone's own file when one is named (--data, else DATA_FILE), the bundled sample otherwise.
      const named = opts.data ?? (io.env.DATA_FILE?.trim() ? config.dataFile : undefined);
      const calendarData = chineseCalendarData();
      const zone = await loadConsoleZone(named ?? DEFAULT_SEED, {
        timeZone: config.timeZone,
        locale,
        calendar: calendarData,
        via: opts.data !== undefined ? '--data' : 'DATA_FILE',
        ...(named === undefined ? { sample: true } : {}),
        ...(opts.now ? { until: clock() } : {}),
      });
      // Each department gets a pretend channel in the console, so reminders have somewhere to go.
      const initial: StoreState = {
        ...zone.state,
        departments: zone.state.departments.map((d, i) =>
          d.channelId ? d : { ...d, channelId: `C0DEMO${String(i + 1).padStart(3, '0')}` },
        ),
      };
      const store = await openStore('(demo)', {
        timeZone: config.timeZone,
        memory: { initial },
        clock,
        calendar: calendarData,
      });
      const color = (io.out as { isTTY?: boolean }).isTTY === true;
      // Reminders and bulletins in the console are printed, not posted; the schedule does not run on its own here.
      const scheduler = createScheduler({
        store,
        messenger: consoleMessenger((text) => io.out.write(text), locale, color),
        // The bulletin's chart is not drawn here: the console says where Slack shows it, in words.
        charts: consoleCharts,
        clock,
        timeZone: config.timeZone,
        locale,
        logger: createLogger('silent'),
        calendarData,
        admins: async () => [DEMO_USER],
      });
      const port = schedulerPort(scheduler, { store, calendarData, enabled: false });
      // A line that fails is apologised for on stdout; the details go to stderr only when LOG_LEVEL asks for debugging.
      const debugLog = createLogger(
        ['debug', 'trace'].includes(config.logLevel) ? config.logLevel : 'silent',
        io.err as NodeJS.WritableStream & import('node:stream').Writable,
      );
      const onError = (error: unknown) => debugLog.error({ err: error }, 'console line failed');
      const source = { zone: pick(zone.zone, locale), kind: zone.kind, file: named ?? relative(ROOT, DEFAULT_SEED) };
      const deps = {
        store,
        scheduler: port,
        clock,
        timeZone: config.timeZone,
        locale,
        userId: DEMO_USER,
        isAdmin: true,
        color,
        onError,
        source,
      };
      if (input.length > 0) io.out.write(await answerLineSafely(input.join(' '), deps));
      else await runConsole(deps, process.stdin, io.out as NodeJS.WritableStream & import('node:stream').Writable);
    });

  program
    .command('import')
    .description('validate an import file and upsert it into DATA_FILE (history is only ever appended)')
    .argument(
      '<file>',
      "a JSON file in the duban data format (docs/data-format.md), or an .xlsx / .csv in the template's shape (docs/spreadsheet-template.md)",
    )
    .option('--dry-run', 'show what would change (new, changed, unchanged) without writing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const config = loadConfig(io.env);
      const store = await openConfiguredStore(config);
      try {
        const { importCommand } = await spreadsheetCli();
        code = await importCommand(
          { files: CLI_FILES, store, importer: importerOf(store), readJson: readImportFile },
          file,
          { dryRun: opts.dryRun === true, now: new Date(), locale: config.locale, dataFile: store.file },
          io,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('template')
    .description(
      "write the empty import template (.xlsx): the zone's name, a sheet per kind with example rows (skipped on import), and a sheet explaining every column",
    )
    .argument('[path]', 'where to write it', 'duban-template.xlsx')
    .option('--force', 'replace the file if it exists')
    .option('--locale <locale>', `language of sheet names and headers: ${LOCALES.join(' or ')} (default BOT_LOCALE)`)
    .option('--zone <name>', 'the zone\'s name, written on the template\'s 基本信息 sheet (e.g. "某某经济开发区")')
    .action(async (path: string, opts: { force?: boolean; locale?: string; zone?: string }) => {
      const config = loadConfig(io.env);
      const { templateCommand } = await spreadsheetCli();
      code = await templateCommand(
        CLI_FILES,
        path,
        {
          force: opts.force === true,
          locale: localeOption(opts.locale, config.locale),
          ...(opts.zone !== undefined ? { zone: opts.zone } : {}),
        },
        io,
      );
    });

  program
    .command('export')
    .description(
      'write the 台账 ledger (.xlsx) of DATA_FILE, or the progress bulletin (.xlsx or Markdown); safe while `duban start` runs',
    )
    .argument('[path]', 'where to write it, like --out (`duban export ledger.xlsx`)')
    .option('--department <name>', 'only the items this department leads or supports')
    .option(
      '--out <path>',
      'where to write it ("-" for stdout); default duban-ledger-DATE.xlsx, duban-bulletin-DATE.xlsx, or stdout for --markdown',
    )
    .option('--bulletin', 'the progress bulletin (通报) instead of the ledger')
    .option('--markdown', 'the bulletin as Markdown, for pasting into a document')
    .option('--force', 'replace the output file if it exists')
    .option('--locale <locale>', `language: ${LOCALES.join(' or ')} (default BOT_LOCALE)`)
    .option(
      '--now <date>',
      'as the zone stood on this date (YYYY-MM-DD) rather than today; reports made after it are left out',
    )
    .action(
      async (
        path: string | undefined,
        given: {
          department?: string;
          out?: string;
          bulletin?: boolean;
          markdown?: boolean;
          force?: boolean;
          locale?: string;
          now?: string;
        },
      ) => {
        const config = loadConfig(io.env);
        const now = nowOption(given.now);
        // `duban export ledger.xlsx` as `duban template t.xlsx`: the path may be given without --out.
        const opts = path !== undefined && given.out === undefined ? { ...given, out: path } : given;
        const locale = localeOption(opts.locale, config.locale);
        const snapshot = await readSnapshot(config, given.now !== undefined ? now : undefined);
        const { exportCommand } = await spreadsheetCli();
        code = await exportCommand(
          snapshot,
          CLI_FILES,
          {
            ...(opts.department !== undefined ? { department: opts.department } : {}),
            ...(opts.out !== undefined ? { out: opts.out } : {}),
            bulletin: opts.bulletin === true,
            markdown: opts.markdown === true,
            force: opts.force === true,
            locale,
            now,
          },
          io,
        );
      },
    );

  program
    .command('check')
    .description('validate DATA_FILE without changing it')
    .action(async () => {
      const config = loadConfig(io.env);
      const { state, exists, replayable } = await loadState(config.dataFile, config.timeZone);
      io.out.write(
        exists
          ? `${config.dataFile} is valid: ${state.departments.length} departments, ${state.targets.length} targets, ${state.projects.length} projects, ${state.commitments.length} commitments, ${state.journal.lastSeq} journal events${replayable ? ` (${replayable} to replay at the next start)` : ''}.\n`
          : `${config.dataFile} does not exist yet; duban will start with an empty store.\n`,
      );
    });

  program
    .command('migrate')
    .description(
      'copy a lowdb store (DATA_FILE or --data) into Postgres (--to URL), or a Postgres zone back into a data file (--from URL); nothing is lost either way',
    )
    .option('--to <url>', 'copy the data file into this Postgres database, e.g. --to "$DATABASE_URL"')
    .option('--from <url>', 'copy from this Postgres database into the data file')
    .option('--data <file>', 'the lowdb data file (default DATA_FILE)')
    .option('--zone <id>', 'the zone in the database (default DUBAN_ZONE, else "default")')
    .option('--force', 'replace a target that already holds data (a replaced data file is kept as a backup)')
    .action(async (opts: { to?: string; from?: string; data?: string; zone?: string; force?: boolean }) => {
      const config = loadConfig(io.env);
      const problems: string[] = [];
      if (!opts.to === !opts.from)
        problems.push(
          'migrate: give one of --to or --from, e.g. duban migrate --to "$DATABASE_URL" --data data/db.json',
        );
      for (const [name, url] of [
        ['--to', opts.to],
        ['--from', opts.from],
      ] as const)
        if (url !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(url))
          problems.push(`${name}: expected a Postgres URL such as postgres://duban:secret@localhost:5432/duban`);
      // A workspace's zone (multi-workspace mode) is named by its Slack id.
      if (opts.zone !== undefined && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(opts.zone) && !isZoneId(opts.zone))
        problems.push(
          `--zone: expected lower-case letters, digits, - or _, e.g. --zone default, or a workspace's Slack id (T…)`,
        );
      if (problems.length) throw new ConfigError(problems);
      const common = {
        dataFile: opts.data ?? config.dataFile,
        zoneId: opts.zone ?? config.database?.zone ?? 'default',
        timeZone: config.timeZone,
        force: opts.force === true,
      };
      const result = opts.to
        ? await copyToPostgres({ ...common, url: opts.to })
        : await copyFromPostgres({ ...common, url: opts.from! });
      io.out.write(
        `copied ${result.items} items and ${result.events} journal events from ${result.from} to ${result.to}.\n` +
          ('backup' in result && result.backup ? `the replaced data file is kept as ${result.backup}.json\n` : ''),
      );
    });

  program
    .command('schema')
    .description('print the JSON Schema of import files (docs/data-format.schema.json)')
    .action(() => {
      const schema = z.toJSONSchema(ImportFile, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
      io.out.write(`${JSON.stringify({ ...schema, title: 'duban import file' }, null, 2)}\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (
      e instanceof ConfigError ||
      e instanceof DataFileError ||
      e instanceof StoreLockedError ||
      e instanceof ZoneFileError ||
      e instanceof TargetNotEmptyError ||
      e instanceof SchemaTooNewError
    ) {
      io.err.write(`duban: ${e.message}\n`);
      return 1;
    }
    io.err.write(`duban: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
