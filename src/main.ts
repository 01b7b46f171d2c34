/**
 * The composition root: the only place that reads process.env, the real clock and the command line.
 * `duban start | demo | import | check | schema`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { runConsole, answerLine } from './console/console.ts';
import { mergeImport, type ImportSummary } from './domain/merge.ts';
import { createReadModel } from './domain/read-model.ts';
import { Database, ImportFile, emptyDatabase } from './domain/schema.ts';
import type { StoreState } from './domain/state.ts';
import { LOCALES, toLocale, type Locale } from './i18n/index.ts';
import { createLogger } from './log.ts';
import { startSlackApp } from './slack/app.ts';
import { DataFileError, StoreLockedError } from './store/errors.ts';
import { checkMerged, importIntoStore, readImportFile } from './store/import.ts';
import { loadState, openStore } from './store/store.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SEED = join(ROOT, 'data', 'seed', 'nantong-2026.json');
/** The console's user: an admin, so every command can be tried. */
const DEMO_USER = 'U0DEMOUSER';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream; env: Record<string, string | undefined> };

function summaryLines(s: ImportSummary): string {
  const row = (name: string, c: { added: number; changed: number; unchanged: number }) => `  ${name.padEnd(12)} ${c.added} new, ${c.changed} changed, ${c.unchanged} unchanged`;
  return [
    row('departments', s.departments),
    row('targets', s.targets),
    row('projects', s.projects),
    row('commitments', s.commitments),
    `  ${'history'.padEnd(12)} ${s.updatesAdded} new, ${s.updatesSkipped} already present`,
    ...(s.settingsChanged ? ['  settings     replaced'] : []),
  ].join('\n');
}

/** Builds the demo's in-memory model from an import file (the bundled seed by default). */
export async function loadDemoModel(file: string, timeZone: string) {
  const parsed = await readImportFile(file);
  const db = emptyDatabase();
  mergeImport(db, parsed);
  checkMerged(file, db, db.updates);
  return createReadModel(Database.parse(db), timeZone);
}

async function start(config: Config, io: Io): Promise<number> {
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.dataFile, { timeZone: config.timeZone, onNotice: (msg, details) => logger.warn(details, msg) });
  const model = store.model();
  if (model.db.departments.length === 0) {
    logger.warn({ dataFile: config.dataFile }, 'the store is empty: run `npx duban import data/seed/nantong-2026.json` to load the sample zone');
  }
  const running = await startSlackApp(config, {
    store,
    clock: () => new Date(),
    timeZone: config.timeZone,
    defaultLocale: config.locale,
    logger,
    adminUserIds: config.adminUserIds,
    ...(config.adminUsergroupId ? { adminUsergroupId: config.adminUsergroupId } : {}),
  });
  logger.info({ mode: config.mode, port: running.port, dataFile: config.dataFile, revision: model.revision }, 'duban is running');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.stop();
  await store.close();
  io.out.write('');
  return 0;
}

export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  const program = new Command('duban')
    .description('督办 duban: keeps a development zone\'s yearly commitments on track, in Slack')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
  let code = 0;

  program
    .command('start')
    .description('run the Slack bot (HTTP on PORT, or Socket Mode with SLACK_APP_TOKEN)')
    .action(async () => {
      code = await start(loadConfig(io.env, { requireSlack: true }), io);
    });

  program
    .command('demo')
    .description('local console on the bundled seed data; no Slack needed')
    .argument('[input...]', 'one command to answer and exit, e.g. "/targets 经发局"')
    .option('--data <file>', 'an import file to load instead of the bundled seed', DEFAULT_SEED)
    .option('--now <date>', 'pretend today is this date (YYYY-MM-DD), in the zone\'s time zone')
    .option('--locale <locale>', `reply language: ${LOCALES.join(' or ')}`)
    .action(async (input: string[], opts: { data: string; now?: string; locale?: string }) => {
      const config = loadConfig(io.env);
      const problems: string[] = [];
      if (opts.now && !z.iso.date().safeParse(opts.now).success) problems.push(`--now: expected YYYY-MM-DD, got "${opts.now}"`);
      const locale: Locale | undefined = opts.locale ? toLocale(opts.locale) : config.locale;
      if (!locale) problems.push(`--locale: expected ${LOCALES.join(' or ')}, got "${opts.locale}"`);
      if (problems.length) throw new ConfigError(problems);
      const model = await loadDemoModel(opts.data, config.timeZone);
      // Noon in the zone keeps the civil date stable whatever the offset.
      const clock = opts.now ? () => new Date(`${opts.now}T12:00:00+08:00`) : () => new Date();
      const store = await openStore('(demo)', { timeZone: config.timeZone, memory: { initial: model.db as StoreState }, clock });
      const deps = { store, clock, timeZone: config.timeZone, locale: locale!, userId: DEMO_USER, isAdmin: true, color: (io.out as { isTTY?: boolean }).isTTY === true };
      if (input.length > 0) io.out.write(await answerLine(input.join(' '), deps));
      else await runConsole(deps, process.stdin, io.out as NodeJS.WritableStream & import('node:stream').Writable);
    });

  program
    .command('import')
    .description('validate an import file and upsert it into DATA_FILE (history is only ever appended)')
    .argument('<file>', 'a JSON file in the duban data format (see docs/data-format.md)')
    .option('--dry-run', 'show what would change without writing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const config = loadConfig(io.env);
      const store = await openStore(config.dataFile, { timeZone: config.timeZone });
      try {
        const summary = await importIntoStore(store, file, { dryRun: opts.dryRun === true, now: new Date() });
        io.out.write(`${opts.dryRun ? 'Dry run: nothing written. Would import' : 'Imported'} ${file} into ${config.dataFile}:\n${summaryLines(summary)}\n`);
      } finally {
        await store.close();
      }
    });

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
    if (e instanceof ConfigError || e instanceof DataFileError || e instanceof StoreLockedError) {
      io.err.write(`duban: ${e.message}\n`);
      return 1;
    }
    io.err.write(`duban: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
