import { normalize } from '../match.ts';
import { cut } from './normalise.ts';
import { clausesOf, firstStartingFrom, type Span } from './tokens.ts';
import type { ParsedProgress } from './types.ts';

// ---------------------------------------------------------------------------------------------

const NEGATION_BEFORE =
  /(?:尚未|还未|仍未|未能|并未|暂未|均未|未|没有|没|不能|无法|不会|不再|不|(?<!无奈|无法)无(?!奈|法))[^,;。!?]{0,2}$/;
const NEGATION_BEFORE_EN =
  /\b(?:not|never|no|yet to|without|hasn't|haven't|isn't|aren't|wasn't|weren't|didn't|doesn't|don't|won't|can't|cannot)\b(?:\s+\S+){0,2}\s*$/;
const PLANNED =
  /计划|预计|拟|将于|将|争取|力争|确保|有望|可望|打算|预期|尽早|尽快|早日|下周|下个?月|明年|(?:底|末)前|内(?:完成|完工|竣工)|(?<!提)前完成|(?<=[a-z]\s)(?:plan|plans|planned|planning) to\b|\bto (?:be )?(?:complete|completed|finish|finished|start|started|done)\b|\bby (?:the )?(?:end|mid|early|late|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:planned for|expect|expects|expected|will|going to|should|aim to|aims to|aiming to|scheduled for|scheduled to|next (?:week|month|year|quarter))\b/;
const NOT_PLANNED = /按计划|按照计划|按期|如期|as planned|on schedule/g;
/** A result after a plan word: 已, 了, 正式, 顺利, 相继. */
const ACTUAL_MARK = /已|了|正式|顺利|相继|陆续|正在|\b(?:has|have|was|were)\b/;
const NOT_PLANNED_AT = /按计划|按照计划|按期|如期/;

const RESOLVED =
  /已解决|已协调|得到解决|已排除|已解除|解除|恢复|复工|已化解|此前|之前|曾经|曾|\b(?:resolved|unblocked|no longer|cleared|resumed|previously)\b/;
const IN_PROGRESS_MARK = /正在|进行中|推进中|建设中|施工中|办理中|在建|\b(?:in progress|underway|under way|ongoing)\b/;

const DONE_ZH = /完成|完工|竣工|建成|办结/g;
const DONE_EN = /\b(?:done|completed|complete|finished|accomplished)\b/g;
const BLOCKED_RE =
  /停止施工|停止建设|无法贯通|受阻|阻滞|阻工|卡住|卡壳|卡在|停滞|停工|停建|停摆|搁置|暂停|暂缓|叫停|中止|遇阻|无法推进|难以推进|推进困难|无法开挖|无法施工|无法进场|无法开工|\b(?:blocked|stuck|stalled|on hold|halted|held up)\b/g;
const DELAYED_RE =
  /延期|推迟|滞后|延迟|延误|拖期|逾期|落后于?(?:序时|计划)|慢于序时|缓慢|偏慢|较慢|比较慢|慢于|比预计慢|比计划慢|有所延长|工期延长|未(?:能)?(?:完成|达到|达)[^,;。]{0,12}(?:目标任务|目标|任务|序时|计划)|未按(?:序时|计划|期)|\b(?:lagging|lags|fell behind|falling behind|slow progress|progress (?:is|was) slow|slower than (?:expected|anticipated|planned|originally|scheduled)|(?:somewhat |much |far )?slower than)\b|\b(?:delayed|postponed|behind schedule|behind|overdue|slipped|slipping|running late|late)\b/g;
/** A state said of others (部分指标滞后, 其他项目正按序时推进, many other projects): not this item's. */
const GENERAL_SUBJECT =
  /部分|有的|个别|其他|其余|其它|一些|少数|多数|各项|不少|\b(?:some|many|other|several|percent of|a number of|most)\b/;
/** Said later in the text: the problem is over (已复工, 恢复施工, resumed). */
const RESOLVED_LATER =
  /复工|恢复施工|恢复建设|已恢复|已解决|得到解决|已化解|已排除|\b(?:resumed|resolved|back on track)\b/;

/** A step not yet taken, said as late: 仍未开工, 至今未启动, has not even started, has yet to start. */
const LATE_NOT_YET =
  /(?:仍|至今|迄今|迟迟|始终|一直)(?:尚|仍|还)?(?:未|没有)(?:能)?\s*(?:开工|动工|启动|开建|进场|完工|竣工|建成|投用|签约|落地|到位)|\b(?:has|have|had) not (?:even|yet) (?:been )?(?:started|begun|commenced)\b|\bnot even (?:been )?(?:started|begun)\b|\b(?:has|have) yet to (?:start|begin|break ground)\b/;
/** A start not made, which is late when said by a date (截至7月底…尚未启动) or for a reason (因…尚未开工). */
const START_NOT_MADE = /(?:尚未|还未|仍未|未能|未|没有)\s*(?:开工|动工|启动|开建|进场)/;
const BY_DATE_OR_CAUSE = /截至|截止|因|由于|受[^,;。]{1,20}影响/;
/** Not ready until a later date: "will not be ready for testing until December", "要到明年才能完工". */
const NOT_UNTIL =
  /\b(?:will|would|won[’']t|wouldn[’']t)\s+(?:not\s+)?(?:be\s+)?(?:ready|complete|completed|finished|open|opened|operational|done)\b[^.;]{0,60}?\buntil\b|要到[^,;。]{1,12}才(?:能|可|会)?(?:开工|完工|竣工|建成|投用|通车|投入使用)/;

const STOPPED = new RegExp(`${BLOCKED_RE.source}|${DELAYED_RE.source}`);
const PLANNED_ALL = new RegExp(PLANNED.source, 'g');

const IN_PROGRESS_RE =
  /推进中|在建(?!项目|工程)|施工中|进行中|建设中|正在(?:推进|施工|建设|实施|办理|进行)|有序推进|稳步推进|加快推进|正常推进|顺利推进|按计划推进|按序时推进|按节点推进|进展顺利|推进顺利|复工|恢复施工|持续推进|已开工|开工了|正式开工|已进场|进场施工|\b(?:in progress|underway|under way|ongoing|on track|on schedule|started|has started|proceeding)\b/g;

/** Words that may stand before a whole-item completion without qualifying it (项目已全部完成). */
const DONE_FILLER_ZH =
  /该项目|本项目|此项目|项目|工程|超额|目前|现在|现已|今天|今日|本月|本周|近日|日前|已于|已经|均已|已|均|都|全部|全面|整体|顺利|如期|按期|按时|按计划|提前|正式|已然|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号]|[\s\p{P}\p{S}]/gu;
