/**
 * Generates data/seed/nantong-2026.json, the bundled seed data of duban.
 *
 *   npx tsx data/seed/generate.ts
 *
 * The seed models the 2026 work meeting of the Nantong Economic & Technological Development Zone
 * (every `source` field and commitment pledge quotes it verbatim; test/seed.test.ts checks this).
 * Only the departments, pledges and figures that the article states are real; everything else (the 40 renewal project names, the four categories,
 * baselines, checkpoints, milestones and the whole February–November progress history) is sample
 * data and carries `"sample": true`.
 *
 * Everything is deterministic: dates come from the tables below, report days and hours from small
 * formulas on an item's index, and derived figures (the count of renewal projects started, programme
 * percentages) are computed from the project tables, so they always agree with each other.
 *
 * The history is written to look realistic when evaluated on 2026-11-28 (the day after the last
 * update): a few items done, most green, several amber (behind plan, milestone due soon, report
 * missing since August/September), a few red (blocked, milestone overdue, far behind).
 */
import { writeFileSync } from 'node:fs';
import type { z } from 'zod';
import { Database, FORMAT_VERSION, ImportFile } from '../../src/domain/schema.ts';

type ImportInput = z.input<typeof ImportFile>;
type DepartmentIn = NonNullable<ImportInput['departments']>[number];
type TargetIn = NonNullable<ImportInput['targets']>[number];
type ProjectIn = NonNullable<ImportInput['projects']>[number];
type CommitmentIn = NonNullable<ImportInput['commitments']>[number];
type UpdateIn = NonNullable<ImportInput['updates']>[number];
type Text = { zh: string; en: string };
type State = 'planned' | 'in_progress' | 'blocked' | 'delayed' | 'done';

const OUT = new URL('./nantong-2026.json', import.meta.url);
const YEAR = 2026;
const PERIOD = { start: '2026-01-01', end: '2026-12-31' };
const MONTHLY = { cadence: 'monthly', graceDays: 5 } as const;
const QUARTERLY = { cadence: 'quarterly', graceDays: 5 } as const;
/** The work meeting; progress of items with nothing reached yet is measured from here. */
const KICKOFF = '2026-02-07';
/** No update is later than this (the seed is meant to be looked at from 2026-11-28 on). */
const LAST_DAY = '2026-11-27';
const FIRST_MONTH = 2;
const LAST_MONTH = 11;

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');
/** 'MM-DD' → 'YYYY-MM-DD' in the seed year. */
const md = (s: string) => `${YEAR}-${s}`;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => dayNumber(b) - dayNumber(a);
/** Reports are filed on working days: a Saturday or Sunday moves back to the Friday. */
function workday(iso: string): string {
  const weekday = new Date(dayNumber(iso) * 86_400_000).getUTCDay();
  return weekday === 6 ? fromDayNumber(dayNumber(iso) - 1) : weekday === 0 ? fromDayNumber(dayNumber(iso) - 2) : iso;
}
const at = (iso: string, hour: number, minute = 0) => `${iso}T${pad(hour)}:${pad(minute)}:00+08:00`;
const months = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Day of month a monthly report is filed: the 24th–27th, spread by item index (all ≤ 27, so November stays before LAST_DAY). */
const monthlyReportDate = (index: number, month: number) => workday(`${YEAR}-${pad(month)}-${24 + (index % 4)}`);
/** Quarterly reports are filed in the month after each quarter (April, July, October). */
const QUARTER_REPORT_MONTHS = [4, 7, 10];
const reportTime = (index: number, month: number) => ({
  hour: 9 + ((index * 5 + month) % 8),
  minute: ((index * 7 + month * 3) % 4) * 15,
});

// ---------------------------------------------------------------------------------------------
// Updates
// ---------------------------------------------------------------------------------------------

/** Collected without ids; sorted by time and numbered u-0001… at the end. */
const updates: Omit<UpdateIn, 'id'>[] = [];
function addUpdate(u: {
  itemId: string;
  at: string;
  value?: number;
  percent?: number;
  state?: State;
  milestoneId?: string;
  note?: string;
}) {
  updates.push({ ...u, by: 'seed', source: 'seed', sample: true });
}

// ---------------------------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------------------------

// Slack channel and member ids are workspace-specific: set them with `duban` after importing.
const departments: DepartmentIn[] = [
  {
    id: 'edb',
    name: { zh: '经济发展局', en: 'Economic Development Bureau' },
    shortName: { zh: '经发局', en: 'EDB' },
    aliases: ['经发', '经济局', 'Economic Development Bureau', 'EDB'],
    memberIds: [],
    leadIds: [],
    source: '经济发展局',
  },
  {
    id: 'hurdb',
    name: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
    shortName: { zh: '住建局', en: 'HURDB' },
    aliases: ['住建', '建设局', 'Housing and Construction Bureau', 'Housing Bureau', 'HURDB'],
    memberIds: [],
    leadIds: [],
    source: '住建局',
  },
  {
    id: 'zhongxing',
    name: { zh: '中兴街道', en: 'Zhongxing Subdistrict' },
    shortName: { zh: '中兴街道', en: 'Zhongxing' },
    aliases: ['中兴街道办事处', '中兴', 'Zhongxing', 'Zhongxing Subdistrict Office'],
    memberIds: [],
    leadIds: [],
    source: '中兴街道',
  },
  // The article attributes the next programmes to "the zone"; these owners are sample.
  {
    id: 'ipb',
    name: { zh: '投资促进局', en: 'Investment Promotion Bureau' },
    shortName: { zh: '投促局', en: 'IPB' },
    aliases: ['投促', '招商局', '招商', 'Investment Promotion Bureau', 'IPB'],
    memberIds: [],
    leadIds: [],
    sample: true,
  },
  {
    id: 'stib',
    name: { zh: '科技创新局', en: 'Science, Technology and Innovation Bureau' },
    shortName: { zh: '科创局', en: 'STIB' },
    aliases: ['科创', '科技局', 'Science and Technology Bureau', 'Innovation Bureau', 'STIB'],
    memberIds: [],
    leadIds: [],
    sample: true,
  },
  {
    id: 'supervision',
    name: { zh: '党政办公室·督查室', en: 'Party and Government Office – Supervision Office' },
    shortName: { zh: '督查室', en: 'Supervision Office' },
    aliases: ['督查', '党政办', '党政办公室', 'Supervision', 'Supervision Office', 'Party and Government Office'],
    memberIds: [],
    leadIds: [],
    // The office that supervises the others is listed and counted, not ranked among them.
    ranked: false,
    sample: true,
  },
];

// ---------------------------------------------------------------------------------------------
// Milestone tracks: the history of a project or commitment
// ---------------------------------------------------------------------------------------------

interface TrackMilestone {
  id: string;
  name: Text;
  due: string;
  /** Date the milestone was reached, if it was (never after LAST_DAY). */
  reached?: string;
  /** Percent done once this milestone is reached. */
  percent: number;
  /** A works-start milestone: progress does not creep towards it (nothing is built before the start). */
  isStart?: boolean;
  /** Reaching it completes the item (state "done"). */
  completes?: boolean;
  note: string;
}

interface TrackEvent {
  from: string;
  state: 'blocked' | 'delayed';
  /** Why; repeated on every report while the event lasts, so the latest report always says why. */
  note: string;
}

