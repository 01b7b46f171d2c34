/**
 * Less noise (减负), measured: a quarter (13 weeks from Monday 2026-09-21, the National Day holiday
 * included) of reminder runs over a generated zone (bench/generate.ts), with departments reporting as
 * they do — each item behind reported at least once in about four weeks out of ten, on a random working day — and the
 * messages each department receives per week counted under two sets of rules, side by side, on the
 * same zone and the same reports:
 *
 *  before  the rules up to now: everything behind, every run; an escalation is a message of its own
 *          to the department's leads (besides the supervision office's);
 *  after   the new rules at their defaults: one digest per department per run (an escalation told in
 *          it), no reminder about an item updated in the last 2 working days, 2 working days between
 *          escalation steps, at most 3 messages per department per week bar 特急 items.
 *
 * Each under two schedules: the default weekly run (Monday 09:00) and a busy office's daily run
 * (09:00 every working day). Runs go through the real job (src/scheduler/jobs.ts) on an in-memory
 * store with a messenger that records posts; reports arrive independently of the reminders.
 *
 *   node bin/run-ts.js bench/noise.ts [--departments 100]
 */
import type { z } from 'zod';
import type { Reply } from '../commands/reply.ts';
import { makeCalendar } from '../src/domain/calendar.ts';
import { addDays, isoWeekday } from '../src/domain/dates.ts';
import { weekStartOf } from '../src/domain/noise.ts';
import { Database } from '../src/domain/schema.ts';
import { stateFromDatabase } from '../src/domain/state.ts';
import { isBehind } from '../src/domain/status.ts';
import { createLogger } from '../src/log.ts';
import { chineseCalendarData } from '../src/scheduler/holidays.ts';
import { runReminders } from '../src/scheduler/jobs.ts';
import { openStore } from '../src/store/store.ts';
import { generateDataset, prng } from './generate.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DEPARTMENTS = arg('departments', 100);
const TZ = 'Asia/Shanghai';
const START = '2026-09-21';
const WEEKS = 13;
const calendarData = chineseCalendarData();
const calendar = makeCalendar(calendarData);

type Rules = 'before' | 'after';
type Schedule = 'weekly' | 'daily';

function zone(rules: Rules) {
  const { doc } = generateDataset({
    departments: DEPARTMENTS,
    targets: DEPARTMENTS * 15,
    projects: DEPARTMENTS * 15,
    updatesPerItem: 3,
    seed: 20260915,
  });
  const db = Database.parse(doc);
  // Every department has a channel: one message per digest, whoever is in it.
  db.departments = db.departments.map((d, i) => ({ ...d, channelId: `C${String(i).padStart(8, '0')}` }));
  db.settings.supervisionChannelId = 'C0SUPERVIS';
  if (rules === 'before')
    db.settings.schedule = {
      ...db.settings.schedule,
      recentUpdateWorkdays: 0,
      escalationGraceWorkdays: 0,
      weeklyCap: 0,
    };
  return db;
}

/** The run days of a schedule in the quarter: Mondays moved off days off, or every working day. */
function runDays(schedule: Schedule): string[] {
  const days: string[] = [];
  for (let d = START; d < addDays(START, WEEKS * 7); d = addDays(d, 1)) {
    if (schedule === 'daily' ? calendar.isWorkingDay(d) : isoWeekday(d) === 1) {
      const day = calendar.nextWorkingDay(d);
      if (!days.includes(day)) days.push(day);
    }
  }
  return days;
}

