/**
 * What the edge must do besides showing a command's reply — and, for a logged report, which of those
 * follow, decided here once for every way a report comes in.
 */
import type { Evidence, MessageRef } from '../src/domain/schema.ts';
import type { CommandContext } from './context.ts';
import type { DocumentEffect } from './documents.ts';
import type { ReportOutcome } from './reporting/from-text.ts';
import type { LogResult } from './reporting/log.ts';
import type { ExportRequest } from './spreadsheet.ts';

export type Effect =
  | { type: 'open_form'; itemId?: string }
  /** /duban assign: the 交办 form, empty (src/slack/listeners/assign.ts). */
  | { type: 'open_assign_form' }
  | { type: 'request_review'; reviewId: string; note?: string; evidence?: Evidence[] }
  /** 延期申请: post the request to the supervision office with its buttons (src/slack/listeners/extension.ts). */
  | { type: 'request_extension'; requestId: string }
  /** A note was logged with the model on: it may propose figures read from it, counted only once clicked. */
  | { type: 'propose_figures'; logged: Extract<LogResult, { kind: 'logged' }> }
  /** A report read from a Slack message was logged: mark that message ✅. */
  | { type: 'confirm'; message: MessageRef }
  /** /duban export: build the ledger or the bulletin and send the files to the asker alone. */
  | { type: 'send_export'; request: Exclude<ExportRequest, { kind: 'reply' }> }
  /** /duban 督办单: the preview in the admin's DM, or the template form (commands/documents.ts). */
  | DocumentEffect;

/** How a report came in: a reply in a thread, /progress with text, a button answering a question, or the form. */
export type ReportedVia = 'thread' | 'command' | 'answer' | 'form';

/**
 * The effects of a logged report. The message it was read from gets a ✅ (also when it was logged
 * after a question about it); a claim of done goes to the office for review; and the model, when one
 * is configured, may read the note for figures — only what a person typed (a thread reply or
 * /progress), since a form's fields and a button's answer are already the figures.
 */
export function effectsOfReport(
  outcome: ReportOutcome,
  ctx: Pick<CommandContext, 'assistant'>,
  via: ReportedVia,
): Effect[] {
  if (outcome.kind !== 'logged') return [];
  const { result } = outcome;
  const effects: Effect[] = [];
  if (result.update.message) effects.push({ type: 'confirm', message: result.update.message });
  if (result.reviewId)
    effects.push({
      type: 'request_review',
      reviewId: result.reviewId,
      ...(result.update.note ? { note: result.update.note } : {}),
      ...(result.update.evidence.length > 0 ? { evidence: result.update.evidence } : {}),
    });
  if (ctx.assistant && (via === 'thread' || via === 'command'))
    effects.push({ type: 'propose_figures', logged: result });
  return effects;
}
