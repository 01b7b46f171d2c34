/**
 * 交办 and 签收: reading a leader's instruction or a meeting's decision into the fields of an assigned
 * item (what, lead and supporting departments, deadline, urgency, source), checking what a person
 * submitted, and who may assign and sign. Pure: every function that needs a date takes it.
 *
 * The reading never guesses: a field the text does not state stays empty for the person to fill.
 */
import type { WorkingCalendar } from './calendar.ts';
import { addDays, endOfMonth, isCalendarDate } from './dates.ts';
import { own } from './lookup.ts';
import { findDepartmentsInText } from './match.ts';
import { resolveMarkup, simplified } from './reading/normalise.ts';
import { parseChineseNumeral } from './reading/numbers.ts';
import type { AssignmentSource, Commitment, Department, MessageRef, Settings, Urgency } from './schema.ts';

/** The longest name (and pledge) an item may have: the store's Text limit. */
export const NAME_MAX = 200;
/** The longest quote of the source message kept with the assignment. */
export const QUOTE_MAX = 2000;

export type AssignDraft = {
  /** What is to be done: the message's text, trimmed (at most NAME_MAX). */
  name: string;
  leadId?: string;
  coIds: string[];
  deadline?: string;
  urgency: Urgency;
  source: AssignmentSource;
  /** The message's words as said (Slack markup resolved), for the assignment's quote. */
  quote: string;
};

// -------------------------------------------------------------------------------------------------
// Deadlines
// -------------------------------------------------------------------------------------------------

const NUM = '[0-9０-９]+|[零〇一二两三四五六七八九十]+';
const number = (s: string): number | undefined =>
  /^[0-9０-９]+$/.test(s) ? Number(s.normalize('NFKC')) : parseChineseNumeral(s);
const pad = (n: number) => String(n).padStart(2, '0');

/** A date the text states, where it starts and whether a deadline word (前, 底前, 完成…) follows it. */
type Found = { date: string; at: number; marked: boolean };

/** Words after a date that make it a deadline rather than a date mentioned in passing. */
const DEADLINE_AFTER = /^\s*(?:[(（][^)）]{0,6}[)）])?\s*(?:前|之前|以前|为限|截止|到期|完成|办结|落实|上报|报送|反馈)/;
/** Words before a date that make it a deadline. */
const DEADLINE_BEFORE = /(?:于|在|限|到|至|截至|截止|不晚于|时限[:：]?|期限[:：]?)\s*$/;

function found(
  text: string,
  at: number,
  length: number,
  date: string | undefined,
  out: Found[],
  deadline: boolean,
): void {
  if (!date || !isCalendarDate(date)) return;
  const after = text.slice(at + length, at + length + 12);
  const before = text.slice(Math.max(0, at - 8), at);
  out.push({ date, at, marked: deadline || DEADLINE_AFTER.test(after) || DEADLINE_BEFORE.test(before) });
}

/** A month and day without a year: this year's, or next year's when this year's has passed. */
function nextOccurrence(month: number, day: number, today: string): string | undefined {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return undefined;
  const year = Number(today.slice(0, 4));
  const date = `${year}-${pad(month)}-${pad(day)}`;
  return date >= today ? date : `${year + 1}-${pad(month)}-${pad(day)}`;
}

/**
 * The dates a text states, in reading order: 2026年12月31日, 十二月三十一日, 12月底, 年底, 2026-12-31,
 * 2026/12/31, "5个工作日内", "10日内". Nothing else: a text with no date gives none.
 */
