/**
 * The goal, as the item's name: a verbatim part of the segment. The clause holding the figure when
 * there is one, else the first clause that is more than an introduction (经济发展局的同志说), a subject
 * (住建局要) or a deadline (到2025年底前); a leading 力争/确保/要…, a leading deadline, and a figure
 * closing the clause are left out of it.
 */
import type { Field, Figure, Span } from './types.ts';
import { span } from './types.ts';

const MAX_NAME = 200;
const LEAD_IN =
  /^(?:(?:的同志)?(?:说|表态|表示|承诺|指出|强调|提出|胸有成竹)[：:，,]?)|^(?:会议)?(?:要求|明确|决定|议定|指出|强调)[：:，,]?/u;
const GOAL_VERB =
  /^(?:的同志)?(?:要|将|须|需|必须|应|力争|确保|争取|努力实现|努力|全力|计划|负责|承担|牵头|会同|[：:])+/u;
/** A collective subject (各责任单位要于…): not a department, and not the goal either. */
const COLLECTIVE_SUBJECT = /^(?:各|有关|相关)[\p{Script=Han}]{1,10}?(?:要|须|需|应|必须)(?:于|在)?/u;
/** A clause that only says who leads or helps (由住建局牵头 / 经发局配合): no goal. */
const ROLE_ONLY = /(?:牵头|配合|协助|协同|参与)\s*$/u;
const BARE_VERB = /^(?:完成|落实|推进|实施|办理|办结|到位|完工|建成)[。；;]?$/u;
const TIME_ONLY = /^(?:到|于|在|力争|确保|争取)?.{0,14}?(?:前|底|末|内|之前|以前)$/u;

export function readName(
  source: string,
  body: Span,
  subject: Span | undefined,
  deadline: Span | undefined,
  figure: Field<Figure> | undefined,
): Field<string> | undefined {
  let clauses = clausesOf(source, body.start, body.end);
  // A numbered item opening with a heading sentence ((三)主要目标。…): the heading is no goal.
  const heading = /^[^，,：:；;。]{1,12}。/u.exec(body.text);
  if (heading && heading[0].length < body.text.length)
    clauses = clauses.filter((c) => c.start >= body.start + heading[0].length);
  let chosen: Span | undefined;
  if (figure) chosen = clauses.find((c) => c.start <= figure.span.start && figure.span.end <= c.end);
  if (!chosen) {
    chosen = clauses.find((c) => {
      const t = trimClause(source, c, subject, deadline);
      return t.end - t.start >= 2 && !TIME_ONLY.test(t.text) && !LEAD_IN.test(t.text) && !ROLE_ONLY.test(c.text);
    });
  }
  if (!chosen) return undefined;
  let s = trimClause(source, chosen, subject, deadline);
  // A clause of circumstance (…审定后,) is finished by the next one.
  const next = clauses[clauses.indexOf(chosen) + 1];
  if (!figure && next && /[后时]$/u.test(s.text)) s = span(source, s.start, next.end);
  if (figure && figure.span.end >= s.end - 1 && figure.span.start > s.start + 1)
    s = span(source, s.start, figure.span.start);
  // 年底前完成。 names no goal: left for the admin, not named 完成.
  if (s.end - s.start < 2 || BARE_VERB.test(s.text)) return undefined;
  const end = Math.min(s.end, s.start + MAX_NAME);
  const named = span(source, s.start, end);
  return { value: named.text, span: named };
}

function clausesOf(source: string, start: number, end: number): Span[] {
  const out: Span[] = [];
  let from = start;
  let quote = 0;
  for (let i = start; i <= end; i++) {
    const ch = source[i];
    if (ch === '“') quote++;
    else if (ch === '”') quote = Math.max(0, quote - 1);
    if (i === end || (quote === 0 && ch !== undefined && '，,：:；;。！？!?'.includes(ch))) {
      if (i > from) out.push(span(source, from, i));
      from = i + 1;
    }
  }
  return out;
}

/** A clause without its subject, lead-in, goal verb and leading deadline. */
function trimClause(source: string, c: Span, subject: Span | undefined, deadline: Span | undefined): Span {
  let a = c.start;
  const b = c.end;
  if (subject && subject.start >= a && subject.end <= b) a = subject.end;
  for (let guard = 0; guard < 4; guard++) {
    const rest = source.slice(a, b);
    a += /^\s*/u.exec(rest)![0].length;
    const lead =
      LEAD_IN.exec(source.slice(a, b)) ??
      COLLECTIVE_SUBJECT.exec(source.slice(a, b)) ??
      GOAL_VERB.exec(source.slice(a, b));
    if (lead && lead[0].length > 0) {
      a += lead[0].length;
      continue;
    }
    if (deadline && deadline.start >= a && deadline.start - a <= 2 && deadline.end <= b) {
      a = deadline.end;
      const sep = /^[，,\s]*/u.exec(source.slice(a, b))![0].length;
      a += sep;
      continue;
    }
    break;
  }
  return span(source, a, b);
}