const DONE_FILLER_EN =
  /\b(?:the|project|item|task|it|it's|this|that|is|was|were|are|has|have|had|been|all|fully|now|already|officially|successfully|finally|we|our|got|just|has been|have been|on time|on schedule|ahead of schedule|as planned|in full|today|yesterday|this week|this month)\b|[\s\p{P}\p{S}]/gu;
const DONE_OBJECT_ZH =
  /^(?:(?:全年|年度|全部|所有|既定)?(?:目标|任务)|建设|施工|改造|整治|(?:全部|所有)(?:工程|建设|任务|工作)?$)/;

const REACH_MARK =
  /了|已|完成|完工|竣工|封顶|到位|落地|开工|签约|投入使用|使用|通车|投产|生产|续签|印发|出台|批复|交付|验收|运营|入驻|发布|召开|组建|确定|明确|举办|启动|建成|投用|投运|通过|\b(?:done|completed?|finished|reached|achieved|signed|issued|started|held|launched|opened|in place|set up|approved|delivered)\b/;
const MILESTONE_FILLER_ZH =
  /^(?:该项目|本项目|此项目|项目)|已经|已于|均已|已|均|都|了|啦|顺利|正式|全部|如期|按期|按时|提前|目前|现在|现已|今天|今日|本月|本周|近日|日前/g;
/** English filler is stripped only at the ends, so a name such as "visited on the frontline" survives whole. */
const MILESTONE_FILLER_EN_HEAD =
  /^(?:(?:the|we|our|have|has|had|is|are|was|were|been|now|already|officially|successfully|finally|all)\s+)+/;
const MILESTONE_FILLER_EN_TAIL =
  /(?:\s+(?:is|are|was|were|has|have|had|been|now|already|officially|successfully|all|done|completed|complete|finished|reached|achieved|accomplished|today|yesterday|this week|this month|[-–—]+))+$/;

/** Whether the words just before a position negate it; looks at a short tail only, so it costs O(1). */
function negatedAt(clauseBefore: string): boolean {
  // 不力, 不足: a shortcoming named, not a state denied ("推动不力等尚未开工").
  const zh = clauseBefore.slice(-12).replace(/不断|不少|不久|不力|不足|不够/g, '  ');
  return NEGATION_BEFORE.test(zh) || NEGATION_BEFORE_EN.test(clauseBefore.slice(-48));
}

export function clean(s: string): string {
  return s.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '').trim();
}

