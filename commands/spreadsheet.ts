/**
 * /duban import and /duban export: what an admin sees when importing a spreadsheet (how to upload,
 * the dry-run summary with Import / Cancel, the problems, the outcome) and what anyone sees when
 * exporting the ledger or the bulletin. Replies only: the Slack edge
 * (src/slack/listeners/files.ts) downloads, uploads and applies; the console has no files.
 */
import type { ImportSummary } from '../src/domain/merge.ts';
import { countStatuses } from '../src/domain/rollup.ts';
import type { ImportFile } from '../src/domain/schema.ts';
import { formatDate, messages, pick } from '../src/i18n/index.ts';
import type { ImportChanges } from '../src/spreadsheet/diff.ts';
import type { Preview } from '../src/spreadsheet/exchange.ts';
import { formatProblem, type SheetProblem } from '../src/spreadsheet/problems.ts';
import { plainText } from './args.ts';
import type { CommandContext } from './context.ts';
import { canWrite } from './context.ts';
import { countsText, departmentName, emptyStoreReply, MAX_QUERY_LENGTH, usageReply } from './format.ts';
import { helpReply } from './help.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock, trusted } from './reply.ts';
import { lookupDepartment } from './views.ts';

/** Button action ids; the value is the pending import's token. */
export const APPLY_IMPORT = 'duban.import.apply';
export const CANCEL_IMPORT = 'duban.import.cancel';
/** How long an uploaded file waits for Import or Cancel. */
export const PENDING_MINUTES = 30;
/** Problems listed in Slack; the rest are counted. */
export const MAX_PROBLEMS_SHOWN = 20;
const NAMES_SHOWN = 5;

const IMPORT_WORDS = new Set(['import', '导入', '上传']);
const EXPORT_WORDS = new Set(['export', '导出', '下载']);
const BULLETIN_WORDS = new Set(['bulletin', '通报']);
const HELP_WORDS = new Set(['help', '帮助', '?', '？']);

export type SpreadsheetArgs =
  | { sub: 'import' }
  | { sub: 'export'; target: 'ledger'; department: string }
  | { sub: 'export'; target: 'bulletin' }
  | { sub: 'help' }
  | { sub: 'too_long' };

/** `/duban import` or `/duban export [department|bulletin]`; undefined for any other /duban text. */
export function parseSpreadsheetCommand(raw: string): SpreadsheetArgs | undefined {
  const text = plainText(raw);
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase();
  if (IMPORT_WORDS.has(word)) return { sub: 'import' };
  if (!EXPORT_WORDS.has(word)) return undefined;
  const query = rest.join(' ').trim();
  if (query.length > MAX_QUERY_LENGTH) return { sub: 'too_long' };
  if (BULLETIN_WORDS.has(query.toLowerCase())) return { sub: 'export', target: 'bulletin' };
  if (HELP_WORDS.has(query.toLowerCase())) return { sub: 'help' };
  return { sub: 'export', target: 'ledger', department: query };
}

function section(text: Mrkdwn): ReplyBlock {
  return { type: 'section', text };
}

/** /duban import: how to upload (admins), or who can (everyone else). */
export function importHowReply(ctx: CommandContext): Reply {
  const m = messages(ctx.locale).spreadsheet;
  if (!canWrite(ctx))
    return usageReply(messages(ctx.locale).admin.readOnly, messages(ctx.locale).examples.import, ctx.locale);
  if (!ctx.isAdmin) return notAdminReply([], ctx);
  return { text: plainText(m.importHow), blocks: [section(trusted(m.importHow))], visibility: 'ephemeral' };
}

/** An upload or /duban import by someone who is not an admin: polite, naming who can. */
export function notAdminReply(adminIds: readonly string[], ctx: Pick<CommandContext, 'locale'>): Reply {
  const m = messages(ctx.locale).spreadsheet;
  // Admin ids come from configuration or Slack's user group, validated as user ids: safe as mentions.
  const valid = adminIds.filter((id) => /^[UW][A-Z0-9]{2,}$/.test(id)).slice(0, 10);
  const who =
    valid.length > 0
      ? joinMd([md`${m.askAdmins}`, trusted(valid.map((id) => `<@${id}>`).join(' '))], ' ')
      : md`${m.askOffice}`;
  return { text: m.adminsOnly, blocks: [section(joinMd([md`${m.adminsOnly}`, who]))], visibility: 'ephemeral' };
}