export function datesInText(text: string, today: string, calendar?: WorkingCalendar): Found[] {
  const out: Found[] = [];
  const taken: Array<[number, number]> = [];
  const free = (at: number, len: number) => !taken.some(([a, b]) => at < b && at + len > a);
  const scan = (re: RegExp, read: (m: RegExpExecArray) => string | undefined, deadline = false) => {
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      if (!free(at, m[0].length)) continue;
      const date = read(m as RegExpExecArray);
      if (!date) continue;
      taken.push([at, at + m[0].length]);
      found(text, at, m[0].length, date, out, deadline);
    }
  };
  const year = Number(today.slice(0, 4));
  // 2026年12月31日 / 二〇二六年十二月三十一日 / 2026年12月底
  scan(new RegExp(`(${NUM})\\s*年\\s*(${NUM})\\s*月\\s*(?:(${NUM})\\s*[日号]|(底|末))`, 'g'), (m) => {
    const y = number(m[1]!);
    const mo = number(m[2]!);
    if (y === undefined || mo === undefined || y < 2000 || y > 2100 || mo < 1 || mo > 12) return undefined;
    if (m[4]) return endOfMonth(`${y}-${pad(mo)}-01`);
    const d = number(m[3]!);
    return d === undefined ? undefined : `${y}-${pad(mo)}-${pad(d)}`;
  });
  // 2022年底 / 2022年末
  scan(new RegExp(`(${NUM})\\s*年\\s*(?:底|末)`, 'g'), (m) => {
    const y = number(m[1]!);
    return y === undefined || y < 2000 || y > 2100 ? undefined : `${y}-12-31`;
  });
  // 2026-12-31, 2026/12/31, 2026.12.31
  scan(/(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})/g, (m) => `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`);
  // 12月31日 / 十二月三十一日 / 12月底 (this year's, or next year's once passed)
  scan(new RegExp(`(${NUM})\\s*月\\s*(?:(${NUM})\\s*[日号]|(底|末|中旬|上旬|下旬))`, 'g'), (m) => {
    const mo = number(m[1]!);
    if (mo === undefined || mo < 1 || mo > 12) return undefined;
    const xun = m[3];
    if (xun === '上旬') return nextOccurrence(mo, 10, today);
    if (xun === '中旬') return nextOccurrence(mo, 20, today);
    if (xun) {
      const end = endOfMonth(`${year}-${pad(mo)}-01`);
      return end >= today ? end : endOfMonth(`${year + 1}-${pad(mo)}-01`);
    }
    const d = number(m[2]!);
    return d === undefined ? undefined : nextOccurrence(mo, d, today);
  });
  // 年底 / 年末 / 今年底 (this year's last day); 本月底 / 月底
  scan(/(?:今年|本年|年)(?:底|末)/g, () => `${year}-12-31`);
  scan(/(?:本月|当月)(?:底|末)/g, () => endOfMonth(today));
  // 5个工作日内 / 十个工作日内 (working days when the calendar is known) / 10日内 / 7天内
  scan(
    new RegExp(`(${NUM})\\s*个?\\s*(工作日|日|天)\\s*内`, 'g'),
    (m) => {
      const n = number(m[1]!);
      if (n === undefined || n < 1 || n > 366) return undefined;
      if (m[2] === '工作日') return calendar ? calendar.addWorkingDays(today, n) : undefined;
      return addDays(today, n);
    },
    true,
  );
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The deadline a text states: the first date it marks as one (…前, 于…, 到…, …完成, N个工作日内).
 * A date said in passing ("1月15日，…印发了通知") is not a deadline: undefined, for the person to fill.
 */
export function readDeadline(text: string, today: string, calendar?: WorkingCalendar): string | undefined {
  return datesInText(text, today, calendar).find((d) => d.marked)?.date;
}

// -------------------------------------------------------------------------------------------------
// Departments, source, urgency
// -------------------------------------------------------------------------------------------------

const LEAD_AFTER = /^\s*(?:牵头|负责|主办|主责|为责任单位|为牵头单位)/;
const LEAD_BEFORE = /(?:由|责成|交由|责任单位[:：]?|牵头单位[:：]?)\s*$/;
/** "住建局会同经发局、科创局…": the first named leads, the ones after the word support. */
const WITH = /^\s*(?:会同|协同|联合)\s*[省市区县]?\s*$/;