async function simulate(rules: Rules, schedule: Schedule) {
  const db = zone(rules);
  let now = new Date(`${START}T09:00:00+08:00`);
  const store = await openStore('(bench noise)', {
    timeZone: TZ,
    memory: { initial: stateFromDatabase(db as z.infer<typeof Database>, TZ) },
    clock: () => now,
  });
  const posts: Array<{ channel: string; items: number }> = [];
  const channelOf = new Map(db.departments.map((d) => [d.channelId!, d.id]));
  const leadOf = new Map(db.departments.flatMap((d) => d.leadIds.map((u) => [u, d.id] as const)));
  const deps = {
    store,
    messenger: {
      post: async (channel: string, reply: Reply) => {
        posts.push({ channel, items: reply.about?.itemIds?.length ?? 0 });
        return { channel, ts: `${1_760_000_000 + posts.length}.000100` };
      },
    },
    clock: () => now,
    timeZone: TZ,
    locale: 'zh-CN' as const,
    logger: createLogger('silent'),
    calendarData,
    admins: async () => ['U0ADMIN001'],
    concurrency: 16,
  };
  const rnd = prng(7);
  const days = runDays(schedule);
  const perWeek = new Map<string, Map<string, number>>();
  let escalationsToLeads = 0;
  let itemsNamed = 0;
  const held = { recent: 0, cap: 0 };
  let updates = 0;
  const started = performance.now();
  // Reports arrive on working days at 10:00–17:00, independently of what was sent.
  for (let day = START; day < addDays(START, WEEKS * 7); day = addDays(day, 1)) {
    if (days.includes(day)) {
      now = new Date(`${day}T09:00:00+08:00`);
      const before = posts.length;
      const outcome = await runReminders(`reminders@${day}T09:00`, deps);
      const week = weekStartOf(day);
      const counts = perWeek.get(week) ?? new Map<string, number>();
      perWeek.set(week, counts);
      for (const p of posts.slice(before)) {
        const dept = channelOf.get(p.channel) ?? leadOf.get(p.channel);
        if (!dept) continue;
        counts.set(dept, (counts.get(dept) ?? 0) + 1);
        itemsNamed += p.items;
      }
      for (const [key, o] of Object.entries(outcome)) {
        const esc = /^(.+):escalation\d+$/.exec(key);
        // Under the old rules an escalation was also a message to the department's leads.
        if (esc && rules === 'before' && (o === 'sent' || o === 'sent: not heard')) {
          escalationsToLeads++;
          counts.set(esc[1]!, (counts.get(esc[1]!) ?? 0) + 1);
        }
        if (o === 'held: recently updated') held.recent++;
        if (o === 'held: weekly cap') held.cap++;
      }
    }
    if (!calendar.isWorkingDay(day)) continue;
    const reports = store
      .model()
      .rollup(day)
      .departments.flatMap((r) => r.items.filter(isBehind))
      .filter(() => rnd() < 0.5 / 5);
    if (reports.length === 0) continue;
    const at = `${day}T${String(10 + Math.floor(rnd() * 7)).padStart(2, '0')}:00:00+08:00`;
    await store.transact((tx) => {
      for (const s of reports) {
        updates++;
        tx.append({
          type: 'update',
          at,
          by: 'bench',
          update: {
            id: `n-${updates}`,
            itemId: s.item.id,
            at,
            by: 'bench',
            note: '本周推进情况：正在协调，按计划推进',
            evidence: [],
            source: 'command',
          },
        });
      }
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  // Messages per department per week, over every department and week (a week without any is 0).
  const departments = db.departments.map((d) => d.id);
  const weeks = [...new Set(Array.from({ length: WEEKS }, (_, i) => weekStartOf(addDays(START, i * 7))))];
  const cells = weeks.flatMap((w) => departments.map((d) => perWeek.get(w)?.get(d) ?? 0)).sort((a, b) => a - b);
  const total = cells.reduce((a, b) => a + b, 0);
  const pick = (q: number) => cells[Math.min(cells.length - 1, Math.floor(q * cells.length))]!;
  return {
    label: `${schedule.padEnd(6)} ${rules.padEnd(6)}`,
    runs: days.length,
    total,
    mean: total / cells.length,
    p90: pick(0.9),
    max: cells[cells.length - 1]!,
    overCap: cells.filter((n) => n > 3).length,
    escalationsToLeads,
    itemsNamed,
    held,
    updates,
    seconds,
  };
}

console.log(
  `less noise: ${DEPARTMENTS} departments, ${DEPARTMENTS * 30} targets and projects, ${WEEKS} weeks from ${START}; node ${process.version}`,
);
const rows = [];
for (const schedule of ['weekly', 'daily'] as const)
  for (const rules of ['before', 'after'] as const) rows.push(await simulate(rules, schedule));
console.log(
  '\nschedule rules   runs  messages  per dept-week: mean  p90  max  >3/week  escalation msgs  items named  held recent/cap  reports  s',
);
for (const r of rows)
  console.log(
    `${r.label}  ${String(r.runs).padStart(4)}  ${String(r.total).padStart(8)}  ${r.mean.toFixed(2).padStart(19)}  ${String(r.p90).padStart(3)}  ${String(r.max).padStart(3)}  ${String(r.overCap).padStart(7)}  ${String(r.escalationsToLeads).padStart(15)}  ${String(r.itemsNamed).padStart(11)}  ${`${r.held.recent}/${r.held.cap}`.padStart(15)}  ${String(r.updates).padStart(7)}  ${r.seconds.toFixed(1)}`,
  );
for (const schedule of ['weekly', 'daily']) {
  const [b, a] = rows.filter((r) => r.label.startsWith(schedule));
  console.log(
    `${schedule}: ${a!.total} messages vs ${b!.total} (${((1 - a!.total / b!.total) * 100).toFixed(0)}% fewer); dept-weeks over 3 messages ${a!.overCap} vs ${b!.overCap}`,
  );
}