/** /duban export in the console, which has no files to send. */
export function exportElsewhereReply(ctx: CommandContext): Reply {
  const text = messages(ctx.locale).spreadsheet.exportElsewhere;
  return { text: plainText(text), blocks: [section(trusted(text))], visibility: 'ephemeral' };
}

/** The console's answer to /duban import and /duban export (in Slack, the file listener answers export). */
export function runSpreadsheet(args: SpreadsheetArgs, ctx: CommandContext): Reply {
  if (args.sub === 'import') return importHowReply(ctx);
  if (args.sub === 'too_long')
    return usageReply(
      messages(ctx.locale).errors.tooLong(MAX_QUERY_LENGTH),
      messages(ctx.locale).examples.export,
      ctx.locale,
    );
  if (args.sub === 'help') return helpReply('duban', ctx.locale);
  return exportElsewhereReply(ctx);
}

export type ExportRequest =
  | { kind: 'ledger'; departmentId?: string; scope: string }
  | { kind: 'bulletin'; scope: string }
  | { kind: 'reply'; reply: Reply };

/** What /duban export asks for, or the reply to a mistake (unknown department, empty store). */
export function resolveExport(args: SpreadsheetArgs, ctx: CommandContext): ExportRequest {
  const m = messages(ctx.locale).spreadsheet;
  if (args.sub === 'too_long')
    return {
      kind: 'reply',
      reply: usageReply(
        messages(ctx.locale).errors.tooLong(MAX_QUERY_LENGTH),
        messages(ctx.locale).examples.export,
        ctx.locale,
      ),
    };
  if (args.sub === 'import') return { kind: 'reply', reply: importHowReply(ctx) };
  if (args.sub === 'help') return { kind: 'reply', reply: helpReply('duban', ctx.locale) };
  if (ctx.model.db.departments.length === 0) return { kind: 'reply', reply: emptyStoreReply(ctx.locale) };
  if (args.target === 'bulletin') return { kind: 'bulletin', scope: m.bulletin };
  if (!args.department) return { kind: 'ledger', scope: m.ledger };
  const found = lookupDepartment(args.department, ctx, messages(ctx.locale).examples.export, true);
  if (found.kind !== 'one')
    return {
      kind: 'reply',
      reply:
        found.kind === 'reply'
          ? found.reply
          : usageReply(
              messages(ctx.locale).errors.unknownName(args.department),
              messages(ctx.locale).examples.export,
              ctx.locale,
            ),
    };
  return {
    kind: 'ledger',
    departmentId: found.department.id,
    scope: m.ledgerOf(departmentName(found.department, ctx.locale)),
  };
}

/** The comment posted with an exported file: what it is, as of when, and the counts. Plain text, escaped. */
export function exportComment(
  request: Exclude<ExportRequest, { kind: 'reply' }>,
  ctx: CommandContext,
  /** Charts of the bulletin that could not be drawn: said, so nobody looks for them. */
  missingCharts: ReadonlyArray<'ranking' | 'projects'> = [],
): string {
  const m = messages(ctx.locale).spreadsheet;
  const date = formatDate(ctx.today, ctx.locale);
  if (request.kind === 'bulletin') {
    const titles = missingCharts.map((kind) => messages(ctx.locale).charts[kind].title);
    const missing = titles.length ? `\n${m.chartsMissing(titles.join(ctx.locale === 'zh-CN' ? '、' : ', '))}` : '';
    return md`${m.bulletinComment(date)}${missing}`.mrkdwn;
  }
  const evaluation = ctx.model.evaluate(ctx.today);
  const id = request.departmentId;
  const mine =
    id === undefined
      ? evaluation.tracked
      : evaluation.tracked.filter((s) => s.item.departmentId === id || s.item.coDepartmentIds.includes(id));
  return md`${m.ledgerComment(request.scope, date, mine.length, countsText(countStatuses(mine), ctx.locale))}`.mrkdwn;
}

