/**
 * A duban process logging progress reports as fast as it can, for the kill -9 test
 * (test/store/durability.test.ts):
 *
 *   node bin/run-ts.js test/support/store-writer.ts DATA_FILE ITEM_ID START_ISO [--burst 20] [--max 5000]
 *                      [--checkpoint-every N] [--crash-at POINT]
 *
 * Opens the store on DATA_FILE, then logs reports w-0, w-1, … on ITEM_ID with value i, recorded at
 * START + i seconds, in bursts of `--burst` concurrent transactions. It prints `ack <id> <value>` on
 * stdout only once that report's transaction has resolved, that is once duban would acknowledge it to
 * the user, so every line the parent reads is a promise the store made.
 *
 * `--crash-at` makes the process SIGKILL itself at an exact point, counted from this process's start:
 *   before-rename:FILE[:N], after-rename:FILE[:N]  around the N-th (default first) rename that puts FILE
 *                         in place: the document "db.json" at a checkpoint;
 *   torn-journal:N        in the N-th journal append, after writing half of it (a torn chunk tail);
 *   before-log-write:N    after the N-th transaction's journal lines, before its write-ahead log line;
 *   torn-log:N            after writing half of the N-th write-ahead log line;
 *   before-log-sync:N, after-log-sync:N  around the N-th flush (fdatasync) of the write-ahead log.
 * `--checkpoint-every N` writes the document every N transactions (the store's default is 250).
 */
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { Update } from '../../src/domain/schema.ts';
import { openStore } from '../../src/store/store.ts';
import { WRITER_CLOCK_AFTER_START_MS, writerEventId, writerMessage } from './store-writer-deliveries.ts';

const [file, itemId, startIso, ...rest] = process.argv.slice(2);
if (!file || !itemId || !startIso) {
  console.error(
    'usage: store-writer.ts DATA_FILE ITEM_ID START_ISO [--burst N] [--max N] [--crash-at before-rename:FILE[:N]|after-rename:FILE[:N]]',
  );
  process.exit(2);
}
const flag = (name: string): string | undefined => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest[at + 1] : undefined;
};
const burst = Number(flag('--burst') ?? 20);
const max = Number(flag('--max') ?? 5000);
const crashAt = flag('--crash-at');
const checkpointEvery = flag('--checkpoint-every');
const die = () => process.kill(process.pid, 'SIGKILL');

if (crashAt && !crashAt.includes('rename')) {
  const [when, nth] = crashAt.split(':') as [string, string?];
  const n = Number(nth ?? 1);
  const points = ['torn-journal', 'before-log-write', 'torn-log', 'before-log-sync', 'after-log-sync'];
  if (!points.includes(when) || !Number.isInteger(n)) {
    console.error(`--crash-at: expected one of ${points.join(', ')} with :N, got ${crashAt}`);
    process.exit(2);
  }
  // Every file handle shares one prototype: wrap its write and datasync to stop at the point asked.
  const probe = await fs.open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(probe) as {
    write: (this: unknown, data: unknown, ...rest: unknown[]) => Promise<unknown>;
    datasync: (this: unknown) => Promise<void>;
  };
  await probe.close();
  const write = proto.write;
  const datasync = proto.datasync;
  let journalWrites = 0;
  let logWrites = 0;
  let syncs = 0;
  proto.write = async function (this: unknown, data: unknown, ...rest: unknown[]) {
    const head = Buffer.isBuffer(data) ? data.subarray(0, 24).toString('utf8') : '';
    const isLog = head.startsWith('{"seq":') && (data as Buffer).includes('"patch":');
    const isJournal = head.startsWith(',\n{"seq":') || head.startsWith('{"version":2,"chunk"');
    if (isJournal && when === 'torn-journal' && ++journalWrites === n) {
      const half = (data as Buffer).subarray(0, Math.floor((data as Buffer).length / 2));
      await write.call(this, half, 0, half.length, rest[2]);
      die();
    }
    if (isLog && ++logWrites === n) {
      if (when === 'before-log-write') die();
      if (when === 'torn-log') {
        const half = (data as Buffer).subarray(0, Math.floor((data as Buffer).length / 2));
        await write.call(this, half, 0, half.length);
        die();
      }
    }
    return write.call(this, data, ...rest);
  };
  proto.datasync = async function (this: unknown) {
    const hit = ++syncs === n;
    if (hit && when === 'before-log-sync') die();
    await datasync.call(this);
    if (hit && when === 'after-log-sync') die();
  };
}

if (crashAt?.includes('rename')) {
  const [when, target, nth = '1'] = crashAt.split(':') as [string, string, string?];
  if ((when !== 'before-rename' && when !== 'after-rename') || !target) {
    console.error(`--crash-at: expected before-rename:FILE[:N] or after-rename:FILE[:N], got ${crashAt}`);
    process.exit(2);
  }
  let seen = 0;
  const rename = fs.rename;
  // The store imports `rename` from node:fs/promises; syncBuiltinESMExports makes that binding see this one.
  fs.rename = async (from, to) => {
    const hit = basename(String(to)) === target && ++seen === Number(nth);
    if (hit && when === 'before-rename') process.kill(process.pid, 'SIGKILL');
    await rename(from, to);
    if (hit && when === 'after-rename') process.kill(process.pid, 'SIGKILL');
  };
  syncBuiltinESMExports();
}

const start = Date.parse(startIso);
const store = await openStore(file, {
  timeZone: 'Asia/Shanghai',
  // A fixed clock an hour and a half minute past the first report: the first 30 reports' event ids
  // expire as they are noted (delivery bookkeeping set and forgotten in place in one transaction).
  clock: () => new Date(start + WRITER_CLOCK_AFTER_START_MS),
  ...(checkpointEvery ? { checkpoint: { transactions: Number(checkpointEvery) } } : {}),
});

function log(i: number): Promise<void> {
  const at = new Date(start + i * 1000).toISOString();
  const update = Update.parse({
    id: `w-${i}`,
    itemId,
    at,
    by: 'U0WRITER1',
    value: i,
    note: `report ${i}`,
    source: 'slack',
    // Read from a Slack message, as commands/reporting/log.ts logs one: the store remembers the message
    // and the event id (its delivery bookkeeping, changed in place: src/domain/owned-records.ts).
    message: writerMessage(i),
  });
  return store
    .transact((tx) => {
      tx.append({ type: 'update', at, by: 'U0WRITER1', update, eventId: writerEventId(i) });
    })
    .then(() => {
      // Pipes are synchronous on Linux: once this returns the line is the parent's, whatever happens next.
      process.stdout.write(`ack w-${i} ${i}\n`);
    });
}

for (let i = 0; i < max; ) {
  const inFlight: Array<Promise<void>> = [];
  for (let j = 0; j < burst && i < max; j++, i++) inFlight.push(log(i));
  await Promise.all(inFlight);
}
await store.close();
process.stdout.write('done\n');
