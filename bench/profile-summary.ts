/**
 * Summarises a V8 CPU profile (from `npm run bench -- --profile duban`): where the time went, by
 * function (self and total time) and by source file or package.
 *
 *   node bin/run-ts.js bench/profile-summary.ts bench/results/profiles/duban-….cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { table } from './stats.ts';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[]; hitCount?: number };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

function place(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m = /\/main\/(.*)$/.exec(url) ?? /([^/]+\/[^/]+)$/.exec(url);
  return m ? m[1]! : url;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node bin/run-ts.js bench/profile-summary.ts FILE.cpuprofile [--top N]');
  process.exit(2);
}
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples (timeDeltas[i] is the time before sample i).
const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt);
}
const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
const idleMs = [...self]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
  .reduce((a, [, v]) => a + v, 0);
const busyMs = totalMs - idleMs;

const key = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${place(f)}:${f.lineNumber + 1}`;
const selfByFn = new Map<string, number>();
const totalByFn = new Map<string, number>();
const selfByPlace = new Map<string, number>();
for (const [id, t] of self) {
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') continue;
  selfByFn.set(key(node.callFrame), (selfByFn.get(key(node.callFrame)) ?? 0) + t);
  selfByPlace.set(place(node.callFrame), (selfByPlace.get(place(node.callFrame)) ?? 0) + t);
  // Inclusive time: count the sample once for every distinct function on its stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const k = key(byId.get(at)!.callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    totalByFn.set(k, (totalByFn.get(k) ?? 0) + t);
  }
}
const pct = (t: number) => `${((t / busyMs) * 100).toFixed(1)}%`;
const rows = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => [k, t.toFixed(0), pct(t)]);

console.log(
  `${file}\nprofiled ${(totalMs / 1000).toFixed(1)} s, busy ${(busyMs / 1000).toFixed(1)} s (idle ${(idleMs / 1000).toFixed(1)} s); percentages are of busy time\n`,
);
console.log('Self time by file or package');
console.log(table(['where', 'ms', 'share'], rows(selfByPlace, top)));
console.log('\nSelf time by function');
console.log(table(['function', 'ms', 'share'], rows(selfByFn, top)));
console.log('\nTotal (inclusive) time by function');
console.log(table(['function', 'ms', 'share'], rows(totalByFn, top)));