const NOT_STARTED = /(?:尚未|还未|仍未|未能|并未|暂未|均未|未|没有|没)\s*(?:开工|完工|竣工|启动|签约|到位)/;
const RESOLVED_LATER_G = new RegExp(RESOLVED_LATER.source, 'g');
const STATE_WORDS = new RegExp(
  [
    DONE_ZH,
    DONE_EN,
    BLOCKED_RE,
    DELAYED_RE,
    IN_PROGRESS_RE,
    RESOLVED_LATER,
    NOT_STARTED,
    LATE_NOT_YET,
    START_NOT_MADE,
    NOT_UNTIL,
  ]
    .map((r) => r.source)
    .join('|'),
  'g',
);

type Clause = { text: string; start: number };

/** For every clause, whether a match of `re` (global) starts in it. */
function marksOf(scan: string, clauses: readonly Clause[], re: RegExp): Uint8Array {
  const marks = new Uint8Array(clauses.length);
  for (const m of scan.matchAll(re)) {
    let lo = 0;
    let hi = clauses.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (clauses[mid]!.start <= m.index) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i >= 0 && m.index < clauses[i]!.start + clauses[i]!.text.length) marks[i] = 1;
  }
  return marks;
}

type StateFindings = {
  state?: ParsedProgress['state'];
  negated: boolean;
  partialDone: boolean;
  wholeDoneClauses: Set<number>;
};