interface Track {
  itemId: string;
  /** Position among all tracks; spreads report days and times. */
  index: number;
  cadence: 'monthly' | 'quarterly';
  milestones: TrackMilestone[];
  events: TrackEvent[];
  /** Last month with a regular report; before November means the report is missing ("stale"). */
  lastMonth: number;
  /** Extra remarks on the report of a given month. */
  notes: Record<number, string>;
  /** Items that only start doing things at a works start report "planned" until then. */
  hasStart: boolean;
  /** Percent from elsewhere (programme commitments average their projects). */
  percentOverride?: (date: string) => number;
  /** Report state/percent at all (false: target-linked commitments, which report notes only). */
  reportsPercent: boolean;
  /** Note generated for each regular report (target-linked commitments summarise their targets). */
  summary?: (date: string) => string;
}

const tracks: Track[] = [];
const trackById = new Map<string, Track>();

function addTrack(
  t: Omit<Track, 'index' | 'events' | 'lastMonth' | 'notes' | 'hasStart' | 'reportsPercent'> & Partial<Track>,
): Track {
  const track: Track = {
    events: [],
    lastMonth: LAST_MONTH,
    notes: {},
    hasStart: t.milestones.some((m) => m.isStart),
    reportsPercent: true,
    ...t,
    index: tracks.length,
  };
  tracks.push(track);
  trackById.set(track.itemId, track);
  return track;
}

const isReached = (m: TrackMilestone, date: string) => m.reached !== undefined && m.reached <= date;

/**
 * Percent done on a date: the percent of the highest milestone reached, creeping linearly towards the
 * next milestone's percent by its due date, but staying 5 points short of it until it is reached
 * (and not creeping at all towards a works start: nothing is built before it).
 * While blocked, progress freezes at the day the block began.
 */
function percentOn(track: Track, date: string): number {
  if (track.percentOverride) return track.percentOverride(date);
  const block = track.events.find((e) => e.state === 'blocked' && e.from <= date);
  if (block) date = block.from;
  const reached = track.milestones.filter((m) => isReached(m, date));
  const base = Math.max(0, ...reached.map((m) => m.percent));
  const since =
    reached
      .map((m) => m.reached!)
      .sort()
      .at(-1) ?? KICKOFF;
  // The first milestone not reached, in order: progress waits for it even when a later one was
  // reached early (an overdue milestone holds the percentage where it is).
  const next = track.milestones.find((m) => !isReached(m, date));
  if (!next || next.isStart || next.percent <= base) return base;
  const span = daysBetween(since, next.due);
  const share = span <= 0 ? 1 : Math.min(1, Math.max(0, daysBetween(since, date) / span));
  return Math.round(Math.max(base, Math.min(base + (next.percent - base) * share, next.percent - 5)));
}

function stateOn(track: Track, date: string): State {
  const done = track.milestones.find((m) => m.completes && isReached(m, date));
  if (done) return 'done';
  const event = [...track.events].reverse().find((e) => e.from <= date);
  if (event) return event.state;
  if (track.hasStart && !track.milestones.some((m) => m.isStart && isReached(m, date))) return 'planned';
  return 'in_progress';
}

/** Writes the updates of one track: milestone reports, regular reports, and the final "done". */
function emitTrack(track: Track) {
  const k = track.index;
  const doneOn = track.milestones.find((m) => m.completes && m.reached)?.reached;
  const reportMonths =
    track.cadence === 'monthly'
      ? months(FIRST_MONTH, track.lastMonth)
      : QUARTER_REPORT_MONTHS.filter((m) => m <= track.lastMonth);
  const reportOn = new Map(reportMonths.map((month) => [monthlyReportDate(k, month), reportTime(k, month)]));
  track.milestones.forEach((m, j) => {
    if (!m.reached) return;
    if (m.reached > LAST_DAY) throw new Error(`${track.itemId}/${m.id} reached after ${LAST_DAY}`);
    // Reported in the afternoon, or an hour before a regular report filed the same day (which already counts it).
    const sameDay = reportOn.get(m.reached);
    addUpdate({
      itemId: track.itemId,
      at: sameDay ? at(m.reached, sameDay.hour - 1, sameDay.minute) : at(m.reached, 15 + ((k + j) % 2), 30),
      milestoneId: m.id,
      state: 'done',
      ...(track.reportsPercent ? { percent: percentOn(track, m.reached) } : {}),
      note: m.note,
    });
  });
  if (doneOn) {
    addUpdate({
      itemId: track.itemId,
      at: at(doneOn, 17, 30),
      percent: 100,
      state: 'done',
      note: '全部完工,转入移交和长效管护',
    });
  }
  for (const month of reportMonths) {
    const date = monthlyReportDate(k, month);
    if (doneOn && date >= doneOn) break; // a finished item stops reporting
    const { hour, minute } = reportTime(k, month);
    const event = [...track.events].reverse().find((e) => e.from <= date);
    const notes = [track.summary?.(date), event?.note, track.notes[month]].filter((n): n is string => !!n);
    addUpdate({
      itemId: track.itemId,
      at: at(date, hour, minute),
      ...(track.reportsPercent
        ? { percent: percentOn(track, date), state: stateOn(track, date) }
        : { state: 'in_progress' as const }),
      ...(notes.length ? { note: notes.join(';') } : {}),
    });
  }
}

/** Milestones as stored on the item (the track keeps the reach dates and percentages). */
const storedMilestones = (t: Track) => t.milestones.map(({ id, name, due }) => ({ id, name, due }));

// ---------------------------------------------------------------------------------------------
// 住建局: 40 urban-renewal projects in four categories (names, categories and dates are sample)
// ---------------------------------------------------------------------------------------------

const RENEWAL_SOURCE = '实施四大类共40项更新项目';
const CATEGORY: Record<'A' | 'B' | 'C' | 'D', Text> = {
  A: { zh: '老旧小区改造', en: 'Old residential compounds' },
  B: { zh: '城中村与危旧房改造', en: 'Urban villages and dilapidated housing' },
  C: { zh: '街区与商业更新', en: 'Streets and commercial areas' },
  D: { zh: '低效工业用地更新', en: 'Low-efficiency industrial land' },
};

/** Stages a renewal project can have in 2026, with the percent done once reached. */
const STAGE = {
  tender: { zh: '施工招标完成', en: 'Construction tender awarded', percent: 5, note: '完成施工招标,施工单位已确定' },
  start: { zh: '开工', en: 'Works start', percent: 10, note: '项目正式开工' },
  foundation: { zh: '基础工程完成', en: 'Foundations complete', percent: 30, note: '基础工程完成' },
  topping: { zh: '主体结构封顶', en: 'Structure topped out', percent: 60, note: '主体结构封顶' },
  structure: { zh: '主体完工', en: 'Main works complete', percent: 75, note: '主体工程完工' },
  accept: { zh: '竣工验收', en: 'Completion acceptance', percent: 100, note: '通过竣工验收' },
} as const;
type Stage = keyof typeof STAGE;

interface RenewalRow {
  cat: keyof typeof CATEGORY;
  zh: string;
  en: string;
  /**
   * The project's 2026 milestones: "stage MM-DD" = due date; "stage MM-DD>MM-DD" = due, then reached.
   * Projects that finish after 2026 (large urban villages, late starts) list only this year's stages.
   */
  plan: string;
  co?: string[];
  event?: TrackEvent;
  lastMonth?: number;
  notes?: Record<number, string>;
}