export function exportSentReply(request: Exclude<ExportRequest, { kind: 'reply' }>, ctx: CommandContext): Reply {
  const text = messages(ctx.locale).spreadsheet.exportSent(request.scope);
  return { text, blocks: [section(md`${text}`)], visibility: 'ephemeral' };
}

// ---------------------------------------------------------------------------------------------
// The import conversation

type Kind = keyof Omit<ImportChanges, 'updates'>;
const KINDS: readonly Kind[] = ['departments', 'targets', 'projects', 'commitments'];

function nameOf(kind: Kind, id: string, file: ImportFile, ctx: CommandContext): string {
  const pool = [
    ...(file[kind] as ReadonlyArray<{ id: string; name: { zh: string; en?: string } }>),
    ...(ctx.model.db[kind] as ReadonlyArray<{ id: string; name: { zh: string; en?: string } }>),
  ];
  const found = pool.find((r) => r.id === id);
  if (!found) return id;
  if (kind === 'departments') {
    const d = (file.departments.find((x) => x.id === id) ?? ctx.model.department(id))!;
    return departmentName(d, ctx.locale);
  }
  return pick(found.name, ctx.locale);
}

function namesLine(kind: Kind, ids: readonly string[], file: ImportFile, ctx: CommandContext): string {
  const m = messages(ctx.locale);
  const shown = ids.slice(0, NAMES_SHOWN).map((id) => nameOf(kind, id, file, ctx));
  const list = m.format.list(shown);
  return ids.length > shown.length ? `${list} ${m.spreadsheet.andMore(ids.length - shown.length)}` : list;
}

function countLines(
  summary: ImportSummary,
  ctx: CommandContext,
  detail?: { changes: ImportChanges; file: ImportFile },
): Mrkdwn[] {
  const m = messages(ctx.locale).spreadsheet;
  const lines: Mrkdwn[] = [];
  for (const kind of KINDS) {
    const c = summary[kind];
    if (c.added + c.changed + c.unchanged === 0) continue;
    lines.push(md`*${m.kinds[kind]}*　${m.counts(c.added, c.changed, c.unchanged)}`);
    if (detail) {
      const ch = detail.changes[kind];
      if (ch.added.length > 0) lines.push(md`　${m.added(namesLine(kind, ch.added, detail.file, ctx))}`);
      if (ch.changed.length > 0) lines.push(md`　${m.changed(namesLine(kind, ch.changed, detail.file, ctx))}`);
    }
  }
  if (summary.updatesAdded + summary.updatesSkipped > 0)
    lines.push(md`*${m.updates(summary.updatesAdded, summary.updatesSkipped)}*`);
  if (summary.settingsChanged) lines.push(md`${m.settings}`);
  return lines;
}

function warningsBlock(warnings: readonly SheetProblem[], ctx: CommandContext): ReplyBlock[] {
  if (warnings.length === 0) return [];
  const m = messages(ctx.locale).spreadsheet;
  const shown = warnings.slice(0, 5).map((w) => formatProblem(w, ctx.locale));
  if (warnings.length > shown.length) shown.push(m.moreProblems(warnings.length - shown.length));
  return [{ type: 'context', elements: [md`${m.warnings}\n${shown.join('\n')}`] }];
}

/** The dry run of an upload: counts per kind, a few names, and Import / Cancel (or "nothing to import"). */
export function previewReply(preview: Preview, token: string, ctx: CommandContext): Reply {
  const m = messages(ctx.locale).spreadsheet;
  const title = m.previewTitle(preview.label);
  if (preview.unchanged) {
    const text = m.unchanged(preview.label);
    return {
      text,
      blocks: [{ type: 'header', text: title }, section(md`${text}`), ...warningsBlock(preview.warnings, ctx)],
      visibility: 'in_channel',
    };
  }
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    section(joinMd(countLines(preview.summary, ctx, { changes: preview.changes, file: preview.file }))),
    ...warningsBlock(preview.warnings, ctx),
    { type: 'context', elements: [md`${m.confirm(PENDING_MINUTES)}`] },
    {
      type: 'actions',
      buttons: [
        { text: m.apply, actionId: APPLY_IMPORT, value: token, style: 'primary' },
        { text: m.cancel, actionId: CANCEL_IMPORT, value: token },
      ],
    },
  ];
  return { text: title, blocks, visibility: 'in_channel' };
}