export function findStates(scan: string): StateFindings {
  const clauses = clausesOf(scan);
  let negated = /\b(?:incomplete|unfinished|not yet)\b|未完成|未开工|未竣工|未完工/.test(scan);
  let partialDone = false;
  const wholeDoneClauses = new Set<number>();
  const seen = { done: false, blocked: false, delayed: false, in_progress: false };

  // Whether a later clause says the problem is over, for every clause, in one pass from the end.
  // One look over the whole text says which clauses hold a state word at all; only those are read closely.
  const hot = marksOf(scan, clauses, STATE_WORDS);
  const resolvedHere = marksOf(scan, clauses, RESOLVED_LATER_G);
  const resolvedAfter: boolean[] = new Array(clauses.length).fill(false);
  for (let i = clauses.length - 2; i >= 0; i--) resolvedAfter[i] = resolvedAfter[i + 1]! || resolvedHere[i + 1] === 1;
  clauses.forEach((c, index) => {
    if (!hot[index]) return;
    const text = c.text;
    const planned = PLANNED.test(text.replace(NOT_PLANNED, ' '));
    const resolved = RESOLVED.test(text);
    for (const re of [DONE_ZH, DONE_EN]) {
      for (const m of text.matchAll(re)) {
        // Only the neighbourhood matters; a long qualifier is a qualifier however long it is.
        const before = text.slice(Math.max(0, m.index - 80), m.index);
        const after = text.slice(m.index + m[0].length, m.index + m[0].length + 80);
        if (negatedAt(before)) {
          negated = true;
          continue;
        }
        if (planned) continue;
        const english = re === DONE_EN;
        // "all of the stations are done": a part of the item, said of many.
        if (GENERAL_SUBJECT.test(before.slice(-30)) || /\ball of the\b/.test(before.slice(-40))) {
          partialDone = true;
          continue;
        }
        const afterTrim = after.replace(/^[\s了啦咯!.]+/, '');
        if (/\d\s*%|percent/.test(before)) continue; // 35% done: a percentage, not a state
        if (/^[\d零〇一二两三四五六七八九十百]|^率|^\s*(?:of|at)\b/.test(afterTrim)) continue; // 完成35%, 完成率, completed 35%
        if (/\d|百分之/.test(afterTrim)) continue; // 完成年度目标的77.5%, 竣工验收4项: a quantity, not a state
        const qualifierBefore = english ? before.replace(DONE_FILLER_EN, '') : before.replace(DONE_FILLER_ZH, '');
        let qualifierAfter: string;
        if (english) qualifierAfter = afterTrim.replace(DONE_FILLER_EN, '');
        else if (m[0] === '完成') {
          if (afterTrim && !DONE_OBJECT_ZH.test(afterTrim)) continue; // 完成投资, 完成招标: a verb with an object
          qualifierAfter = '';
        } else qualifierAfter = afterTrim.replace(/[\s\p{P}\p{S}]/gu, '');
        if (!qualifierBefore && !qualifierAfter) {
          seen.done = true;
          wholeDoneClauses.add(index);
        } else partialDone = true;
      }
    }
    // A state said of others (部分指标滞后), as an attribute (进度滞后的项目), or undone later (已复工) is not this item's.
    const later = resolvedAfter[index]!;
    const counts = (m: RegExpMatchArray, past: boolean) => {
      const before = text.slice(0, m.index);
      if (negatedAt(before) || GENERAL_SUBJECT.test(before)) return false;
      // "进度滞后的项目发出了整改要求" describes; "推进缓慢的有3项", "未完成目标任务的项目5个" lists.
      const rest = text.slice(m.index! + m[0].length);
      if (/^的/.test(rest) && !/^的[^,;。]{0,6}?(?:有|是|为|分别|\d|[一二两三四五六七八九十]+[个项家])/.test(rest))
        return false;
      if (past && (resolved || later)) return false;
      return true;
    };
    for (const m of text.matchAll(BLOCKED_RE)) if (counts(m, true)) seen.blocked = true;
    for (const m of text.matchAll(DELAYED_RE)) if (counts(m, true)) seen.delayed = true;
    // "截至7月底项目用地尚未启动征地拆迁工作", "仍未开工", "will not be ready … until December": late, not merely not yet.
    const sentenceBefore =
      scan
        .slice(Math.max(0, c.start - 60), c.start)
        .split(/[;。!?\n]/)
        .at(-1) ?? '';
    const late =
      LATE_NOT_YET.exec(text) ??
      NOT_UNTIL.exec(text) ??
      (BY_DATE_OR_CAUSE.test(sentenceBefore + text) ? START_NOT_MADE.exec(text) : null);
    if (late && counts(late, true)) seen.delayed = true;
    for (const m of text.matchAll(IN_PROGRESS_RE)) {
      if (!counts(m, false)) continue;
      if (PLANNED.test(text.slice(Math.max(0, m.index - 12), m.index).replace(NOT_PLANNED, ' '))) continue;
      seen.in_progress = true;
    }
    if ((later || RESOLVED_LATER.test(text)) && STOPPED.test(text)) seen.in_progress = true;
    if (NOT_STARTED.test(text)) negated = true;
  });
  // Whole-item completion is only recognised strictly, so it outranks other words; then the most severe.
  const state: ParsedProgress['state'] = seen.done
    ? 'done'
    : seen.blocked
      ? 'blocked'
      : seen.delayed
        ? 'delayed'
        : seen.in_progress
          ? 'in_progress'
          : undefined;
  return { ...(state ? { state } : {}), negated, partialDone, wholeDoneClauses };
}

