/**
 * An in-process fake of the parts of Slack's Web API that duban uses, for tests that drive the real Bolt app.
 *
 * Point Bolt at it with `clientOptions: { slackApiUrl: fake.url }` (our `SLACK_API_URL`). It speaks the same wire
 * format as slack.com as seen by `@slack/web-api` 8.x (which uses `fetch`):
 *
 * - requests are `POST ${slackApiUrl}${method}`; bodies are `application/x-www-form-urlencoded` where every
 *   non-primitive argument (blocks, attachments, view, files, ...) is a JSON string, `multipart/form-data` when an
 *   argument is a Buffer, or `application/json`; query-string arguments and `GET` are accepted too;
 * - the token comes in `Authorization: Bearer <token>` (or as a `token` argument);
 * - answers are HTTP 200 with `{ ok: true, ... }` or `{ ok: false, error }`; rate limits are HTTP 429 with a
 *   `Retry-After` header in seconds (the client waits that long and retries); other HTTP errors make the client throw
 *   `WebAPIHTTPError` after its retries.
 *
 * It also serves `response_url`s (see {@link FakeSlack.responseUrl}) and the `upload_url`s handed out by
 * `files.getUploadURLExternal`, and records everything it receives.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Workspace identity the fake answers with by default (`auth.test`, `team_id` fields, ...). */
export const FAKE_TEAM_ID = 'T0DUBAN01';
/** Subdomain of the fake workspace, used in permalinks and `auth.test`'s `url`. */
export const FAKE_TEAM_DOMAIN = 'duban-test';
/** The bot user id `auth.test` reports; Bolt uses it for `context.botUserId` and to ignore its own messages. */
export const FAKE_BOT_USER_ID = 'U0DUBANBOT';
/** The bot id `auth.test` reports (`context.botId`). */
export const FAKE_BOT_ID = 'B0DUBANBOT';
/** The Slack app id used in events, interactivity payloads and posted messages. */
export const FAKE_APP_ID = 'A0DUBANAPP';

/** A decoded argument object of one Web API call. */
export type SlackArgs = Record<string, unknown>;

/** One request received on the Web API endpoint (`/api/<method>`), whatever the answer was. */
export interface ApiCall {
  kind: 'api';
  /** The API method, e.g. `chat.postMessage`. */
  method: string;
  /**
   * Arguments, decoded: form fields holding JSON (blocks, attachments, view, files, metadata, ...) are parsed back
   * into objects; other form values stay strings (`include_locale: 'true'`, `length: '12'`), as Slack sees them.
   * The `token` argument, if any, is moved to {@link ApiCall.token}. Multipart file parts become {@link UploadedPart}.
   */
  args: SlackArgs;
  /** Token from the `Authorization: Bearer` header, else from the `token` argument. */
  token: string | undefined;
  /** `Date.now()` when the request was received. */
  at: number;
  /** HTTP status the fake answered with (200, or 429/500/... for injected failures and rate limits). */
  status: number;
  /** The body the fake answered with (parsed JSON object, or a string for non-JSON error bodies). */
  response: unknown;
  /** True when answered HTTP 200 with `ok: true`. */
  ok: boolean;
  /** The request's content type (empty for GET). */
  contentType: string;
}

/** One POST received on a response URL handed out by {@link FakeSlack.responseUrl}. */
export interface ResponsePost {
  kind: 'response';
  /** The id the URL was created with. */
  id: string;
  /** The full URL that was POSTed to. */
  url: string;
  /** The posted JSON (or form fields), parsed; `{}` when the body could not be parsed. */
  body: SlackArgs;
  /** The raw body text. */
  raw: string;
  contentType: string;
  /** HTTP status the fake answered with. */
  status: number;
  at: number;
}

/** Bytes received on an `upload_url` from `files.getUploadURLExternal`. */
export interface FileUpload {
  kind: 'upload';
  fileId: string;
  /** The file content (the file part when the upload was multipart, else the raw body). */
  bytes: Buffer;
  /** File name from the multipart part, if any. */
  filename: string | undefined;
  contentType: string;
  at: number;
}

/** A file part found in a multipart Web API request. */
export interface UploadedPart {
  filename: string;
  type: string;
  bytes: Buffer;
}

/** Anything {@link FakeSlack.waitFor} can match. */
export type Recorded = ApiCall | ResponsePost | FileUpload;

/**
 * How to fail the next call(s) to a method:
 * - `{ status: 429, retryAfter: 1 }`: HTTP 429 with `Retry-After: 1` (omit `retryAfter` to send no header, which
 *   makes `@slack/web-api` give up immediately);
 * - `{ status: 500 }` (or any status): that HTTP status, `body` defaults to a small HTML page;
 * - `{ ok: false, error: 'channel_not_found' }`: HTTP 200 with that Slack error (plus `extra` fields); on a
 *   response URL (`failNext('response_url', ...)`) it becomes HTTP 404 with the error as text, e.g. `expired_url`.
 */
export type FailureSpec =
  | { status: number; retryAfter?: number; body?: string }
  | { ok: false; error: string; extra?: SlackArgs };

/** Options of {@link startFakeSlack}. */
export interface FakeSlackOptions {
  /**
   * When set, `chat.postMessage` answers HTTP 429 with `Retry-After` once a channel has accepted `perSecond`
   * messages within the last second (sliding window). Off by default.
   */
  perChannelRateLimit?: { perSecond: number };
  /** When set, only these tokens are accepted; others get `invalid_auth`. A missing token always gets `not_authed`. */
  tokens?: string[];
  /**
   * When true (default), `chat.update` / `chat.delete` of a message the fake did not post answer
   * `message_not_found`, like Slack. Set false to accept any ts.
   */
  strictMessages?: boolean;
  /**
   * Slack accepts at most 5 POSTs per response_url; later ones answer HTTP 404 `used_url`. Default 5
   * (`Infinity` to disable).
   */
  responseUrlMaxUses?: number;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /**
   * The bot token's scopes. When given, `conversations.join` needs `channels:join`, `conversations.info` and
   * `conversations.members` need `channels:read` (public channels) or `groups:read` (private ones), and posting to a
   * public channel the bot is not in needs `chat:write.public` (else `not_in_channel`); a missing scope answers
   * `missing_scope` with `needed`, as Slack does. Default: every scope is granted.
   */
  scopes?: string[];
  /**
   * Socket Mode: the WebSocket URL `apps.connections.open` hands out (an app-level `xapp-` token is required), such as
   * a {@link import('./fake-socket-mode.ts').FakeSocketMode}'s. Without it the method answers `not_allowed`.
   */
  socketModeUrl?: () => string;
  /**
   * Multi-workspace tests: the codes `oauth.v2.access` exchanges, each for the workspace that installed the app
   * (its bot token, bot user and the installing user). Unknown codes answer `invalid_code`.
   */
  oauthCodes?: Record<string, FakeInstall>;
  /**
   * The seconds of the first generated ts (default 1764300000). Tests whose clock is seeded set it near that clock,
   * so `conversations.history`'s `oldest` compares messages with the time duban marked them.
   */
  tsBaseSeconds?: number;
}

/** A workspace installing the app through OAuth (see {@link FakeSlackOptions.oauthCodes}). */
export interface FakeInstall {
  teamId: string;
  teamName: string;
  userId: string;
  botToken: string;
  botUserId?: string;
}

