/**
 * A duban process logging progress reports as fast as it can, for the kill -9 test
 * (test/store/durability.test.ts):
 *
 *   node bin/run-ts.js test/support/store-writer.ts DATA_FILE ITEM_ID START_ISO [--burst 20] [--max 5000]
 *                      [--crash-at before-rename:FILE[:N]|after-rename:FILE[:N]]
 *
 * Opens the store on DATA_FILE, then logs reports w-0, w-1, … on ITEM_ID with value i, recorded at
 * START + i seconds, in bursts of `--burst` concurrent transactions. It prints `ack <id> <value>` on
 * stdout only once that report's transaction has resolved, that is once duban would acknowledge it to
 * the user, so every line the parent reads is a promise the store made.
 *
 * `--crash-at` makes the process SIGKILL itself at an exact point of a transaction: just before, or
 * just after, the N-th (default first) rename that puts FILE in place (a basename: the document
 * "db.json", or a chunk such as "2026-11.json", or a new month's "2026-12.json"), so that kills between
 * the journal write and the document write, or while a new chunk is created, are tested every time.
 */
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { Update } from '../../src/domain/schema.ts';
import { openStore } from '../../src/store/store.ts';

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

if (crashAt) {
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

const store = await openStore(file, { timeZone: 'Asia/Shanghai' });
const start = Date.parse(startIso);

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
  });
  return store
    .transact((tx) => {
      tx.append({ type: 'update', at, by: 'U0WRITER1', update });
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