const BLOCKER_PATTERNS: RegExp[] = [
  /(?:受阻|卡住|卡壳|停滞|停工|搁置|滞后|延期|推迟|blocked|stuck|stalled|delayed|on hold)\s*[:：]\s*([^。；;!！?？\n]+)/i,
  /(?:主要)?原因(?:主要)?(?:是|为|在于)?\s*[:：]?\s*([^。；;!！?？\n]+)/,
  /\b(?:blocked|held up|stuck|stalled|delayed|postponed|on hold)\s+(?:by|due to|because of|because|on|pending|waiting for|waiting on|over)\s+([^.;!?\n]+)/i,
  /\b(?:due to|because of|because|owing to|pending|waiting for|waiting on)\s+([^.;!?\n]+)/i,
  /受(?!阻)([^，,。；;!！?？\n]{1,40}?)(?:的)?(?:影响|制约)/,
  /(?:由于|因为|(?<!原)因)([^，,。；;!！?？\n]+?)(?:[，,]|导致|造成|致使|而|$)/,
  /卡在\s*([^，,。；;!！?？\n]+)/,
];

export function findBlocker(plain: string): string | undefined {
  for (const re of BLOCKER_PATTERNS) {
    const m = re.exec(plain);
    if (!m?.[1]) continue;
    // "原因是资金未到位，项目停滞": the trailing clause restates the state; the reason is what precedes it.
    const parts = m[1].split(/[，,]/);
    while (parts.length > 1 && STATE_ONLY.test(parts[parts.length - 1]!.toLowerCase())) parts.pop();
    const phrase = clean(parts.join('，'));
    if (phrase) return cut(phrase, 500);
  }
  return undefined;
}

const REACH_MARK_G = new RegExp(REACH_MARK.source, 'g');
/** A verb of reaching, passive (has been held) or active (completed); the words that end a noun phrase after it or before it. */
const EN_REACH_VERB =
  /\b(?:has been|have been|had been|was|were|is|are)\s+(?:\w+\s+)?(held|completed|finished|reached|achieved|signed|issued|started|launched|opened|approved|delivered|done)\b|\b(completed|finished|reached|achieved|signed|issued|started|launched|opened|held|approved|delivered)\b/;
const EN_PHRASE_END =
  /\s+(?:to|that|which|who|for|at|in|on|of|by|with|from|as|and|but|while|despite|after|before|since|because|during|has|have|had|was|were|is|are)\b/;

/** The subject of a passive act ("a topping-out ceremony held") or the object of an active one ("completed piling works"). */
function englishAct(text: string): string | undefined {
  const m = EN_REACH_VERB.exec(text);
  if (!m) return undefined;
  const upTo = (s: string) => s.split(EN_PHRASE_END)[0]!.trim();
  if (m[1]) {
    // The subject is in the last of the clauses joined before the verb ("… was lifted into place and a topping-out ceremony was held").
    const own = text
      .slice(0, m.index)
      .split(/\s+(?:and|but|while|whereas)\s+/)
      .at(-1)!;
    const subject = upTo(own.trim().replace(MILESTONE_FILLER_EN_HEAD, ''));
    return subject ? `${subject} ${m[1]}` : undefined;
  }
  const object = upTo(text.slice(m.index + m[0].length));
  return object ? `${m[2]} ${object}` : undefined;
}

const REPEATED =
  /\b(?:every|each)\s+(?:\w+\s+)?(?:days?|weeks?|months?)\b|\bper (?:day|week|month)\b|每\s*[\d一二两三四五六七八九十]*\s*个?(?:天|日|周|星期|月)/;