// Planned works starts are spread so that 6 / 18 / 30 / 40 start by the end of Q1 / Q2 / Q3 / Q4,
// matching the checkpoints of the count target (checked below). Actual starts lag: 30 by November.
const RENEWAL: RenewalRow[] = [
  // 老旧小区改造: 14
  {
    cat: 'A',
    zh: '星湖花园老旧小区改造',
    en: 'Xinghu Garden',
    plan: 'start 02-28>02-26, structure 08-31>08-20, accept 10-31>10-28',
    notes: { 5: '雨污分流管网改造过半,加装电梯井道施工完成' },
  },
  {
    cat: 'A',
    zh: '通盛苑老旧小区改造',
    en: 'Tongsheng Court',
    plan: 'start 03-20>03-18, structure 08-31>09-04, accept 11-15>11-12',
  },
  {
    cat: 'A',
    zh: '竹行新村老旧小区改造',
    en: 'Zhuhang New Village',
    plan: 'start 03-31>04-08, structure 09-30>10-10, accept 12-20',
    notes: { 9: '受连续降雨影响,主体完工较计划推迟约10天' },
  },
  {
    cat: 'A',
    zh: '小海新苑老旧小区改造',
    en: 'Xiaohai New Court',
    plan: 'start 04-30>05-09, structure 10-15>10-20, accept 12-15',
  },
  {
    cat: 'A',
    zh: '新开花苑老旧小区改造',
    en: 'Xinkai Garden Court',
    plan: 'start 05-31>05-27, structure 10-31, accept 12-28',
    event: { from: '2026-10-20', state: 'delayed', note: '外墙保温材料进场滞后,主体完工推迟至12月中旬,已约谈施工单位' },
  },
  {
    cat: 'A',
    zh: '中兴新村老旧小区改造',
    en: 'Zhongxing New Village',
    plan: 'start 06-15>06-12, structure 10-31>10-30, accept 12-25',
    co: ['zhongxing'],
    notes: { 5: '中兴街道协助完成居民意见征询,同意率96%' },
  },
  {
    cat: 'A',
    zh: '江景苑老旧小区改造',
    en: 'Jiangjing Court',
    plan: 'start 06-30>07-08, structure 11-15>11-10, accept 12-28',
  },
  {
    cat: 'A',
    zh: '富民新苑老旧小区改造',
    en: 'Fumin New Court',
    plan: 'start 07-20>07-22, structure 12-20',
    lastMonth: 8,
    notes: { 8: '外墙涂料与屋面防水施工中' },
  },
  {
    cat: 'A',
    zh: '振兴苑老旧小区改造',
    en: 'Zhenxing Court',
    plan: 'start 08-15>08-14, structure 11-20>11-19, accept 12-31',
  },
  { cat: 'A', zh: '和兴佳苑老旧小区改造', en: 'Hexing Jiayuan', plan: 'start 08-31>09-10, structure 12-25' },
  {
    cat: 'A',
    zh: '长江花园老旧小区改造',
    en: 'Changjiang Garden',
    plan: 'start 10-31>11-06, structure 12-31',
    notes: { 10: '施工许可已办结,计划11月上旬开工' },
  },
  {
    cat: 'A',
    zh: '海晏新村老旧小区改造',
    en: 'Haiyan New Village',
    plan: 'start 08-31, structure 12-31',
    notes: { 6: '正在开展居民意见征询' },
    event: {
      from: '2026-07-24',
      state: 'blocked',
      note: '居民意见征询同意率未达到三分之二,改造方案调整后重新征询,暂缓开工',
    },
  },
  {
    cat: 'A',
    zh: '东港花园老旧小区改造',
    en: 'Donggang Garden',
    plan: 'tender 11-10>11-06, start 12-05',
    notes: { 9: '施工图审查完成,准备招标' },
  },
  { cat: 'A', zh: '金桥新村老旧小区改造', en: 'Jinqiao New Village', plan: 'tender 11-15>11-13, start 12-18' },
  // 城中村与危旧房改造: 8
  {
    cat: 'B',
    zh: '中兴村城中村改造（一期）',
    en: 'Zhongxing Village urban-village redevelopment (phase 1)',
    plan: 'start 03-31>03-26, topping 12-20',
    co: ['zhongxing'],
    notes: { 6: '一期安置房桩基施工完成', 10: '安置房主体结构施工至第8层' },
  },
  {
    cat: 'B',
    zh: '新开镇区危旧房解危改造',
    en: 'Xinkai town centre dilapidated housing safety works',
    plan: 'start 05-20>05-18, structure 09-30>09-26, accept 11-20>11-17',
  },
  {
    cat: 'B',
    zh: '老洪港片区城中村改造',
    en: 'Laohonggang area urban-village redevelopment',
    plan: 'start 06-30>06-24, topping 12-31',
    notes: { 9: '安置房地下室结构施工中' },
  },
  {
    cat: 'B',
    zh: '新开港片区城中村改造',
    en: 'Xinkaigang area urban-village redevelopment',
    plan: 'start 08-31>09-03, foundation 12-31',
  },
  {
    cat: 'B',
    zh: '竹行老街危旧房改造',
    en: 'Zhuhang Old Street dilapidated housing renovation',
    plan: 'start 10-15>10-26, structure 12-31',
  },
  {
    cat: 'B',
    zh: '通富路东侧城中村改造',
    en: 'East Tongfu Road urban-village redevelopment',
    plan: 'start 06-30, topping 12-31',
    co: ['zhongxing'],
    event: {
      from: '2026-05-25',
      state: 'blocked',
      note: '征收协议未全部签订(尚余7户),不具备进场施工条件,中兴街道正逐户做工作',
    },
  },
  {
    cat: 'B',
    zh: '小海镇区城中村改造',
    en: 'Xiaohai town centre urban-village redevelopment',
    plan: 'tender 11-20>11-19, start 12-08',
  },
  {
    cat: 'B',
    zh: '江山路片区危旧房改造',
    en: 'Jiangshan Road area dilapidated housing renovation',
    plan: 'tender 10-31>10-29, start 12-25',
  },
  // 街区与商业更新: 10
  {
    cat: 'C',
    zh: '星湖大道沿街立面与店招整治',
    en: 'Xinghu Avenue frontage and shop-sign upgrade',
    plan: 'start 02-28>02-25, accept 10-15>10-09',
    notes: { 4: '完成沿街店招拆除更换120块' },
  },
  {
    cat: 'C',
    zh: '竹行邻里中心街区更新',
    en: 'Zhuhang neighbourhood centre street renewal',
    plan: 'start 03-15>03-10, accept 10-31>10-22',
  },
  {
    cat: 'C',
    zh: '能达商务区街区更新',
    en: 'Nengda business district street renewal',
    plan: 'start 04-20>04-16, accept 11-20>11-13',
    notes: { 9: '商务区慢行步道全线贯通' },
  },
  {
    cat: 'C',
    zh: '通盛大道商业街区提升',
    en: 'Tongsheng Avenue commercial street upgrade',
    plan: 'start 05-31>06-05, accept 12-20',
    notes: { 6: '开工较计划推迟一周,已调整施工组织追赶进度' },
  },
  {
    cat: 'C',
    zh: '小海老街商业街区更新',
    en: 'Xiaohai Old Street commercial renewal',
    plan: 'start 06-30>07-15, accept 12-25',
    notes: { 8: '老街立面修缮与架空线入地同步推进' },
  },
  {
    cat: 'C',
    zh: '星湖公园周边街区更新',
    en: 'Xinghu Park surroundings street renewal',
    plan: 'start 08-20>08-25, accept 12-25',
  },
  {
    cat: 'C',
    zh: '新开路夜间经济街区更新',
    en: 'Xinkai Road night-economy street renewal',
    plan: 'start 09-15>09-17, accept 12-28',
  },
  {
    cat: 'C',
    zh: '东方大道口袋公园与街巷更新',
    en: 'Dongfang Avenue pocket parks and lanes renewal',
    plan: 'start 09-30>10-19, accept 12-30',
  },
  {
    cat: 'C',
    zh: '江海大道沿线街区微更新',
    en: 'Jianghai Avenue micro-renewal',
    plan: 'start 11-15>11-18, accept 12-31',
  },
  {
    cat: 'C',
    zh: '综保区生活配套街区更新',
    en: 'Bonded-zone living-amenities street renewal',
    plan: 'tender 11-10>11-11, start 12-15',
  },
  // 低效工业用地更新: 8
  {
    cat: 'D',
    zh: '通达路低效工业用地再开发',
    en: 'Tongda Road low-efficiency industrial land redevelopment',
    plan: 'start 04-30>04-24, structure 10-31>10-27, accept 12-25',
    co: ['ipb'],
    notes: { 6: '原厂房拆除完成,场地平整中' },
  },
  {
    cat: 'D',
    zh: '星海路老厂区“工改工”更新',
    en: 'Xinghai Road old plant industrial-to-industrial upgrade',
    plan: 'start 06-20>06-19, structure 11-30, accept 12-31',
    co: ['ipb'],
    notes: { 11: '主体完工预计12月上旬,较计划略有推迟' },
  },
  {
    cat: 'D',
    zh: '齐心路片区低效用地改造',
    en: 'Qixin Road area low-efficiency land renewal',
    plan: 'start 07-31>08-05, structure 12-20',
    co: ['ipb'],
  },
  {
    cat: 'D',
    zh: '新开北路老旧厂房“工改研”更新',
    en: 'North Xinkai Road old factories converted to R&D space',
    plan: 'start 09-20>09-24, structure 12-28',
    co: ['ipb'],
    lastMonth: 9,
    notes: { 9: '首批研发用房装修设计完成' },
  },
  {
    cat: 'D',
    zh: '兴业路标准厂房提质更新',
    en: 'Xingye Road standard factory upgrade',
    plan: 'start 09-30>10-12, structure 12-28',
    co: ['ipb'],
  },
  {
    cat: 'D',
    zh: '宏兴路片区低效用地再开发',
    en: 'Hongxing Road area low-efficiency land redevelopment',
    plan: 'start 09-30, structure 12-31',
    co: ['ipb'],
    event: { from: '2026-09-15', state: 'delayed', note: '土地收储补偿协议尚在谈判,开工推迟' },
  },
  {
    cat: 'D',
    zh: '富民港路工业片区“腾笼换鸟”更新',
    en: 'Fumingang Road industrial area vacate-and-replace renewal',
    plan: 'tender 11-25>11-20, start 12-20',
    co: ['ipb'],
  },
  {
    cat: 'D',
    zh: '能达东路旧厂房改建科创空间',
    en: 'East Nengda Road old factory converted to innovation space',
    plan: 'tender 11-15>11-16, start 12-28',
    co: ['ipb'],
  },
];

