/**
 * Spreadsheets through Slack.
 *
 * - Import: an admin sends an .xlsx or .csv to duban in a direct message. duban downloads it with
 *   the bot token (files:read), reads it against the store, and answers in the DM with the dry run
 *   and Import / Cancel buttons, or with every problem. Import applies exactly what was previewed,
 *   in one transaction recorded in the journal with the admin as `by`.
 * - Export: `/duban export [department|bulletin]` builds the ledger (or the bulletin as .xlsx and
 *   Markdown) and uploads it to the requester's DM (files:write): files.getUploadURLExternal, the
 *   bytes POSTed to the upload URL, files.completeUploadExternal with an initial comment.
 *
 * Export is the send_export effect of `/duban export` (commands/index.ts), performed after the command
 * was acknowledged (src/slack/effects.ts). The import buttons are routed by their action ids; they are
 * registered before interactions.ts, whose last handler answers any button nobody claimed.
 */
import { randomUUID } from 'node:crypto';
import type { RespondFn, webApi } from '@slack/bolt';
import type { Reply } from '../../../commands/reply.ts';
import {
  APPLY_IMPORT,
  appliedReply,
  CANCEL_IMPORT,
  cancelledReply,
  type ExportRequest,
  exportComment,
  exportSentReply,
  notAdminReply,
  PENDING_MINUTES,
  PendingImports,
  previewReply,
  problemsReply,
  refusedReply,
} from '../../../commands/spreadsheet.ts';
import type { MissingChart } from '../../charts/bulletin.ts';
import { isDocumentName } from '../../documents/read-document.ts';
import { calendarOf } from '../../domain/read-model.ts';
import { previousMonth, scoreMonth } from '../../domain/scoring.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import { importerOf } from '../../store/import.ts';

/**
 * The workbook code (exceljs) is loaded on first use, so a bot that never sees a spreadsheet does
 * not carry it in memory.
 */
const exchange = () => import('../../spreadsheet/exchange.ts');
/** Uploads larger than this are refused before download (kept equal to the exchange's own limit, tested). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

import { renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { type Destination, deliver } from '../deliver.ts';
import type { Router } from '../router.ts';
import { type OutFile, uploadToDm } from '../upload.ts';
import { createEventDeduper } from './events.ts';

type SlackFile = {
  id?: string;
  name?: string;
  title?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
};
type DirectMessage = {
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  ts: string;
  files?: SlackFile[];
};

export type FilesOptions = {
  /** Largest spreadsheet accepted (default 20 MiB). */
  maxBytes?: number;
  /** Seconds a download may take (default 30). */
  downloadTimeoutSeconds?: number;
};

const MAX_PENDING = 20;

/** Hosts that may receive the bot token with a download: Slack's own, and the configured API host (proxies, tests). */
export function isTrustedFileUrl(url: string, apiUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const api = new URL(apiUrl);
  if (u.hostname === api.hostname && u.protocol === api.protocol) return true;
  return (
    u.protocol === 'https:' &&
    (u.hostname === 'slack.com' || u.hostname.endsWith('.slack.com') || u.hostname.endsWith('.slack-gov.com'))
  );
}

export type Download =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'untrusted' | 'too_large' | 'http' | 'not_a_file' };

/**
 * Downloads a Slack file with the bot token, refusing other hosts and anything over `maxBytes`
 * (counted as it arrives). Redirects are followed by hand, only to trusted hosts, so the token never
 * travels anywhere else.
 */