/** A plan word qualifying a group (计划后续季度开工项目, 计划6月开工的项目, 争取开工项目): it names the group. */
const GROUP_BY_PLAN = /(?:计划|争取|拟)[^,;。、\d]{0,12}?(?:的)?(?:项目|工程)/g;
const STATE_ONLY = new RegExp(`(?:${BLOCKED_RE.source}|${DELAYED_RE.source})`);

export function findMilestoneWords(plainScan: string, wholeDone: Set<number>, figureAt: readonly Span[]): string[] {
  const out: string[] = [];
  const clauses = clausesOf(plainScan);
  // Only a clause with a word of reaching can name a milestone reached.
  const reaching = marksOf(plainScan, clauses, REACH_MARK_G);
  clauses.forEach((c, index) => {
    if (!reaching[index]) return;
    const text = c.text;
    if (wholeDone.has(index)) return;
    // A figure right after the act reports a quantity (累计开工31项), not a milestone; "等15个项目已开工" does not.
    for (
      let f = firstStartingFrom(figureAt, c.start);
      f && f.start < c.start + text.length;
      f = firstStartingFrom(figureAt, f.end)
    ) {
      if (REACH_MARK.test(plainScan.slice(Math.max(c.start, f.start - 6), f.start))) return;
    }
    // A clause with a percentage reports how far, not a milestone reached ("construction is 99% complete").
    if (/\d\s*%|\bpercent\b/.test(text)) return;
    // "计划后续季度开工项目提前至一季度开工建设": a plan word naming a group of projects is no plan of the act after it.
    const judged = text.replace(GROUP_BY_PLAN, (m) => ' '.repeat(m.length));
    const reach = REACH_MARK.exec(judged);
    if (!reach) return;
    // "建成后将为市民提供…": after it is built, a condition, not a fact.
    if (/^后/.test(judged.slice(reach.index + reach[0].length))) return;
    // Planned unless the act is said before the plan ("topping-out ceremony has been held … expected to open"),
    // or a result follows the plan word ("35个争取开工项目中…15个项目已开工").
    const plans = [...judged.matchAll(PLANNED_ALL)].filter(
      (m) => !NOT_PLANNED_AT.test(judged.slice(Math.max(0, m.index! - 2), m.index! + m[0].length + 2)),
    );
    const firstPlan = plans[0];
    const lastPlan = plans.at(-1);
    if (
      firstPlan &&
      reach.index >= firstPlan.index! &&
      !ACTUAL_MARK.test(judged.slice(lastPlan!.index! + lastPlan![0].length))
    )
      return;
    if (IN_PROGRESS_MARK.test(text) || RESOLVED.test(text)) return;
    if (STOPPED.test(text)) return;
    if (
      /(?:尚未|还未|仍未|未能|并未|暂未|未|没有|没|不)\s*\S{0,4}(?:完成|完工|竣工|开工|签约|到位|封顶|验收|印发|出台)/.test(
        text,
      )
    )
      return;
    if (/\b(?:not|never|yet to)\b/.test(text)) return;
    // "a new story completed every seven days", "每7天完成一层": a step repeated is how work goes, not a milestone.
    if (REPEATED.test(text)) return;
    // A long English clause names its milestone by the act's own words: "a topping-out ceremony … has been held at
    // the … building as part of …" by its subject, "we completed piling works on buildings D1 and C2" by its object.
    const long = normalize(text).length > 60 && !/\p{Script=Han}/u.test(text);
    const phrase = clean(
      (long ? (englishAct(text) ?? text) : text)
        .replace(/^[^:]{1,40}:\s*(?=\S)/, '')
        .replace(/[+-]?\d+(?:\.\d+)?\s*%/g, ' ')
        .replace(MILESTONE_FILLER_ZH, '')
        .replace(/[“”"「」『』《》]/g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(MILESTONE_FILLER_EN_TAIL, '')
        .replace(MILESTONE_FILLER_EN_HEAD, ''),
    );
    const size = normalize(phrase).length;
    if (size >= 2 && size <= 60 && !out.includes(phrase)) out.push(phrase);
  });
  return out;
}