/** Old-compound rows give only the compound's name; the rest of the English name is the same for all. */
const englishName = (row: RenewalRow) => (row.cat === 'A' ? `${row.en} old residential compound renovation` : row.en);

function parsePlan(plan: string): TrackMilestone[] {
  return plan.split(',').map((part, i) => {
    const m = /^\s*(\w+) (\d\d-\d\d)(?:>(\d\d-\d\d))?\s*$/.exec(part);
    if (!m || !(m[1]! in STAGE)) throw new Error(`bad plan entry "${part}"`);
    const stage = m[1] as Stage;
    const s = STAGE[stage];
    return {
      id: `m${i + 1}`,
      name: { zh: s.zh, en: s.en },
      due: md(m[2]!),
      ...(m[3] ? { reached: md(m[3]) } : {}),
      percent: s.percent,
      isStart: stage === 'start',
      completes: stage === 'accept',
      note: s.note,
    };
  });
}

const renewalProjects: ProjectIn[] = RENEWAL.map((row, i) => {
  const id = `ur-${pad(i + 1)}`;
  const track = addTrack({
    itemId: id,
    cadence: 'monthly',
    milestones: parsePlan(row.plan),
    ...(row.event ? { events: [row.event] } : {}),
    ...(row.lastMonth ? { lastMonth: row.lastMonth } : {}),
    ...(row.notes ? { notes: row.notes } : {}),
  });
  return {
    id,
    departmentId: 'hurdb',
    ...(row.co ? { coDepartmentIds: row.co } : {}),
    name: { zh: row.zh, en: englishName(row) },
    category: CATEGORY[row.cat],
    tags: ['城市更新', 'urban renewal'],
    period: PERIOD,
    reporting: MONTHLY,
    milestones: storedMilestones(track),
    sample: true,
    source: RENEWAL_SOURCE,
  };
});

const renewalStart = (id: string) => trackById.get(id)!.milestones.find((m) => m.isStart)!;
/** Renewal projects whose works had started on a date. */
const renewalStartedBy = (date: string) => renewalProjects.filter((p) => isReached(renewalStart(p.id), date)).length;
const renewalDoneBy = (date: string) =>
  renewalProjects.filter((p) => stateOn(trackById.get(p.id)!, date) === 'done').length;
const renewalBlockedOn = (date: string) =>
  renewalProjects.filter((p) => stateOn(trackById.get(p.id)!, date) === 'blocked').length;

// ---------------------------------------------------------------------------------------------
// 科技创新局 (sample owner): AI+ carrier chain and the three cross-river platforms
// ---------------------------------------------------------------------------------------------

const AI_SOURCE = '构建“孵化器—加速器—研发社区—产业基地”全链条载体平台';
const AI_CATEGORY = { zh: 'AI+全链条载体平台', en: 'AI+ full-chain carrier platforms' };
const CROSS_RIVER_CATEGORY = { zh: '跨江融合重大平台', en: 'Cross-river integration platforms' };

interface PlatformRow {
  id: string;
  name: Text;
  category: Text;
  tags: string[];
  source: string;
  co?: string[];
  /** Milestones as [zh, en, due MM-DD, reached MM-DD or '' if not yet, percent once reached]; ids m1, m2… by position. */
  milestones: [string, string, string, string, number][];
  lastMonth?: number;
  notes?: Record<number, string>;
}