/** Where a department is first named in `text` (by any of its Chinese names), and how long that name is. */
function firstMention(d: Department, text: string): { at: number; len: number } | undefined {
  let best: { at: number; len: number } | undefined;
  const names = [d.name.zh, d.shortName.zh, ...d.aliases].filter((n): n is string => !!n && n.length >= 2);
  for (const n of names) {
    const at = text.indexOf(n);
    if (at >= 0 && (!best || at < best.at || (at === best.at && n.length > best.len))) best = { at, len: n.length };
  }
  return best;
}

/**
 * The lead and supporting departments a text names. The lead is the one marked as lead (由住建局牵头,
 * 住建局负责), or the first when it works "会同" the others, else the only one named; supporting are
 * the others named. Several named and none marked: no lead, all of them offered as supporting, for
 * the person to choose.
 */
export function readDepartments(
  text: string,
  departments: readonly Department[],
): { leadId?: string; coIds: string[] } {
  const named = findDepartmentsInText(departments, text);
  if (named.length === 0) return { coIds: [] };
  if (named.length === 1) return { leadId: named[0]!.id, coIds: [] };
  const mentions = named
    .map((d) => ({ d, at: firstMention(d, text) }))
    .filter((x): x is { d: Department; at: { at: number; len: number } } => x.at !== undefined)
    .sort((a, b) => a.at.at - b.at.at);
  const marked = mentions.filter(
    ({ at }) =>
      LEAD_AFTER.test(text.slice(at.at + at.len, at.at + at.len + 8)) ||
      LEAD_BEFORE.test(text.slice(Math.max(0, at.at - 6), at.at)),
  );
  let lead = marked.length === 1 ? marked[0]!.d : undefined;
  const [first, second] = mentions;
  if (!lead && first && second && WITH.test(text.slice(first.at.at + first.at.len, second.at.at))) lead = first.d;
  return lead
    ? { leadId: lead.id, coIds: named.filter((d) => d.id !== lead.id).map((d) => d.id) }
    : { coIds: named.map((d) => d.id) };
}

/** 批示 / 指示 → a leader's instruction; 会议 / 议定 / 纪要 → a meeting's decision; whichever the text says first. */
export function readSource(text: string): AssignmentSource {
  const instruction = text.search(/批示|指示/);
  const meeting = text.search(/会议|议定|纪要|会商|常务会|办公会/);
  if (instruction < 0 && meeting < 0) return 'other';
  if (meeting < 0) return 'instruction';
  if (instruction < 0) return 'meeting';
  return instruction <= meeting ? 'instruction' : 'meeting';
}

/** 特急 when the text says so, 急 for 加急 / 紧急 / 急件; otherwise 一般. */
export function readUrgency(text: string): Urgency {
  if (/特急/.test(text)) return 'urgent';
  if (/加急|紧急|急件|急办/.test(text)) return 'pressing';
  return 'normal';
}

/** Whitespace folded and the text cut to `max` characters (never inside a surrogate pair). */
export function trimText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The form's fields read from a message (Slack markup and all); empty where the text does not say. */
export function readAssignment(
  raw: string,
  departments: readonly Department[],
  today: string,
  calendar?: WorkingCalendar,
): AssignDraft {
  const { note, plain: markupFree } = resolveMarkup(raw);
  const text = note.trim();
  // Read in simplified characters (a notice forwarded from Hong Kong or Taiwan pages: 牽頭 is 牵头); said as written.
  const plain = simplified(markupFree);
  const deadline = readDeadline(plain, today, calendar);
  return {
    name: trimText(text, NAME_MAX),
    ...readDepartments(plain, departments),
    ...(deadline && deadline >= today ? { deadline } : {}),
    urgency: readUrgency(plain),
    source: readSource(plain),
    quote: text.slice(0, QUOTE_MAX),
  };
}

// -------------------------------------------------------------------------------------------------
// Submitting, assigning, signing
// -------------------------------------------------------------------------------------------------

export type AssignInput = {
  name: string;
  leadId?: string;
  coIds: string[];
  deadline?: string;
  urgency: Urgency;
  source: AssignmentSource;
};

