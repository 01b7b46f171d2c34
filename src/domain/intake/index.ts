/**
 * Drafting commitments from minutes and reports (立项 from 会议纪要, 工作报告, 任务分解), as named steps:
 *
 *   segments (sentences, list items, 一是/二是, role lines) → roles (牵头 / 配合 from slots, matched
 *   against the zone's departments) → deadline → figure → name.
 *
 * Every field carries the span it was read from, or is left empty for the admin to fill: the rules
 * never guess. A segment becomes a draft only when it names who is to do it or by when.
 */
import type { Department } from '../schema.ts';
import { readDeadline, readLabelledDeadline } from './deadlines.ts';
import { readRoles } from './departments.ts';
import { readFigure } from './figures.ts';
import { readName } from './name.ts';
import { segmentText } from './segments.ts';
import { type Draft, type DraftOptions, span } from './types.ts';

export { departmentOf } from './departments.ts';
export type { Comparator, Draft, DraftOptions, Field, Figure, Span, UnknownDepartment } from './types.ts';
export { isQuoted, keepQuoted, type ModelDraft } from './verify.ts';

/** At most this many drafts from one text: the preview lists them all. */
export const MAX_DRAFTS = 15;

export function draftCommitments(text: string, options: DraftOptions): Draft[] {
  const year = options.year ?? Number(options.today.slice(0, 4));
  const drafts: Draft[] = [];
  for (const seg of segmentText(text)) {
    const body = span(text, seg.bodyStart, seg.sentence.end);
    const roles = readRoles(options.departments, text, body, seg.roleLines);
    // A labelled time limit (完成时限：…), on a line of its own or after other labels, is the item's own
    // deadline and wins over a time said in passing in the sentence (年内…).
    const timeLine = seg.roleLines.flatMap((l) => {
      const m = /(?:完成时限|办理时限|时限要求)\s*[：:]/u.exec(l.text);
      return m ? [{ start: l.start + m.index, end: l.end }] : [];
    })[0];
    const inSentence = readDeadline(text, body.start, body.end, year, options.today);
    const deadline =
      (timeLine ? readLabelledDeadline(text, timeLine.start, timeLine.end, year, options.today) : undefined) ??
      inSentence;
    const named = roles.lead !== undefined || roles.co.length > 0 || roles.unknown.length > 0;
    if (!named && !deadline) continue;
    const figure = readFigure(text, body.start, body.end);
    const subject =
      roles.lead && roles.lead.span.start < body.start + 8 ? roles.lead.span : subjectOfUnknown(roles, body.start);
    const name = readName(text, body, subject, (inSentence ?? deadline)?.span, figure);
    drafts.push({
      sentence: seg.roleLines.length > 0 ? span(text, seg.sentence.start, seg.roleLines.at(-1)!.end) : seg.sentence,
      ...(name ? { name } : {}),
      ...(roles.lead ? { lead: roles.lead } : {}),
      co: roles.co,
      ...(deadline ? { deadline } : {}),
      ...(figure ? { figure } : {}),
      unknownDepartments: roles.unknown,
    });
    if (drafts.length >= MAX_DRAFTS) break;
  }
  return drafts;
}

function subjectOfUnknown(roles: ReturnType<typeof readRoles>, bodyStart: number) {
  return roles.unknown.find((u) => u.role === 'lead' && u.span.start < bodyStart + 8)?.span;
}

/** The departments a draft names, for listing: the lead first. */
export function draftDepartments(draft: Draft, departments: readonly Department[]): Department[] {
  const ids = [draft.lead?.value, ...draft.co.map((c) => c.value)].filter((x): x is string => !!x);
  return ids.flatMap((id) => departments.filter((d) => d.id === id));
}