const PLATFORMS: PlatformRow[] = [
  {
    id: 'ai-incubator',
    name: { zh: 'AI+孵化器', en: 'AI+ incubator' },
    category: AI_CATEGORY,
    tags: ['AI+制造', 'AI+数据'],
    source: AI_SOURCE,
    milestones: [
      ['载体装修改造完成', 'Space fitted out', '04-30', '04-27', 30],
      ['专业运营机构招引到位', 'Professional operator appointed', '06-30', '06-22', 50],
      ['首批入孵企业签约', 'First incubatees signed', '09-30', '09-18', 75],
      ['申报省级科技企业孵化器', 'Application for provincial incubator status', '12-20', '', 100],
    ],
    notes: { 10: '已入孵企业18家,其中AI+制造方向11家' },
  },
  {
    id: 'ai-accelerator',
    name: { zh: 'AI+加速器', en: 'AI+ accelerator' },
    category: AI_CATEGORY,
    tags: ['AI+制造', 'AI+数据'],
    source: AI_SOURCE,
    milestones: [
      ['选址与改造方案确定', 'Site and conversion plan fixed', '03-31', '03-25', 15],
      ['改造工程开工', 'Conversion works start', '05-31', '06-10', 30],
      ['主体改造完成', 'Main conversion complete', '10-31', '10-28', 75],
      ['投入运营', 'Opens for tenants', '12-31', '', 100],
    ],
    notes: { 6: '改造工程开工较计划推迟10天,已倒排工期' },
  },
  {
    // Stale: the last report came in September.
    id: 'ai-rd-community',
    name: { zh: 'AI+研发社区', en: 'AI+ R&D community' },
    category: AI_CATEGORY,
    tags: ['AI+制造', 'AI+数据'],
    source: AI_SOURCE,
    milestones: [
      ['规划设计方案批复', 'Design scheme approved', '04-30', '05-06', 20],
      ['一期开工', 'Phase 1 works start', '07-31', '08-12', 40],
      ['一期主体封顶', 'Phase 1 structure topped out', '12-31', '', 80],
    ],
    lastMonth: 9,
  },
  {
    id: 'ai-industrial-base',
    name: { zh: 'AI+产业基地', en: 'AI+ industrial base' },
    category: AI_CATEGORY,
    tags: ['AI+制造', 'AI+数据'],
    source: AI_SOURCE,
    co: ['ipb'],
    milestones: [
      ['基地规划与产业定位明确', 'Base plan and industry focus set', '03-31', '03-30', 20],
      ['首批AI+项目签约', 'First AI+ projects signed', '06-30', '06-28', 45],
      ['首期标准厂房交付使用', 'First standard factory buildings handed over', '12-18', '', 100],
    ],
    notes: { 11: '首期标准厂房消防验收中,预计12月中旬交付' },
  },
  {
    id: 'xr-nicc-nantong',
    name: {
      zh: '长三角国创中心南通分中心',
      en: 'Nantong Branch of the Yangtze River Delta National Technology Innovation Center',
    },
    category: CROSS_RIVER_CATEGORY,
    tags: ['跨江融合', '科创平台'],
    source: '长三角国创中心南通分中心',
    milestones: [
      ['年度共建协议续签', 'Annual co-building agreement renewed', '03-31', '03-20', 20],
      ['新建联合创新中心', 'New joint innovation centres set up', '06-30', '06-30', 45],
      ['企业技术需求对接会', 'Technology-needs matchmaking with firms', '09-30', '09-24', 70],
      ['年度绩效评估', 'Annual performance review', '12-20', '', 100],
    ],
  },
  {
    id: 'xr-pku-optoelectronics',
    name: { zh: '北大长三角光电研究院', en: 'Peking University Yangtze River Delta Institute of Optoelectronics' },
    category: CROSS_RIVER_CATEGORY,
    tags: ['跨江融合', '科创平台'],
    source: '北大长三角光电研究院',
    milestones: [
      ['研发大楼二期入驻', 'Moves into R&D building phase 2', '05-31', '05-29', 35],
      ['成果转化项目落地', 'Technology-transfer projects established', '09-30', '10-15', 70],
      ['年度考核', 'Annual assessment', '12-20', '', 100],
    ],
    notes: { 9: '2个转化项目已完成工商注册,1个待落地' },
  },
  {
    id: 'xr-miit-yrd-center',
    name: {
      zh: '工信部制造业创新成果产业化长三角中心',
      en: 'MIIT Yangtze River Delta Center for Industrialising Manufacturing Innovation',
    },
    category: CROSS_RIVER_CATEGORY,
    tags: ['跨江融合', '科创平台'],
    source: '工信部制造业创新成果产业化长三角中心',
    co: ['ipb'],
    milestones: [
      ['中心运营团队组建', 'Operating team in place', '04-30', '04-26', 30],
      ['首批创新成果发布对接会', 'First innovation showcase and matchmaking', '07-31', '07-30', 55],
      ['产业化项目签约落地', 'Industrialisation projects signed', '12-08', '', 100],
    ],
  },
];

/** Commitment and platform milestones from [zh, en, due, reached, percent] rows. */
function milestoneRows(rows: [string, string, string, string, number][]): TrackMilestone[] {
  return rows.map(([zh, en, due, reached, percent], i) => ({
    id: `m${i + 1}`,
    name: { zh, en },
    due: md(due),
    ...(reached ? { reached: md(reached) } : {}),
    percent,
    note: `完成:${zh}`,
  }));
}

const platformProjects: ProjectIn[] = PLATFORMS.map((row) => {
  const track = addTrack({
    itemId: row.id,
    cadence: 'monthly',
    milestones: milestoneRows(row.milestones),
    ...(row.lastMonth ? { lastMonth: row.lastMonth } : {}),
    ...(row.notes ? { notes: row.notes } : {}),
  });
  return {
    id: row.id,
    departmentId: 'stib',
    ...(row.co ? { coDepartmentIds: row.co } : {}),
    name: row.name,
    category: row.category,
    tags: row.tags,
    period: PERIOD,
    reporting: MONTHLY,
    milestones: storedMilestones(track),
    // The three platforms are named in the article, but owner, milestones and dates are sample.
    sample: true,
    source: row.source,
  };
});

// ---------------------------------------------------------------------------------------------
// Targets and their monthly figures
// ---------------------------------------------------------------------------------------------

/** Statistics for month M-1 come out around the 20th of month M; February carries January's flash estimate. */
const statDate = (month: number) => (month === 2 ? '2026-02-25' : workday(`${YEAR}-${pad(month)}-20`));
const statLabel = (month: number) => (month === 2 ? '1月快报' : `1-${month - 1}月`);
/** Month-end report date for counts. */
const monthEnd = (month: number) => workday(fromDayNumber(dayNumber(`${YEAR}-${pad(month + 1)}-01`) - 1));
const countDate = (month: number) => (month === LAST_MONTH ? workday(LAST_DAY) : monthEnd(month));

/** Value-added growth, year to date, % (sample figures; the 7.5 target is the article's). Ends at 7.2: amber. */
const IVA = [6.1, 6.8, 7.6, 7.8, 7.7, 7.9, 7.6, 7.4, 7.3, 7.2];
const IVA_REMARKS: Record<number, string> = {
  2: '开局增速偏低,部分重点企业新增产能尚在爬坡',
  9: '电子信息行业订单回落,增速连续两月放缓',
  11: '增速低于7.5%的年度目标,正开展重点企业“一企一策”帮扶',
};
/** Wholesale and retail sales, year on year, % (sample): negative, turning slightly positive. */
const RETAIL = [-3.2, -2.6, -1.9, -1.2, -0.7, -0.3, 0.2, 0.5, 0.9, 1.2];
const RETAIL_REMARKS: Record<number, string> = { 8: '累计增速年内首次转正' };
/** 中兴街道 venues, month-end counts (sample). */
const RED_VENUES = [0, 1, 1, 2, 3, 3, 4, 5, 5, 6];
const WARM_STATIONS = [0, 1, 2, 3, 4, 6, 7, 8, 9, 9];
/** New industrial projects of ¥100 million or more signed, month-end (sample). */
const SIGNED = [3, 8, 13, 18, 25, 29, 34, 40, 45, 51];
/** Idle factory floor space left, 10,000 m², reported after each quarter (sample; a decreasing target). */
const IDLE_FACTORY: [number, number][] = [
  [4, 43.1],
  [7, 38.9],
  [10, 32.4],
];
/** Firms newly moved into the AI+ carriers, month-end (sample). Far behind: red. */
const CARRIER_FIRMS = [0, 4, 9, 14, 20, 26, 31, 38, 45, 52];