/** Profile of a user known to the fake (see {@link FakeSlack.setUser}). */
export interface FakeUserOptions {
  /** Returned as `user.locale` when `include_locale` is set. Default `zh-CN`. */
  locale?: string;
  /** Username and, unless `realName` is given, real name. Default: the id in lower case. */
  name?: string;
  realName?: string;
  /** IANA time zone. Default `Asia/Shanghai`. */
  tz?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isBot?: boolean;
  deleted?: boolean;
  email?: string;
}

/**
 * Channel facts for `conversations.info`, `conversations.join`, `conversations.members` and posting checks (see
 * {@link FakeSlack.setChannel}). Membership follows Slack's rules:
 * - posting to a channel the bot is not in answers `not_in_channel`, except a public one when the token has
 *   `chat:write.public`;
 * - a private channel the bot is not in is hidden from it: `conversations.info` and `conversations.members` answer
 *   `channel_not_found`;
 * - `conversations.join` adds the bot to a public channel that is not archived; a private channel (or a DM) answers
 *   `method_not_supported_for_channel_type`, an archived one `is_archived`, a missing one `channel_not_found`;
 * - Slack sends an app the message events of a channel only while its bot is in it ({@link FakeSlack.isMember}).
 */
export interface FakeChannelOptions {
  name?: string;
  isPrivate?: boolean;
  /** Whether the bot is a member. Default true (unless `conversations.join` or a later `setChannel` changes it). */
  isMember?: boolean;
  /** The people in the channel besides the bot (`conversations.members`). Default none. */
  members?: string[];
  /** Posting to or joining an archived channel → `is_archived`. */
  isArchived?: boolean;
  /** When true the channel does not exist: every method naming it answers `channel_not_found`. */
  missing?: boolean;
}

/** A message the fake has posted (and may update or delete). */
export interface StoredMessage {
  channel: string;
  ts: string;
  /** The message object as returned by `chat.postMessage` / `chat.update`. */
  message: SlackArgs;
}

/** The handle returned by {@link startFakeSlack}. */
export interface FakeSlack {
  /** Base Web API URL ending in `/api/`, for `clientOptions.slackApiUrl` / `SLACK_API_URL`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` of the fake. */
  readonly origin: string;
  /** A URL that records POSTs like Slack's `response_url` (answers `{"ok":true}`). Without an id, a fresh one. */
  responseUrl(id?: string): string;
  /** Every Web API request received, in order (live array, cleared in place by {@link reset}). */
  readonly calls: ApiCall[];
  /** Every POST to a response URL, in order (live array). */
  readonly responses: ResponsePost[];
  /** Every upload to an `upload_url`, in order (live array). */
  readonly uploads: FileUpload[];
  /** Calls to one method (all attempts, including failed/rate-limited ones; filter on `ok` for accepted ones). */
  callsTo(method: string): ApiCall[];
  /** POSTs to the response URL with this id. */
  responsesTo(id: string): ResponsePost[];
  /** Messages currently held in a channel (posted and not deleted), oldest first. */
  messagesIn(channel: string): StoredMessage[];
  /**
   * Resolves with the first recorded item (already recorded or arriving within `timeoutMs`) that matches: a method
   * name matches API calls to that method; a function is called with every recorded item. Rejects after `timeoutMs`
   * with a message listing everything recorded.
   */
  waitFor(method: string, timeoutMs?: number): Promise<ApiCall>;
  waitFor<T extends Recorded>(predicate: (item: Recorded) => item is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (item: Recorded) => boolean, timeoutMs?: number): Promise<Recorded>;
  /** Resolves once at least `count` calls to `method` with `ok: true` are recorded; yields those calls. */
  waitForCount(method: string, count: number, timeoutMs?: number): Promise<ApiCall[]>;
  /**
   * Makes the next `times` calls to `method` fail as described (queued after earlier failures for that method).
   * `method` may also be `'response_url'` (next POSTs to any response URL) or `'upload'` (next uploads).
   */
  failNext(method: string, failure: FailureSpec, times?: number): void;
  /**
   * After `after` more calls to `method`, acts on each later call (records it, posts the message) but never answers
   * it, as when the caller's process or network dies between Slack acting and the answer arriving; with `drop`, the
   * later calls are neither acted on nor recorded (the request never reached Slack). Until reset, or another stall
   * (`after: Infinity` lifts it).
   */
  stall(method: string, options: { after: number; drop?: boolean }): { held(): number };
  /** Registers or changes a user for `users.info` (unknown users answer `user_not_found`). */
  setUser(id: string, options?: FakeUserOptions): void;
  /**
   * Registers or changes a channel. Unregistered C/D ids are treated as existing public channels (or DMs) the bot is
   * in, unregistered G ids as private channels the bot is in.
   */
  setChannel(id: string, options?: FakeChannelOptions): void;
  /**
   * Whether a user (default: the bot) is in a channel now, after any `conversations.join`. Slack delivers a channel's
   * message events to an app only while its bot is in the channel, so tests send those events only when this is true.
   */
  isMember(channel: string, userId?: string): boolean;
  /** Sets the members of a user group for `usergroups.users.list` (unknown groups answer `no_such_subteam`). */
  setUsergroup(id: string, userIds: string[]): void;
  /**
   * Back to the freshly started state: clears recordings, queued failures, messages, reactions, files, views,
   * users (except the bot), channels and user groups. Generated ts values keep increasing across resets.
   */
  reset(): void;
  /** Stops the server (dropping open connections) and rejects pending waiters. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

/** Fields that `@slack/web-api` JSON-encodes and that Slack documents as JSON. Always decoded when parseable. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'files',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
  'profile',
  'prefs',
  'event_payload',
  'outputs',
]);
/** Free-text fields that must never be decoded even if they look like JSON. */
const TEXT_FIELDS = new Set([
  'text',
  'markdown_text',
  'initial_comment',
  'title',
  'alt_text',
  'filename',
  'content',
  'name',
  'user_auth_message',
  'private_metadata',
  'external_id',
  'hash',
]);

function isRecord(value: unknown): value is SlackArgs {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeField(key: string, value: string): unknown {
  const trimmed = value.trim();
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (JSON_FIELDS.has(key) || (looksJson && !TEXT_FIELDS.has(key))) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (JSON_FIELDS.has(key) || typeof parsed === 'object') return parsed;
    } catch {
      // Not JSON after all: keep the string, as Slack would receive it.
    }
  }
  return value;
}

function str(args: SlackArgs, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function truthy(args: SlackArgs, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Offset in seconds of an IANA zone right now (throws RangeError for unknown zones). */
function tzOffsetSeconds(tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(
    new Date(),
  );
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 3600 + Number(match[3] ?? '0') * 60);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/** Parses a request body by content type into fields; multipart file parts become {@link UploadedPart}. */
async function parseBody(raw: Buffer, contentType: string): Promise<SlackArgs> {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const out: SlackArgs = {};
  if (raw.length === 0) return out;
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return isRecord(parsed) ? parsed : { _body: parsed };
  }
  if (type === 'multipart/form-data') {
    // Let undici's multipart parser do the work (Node ≥ 18 ships it behind Response#formData).
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        out[key] = decodeField(key, value);
      } else {
        out[key] = {
          filename: value.name,
          type: value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        } satisfies UploadedPart;
      }
    }
    return out;
  }
  // application/x-www-form-urlencoded (and, leniently, anything else)
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    out[key] = decodeField(key, value);
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Block Kit / view validation (a conservative subset of what Slack enforces)
// ---------------------------------------------------------------------------------------------------------------

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