export async function downloadSlackFile(
  url: string,
  token: string,
  options: { apiUrl: string; maxBytes: number; timeoutMs: number },
): Promise<Download> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; hop < 4; hop++) {
    if (!isTrustedFileUrl(current, options.apiUrl)) return { ok: false, reason: 'untrusted' };
    const res = await fetch(current, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (!res.ok || !res.body) return { ok: false, reason: 'http' };
    // Without files:read, Slack answers with its sign-in page instead of the file.
    if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
      await res.body.cancel();
      return { ok: false, reason: 'not_a_file' };
    }
    if (Number(res.headers.get('content-length') ?? 0) > options.maxBytes) {
      await res.body.cancel();
      return { ok: false, reason: 'too_large' };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    // Leaving the loop early cancels the stream.
    for await (const chunk of res.body) {
      total += chunk.byteLength;
      if (total > options.maxBytes) return { ok: false, reason: 'too_large' };
      chunks.push(Buffer.from(chunk));
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  }
  return { ok: false, reason: 'http' };
}

async function exportFiles(
  request: Exclude<ExportRequest, { kind: 'reply' }>,
  locale: Locale,
  today: string,
  deps: ListenerDeps,
): Promise<{ files: OutFile[]; missingCharts: MissingChart[] }> {
  const zh = locale === 'zh-CN';
  if (request.kind === 'bulletin') {
    const model = deps.store.model();
    // The previous month's results go in as a sheet of their own (the same as /duban score shows).
    const monthly = scoreMonth(
      model,
      await deps.store.history(),
      previousMonth(today),
      model.calendar ? calendarOf(model, model.calendar) : undefined,
    );
    // The charts go in the workbook and as PNGs beside the Markdown, which refers to them by file name.
    const { xlsx, markdown, charts, missingCharts } = await (await exchange()).exportBulletin(
      model,
      today,
      locale,
      undefined,
      monthly,
      deps.charts,
    );
    const base = `${messages(locale).spreadsheet.files.bulletin}-${today}`;
    return {
      files: [
        { bytes: xlsx, filename: `${base}.xlsx`, title: `${base}.xlsx` },
        { bytes: Buffer.from(markdown, 'utf8'), filename: `${base}.md`, title: `${base}.md` },
        ...charts.map((c) => ({ bytes: c.image.png, filename: c.file, title: c.image.title, altText: c.image.alt })),
      ],
      missingCharts,
    };
  }
  const department = request.departmentId ? deps.store.model().department(request.departmentId) : undefined;
  const scope = department
    ? `-${zh ? (department.shortName.zh ?? department.name.zh) : (department.shortName.en ?? department.id)}`
    : '';
  const { exportLedger, safeFileName } = await exchange();
  const name = safeFileName(`${messages(locale).spreadsheet.files.ledger}${scope}-${today}.xlsx`);
  return {
    files: [
      { bytes: await exportLedger(deps.store, today, locale, request.departmentId), filename: name, title: name },
    ],
    missingCharts: [],
  };
}

/**
 * Sends an export to the asker: builds the files, uploads them to the asker's DM and says so where the
 * command was typed. The command has already been acknowledged; this is the send_export effect.
 */
export async function sendExport(
  client: webApi.WebClient,
  deps: ListenerDeps,
  request: Exclude<ExportRequest, { kind: 'reply' }>,
  userId: string,
  locale: Locale,
  answeredAt: Destination,
): Promise<void> {
  const started = performance.now();
  const ctx = deps.readContext(userId, locale);
  const { files, missingCharts } = await exportFiles(request, locale, ctx.today, deps);
  for (const { kind, error } of missingCharts)
    deps.logger.warn(
      { err: error, kind, user: userId },
      'a chart of the exported bulletin could not be drawn; sent without it',
    );
  await uploadToDm(
    client,
    userId,
    files,
    exportComment(
      request,
      ctx,
      missingCharts.map((m) => m.kind),
    ),
  );
  await deliver(client, deps, exportSentReply(request, ctx), locale, answeredAt);
  deps.logger.info(
    {
      command: '/duban export',
      user: userId,
      kind: request.kind,
      department: request.kind === 'ledger' ? request.departmentId : undefined,
      bytes: files.reduce((n, f) => n + f.bytes.length, 0),
      ms: Math.round(performance.now() - started),
    },
    'export sent',
  );
}

/** A .docx or .txt sent to duban in a DM, downloaded, for the intake listener to draft from. */
export type DocumentUpload = {
  bytes: Buffer;
  label: string;
  userId: string;
  channel: string;
  client: webApi.WebClient;
};

/**
 * What the spreadsheet import shares with other ways of importing (intake from minutes): the waiting
 * previews that Import applies, the store's import transaction, and the hook that receives documents.
 */
export type FileImports = {
  pending: PendingImports;
  importer: ReturnType<typeof importerOf>;
  /** Documents (.docx, .txt) go to `handler`; without one they are refused like any non-spreadsheet. */
  takeDocuments(handler: (upload: DocumentUpload) => Promise<void>): void;
};

export function registerFiles(router: Router, deps: ListenerDeps, options: FilesOptions = {}): FileImports {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  const timeoutMs = (options.downloadTimeoutSeconds ?? 30) * 1000;
  const pending = new PendingImports({
    ttlMs: PENDING_MINUTES * 60_000,
    max: MAX_PENDING,
    clock: () => deps.clock().getTime(),
    newToken: () => randomUUID(),
  });
  const duplicate = createEventDeduper();
  const importer = importerOf(deps.store);
  let documents: ((upload: DocumentUpload) => Promise<void>) | undefined;

  for (const id of [APPLY_IMPORT, CANCEL_IMPORT]) {
    router.action(id, async ({ ack, action, body, respond }) => {
      await ack();
      await decide(id, (action as { value?: string }).value ?? '', body.user.id, respond);
    });
  }

  /** Import or Cancel on a preview: the preview is replaced by the outcome; a second click finds it gone. */
  async function decide(actionId: string, token: string, userId: string, respond: RespondFn): Promise<void> {
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const m = messages(locale).spreadsheet;
    const answer = (reply: Reply) => respond({ replace_original: true, ...renderMessage(reply, locale) });
    const note = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    if (!ctx.isAdmin) return void (await note(messages(locale).admin.adminsOnly));
    const taken = pending.take(token, userId);
    if (taken.kind === 'expired') return void (await note(m.expired(PENDING_MINUTES)));
    if (taken.kind === 'not_yours') return void (await note(m.notYours));
    const { file, label } = taken.pending;
    if (actionId === CANCEL_IMPORT) {
      deps.logger.info({ user: userId, file: label }, 'import cancelled');
      return void (await answer(cancelledReply(label, ctx)));
    }
    const applied = await importer(file, label, { now: ctx.now, by: userId });
    if (!applied.ok) {
      // The store changed since the preview in a way this file no longer fits: nothing was written.
      await answer(problemsReply(label, (await exchange()).fileProblems(label, applied.problems), ctx));
      return;
    }
    deps.logger.info({ user: userId, file: label, summary: applied.summary }, 'spreadsheet imported');
    await answer(appliedReply(label, applied.summary, userId, ctx));
  }

  router.event('message', async ({ event, body, client, context }) => {
    const e = event as unknown as DirectMessage;
    if (e.channel_type !== 'im' || !e.files || e.files.length === 0) return;
    if (e.subtype !== undefined && e.subtype !== 'file_share') return;
    if (!e.user || e.bot_id || e.user === context.botUserId) return;
    if (duplicate(body.event_id)) {
      deps.logger.info({ eventId: body.event_id }, 'duplicate delivery ignored');
      return;
    }
    const userId = e.user;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const m = messages(locale).spreadsheet;
    const post = (reply: Reply) =>
      deliver(client, deps, { ...reply, visibility: 'in_channel' }, locale, { channel: e.channel });
    if (!ctx.isAdmin) {
      await post(notAdminReply(await deps.admins.all(), ctx));
      return;
    }
    const [file, ...others] = e.files as [SlackFile, ...SlackFile[]];
    if (others.length > 0) await post(refusedReply(m.oneAtATime(others.length)));
    const label = (file.name ?? file.title ?? 'upload').slice(0, 200);
    // Minutes and reports (.docx, .txt) are drafted from by the intake; .xlsx and .csv are imported here.
    const intake = isDocumentName(label) ? documents : undefined;
    const tooLarge = (size: number) =>
      post(refusedReply(m.tooLarge((size / 1024 / 1024).toFixed(1), Math.round(maxBytes / 1024 / 1024))));
    if (/\.json$/i.test(label)) return void (await post(refusedReply(m.jsonFile)));
    if (file.size !== undefined && file.size > maxBytes) return void (await tooLarge(file.size));
    const url = file.url_private_download ?? file.url_private;
    const token = context.botToken;
    if (!url || !token) {
      deps.logger.warn({ user: userId, file: file.id, hasUrl: !!url }, 'a shared file came without a download URL');
      return void (await post(refusedReply(m.downloadFailed)));
    }
    const download = await downloadSlackFile(url, token, { apiUrl: client.slackApiUrl, maxBytes, timeoutMs });
    if (!download.ok) {
      deps.logger.warn({ user: userId, file: file.id, reason: download.reason }, 'could not download a shared file');
      if (download.reason === 'too_large') return void (await tooLarge(maxBytes + 1));
      return void (await post(refusedReply(m.downloadFailed)));
    }
    if (intake) return void (await intake({ bytes: download.bytes, label, userId, channel: e.channel, client }));
    const preview = await (await exchange()).previewSpreadsheet(
      deps.store,
      importer,
      download.bytes,
      label,
      ctx.now,
      maxBytes,
    );
    if (!preview.ok) {
      deps.logger.info({ user: userId, file: label, problems: preview.problems.length }, 'spreadsheet refused');
      return void (await post(problemsReply(label, preview.problems, ctx)));
    }
    const waiting = preview.unchanged ? undefined : pending.add(userId, preview.file, label);
    deps.logger.info({ user: userId, file: label, summary: preview.summary }, 'spreadsheet previewed');
    await post(previewReply(preview, waiting?.token ?? '', ctx));
  });

  return {
    pending,
    importer,
    takeDocuments: (handler) => {
      documents = handler;
    },
  };
}