const valueOf = (series: number[], month: number) => series[month - FIRST_MONTH]!;
const fmt = (n: number) => n.toFixed(1);
const signed = (n: number) => (n >= 0 ? `增长${fmt(n)}%` : `下降${fmt(-n)}%`);

function emitSeries(
  itemId: string,
  index: number,
  dateOf: (month: number) => string,
  series: number[],
  note?: (month: number, value: number) => string | undefined,
) {
  months(FIRST_MONTH, LAST_MONTH).forEach((month) => {
    const value = valueOf(series, month);
    const { hour, minute } = reportTime(index, month);
    const n = note?.(month, value);
    addUpdate({ itemId, at: at(dateOf(month), hour, minute), value, ...(n ? { note: n } : {}) });
  });
}

const increment = (series: number[], month: number) =>
  valueOf(series, month) - (month > FIRST_MONTH ? valueOf(series, month - 1) : 0);

const targets: TargetIn[] = [
  {
    id: 't-edb-iva-growth',
    departmentId: 'edb',
    name: { zh: '规上工业增加值增速', en: 'Growth of industrial value added (above designated size)' },
    category: { zh: '经济运行', en: 'Economic performance' },
    tags: ['十五五', '工业'],
    kind: 'level',
    unit: { zh: '%', en: '%' },
    target: 7.5,
    comparator: 'atLeast',
    // The amber band is a product setting, not a figure from the article.
    tolerance: 0.5,
    period: PERIOD,
    reporting: MONTHLY,
    source: '力争规上工业增加值7.5%以上',
  },
  {
    id: 't-edb-retail-growth',
    departmentId: 'edb',
    name: { zh: '批发零售业销售额增速', en: 'Wholesale and retail sales growth' },
    category: { zh: '经济运行', en: 'Economic performance' },
    tags: ['十五五', '商贸'],
    kind: 'level',
    unit: { zh: '%', en: '%' },
    // "企稳回升" has no figure in the article: year-on-year growth of at least 0 is a sample proxy.
    target: 0,
    comparator: 'atLeast',
    tolerance: 1,
    period: PERIOD,
    reporting: MONTHLY,
    sample: true,
    source: '批发零售企稳回升',
  },
  {
    id: 't-hurdb-renewal-starts',
    departmentId: 'hurdb',
    name: { zh: '城市更新项目开工数', en: 'Urban-renewal projects started' },
    category: { zh: '城市更新', en: 'Urban renewal' },
    tags: ['城市更新', 'urban renewal'],
    kind: 'cumulative',
    unit: { zh: '项', en: 'projects' },
    baseline: 0,
    target: 40,
    // The 40 are the article's; the quarterly checkpoints are sample.
    checkpoints: [
      { date: '2026-03-31', share: 0.15 },
      { date: '2026-06-30', share: 0.45 },
      { date: '2026-09-30', share: 0.75 },
    ],
    period: PERIOD,
    reporting: MONTHLY,
    sample: true,
    source: RENEWAL_SOURCE,
  },
  {
    id: 't-zx-red-venues',
    departmentId: 'zhongxing',
    name: { zh: '新建提升红色阵地', en: 'Party-building venues built or upgraded' },
    category: { zh: '党建与基层治理', en: 'Party building and community governance' },
    tags: ['党建', '红色阵地'],
    kind: 'cumulative',
    unit: { zh: '个', en: 'venues' },
    baseline: 0,
    target: 6,
    period: PERIOD,
    reporting: MONTHLY,
    sample: true,
    source: '建强红色阵地和暖心驿站',
  },
  {
    id: 't-zx-warm-stations',
    departmentId: 'zhongxing',
    name: { zh: '新建暖心驿站', en: 'Warm-heart rest stations opened' },
    category: { zh: '党建与基层治理', en: 'Party building and community governance' },
    tags: ['党建', '暖心驿站', '民生'],
    kind: 'cumulative',
    unit: { zh: '个', en: 'stations' },
    baseline: 0,
    target: 10,
    period: PERIOD,
    reporting: MONTHLY,
    sample: true,
    source: '建强红色阵地和暖心驿站',
  },
  {
    id: 't-ipb-signed-projects',
    departmentId: 'ipb',
    name: { zh: '新签约亿元以上产业项目', en: 'New industrial projects of ¥100 million+ signed' },
    category: { zh: '招商引资', en: 'Investment attraction' },
    tags: ['招商', '4+6'],
    kind: 'cumulative',
    unit: { zh: '个', en: 'projects' },
    baseline: 0,
    target: 60,
    period: PERIOD,
    reporting: MONTHLY,
    sample: true,
    source: '全面重塑“4+6”招商体系',
  },
  {
    // A decreasing target (target below baseline): idle factory space to be brought back into use.
    id: 't-ipb-idle-factory',
    departmentId: 'ipb',
    coDepartmentIds: ['hurdb'],
    name: { zh: '存量闲置厂房面积', en: 'Idle factory floor space remaining' },
    category: { zh: '招商引资', en: 'Investment attraction' },
    tags: ['招商', '盘活存量'],
    kind: 'cumulative',
    unit: { zh: '万平方米', en: '10,000 m²' },
    baseline: 45,
    target: 30,
    period: PERIOD,
    reporting: QUARTERLY,
    sample: true,
    source: '不断提高招商引资、项目服务水平',
  },
  {
    id: 't-stib-carrier-firms',
    departmentId: 'stib',
    name: { zh: 'AI+载体新增入驻企业', en: 'Firms newly moved into AI+ carriers' },
    category: { zh: '科技创新', en: 'Innovation' },
    tags: ['AI+制造', 'AI+数据'],
    kind: 'cumulative',
    unit: { zh: '家', en: 'firms' },
    baseline: 0,
    target: 120,
    period: PERIOD,
    reporting: MONTHLY,
    sample: true,
    source: AI_SOURCE,
  },
];

// Target histories. Index offsets keep their report times apart from the project tracks.
emitSeries('t-edb-iva-growth', 100, statDate, IVA, (month, v) =>
  [`${statLabel(month)}规上工业增加值同比增长${fmt(v)}%`, IVA_REMARKS[month]].filter(Boolean).join(','),
);
emitSeries('t-edb-retail-growth', 101, statDate, RETAIL, (month, v) =>
  [`${statLabel(month)}批发零售业销售额同比${signed(v)}`, RETAIL_REMARKS[month]].filter(Boolean).join(','),
);
emitSeries(
  't-hurdb-renewal-starts',
  102,
  countDate,
  months(FIRST_MONTH, LAST_MONTH).map((m) => renewalStartedBy(countDate(m))),
  (month, v) => {
    const prev = month > FIRST_MONTH ? renewalStartedBy(countDate(month - 1)) : 0;
    return `累计开工${v}项,本月新开工${v - prev}项`;
  },
);
emitSeries('t-zx-red-venues', 103, countDate, RED_VENUES, (month, v) =>
  increment(RED_VENUES, month) > 0 ? `本月新建成${increment(RED_VENUES, month)}个,累计${v}个` : undefined,
);
emitSeries('t-zx-warm-stations', 104, countDate, WARM_STATIONS, (month, v) =>
  increment(WARM_STATIONS, month) > 0 ? `本月新建成${increment(WARM_STATIONS, month)}个,累计${v}个` : undefined,
);
emitSeries('t-ipb-signed-projects', 105, countDate, SIGNED, (month) =>
  month === 6 ? '上半年集中签约活动新签7个' : undefined,
);
emitSeries('t-stib-carrier-firms', 106, countDate, CARRIER_FIRMS, (month) =>
  month >= 9 ? '加速器、研发社区尚未投运,新增入驻企业进度滞后' : undefined,
);
IDLE_FACTORY.forEach(([month, value], q) => {
  const { hour, minute } = reportTime(107, month);
  addUpdate({
    itemId: 't-ipb-idle-factory',
    at: at(workday(`${YEAR}-${pad(month)}-15`), hour, minute),
    value,
    note: `截至${q + 1}季度末存量闲置厂房${fmt(value)}万平方米`,
  });
});