/** Returns Slack-style error strings for blocks that Slack would reject; empty when acceptable. */
export function validateBlocks(blocks: unknown, maxBlocks = 50, pointer = '/blocks'): string[] {
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${pointer}]`];
  const errors: string[] = [];
  if (blocks.length > maxBlocks) errors.push(`no more than ${maxBlocks} items allowed [json-pointer:${pointer}]`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const at = `${pointer}/${i}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      errors.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) errors.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
      if (blockIds.has(block.block_id)) errors.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    if (block.text !== undefined) {
      if (!isRecord(block.text) || (block.text.type !== 'plain_text' && block.text.type !== 'mrkdwn')) {
        errors.push(`must provide an object with a valid text type [json-pointer:${at}/text]`);
      }
    }
    const text = textOf(block.text);
    switch (block.type) {
      case 'section':
        if (text === undefined && block.fields === undefined) {
          errors.push(`must provide either text or fields [json-pointer:${at}]`);
        }
        if (text !== undefined && text.length > 3000) {
          errors.push(`must be less than 3001 characters [json-pointer:${at}/text/text]`);
        }
        if (Array.isArray(block.fields)) {
          if (block.fields.length > 10) errors.push(`no more than 10 items allowed [json-pointer:${at}/fields]`);
          block.fields.forEach((field: unknown, j) => {
            if ((textOf(field) ?? '').length > 2000) {
              errors.push(`must be less than 2001 characters [json-pointer:${at}/fields/${j}/text]`);
            }
          });
        }
        break;
      case 'header':
        if (!isRecord(block.text) || block.text.type !== 'plain_text') {
          errors.push(`must be a plain_text object [json-pointer:${at}/text]`);
        } else if ((text ?? '').length > 150) {
          errors.push(`must be less than 151 characters [json-pointer:${at}/text/text]`);
        }
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          errors.push(`must provide at least one element [json-pointer:${at}/elements]`);
        } else if (block.elements.length > 25) {
          errors.push(`no more than 25 items allowed [json-pointer:${at}/elements]`);
        }
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          errors.push(`must provide at least one element [json-pointer:${at}/elements]`);
        } else if (block.elements.length > 10) {
          errors.push(`no more than 10 items allowed [json-pointer:${at}/elements]`);
        }
        break;
      default:
        break;
    }
    const elements: unknown[] = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory !== undefined ? [block.accessory] : []),
      ...(block.element !== undefined ? [block.element] : []),
    ];
    elements.forEach((element, j) => {
      if (!isRecord(element)) return;
      const eat = `${at}/elements/${j}`;
      if (typeof element.action_id === 'string' && element.action_id.length > 255) {
        errors.push(`must be less than 256 characters [json-pointer:${eat}/action_id]`);
      }
      if (element.type === 'button') {
        if ((textOf(element.text) ?? '').length > 75) {
          errors.push(`must be less than 76 characters [json-pointer:${eat}/text/text]`);
        }
        if (typeof element.value === 'string' && element.value.length > 2000) {
          errors.push(`must be less than 2001 characters [json-pointer:${eat}/value]`);
        }
      }
    });
  });
  return errors;
}