/** Every problem of a refused file, located by sheet, row and column: the first 20, then how many more. */
export function problemsReply(label: string, problems: readonly SheetProblem[], ctx: CommandContext): Reply {
  const m = messages(ctx.locale).spreadsheet;
  const title = m.problemsTitle(label, problems.length);
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => md`• ${formatProblem(p, ctx.locale)}`);
  if (problems.length > shown.length) shown.push(md`${m.moreProblems(problems.length - shown.length)}`);
  return {
    text: title,
    blocks: [
      { type: 'header', text: title },
      section(joinMd(shown)),
      { type: 'context', elements: [trusted(m.fixAndRetry)] },
    ],
    visibility: 'in_channel',
  };
}

/** A file refused before reading (too large, JSON, could not be downloaded). */
export function refusedReply(text: string): Reply {
  return { text, blocks: [section(md`${text}`)], visibility: 'in_channel' };
}

/** What replaces the preview once applied: the counts, and who imported it. */
export function appliedReply(label: string, summary: ImportSummary, userId: string, ctx: CommandContext): Reply {
  const m = messages(ctx.locale).spreadsheet;
  const title = m.applied(label);
  return {
    text: title,
    blocks: [
      section(md`*${title}*`),
      section(joinMd(countLines(summary, ctx))),
      { type: 'context', elements: [joinMd([md`${m.appliedBy}`, trusted(`<@${userId}>`)], '')] },
    ],
    visibility: 'in_channel',
  };
}

export function cancelledReply(label: string, ctx: CommandContext): Reply {
  const text = messages(ctx.locale).spreadsheet.cancelled(label);
  return { text, blocks: [section(md`${text}`)], visibility: 'in_channel' };
}

// ---------------------------------------------------------------------------------------------
// Uploads waiting for Import or Cancel

export type PendingImport = { token: string; userId: string; file: ImportFile; label: string; createdAt: number };
export type TakeResult = { kind: 'ok'; pending: PendingImport } | { kind: 'expired' } | { kind: 'not_yours' };

/**
 * Parsed uploads waiting for confirmation, in memory: the file was validated once, and what is
 * applied is exactly what was previewed. Bounded (one per admin, at most `max`), and forgotten after
 * `ttlMs` or a restart, in which case the button answers "expired" and the admin uploads again.
 */
export class PendingImports {
  readonly #entries = new Map<string, PendingImport>();
  constructor(private readonly options: { ttlMs: number; max: number; clock: () => number; newToken: () => string }) {}

  add(userId: string, file: ImportFile, label: string): PendingImport {
    this.#prune();
    for (const [token, p] of this.#entries) if (p.userId === userId) this.#entries.delete(token);
    while (this.#entries.size >= this.options.max) this.#entries.delete(this.#entries.keys().next().value!);
    const pending = { token: this.options.newToken(), userId, file, label, createdAt: this.options.clock() };
    this.#entries.set(pending.token, pending);
    return pending;
  }

  /** Removes and returns the upload for its uploader; a second click finds it gone. */
  take(token: string, userId: string): TakeResult {
    this.#prune();
    const pending = this.#entries.get(token);
    if (!pending) return { kind: 'expired' };
    if (pending.userId !== userId) return { kind: 'not_yours' };
    this.#entries.delete(token);
    return { kind: 'ok', pending };
  }

  get size(): number {
    this.#prune();
    return this.#entries.size;
  }

  #prune(): void {
    const now = this.options.clock();
    for (const [token, p] of this.#entries) if (now - p.createdAt >= this.options.ttlMs) this.#entries.delete(token);
  }
}