/** The latest value a target had reported by a date (for commitment summaries). */
function latestValue(targetId: string, date: string): number | undefined {
  const end = `${date}T23:59:59+08:00`;
  return updates.filter((u) => u.itemId === targetId && u.at <= end && u.value !== undefined).at(-1)?.value;
}

// ---------------------------------------------------------------------------------------------
// Commitments
// ---------------------------------------------------------------------------------------------

const ALL_OTHER_DEPARTMENTS = ['edb', 'hurdb', 'zhongxing', 'ipb', 'stib'];
const average = (ids: string[]) => (date: string) =>
  Math.round(ids.reduce((s, id) => s + percentOn(trackById.get(id)!, date), 0) / ids.length);
const AI_PROJECTS = PLATFORMS.filter((p) => p.id.startsWith('ai-')).map((p) => p.id);
const CROSS_RIVER_PROJECTS = PLATFORMS.filter((p) => p.id.startsWith('xr-')).map((p) => p.id);
const ZHONGXING_PROJECTS = renewalProjects.filter((p) => p.coDepartmentIds?.includes('zhongxing')).map((p) => p.id);

interface CommitmentRow {
  id: string;
  departmentId: string;
  co?: string[];
  name: Text;
  pledge: Text;
  targetIds?: string[];
  projectIds?: string[];
  milestones?: [string, string, string, string, number][];
  cadence: 'monthly' | 'quarterly';
  /** true: the commitment's names/figures beyond the article's (owner, milestones) are sample. */
  sample: boolean;
  track?: Partial<Track>;
}

const COMMITMENTS: CommitmentRow[] = [
  {
    id: 'c-edb-growth',
    departmentId: 'edb',
    name: { zh: '推动量的合理增长', en: 'Reasonable growth in volume' },
    pledge: {
      zh: '围绕“十年两千亿”的外延式愿景,推动量的合理增长,力争规上工业增加值7.5%以上,批发零售企稳回升',
      en: 'Under the "200 billion in ten years" vision, grow volume reasonably: industrial value added above designated size up 7.5% or more; wholesale and retail to stabilise and recover',
    },
    targetIds: ['t-edb-iva-growth', 't-edb-retail-growth'],
    cadence: 'quarterly',
    sample: false,
    track: {
      reportsPercent: false,
      summary: (date) =>
        `规上工业增加值增速${fmt(latestValue('t-edb-iva-growth', date)!)}%,批发零售业销售额同比${signed(latestValue('t-edb-retail-growth', date)!)}`,
    },
  },
  {
    id: 'c-hurdb-renewal',
    departmentId: 'hurdb',
    name: { zh: '四大类40项城市更新项目', en: '40 urban-renewal projects in four categories' },
    pledge: {
      zh: '实施四大类共40项更新项目,促进城市品质提升与产业能级跃升有机统一',
      en: 'Carry out 40 renewal projects in four categories, uniting better city quality with industrial upgrading',
    },
    targetIds: ['t-hurdb-renewal-starts'],
    projectIds: renewalProjects.map((p) => p.id),
    cadence: 'quarterly',
    sample: false,
    track: {
      reportsPercent: false,
      summary: (date) => {
        const blocked = renewalBlockedOn(date);
        return `已开工${renewalStartedBy(date)}项,竣工${renewalDoneBy(date)}项${blocked ? `,受阻${blocked}项` : ''}`;
      },
    },
  },
  {
    id: 'c-zx-frontline',
    departmentId: 'zhongxing',
    name: { zh: '“三个一线”攻坚行动', en: 'The "three frontlines" campaign' },
    pledge: { zh: '广泛开展“三个一线”攻坚行动', en: 'Carry out the "three frontlines" campaign widely' },
    milestones: [
      ['印发“三个一线”攻坚行动方案', 'Campaign plan issued', '03-10', '03-06', 15],
      ['建立项目一线走访联系机制', 'Frontline visiting mechanism set up', '04-15', '04-10', 30],
      ['上半年攻坚成效评议', 'Mid-year review', '07-15', '07-14', 55],
      ['重点项目一线走访全覆盖', 'Every key project visited on the frontline', '10-31', '10-24', 80],
      ['年度攻坚总结', 'Year-end review', '12-25', '', 100],
    ],
    cadence: 'monthly',
    sample: true,
    track: { notes: { 6: '走访辖区企业和项目工地42次,协调解决问题15件' } },
  },
  {
    id: 'c-zx-venues',
    departmentId: 'zhongxing',
    name: { zh: '红色阵地和暖心驿站', en: 'Party-building venues and warm-heart rest stations' },
    pledge: { zh: '建强红色阵地和暖心驿站', en: 'Build up Party-building venues and warm-heart rest stations' },
    targetIds: ['t-zx-red-venues', 't-zx-warm-stations'],
    cadence: 'quarterly',
    sample: false,
    track: {
      reportsPercent: false,
      summary: (date) =>
        `红色阵地已建成${latestValue('t-zx-red-venues', date)}个,暖心驿站已建成${latestValue('t-zx-warm-stations', date)}个`,
    },
  },
  {
    id: 'c-zx-party-building',
    departmentId: 'zhongxing',
    co: ['hurdb'],
    name: { zh: '党建强基服务保障项目', en: 'Party building in service of project delivery' },
    pledge: {
      zh: '以党建强基服务保障项目高效推进',
      en: 'Strengthen Party building at the grassroots to serve and safeguard efficient project delivery',
    },
    projectIds: ZHONGXING_PROJECTS,
    milestones: [
      ['组建重点项目临时党支部', 'Temporary Party branches at key projects', '03-31', '03-27', 20],
      ['推行“党建+项目服务”专员制度', 'Project service liaisons in place', '05-31', '05-20', 40],
      ['征收攻坚党员突击队进场', 'Party-member task force for land acquisition', '08-31', '08-18', 60],
      ['年度党建联建成效评议', 'Year-end review of joint Party building', '12-18', '', 100],
    ],
    cadence: 'monthly',
    sample: true,
    track: {
      notes: {
        6: '为中兴村城中村改造协调解决临时用电、渣土外运等问题5件',
        11: '通富路东侧城中村征收尚余7户,党员突击队逐户走访',
      },
    },
  },
  {
    id: 'c-ipb-investment-system',
    departmentId: 'ipb',
    name: { zh: '重塑“4+6”招商体系', en: 'Rebuild the "4+6" investment-attraction system' },
    pledge: {
      zh: '围绕制造业、科技、服务业三大领域,以体制机制改革为牵引,以专业能力建设为核心,全面重塑“4+6”招商体系',
      en: 'Around manufacturing, technology and services, led by institutional reform and built on professional capability, fully rebuild the "4+6" investment-attraction system',
    },
    targetIds: ['t-ipb-signed-projects', 't-ipb-idle-factory'],
    milestones: [
      ['“4+6”招商体系重塑方案出台', 'Plan to rebuild the "4+6" system issued', '03-31', '03-27', 20],
      ['招商专班组建到位', 'Investment task forces staffed', '04-30', '05-12', 40],
      ['招商考核激励办法印发', 'Assessment and incentive rules issued', '06-30', '', 60],
      ['专业招商人员轮训', 'Professional investment staff trained', '09-30', '09-25', 75],
      ['年度招商绩效评估', 'Annual investment performance review', '12-20', '', 100],
    ],
    cadence: 'monthly',
    sample: true,
    track: {
      events: [{ from: '2026-07-06', state: 'delayed', note: '招商考核激励办法仍在征求意见,待党工委会议审议后印发' }],
    },
  },
  {
    id: 'c-stib-ai-chain',
    departmentId: 'stib',
    name: { zh: 'AI+全链条载体平台', en: 'AI+ full-chain carrier platforms' },
    pledge: {
      zh: '以“AI+制造”“AI+数据”为牵引,构建“孵化器—加速器—研发社区—产业基地”全链条载体平台',
      en: 'Led by "AI+ manufacturing" and "AI+ data", build the full chain of carriers: incubator, accelerator, R&D community, industrial base',
    },
    targetIds: ['t-stib-carrier-firms'],
    projectIds: AI_PROJECTS,
    milestones: [
      ['出台AI+全链条载体建设实施方案', 'Implementation plan for the AI+ carrier chain issued', '04-15', '04-10', 10],
    ],
    cadence: 'monthly',
    sample: true,
    // Progress of the programme is the average of its four carrier projects.
    track: { percentOverride: average(AI_PROJECTS) },
  },
  {
    id: 'c-stib-cross-river',
    departmentId: 'stib',
    name: { zh: '跨江融合重大平台', en: 'Cross-river integration platforms' },
    pledge: {
      zh: '做大做强长三角国创中心南通分中心、北大长三角光电研究院、工信部制造业创新成果产业化长三角中心等重大平台,加快链接高成长性企业、高校院所、创投基金等创新资源',
      en: 'Strengthen the major cross-river platforms (YRD innovation center Nantong branch, PKU optoelectronics institute, MIIT industrialisation center); link growth firms, universities and venture funds',
    },
    projectIds: CROSS_RIVER_PROJECTS,
    milestones: [
      [
        '出台跨江融合创新资源对接工作方案',
        'Work plan for linking cross-river innovation resources issued',
        '03-31',
        '04-03',
        10,
      ],
    ],
    cadence: 'monthly',
    sample: true,
    track: { percentOverride: average(CROSS_RIVER_PROJECTS) },
  },
  {
    id: 'c-sup-1223',
    departmentId: 'supervision',
    co: ALL_OTHER_DEPARTMENTS,
    name: { zh: '“1223”跨越发展行动', en: 'The "1223" leapfrog development action' },
    pledge: {
      zh: '始终紧扣“四主一最一中心”总体定位,坚持以“开放、创新、活力”为鲜明导向,大力实施“1223”跨越发展行动',
      en: 'Keep to the "四主一最一中心" overall positioning, orient by openness, innovation and vitality, and carry out the "1223" leapfrog development action',
    },
    targetIds: ['t-edb-iva-growth', 't-hurdb-renewal-starts', 't-ipb-signed-projects'],
    milestones: [
      ['印发“1223”跨越发展行动方案', 'The "1223" action plan issued', '03-15', '03-12', 15],
      ['一季度目标任务督查通报', 'Q1 progress bulletin', '04-20', '04-17', 35],
      ['半年综合督查', 'Mid-year comprehensive inspection', '07-31', '07-28', 55],
      ['三季度督查通报', 'Q3 progress bulletin', '10-20', '10-21', 75],
      ['年度目标考核', 'Annual target assessment', '12-31', '', 100],
    ],
    cadence: 'quarterly',
    sample: true,
  },
];