export type AssignProblem = 'need_name' | 'need_lead' | 'need_deadline' | 'deadline_past' | 'unknown_department';

/** What is wrong with a submitted form, by field; empty when it can be assigned. */
export function checkAssignInput(
  input: AssignInput,
  departments: readonly Department[],
  today: string,
): Partial<Record<'name' | 'lead' | 'co' | 'deadline', AssignProblem>> {
  const problems: Partial<Record<'name' | 'lead' | 'co' | 'deadline', AssignProblem>> = {};
  const known = new Set(departments.map((d) => d.id));
  if (!input.name.trim()) problems.name = 'need_name';
  if (!input.leadId) problems.lead = 'need_lead';
  else if (!known.has(input.leadId)) problems.lead = 'unknown_department';
  if (input.coIds.some((id) => !known.has(id))) problems.co = 'unknown_department';
  if (!input.deadline || !isCalendarDate(input.deadline)) problems.deadline = 'need_deadline';
  else if (input.deadline < today) problems.deadline = 'deadline_past';
  return problems;
}

/** An id for a new assigned item, unique among `taken`: a-<yyyymmdd>-<n>. */
export function assignedItemId(today: string, taken: ReadonlySet<string>): string {
  const base = `a-${today.replaceAll('-', '')}`;
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** The item an assignment creates: running from today to the deadline, the words as its name and pledge. */
export function assignedCommitment(
  input: AssignInput & { leadId: string; deadline: string },
  meta: { id: string; today: string; by: string; at: string; link?: string; quote?: string; message?: MessageRef },
): Commitment {
  const name = trimText(input.name, NAME_MAX);
  return {
    id: meta.id,
    departmentId: input.leadId,
    coDepartmentIds: [...new Set(input.coIds.filter((id) => id !== input.leadId))],
    name: { zh: name },
    tags: [],
    period: { start: meta.today, end: input.deadline },
    reporting: { cadence: 'monthly', graceDays: 5 },
    pledge: { zh: name },
    targetIds: [],
    projectIds: [],
    milestones: [],
    assignment: {
      source: input.source,
      urgency: input.urgency,
      by: meta.by,
      at: meta.at,
      ...(meta.link ? { link: meta.link } : {}),
      ...(meta.message ? { message: meta.message } : {}),
      ...(meta.quote ? { quote: meta.quote.slice(0, QUOTE_MAX) } : {}),
    },
  };
}

/** Whether a user may assign items: admins always; department leads too when the settings say so. */
export function canAssign(
  settings: Pick<Settings, 'assigners'>,
  departments: readonly Department[],
  userId: string,
  isAdmin: boolean,
): boolean {
  if (isAdmin) return true;
  return settings.assigners === 'admins_and_leads' && departments.some((d) => d.leadIds.includes(userId));
}

/**
 * The department a user signs for on an item: the lead department when they are one of its people,
 * else the first supporting department they belong to (which signs for its own part); undefined when none.
 */
export function signingDepartment(
  item: Pick<Commitment, 'departmentId' | 'coDepartmentIds'>,
  departments: readonly Department[],
  userId: string,
): string | undefined {
  const mine = (id: string) => {
    const d = departments.find((x) => x.id === id);
    return !!d && (d.memberIds.includes(userId) || d.leadIds.includes(userId));
  };
  if (mine(item.departmentId)) return item.departmentId;
  return item.coDepartmentIds.find(mine);
}

export type Signature = { by: string; at: string };
export type Signs = Readonly<Record<string, Readonly<Record<string, Signature>>>>;

/** Who signed an item for a department, if anyone. */
export function signatureOf(signs: Signs, itemId: string, departmentId: string): Signature | undefined {
  return own(own(signs, itemId), departmentId);
}

/** The last day an assigned item may stay unsigned: `workdays` working days after it was assigned. */
export function signDueBy(assignedOn: string, workdays: number, calendar?: WorkingCalendar): string {
  return calendar ? calendar.addWorkingDays(assignedOn, workdays) : addDays(assignedOn, workdays);
}