/** Returns Slack-style error strings for a view Slack would reject; empty when acceptable. */
export function validateView(view: unknown, expectedType?: 'home' | 'modal'): string[] {
  if (!isRecord(view)) return ['must be an object [json-pointer:/view]'];
  const errors: string[] = [];
  if (view.type !== 'home' && view.type !== 'modal') {
    errors.push('must be one of home, modal [json-pointer:/view/type]');
  } else if (expectedType !== undefined && view.type !== expectedType) {
    errors.push(`must be ${expectedType} for this method [json-pointer:/view/type]`);
  }
  errors.push(...validateBlocks(view.blocks, 100, '/view/blocks'));
  if (view.type === 'modal') {
    const title = textOf(view.title);
    if (title === undefined) errors.push('missing required field: title [json-pointer:/view/title]');
    else if (title.length > 24) errors.push('must be less than 25 characters [json-pointer:/view/title/text]');
    for (const key of ['submit', 'close'] as const) {
      const label = textOf(view[key]);
      if (label !== undefined && label.length > 24) {
        errors.push(`must be less than 25 characters [json-pointer:/view/${key}/text]`);
      }
    }
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    errors.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    errors.push('must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

interface UserRecord {
  id: string;
  name: string;
  realName: string;
  locale: string;
  tz: string;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
  deleted: boolean;
  email: string | undefined;
}

interface FileRecord {
  id: string;
  filename: string;
  title: string;
  expectedLength: number | undefined;
  bytes: Buffer | undefined;
  mimetype: string;
  created: number;
  user: string;
  completed: boolean;
  channels: string[];
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type MethodHandler = (args: SlackArgs, token: string) => SlackArgs;

const TS_BASE_SECONDS = 1764300000;
const DEFAULT_WAIT_MS = 2000;

/**
 * Starts a fake Slack Web API on 127.0.0.1 (random port).
 *
 * @example
 * const slack = await startFakeSlack();
 * const app = new App({ token: 'xoxb-test', signingSecret, clientOptions: { slackApiUrl: slack.url } });
 * // ... drive the app ...
 * const post = await slack.waitFor('chat.postMessage');
 * expect(post.args.blocks).toEqual([...]);
 * await slack.close();
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? FAKE_TEAM_ID;
  const teamDomain = options.teamDomain ?? FAKE_TEAM_DOMAIN;
  const botUserId = options.botUserId ?? FAKE_BOT_USER_ID;
  const botId = options.botId ?? FAKE_BOT_ID;
  const appId = options.appId ?? FAKE_APP_ID;
  const strictMessages = options.strictMessages ?? true;
  const responseUrlMaxUses = options.responseUrlMaxUses ?? 5;
  const allowedTokens = options.tokens ? new Set(options.tokens) : undefined;
  const rateLimit = options.perChannelRateLimit;
  const scopes = options.scopes ? new Set(options.scopes) : undefined;
  if (rateLimit && !(rateLimit.perSecond > 0)) throw new Error('perChannelRateLimit.perSecond must be > 0');

  const calls: ApiCall[] = [];
  const responses: ResponsePost[] = [];
  const uploads: FileUpload[] = [];
  const failures = new Map<string, FailureSpec[]>();
  const users = new Map<string, UserRecord>();
  const channels = new Map<string, FakeChannelOptions>();
  const usergroups = new Map<string, string[]>();
  const messages = new Map<string, StoredMessage>(); // key `${channel} ${ts}`
  const reactions = new Set<string>(); // `${channel} ${ts} ${name} ${token}`
  const files = new Map<string, FileRecord>();
  const views = new Map<string, SlackArgs>();
  const rateWindows = new Map<string, number[]>();
  const waiters = new Set<{ check: (item: Recorded) => void; fail: (error: Error) => void }>();
  const stalls = new Map<string, { after: number; seen: number; drop: boolean }>();
  const tsBase = options.tsBaseSeconds ?? TS_BASE_SECONDS;
  let tsSeq = 0;
  let idSeq = 0;
  let responseSeq = 0;
  let origin = '';

  const nextTs = (): string => {
    tsSeq += 1;
    const micros = tsSeq * 100;
    return `${tsBase + Math.floor(micros / 1_000_000)}.${pad(micros % 1_000_000, 6)}`;
  };
  const nextId = (prefix: string): string => {
    idSeq += 1;
    return `${prefix}0${idSeq.toString(36).toUpperCase().padStart(9, '0')}`;
  };
  const dmChannelFor = (userId: string): string => `D${userId.replace(/^[UW]/, '')}`;
  const userForDm = (channel: string): string | undefined => {
    const rest = channel.slice(1);
    if (users.has(`U${rest}`)) return `U${rest}`;
    if (users.has(`W${rest}`)) return `W${rest}`;
    return `U${rest}`;
  };

  const defaultUser = (id: string, o: FakeUserOptions = {}): UserRecord => {
    const tz = o.tz ?? 'Asia/Shanghai';
    tzOffsetSeconds(tz); // throws RangeError early for an invalid zone
    const name = o.name ?? id.toLowerCase();
    return {
      id,
      name,
      realName: o.realName ?? name,
      locale: o.locale ?? 'zh-CN',
      tz,
      isAdmin: o.isAdmin ?? false,
      isOwner: o.isOwner ?? false,
      isBot: o.isBot ?? false,
      deleted: o.deleted ?? false,
      email: o.email,
    };
  };
  const seedBot = (): void => {
    users.set(botUserId, defaultUser(botUserId, { name: 'duban', realName: '督办', isBot: true }));
  };
  seedBot();

  // -- recording & waiting --------------------------------------------------------------------------------------

  const record = (item: Recorded): void => {
    if (item.kind === 'api') calls.push(item);
    else if (item.kind === 'response') responses.push(item);
    else uploads.push(item);
    for (const waiter of [...waiters]) waiter.check(item);
  };

  const describeRecorded = (): string => {
    const lines: string[] = [];
    lines.push(`Recorded ${calls.length} API call(s)${calls.length ? ':' : '.'}`);
    calls.forEach((c, i) => {
      const outcome = c.ok ? 'ok' : isRecord(c.response) ? String(c.response.error ?? 'failed') : 'failed';
      lines.push(`  ${i + 1}. [${c.status} ${outcome}] ${c.method} ${truncate(JSON.stringify(c.args), 300)}`);
    });
    lines.push(`Recorded ${responses.length} response_url POST(s)${responses.length ? ':' : '.'}`);
    responses.forEach((r, i) => lines.push(`  ${i + 1}. [${r.id}] ${truncate(r.raw, 300)}`));
    if (uploads.length) {
      lines.push(`Recorded ${uploads.length} upload(s):`);
      uploads.forEach((u, i) => lines.push(`  ${i + 1}. ${u.fileId} ${u.bytes.length} bytes`));
    }
    return lines.join('\n');
  };

  function waitFor(
    what: string | ((item: Recorded) => boolean),
    timeoutMs: number = DEFAULT_WAIT_MS,
  ): Promise<Recorded> {
    const matches = typeof what === 'string' ? (item: Recorded) => item.kind === 'api' && item.method === what : what;
    const label = typeof what === 'string' ? `API call to ${what}` : `item matching ${truncate(String(what), 200)}`;
    const existing = [...calls, ...responses, ...uploads].sort((a, b) => a.at - b.at).find((item) => matches(item));
    if (existing) return Promise.resolve(existing);
    return new Promise<Recorded>((resolve, reject) => {
      const waiter = {
        check: (item: Recorded) => {
          let hit = false;
          try {
            hit = matches(item);
          } catch (error) {
            done();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (hit) {
            done();
            resolve(item);
          }
        },
        fail: (error: Error) => {
          done();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiter.fail(
          new Error(`fake Slack: timed out after ${timeoutMs}ms waiting for ${label}.\n${describeRecorded()}`),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      waiters.add(waiter);
    });
  }

  const takeFailure = (key: string): FailureSpec | undefined => {
    const queue = failures.get(key);
    if (!queue || queue.length === 0) return undefined;
    const failure = queue.shift();
    if (queue.length === 0) failures.delete(key);
    return failure;
  };

  const failureAnswer = (failure: FailureSpec): Answer => {
    if ('ok' in failure) return { status: 200, body: { ok: false, error: failure.error, ...(failure.extra ?? {}) } };
    if (failure.status === 429) {
      return {
        status: 429,
        body: failure.body ?? { ok: false, error: 'ratelimited' },
        headers: failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {},
      };
    }
    return {
      status: failure.status,
      body:
        failure.body ??
        `<html><body><h1>${failure.status} Internal Server Error</h1><p>fake Slack injected failure</p></body></html>`,
    };
  };

  // -- channel & message model ----------------------------------------------------------------------------------

  /** Resolves a channel argument: user ids post to the bot's DM with that user. */
  const resolveChannel = (channel: string): string =>
    /^[UW][A-Z0-9]+$/.test(channel) ? dmChannelFor(channel) : channel;

  const hasScope = (scope: string): boolean => !scopes || scopes.has(scope);
  const missingScope = (needed: string): SlackArgs => ({
    ok: false,
    error: 'missing_scope',
    needed,
    provided: [...(scopes ?? [])].join(','),
  });
  const isPrivateChannel = (channel: string): boolean => channels.get(channel)?.isPrivate ?? channel.startsWith('G');
  /** Whether the bot is in a channel; a DM with it always. */
  const botIsIn = (channel: string): boolean => channel.startsWith('D') || (channels.get(channel)?.isMember ?? true);
  /** Slack hides a private channel from a bot that is not in it. */
  const hiddenFromBot = (channel: string): boolean =>
    !channel.startsWith('D') && isPrivateChannel(channel) && !botIsIn(channel);
  const exists = (channel: string): boolean => {
    const known = channels.get(channel);
    return known ? !known.missing : /^[CGD][A-Z0-9]+$/.test(channel);
  };

  /** Error for posting into `channel`, or undefined when allowed. */
  const postingError = (channel: string | undefined): string | undefined => {
    if (channel === undefined || !exists(channel)) return 'channel_not_found';
    if (channels.get(channel)?.isArchived) return 'is_archived';
    if (!botIsIn(channel) && (isPrivateChannel(channel) || !hasScope('chat:write.public'))) return 'not_in_channel';
    return undefined;
  };
  /** The scope reading a channel needs. */
  const readScope = (channel: string): string =>
    channel.startsWith('D') ? 'im:read' : isPrivateChannel(channel) ? 'groups:read' : 'channels:read';

  /** Everyone in a channel: the bot when it is in, then the people set up with {@link FakeChannelOptions.members}. */
  const membersOf = (channel: string): string[] => [
    ...(botIsIn(channel) ? [botUserId] : []),
    ...(channels.get(channel)?.members ?? []).filter((u) => u !== botUserId),
  ];

  const hasContent = (args: SlackArgs): boolean =>
    str(args, 'text') !== undefined ||
    str(args, 'markdown_text') !== undefined ||
    (Array.isArray(args.blocks) && args.blocks.length > 0) ||
    (Array.isArray(args.attachments) && args.attachments.length > 0);

  /** Returns an `{ok:false}` body when message content is invalid. */
  const contentError = (args: SlackArgs, requireContent = true): SlackArgs | undefined => {
    if (requireContent && !hasContent(args)) return { ok: false, error: 'no_text' };
    const text = str(args, 'text');
    if (text !== undefined && text.length > 40000) return { ok: false, error: 'msg_too_long' };
    if (args.blocks !== undefined) {
      const errors = validateBlocks(args.blocks);
      if (errors.length) {
        return {
          ok: false,
          error: 'invalid_blocks',
          errors,
          response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
        };
      }
    }
    if (args.attachments !== undefined && !Array.isArray(args.attachments)) {
      return { ok: false, error: 'invalid_attachments' };
    }
    return undefined;
  };

  const messageObject = (args: SlackArgs, ts: string): SlackArgs => {
    const message: SlackArgs = {
      type: 'message',
      text: str(args, 'text') ?? '',
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      ts,
      bot_profile: { id: botId, app_id: appId, name: 'duban', team_id: teamId, deleted: false },
    };
    if (args.blocks !== undefined) message.blocks = args.blocks;
    if (args.attachments !== undefined) message.attachments = args.attachments;
    if (args.metadata !== undefined) message.metadata = args.metadata;
    const threadTs = str(args, 'thread_ts');
    if (threadTs !== undefined) message.thread_ts = threadTs;
    return message;
  };

  const viewObject = (view: SlackArgs, id: string, previous?: SlackArgs): SlackArgs => ({
    id,
    team_id: teamId,
    type: view.type,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    external_id: view.external_id ?? previous?.external_id ?? '',
    title: view.title,
    submit: view.submit ?? null,
    close: view.close ?? null,
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.${nextId('h').toLowerCase()}`,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    root_view_id: previous?.root_view_id ?? id,
    previous_view_id: null,
    app_id: appId,
    app_installed_team_id: teamId,
    bot_id: botId,
  });

  const viewError = (errors: string[]): SlackArgs => ({
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
  });

  const fileObject = (file: FileRecord): SlackArgs => ({
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.filename,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filename.includes('.') ? file.filename.split('.').pop() : 'binary',
    user: file.user,
    size: file.bytes?.length ?? 0,
    url_private: `${origin}/files-pri/${teamId}-${file.id}/${encodeURIComponent(file.filename)}`,
    url_private_download: `${origin}/files-pri/${teamId}-${file.id}/download/${encodeURIComponent(file.filename)}`,
    permalink: `https://${teamDomain}.slack.com/files/${file.user}/${file.id}/${encodeURIComponent(file.filename)}`,
    channels: file.channels.filter((c) => c.startsWith('C')),
    groups: file.channels.filter((c) => c.startsWith('G')),
    ims: file.channels.filter((c) => c.startsWith('D')),
    is_public: file.channels.some((c) => c.startsWith('C')),
  });

  const mimeFor = (filename: string): string => {
    const ext = filename.split('.').pop()?.toLowerCase() ?? '';
    const types: Record<string, string> = {
      csv: 'text/csv',
      txt: 'text/plain',
      json: 'application/json',
      md: 'text/markdown',
      pdf: 'application/pdf',
      png: 'image/png',
      jpg: 'image/jpeg',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    };
    return types[ext] ?? 'application/octet-stream';
  };

  // -- methods ----------------------------------------------------------------------------------------------------

  const methods: Record<string, MethodHandler> = {
    'api.test': (args) => ({ ok: true, args }),

    'apps.connections.open': (_args, token) => {
      if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      return options.socketModeUrl ? { ok: true, url: options.socketModeUrl() } : { ok: false, error: 'not_allowed' };
    },

    'oauth.v2.access': (args) => {
      const code = str(args, 'code');
      const install = code === undefined ? undefined : options.oauthCodes?.[code];
      if (!install) return { ok: false, error: 'invalid_code' };
      return {
        ok: true,
        app_id: appId,
        authed_user: { id: install.userId },
        scope: (options.scopes ?? ['chat:write']).join(','),
        token_type: 'bot',
        access_token: install.botToken,
        bot_user_id: install.botUserId ?? botUserId,
        team: { id: install.teamId, name: install.teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    },

    'auth.test': () => ({
      ok: true,
      url: `https://${teamDomain}.slack.com/`,
      team: 'Duban Test',
      user: 'duban',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const raw = str(args, 'channel');
      const channel = raw === undefined ? undefined : resolveChannel(raw);
      const error = postingError(channel);
      if (error || channel === undefined) return { ok: false, error: error ?? 'channel_not_found' };
      const invalid = contentError(args);
      if (invalid) return invalid;
      const ts = nextTs();
      const message = messageObject(args, ts);
      messages.set(`${channel} ${ts}`, { channel, ts, message });
      return { ok: true, channel, ts, message };
    },

    'chat.postEphemeral': (args) => {
      const raw = str(args, 'channel');
      const channel = raw === undefined ? undefined : resolveChannel(raw);
      const error = postingError(channel);
      if (error) return { ok: false, error };
      const user = str(args, 'user');
      if (user === undefined) return { ok: false, error: 'user_not_found' };
      if (users.get(user)?.deleted) return { ok: false, error: 'user_not_found' };
      const invalid = contentError(args);
      if (invalid) return invalid;
      return { ok: true, message_ts: nextTs() };
    },

    'chat.update': (args) => {
      const channel = str(args, 'channel');
      const ts = str(args, 'ts');
      if (channel === undefined) return { ok: false, error: 'channel_not_found' };
      if (ts === undefined) return { ok: false, error: 'message_not_found' };
      const invalid = contentError(args, false);
      if (invalid) return invalid;
      const stored = messages.get(`${channel} ${ts}`);
      if (!stored && strictMessages) return { ok: false, error: 'message_not_found' };
      const base = stored?.message ?? messageObject({}, ts);
      const updated: SlackArgs = { ...base, edited: { user: botUserId, ts: nextTs() } };
      for (const key of ['text', 'blocks', 'attachments', 'metadata'] as const) {
        if (args[key] !== undefined) updated[key] = args[key];
      }
      messages.set(`${channel} ${ts}`, { channel, ts, message: updated });
      return { ok: true, channel, ts, text: updated.text ?? '', message: updated };
    },

    'chat.delete': (args) => {
      const channel = str(args, 'channel');
      const ts = str(args, 'ts');
      if (channel === undefined) return { ok: false, error: 'channel_not_found' };
      if (ts === undefined) return { ok: false, error: 'message_not_found' };
      const existed = messages.delete(`${channel} ${ts}`);
      if (!existed && strictMessages) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel, ts };
    },

    'chat.getPermalink': (args) => {
      const channel = str(args, 'channel');
      const ts = str(args, 'message_ts');
      if (channel === undefined || postingError(channel) === 'channel_not_found') {
        return { ok: false, error: 'channel_not_found' };
      }
      if (ts === undefined) return { ok: false, error: 'message_not_found' };
      return {
        ok: true,
        channel,
        permalink: `https://${teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
      };
    },

    'reactions.add': (args, token) => {
      const channel = str(args, 'channel');
      const ts = str(args, 'timestamp');
      const name = str(args, 'name');
      if (channel === undefined || postingError(channel) === 'channel_not_found') {
        return { ok: false, error: 'channel_not_found' };
      }
      if (ts === undefined) return { ok: false, error: 'no_item_specified' };
      if (name === undefined) return { ok: false, error: 'invalid_name' };
      const key = `${channel} ${ts} ${name.replace(/^:|:$/g, '')} ${token}`;
      if (reactions.has(key)) return { ok: false, error: 'already_reacted' };
      reactions.add(key);
      return { ok: true };
    },

    'views.publish': (args) => {
      const userId = str(args, 'user_id');
      if (userId === undefined) return { ok: false, error: 'invalid_arguments' };
      if (!users.has(userId) && !/^[UW][A-Z0-9]+$/.test(userId)) return { ok: false, error: 'user_not_found' };
      const errors = validateView(args.view, 'home');
      if (errors.length || !isRecord(args.view)) return viewError(errors);
      const id = nextId('V');
      const view = viewObject(args.view, id);
      views.set(id, view);
      return { ok: true, view };
    },

    'views.open': (args) => {
      if (str(args, 'trigger_id') === undefined && str(args, 'interactivity_pointer') === undefined) {
        return {
          ok: false,
          error: 'invalid_arguments',
          response_metadata: { messages: ['[ERROR] missing trigger_id'] },
        };
      }
      const errors = validateView(args.view, 'modal');
      if (errors.length || !isRecord(args.view)) return viewError(errors);
      const id = nextId('V');
      const view = viewObject(args.view, id);
      views.set(id, view);
      return { ok: true, view };
    },

    'views.update': (args) => {
      const viewId = str(args, 'view_id');
      const externalId = str(args, 'external_id');
      if (viewId === undefined && externalId === undefined) {
        return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing view_id'] } };
      }
      const errors = validateView(args.view);
      if (errors.length || !isRecord(args.view)) return viewError(errors);
      const previous =
        viewId !== undefined ? views.get(viewId) : [...views.values()].find((v) => v.external_id === externalId);
      const hash = str(args, 'hash');
      if (previous && hash !== undefined && previous.hash !== hash) return { ok: false, error: 'hash_conflict' };
      const id = viewId ?? (typeof previous?.id === 'string' ? previous.id : nextId('V'));
      const view = viewObject(args.view, id, previous);
      views.set(id, view);
      return { ok: true, view };
    },

    'users.info': (args) => {
      const id = str(args, 'user');
      const user = id === undefined ? undefined : users.get(id);
      if (!user) return { ok: false, error: 'user_not_found' };
      const tzOffset = tzOffsetSeconds(user.tz);
      const hours = tzOffset / 3600;
      const result: SlackArgs = {
        id: user.id,
        team_id: teamId,
        name: user.name,
        deleted: user.deleted,
        color: '9f69e7',
        real_name: user.realName,
        tz: user.tz,
        tz_label: `UTC${hours >= 0 ? '+' : ''}${hours}`,
        tz_offset: tzOffset,
        profile: {
          real_name: user.realName,
          real_name_normalized: user.realName,
          display_name: user.name,
          display_name_normalized: user.name,
          ...(user.email !== undefined ? { email: user.email } : {}),
          team: teamId,
        },
        is_admin: user.isAdmin,
        is_owner: user.isOwner,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: user.isBot,
        is_app_user: false,
        updated: TS_BASE_SECONDS,
      };
      if (truthy(args, 'include_locale')) result.locale = user.locale;
      return { ok: true, user: result };
    },

    'conversations.open': (args) => {
      const channel = str(args, 'channel');
      if (channel !== undefined) {
        const error = postingError(channel);
        return error ? { ok: false, error } : { ok: true, channel: { id: channel } };
      }
      const ids = (str(args, 'users') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) return { ok: false, error: 'users_list_not_supplied' };
      if (ids.length > 8) return { ok: false, error: 'too_many_users' };
      for (const id of ids) {
        if (users.get(id)?.deleted || !/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: 'user_not_found' };
      }
      const first = ids[0] ?? '';
      const id =
        ids.length === 1 ? dmChannelFor(first) : `G${[...ids].sort().join('').replace(/[UW]/g, '').slice(0, 10)}`;
      const returnIm = truthy(args, 'return_im');
      const channelInfo: SlackArgs = returnIm && ids.length === 1 ? { id, is_im: true, user: first } : { id };
      return { ok: true, no_op: true, already_open: true, channel: channelInfo };
    },

    // Newest first, between `oldest` and `latest` (exclusive unless `inclusive`); metadata only with include_all_metadata.
    'conversations.history': (args) => {
      const raw = str(args, 'channel');
      const channel = raw === undefined ? undefined : resolveChannel(raw);
      if (channel === undefined || !exists(channel)) return { ok: false, error: 'channel_not_found' };
      const scope = channel.startsWith('D')
        ? 'im:history'
        : isPrivateChannel(channel)
          ? 'groups:history'
          : 'channels:history';
      if (!hasScope(scope)) return missingScope(scope);
      if (!botIsIn(channel)) return { ok: false, error: 'not_in_channel' };
      const inclusive = truthy(args, 'inclusive');
      const oldest = Number(str(args, 'oldest') ?? '0');
      const latest = Number(str(args, 'latest') ?? 'Infinity');
      const within = [...messages.values()]
        .filter((m) => m.channel === channel)
        .filter((m) => {
          const ts = Number(m.ts);
          return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
        })
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      const limit = Math.min(Number(str(args, 'limit') ?? '100') || 100, 999);
      const start = Number(str(args, 'cursor') ?? '0') || 0;
      const page = within.slice(start, start + limit).map((m) => {
        if (truthy(args, 'include_all_metadata')) return m.message;
        const { metadata: _hidden, ...rest } = m.message;
        return rest;
      });
      const more = start + limit < within.length;
      return {
        ok: true,
        messages: page,
        has_more: more,
        response_metadata: { next_cursor: more ? String(start + limit) : '' },
      };
    },

    'conversations.info': (args) => {
      const id = str(args, 'channel');
      if (id === undefined || !exists(id) || hiddenFromBot(id)) return { ok: false, error: 'channel_not_found' };
      if (!hasScope(readScope(id))) return missingScope(readScope(id));
      const known = channels.get(id) ?? {};
      if (id.startsWith('D')) {
        return {
          ok: true,
          channel: {
            id,
            created: TS_BASE_SECONDS,
            is_im: true,
            is_org_shared: false,
            user: userForDm(id),
            is_user_deleted: false,
            priority: 0,
            is_open: true,
          },
        };
      }
      const name = known.name ?? `channel-${id.toLowerCase()}`;
      const isPrivate = known.isPrivate ?? id.startsWith('G');
      const channel: SlackArgs = {
        id,
        name,
        name_normalized: name,
        is_channel: !isPrivate,
        is_group: isPrivate,
        is_im: false,
        is_mpim: false,
        is_private: isPrivate,
        is_archived: known.isArchived ?? false,
        is_general: false,
        is_shared: false,
        is_org_shared: false,
        is_member: botIsIn(id),
        created: TS_BASE_SECONDS,
        creator: botUserId,
        topic: { value: '', creator: '', last_set: 0 },
        purpose: { value: '', creator: '', last_set: 0 },
      };
      if (truthy(args, 'include_locale')) channel.locale = 'zh-CN';
      if (truthy(args, 'include_num_members')) channel.num_members = membersOf(id).length;
      return { ok: true, channel };
    },

    'conversations.join': (args) => {
      const id = str(args, 'channel');
      if (id === undefined || !exists(id) || hiddenFromBot(id)) {
        // Slack will not say whether a private channel exists to a bot outside it, but will not join it either.
        return {
          ok: false,
          error: id !== undefined && exists(id) ? 'method_not_supported_for_channel_type' : 'channel_not_found',
        };
      }
      if (!hasScope('channels:join')) return missingScope('channels:join');
      if (id.startsWith('D') || isPrivateChannel(id))
        return { ok: false, error: 'method_not_supported_for_channel_type' };
      if (channels.get(id)?.isArchived) return { ok: false, error: 'is_archived' };
      const already = botIsIn(id);
      channels.set(id, { ...(channels.get(id) ?? {}), isMember: true });
      const channel = {
        id,
        name: channels.get(id)?.name ?? `channel-${id.toLowerCase()}`,
        is_channel: true,
        is_private: false,
        is_archived: false,
        is_member: true,
      };
      return already
        ? { ok: true, channel, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
        : { ok: true, channel };
    },

    'conversations.members': (args) => {
      const id = str(args, 'channel');
      if (id === undefined || !exists(id) || hiddenFromBot(id)) return { ok: false, error: 'channel_not_found' };
      if (!hasScope(readScope(id))) return missingScope(readScope(id));
      return { ok: true, members: membersOf(id), response_metadata: { next_cursor: '' } };
    },

    'usergroups.users.list': (args) => {
      const id = str(args, 'usergroup');
      const members = id === undefined ? undefined : usergroups.get(id);
      if (!members) return { ok: false, error: 'no_such_subteam' };
      return { ok: true, users: [...members] };
    },

    'files.getUploadURLExternal': (args) => {
      const filename = str(args, 'filename');
      const lengthText = str(args, 'length');
      if (filename === undefined) return { ok: false, error: 'invalid_arguments' };
      const length = lengthText === undefined ? Number.NaN : Number(lengthText);
      if (!Number.isInteger(length) || length < 0) return { ok: false, error: 'invalid_arguments' };
      const id = nextId('F');
      files.set(id, {
        id,
        filename,
        title: filename,
        expectedLength: length,
        bytes: undefined,
        mimetype: mimeFor(filename),
        created: Math.floor(Date.now() / 1000),
        user: botUserId,
        completed: false,
        channels: [],
      });
      return { ok: true, upload_url: `${origin}/upload/v1/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      if (!Array.isArray(args.files) || args.files.length === 0) return { ok: false, error: 'invalid_arguments' };
      const channelArg = str(args, 'channel_id') ?? str(args, 'channels');
      const targets = channelArg === undefined ? [] : channelArg.split(',').map((c) => resolveChannel(c.trim()));
      for (const target of targets) {
        const error = postingError(target);
        if (error) return { ok: false, error };
      }
      const done: SlackArgs[] = [];
      for (const entry of args.files) {
        const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
        const file = id === undefined ? undefined : files.get(id);
        if (!file || file.bytes === undefined) return { ok: false, error: 'file_not_found' };
        if (isRecord(entry) && typeof entry.title === 'string' && entry.title !== '') file.title = entry.title;
        file.completed = true;
        file.channels.push(...targets.filter((t) => !file.channels.includes(t)));
        done.push(fileObject(file));
      }
      for (const target of targets) {
        const ts = nextTs();
        const message: SlackArgs = {
          ...messageObject({ text: str(args, 'initial_comment') ?? '', thread_ts: args.thread_ts }, ts),
          subtype: 'file_share',
          files: done,
          upload: true,
        };
        messages.set(`${target} ${ts}`, { channel: target, ts, message });
      }
      return { ok: true, files: done };
    },

    'files.delete': (args) => {
      const id = str(args, 'file');
      const file = id === undefined ? undefined : files.get(id);
      if (!file) return { ok: false, error: 'file_not_found' };
      if (file.user !== botUserId) return { ok: false, error: 'cant_delete_file' };
      files.delete(id!);
      return { ok: true };
    },

    'files.info': (args) => {
      const id = str(args, 'file');
      const file = id === undefined ? undefined : files.get(id);
      if (!file?.completed) return { ok: false, error: 'file_not_found' };
      return { ok: true, file: fileObject(file), comments: [], response_metadata: { next_cursor: '' } };
    },
  };

  // -- HTTP -----------------------------------------------------------------------------------------------------

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams) => {
    const contentType = req.headers['content-type'] ?? '';
    const raw = await readBody(req);
    let args: SlackArgs;
    let parseError: string | undefined;
    try {
      args = await parseBody(raw, contentType);
    } catch (error) {
      args = { _raw: raw.toString('utf8') };
      parseError = error instanceof Error ? error.message : String(error);
    }
    for (const [key, value] of query) if (!(key in args)) args[key] = decodeField(key, value);
    const auth = req.headers.authorization;
    const bearer = auth !== undefined && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
    const argToken = typeof args.token === 'string' ? args.token : undefined;
    delete args.token;
    const token = bearer || argToken || undefined;

    const stall = stalls.get(method);
    if (stall && ++stall.seen > stall.after && stall.drop) return;
    let answer: Answer;
    const failure = takeFailure(method);
    if (parseError !== undefined) {
      answer = { status: 200, body: { ok: false, error: 'invalid_form_data', detail: parseError } };
    } else if (failure) {
      answer = failureAnswer(failure);
    } else if (token === undefined && method !== 'api.test' && method !== 'oauth.v2.access') {
      answer = { status: 200, body: { ok: false, error: 'not_authed' } };
    } else if (token !== undefined && allowedTokens && !allowedTokens.has(token) && method !== 'api.test') {
      answer = { status: 200, body: { ok: false, error: 'invalid_auth' } };
    } else {
      const handler = methods[method];
      const limited = method === 'chat.postMessage' && handler ? checkRateLimit(args) : undefined;
      if (limited) answer = limited;
      else if (!handler) answer = { status: 200, body: { ok: false, error: 'unknown_method', req_method: method } };
      else {
        try {
          answer = { status: 200, body: handler(args, token ?? '') };
        } catch (error) {
          answer = {
            status: 200,
            body: { ok: false, error: 'fatal_error', detail: error instanceof Error ? error.message : String(error) },
          };
        }
      }
    }
    const ok = answer.status === 200 && isRecord(answer.body) && answer.body.ok === true;
    if (ok && method === 'chat.postMessage' && rateLimit && isRecord(answer.body)) {
      noteAccepted(String(answer.body.channel));
    }
    record({
      kind: 'api',
      method,
      args,
      token,
      at: Date.now(),
      status: answer.status,
      response: answer.body,
      ok,
      contentType,
    });
    if (stall && stall.seen > stall.after) return;
    if (typeof answer.body === 'string') sendText(res, answer.status, answer.body, answer.headers);
    else sendJson(res, answer.status, answer.body, answer.headers);
  };

  const windowFor = (channel: string, now: number): number[] => {
    const recent = (rateWindows.get(channel) ?? []).filter((t) => now - t < 1000);
    rateWindows.set(channel, recent);
    return recent;
  };
  const checkRateLimit = (args: SlackArgs): Answer | undefined => {
    if (!rateLimit) return undefined;
    const raw = str(args, 'channel');
    if (raw === undefined) return undefined;
    const now = Date.now();
    const recent = windowFor(resolveChannel(raw), now);
    if (recent.length < rateLimit.perSecond) return undefined;
    const oldest = recent[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(retryAfter) },
    };
  };
  const noteAccepted = (channel: string): void => {
    windowFor(channel, Date.now()).push(Date.now());
  };

  const handleResponse = async (req: IncomingMessage, res: ServerResponse, id: string, url: string) => {
    const contentType = req.headers['content-type'] ?? '';
    const raw = await readBody(req);
    let body: SlackArgs = {};
    let parsed = true;
    try {
      body = await parseBody(raw, contentType);
    } catch {
      parsed = false;
    }
    const failure = takeFailure('response_url');
    const previousUses = responses.filter((r) => r.id === id && r.status === 200).length;
    let answer: Answer;
    if (previousUses >= responseUrlMaxUses) {
      answer = { status: 404, body: 'used_url' };
    } else if (failure) {
      answer = 'ok' in failure ? { status: 404, body: failure.error } : failureAnswer(failure);
    } else if (!parsed || raw.length === 0) {
      answer = { status: 400, body: 'invalid_payload' };
    } else if (!hasContent(body) && body.delete_original !== true && body.delete_original !== 'true') {
      answer = { status: 400, body: 'no_text' };
    } else if (body.blocks !== undefined && validateBlocks(body.blocks).length > 0) {
      answer = { status: 400, body: 'invalid_blocks' };
    } else {
      answer = { status: 200, body: { ok: true } };
    }
    record({
      kind: 'response',
      id,
      url,
      body,
      raw: raw.toString('utf8'),
      contentType,
      status: answer.status,
      at: Date.now(),
    });
    if (typeof answer.body === 'string') sendText(res, answer.status, answer.body, answer.headers);
    else sendJson(res, answer.status, answer.body, answer.headers);
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string) => {
    const contentType = req.headers['content-type'] ?? '';
    const raw = await readBody(req);
    const file = files.get(fileId);
    let bytes = raw;
    let filename: string | undefined;
    if (contentType.toLowerCase().startsWith('multipart/form-data')) {
      try {
        const fields = await parseBody(raw, contentType);
        const part = Object.values(fields).find(
          (v): v is UploadedPart => isRecord(v) && Buffer.isBuffer(v.bytes) && typeof v.filename === 'string',
        );
        if (part) {
          bytes = part.bytes;
          filename = part.filename;
        }
      } catch {
        // keep the raw body
      }
    }
    const failure = takeFailure('upload');
    record({ kind: 'upload', fileId, bytes, filename, contentType, at: Date.now() });
    if (failure) {
      const answer = failureAnswer(failure);
      sendText(res, answer.status, typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      return;
    }
    if (!file) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    file.bytes = bytes;
    sendText(res, 200, `OK - ${bytes.length}`);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
    const verb = (req.method ?? 'GET').toUpperCase();
    let work: Promise<void> | undefined;
    if (parts[0] === 'api' && parts.length === 2 && (verb === 'POST' || verb === 'GET')) {
      work = handleApi(req, res, parts[1] ?? '', url.searchParams);
    } else if (parts[0] === 'response' && parts.length === 2 && verb === 'POST') {
      work = handleResponse(req, res, parts[1] ?? '', `${origin}${url.pathname}`);
    } else if (
      parts[0] === 'upload' &&
      parts[1] === 'v1' &&
      parts.length === 3 &&
      (verb === 'POST' || verb === 'PUT')
    ) {
      work = handleUpload(req, res, parts[2] ?? '');
    }
    if (!work) {
      sendText(res, 404, `fake Slack: no route for ${verb} ${url.pathname}`);
      return;
    }
    work.catch((error: unknown) => {
      if (!res.headersSent)
        sendText(res, 500, `fake Slack crashed: ${error instanceof Error ? error.stack : String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  let closed = false;

  const fake: FakeSlack = {
    url: `${origin}/api/`,
    origin,
    calls,
    responses,
    uploads,
    responseUrl(id?: string): string {
      responseSeq += 1;
      return `${origin}/response/${encodeURIComponent(id ?? `r${responseSeq}`)}`;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    responsesTo: (id) => responses.filter((r) => r.id === id),
    messagesIn: (channel) =>
      [...messages.values()].filter((m) => m.channel === channel).sort((a, b) => a.ts.localeCompare(b.ts)),
    waitFor: waitFor as FakeSlack['waitFor'],
    async waitForCount(method, count, timeoutMs = DEFAULT_WAIT_MS) {
      const accepted = () => calls.filter((c) => c.method === method && c.ok);
      if (accepted().length < count) {
        await waitFor(() => accepted().length >= count, timeoutMs).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            message.replace(
              /waiting for .*?\.\n/,
              `waiting for ${count} ok call(s) to ${method} (got ${accepted().length}).\n`,
            ),
          );
        });
      }
      return accepted();
    },
    stall(method, { after, drop = false }) {
      const stall = { after, seen: 0, drop };
      stalls.set(method, stall);
      return { held: () => Math.max(0, stall.seen - stall.after) };
    },
    failNext(method, failure, times = 1) {
      if (!Number.isInteger(times) || times < 1)
        throw new Error(`failNext: times must be a positive integer (${times})`);
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    setUser(id, userOptions = {}) {
      const existing = users.get(id);
      const merged: FakeUserOptions = existing
        ? {
            locale: existing.locale,
            name: existing.name,
            realName: existing.realName,
            tz: existing.tz,
            isAdmin: existing.isAdmin,
            isOwner: existing.isOwner,
            isBot: existing.isBot,
            deleted: existing.deleted,
            ...(existing.email !== undefined ? { email: existing.email } : {}),
            ...userOptions,
          }
        : userOptions;
      if (existing && userOptions.name !== undefined && userOptions.realName === undefined) {
        merged.realName = userOptions.name;
      }
      users.set(id, defaultUser(id, merged));
    },
    setChannel(id, channelOptions = {}) {
      channels.set(id, { ...(channels.get(id) ?? {}), ...channelOptions });
    },
    isMember(channel, userId = botUserId) {
      if (!exists(channel)) return false;
      return userId === botUserId ? botIsIn(channel) : (channels.get(channel)?.members ?? []).includes(userId);
    },
    setUsergroup(id, userIds) {
      usergroups.set(id, [...userIds]);
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      uploads.length = 0;
      failures.clear();
      stalls.clear();
      users.clear();
      seedBot();
      channels.clear();
      usergroups.clear();
      messages.clear();
      reactions.clear();
      files.clear();
      views.clear();
      rateWindows.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const waiter of [...waiters]) waiter.fail(new Error('fake Slack was closed while waiting'));
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}

/**
 * Collects every `text` string in a message-like value (text, blocks, attachments, fields, elements, ...), joined by
 * newlines: handy to assert on what a user would read without depending on block layout.
 */
export function allText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) {
      for (const [key, child] of Object.entries(v)) {
        if (
          (key === 'text' || key === 'fallback' || key === 'pretext' || key === 'title') &&
          typeof child === 'string'
        ) {
          out.push(child);
        } else walk(child);
      }
    }
  };
  walk(value);
  return out.join('\n');
}