const commitments: CommitmentIn[] = COMMITMENTS.map((row) => {
  const track = addTrack({
    itemId: row.id,
    cadence: row.cadence,
    milestones: milestoneRows(row.milestones ?? []),
    ...row.track,
  });
  return {
    id: row.id,
    departmentId: row.departmentId,
    ...(row.co ? { coDepartmentIds: row.co } : {}),
    name: row.name,
    period: PERIOD,
    reporting: row.cadence === 'monthly' ? MONTHLY : QUARTERLY,
    pledge: row.pledge,
    ...(row.targetIds ? { targetIds: row.targetIds } : {}),
    ...(row.projectIds ? { projectIds: row.projectIds } : {}),
    ...(row.milestones ? { milestones: storedMilestones(track) } : {}),
    ...(row.sample ? { sample: true } : {}),
    source: row.pledge.zh,
  };
});

// ---------------------------------------------------------------------------------------------
// Assemble, check, write
// ---------------------------------------------------------------------------------------------

tracks.forEach(emitTrack);

// Number updates in time order (ties keep the order they were added in).
const ordered = updates
  .map((u, i) => ({ u, i }))
  .sort((a, b) => (a.u.at < b.u.at ? -1 : a.u.at > b.u.at ? 1 : a.i - b.i))
  .map(({ u }, n) => ({ id: `u-${String(n + 1).padStart(4, '0')}`, ...u }) as UpdateIn);

const doc = {
  version: FORMAT_VERSION,
  meta: {
    zone: { zh: '南通经济技术开发区', en: 'Nantong Economic & Technological Development Zone' },
    year: YEAR,
    sampleNotice:
      '除2026年全区工作会议报道中出现的单位、目标和数字外,其余名称、数字和进度记录均为示例数据。' +
      "Names, figures and progress records not found in the article on the zone's 2026 work meeting are sample data.",
  },
  departments,
  targets,
  projects: [...renewalProjects, ...platformProjects],
  commitments,
  updates: ordered,
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`seed check failed: ${message}`);
}

// The planned works starts must agree with the count target's checkpoints (and all 40 start in 2026).
const countTarget = targets.find((t) => t.id === 't-hurdb-renewal-starts');
check(countTarget?.kind === 'cumulative', 'count target');
for (const cp of [...(countTarget.checkpoints ?? []), { date: PERIOD.end, share: 1 }]) {
  const planned = renewalProjects.filter((p) => renewalStart(p.id).due <= cp.date).length;
  check(
    planned === Math.round(cp.share * 40),
    `${planned} starts planned by ${cp.date}, checkpoint says ${cp.share * 40}`,
  );
}
// Every project and commitment ends with a regular report, never a bare milestone report, so "the
// latest state" of an item is always an item-level state.
for (const t of tracks) {
  const last = ordered.filter((u) => u.itemId === t.itemId).at(-1);
  check(last && !last.milestoneId, `${t.itemId}: last update is a milestone report`);
}
check(
  ordered.every((u) => u.at >= '2026-02-01' && u.at <= `${LAST_DAY}T23:59:59+08:00`),
  'update outside Feb 1 – Nov 27',
);

ImportFile.parse(doc);
const parsed = Database.safeParse(doc);
if (!parsed.success) {
  console.error(parsed.error.issues);
  throw new Error('seed does not validate as a Database document');
}

writeFileSync(OUT, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
console.log(
  `wrote ${OUT.pathname}: ${departments.length} departments, ${targets.length} targets, ${doc.projects.length} projects, ` +
    `${commitments.length} commitments, ${ordered.length} updates`,
);
