/**
 * Builders and a sender for the HTTP requests Slack makes to an app (slash commands, Events API, interactivity),
 * signed with Slack's v0 scheme so the real Bolt receiver accepts them.
 *
 * Wire format, as Bolt 5's HTTPReceiver parses it:
 * - slash commands: `application/x-www-form-urlencoded` fields (exactly that content type, no charset);
 * - events: `application/json` envelope;
 * - interactivity (block_actions, view_submission): form-encoded `payload=<json>`;
 * - headers `X-Slack-Request-Timestamp` (seconds) and `X-Slack-Signature: v0=<hex HMAC-SHA256 of
 *   "v0:<timestamp>:<raw body>" keyed with the signing secret>`; retries add `X-Slack-Retry-Num`/`-Reason`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { FAKE_APP_ID, FAKE_BOT_ID, FAKE_BOT_USER_ID, FAKE_TEAM_DOMAIN, FAKE_TEAM_ID } from './fake-slack.ts';

export { FAKE_APP_ID, FAKE_BOT_ID, FAKE_BOT_USER_ID, FAKE_TEAM_DOMAIN, FAKE_TEAM_ID };

/** The legacy verification token Slack still puts in bodies (Bolt ignores it). */
export const FAKE_VERIFICATION_TOKEN = 'fakeVerificationToken0000';

export type SlackContentType = 'application/json' | 'application/x-www-form-urlencoded';

/** A request body ready to send: the exact raw text, its content type, and the object it encodes. */
export interface SlackRequest<T = unknown> {
  body: string;
  contentType: SlackContentType;
  /** What `body` encodes (the form fields, the event envelope, or the interactivity payload). */
  data: T;
}

/** Options of {@link signedPost}. */
export interface SignedPostOptions {
  /** `X-Slack-Request-Timestamp` in seconds; default now. The signature is computed with it. */
  timestamp?: number;
  /** Overrides the computed `X-Slack-Signature` (to test rejection). */
  signature?: string;
  /** Extra headers (e.g. {@link retryHeaders}); they win over the defaults. */
  headers?: Record<string, string>;
}

/** The answer to a {@link signedPost}. */
export interface HttpResult {
  status: number;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
  text: string;
  /** `JSON.parse(text)`, cast to `T` unchecked (throws when the body is not JSON, e.g. an empty ack). */
  json<T = unknown>(): T;
}

/** A Slack-looking id: prefix + 10 upper-case alphanumerics, unique within the process. */
let idCounter = 0;
function fakeId(prefix: string): string {
  idCounter += 1;
  const random = Math.random().toString(36).slice(2, 6).toUpperCase().padEnd(4, '0');
  return `${prefix}${idCounter.toString(36).toUpperCase().padStart(6, '0')}${random}`;
}

let lastTsMicros = 0;
/** A unique, strictly increasing Slack message ts near the current time, e.g. `1764300000.123456`. */
export function fakeTs(): string {
  const micros = Math.max(Date.now() * 1000, lastTsMicros + 1);
  lastTsMicros = micros;
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** A trigger_id in Slack's shape (`<digits>.<digits>.<hex>`). */
export function fakeTriggerId(): string {
  idCounter += 1;
  const hex = createHmac('sha256', 'trigger').update(String(idCounter)).digest('hex').slice(0, 32);
  return `${1000000000 + idCounter}.${4242424242}.${hex}`;
}

/**
 * Computes Slack's v0 request signature: `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${rawBody}`.
 * @param secret the app's signing secret
 * @param timestamp seconds since the epoch, as sent in `X-Slack-Request-Timestamp`
 * @param rawBody the exact request body
 */
export function signSlackRequest(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * POSTs `body` to `url` the way Slack does, signed with `secret`.
 * @param url the app endpoint, e.g. `http://127.0.0.1:PORT/slack/events`
 * @param secret signing secret used for `X-Slack-Signature` (ignored when `options.signature` is given)
 * @param body the exact raw body
 * @param contentType `application/json` or `application/x-www-form-urlencoded` (sent verbatim, no charset)
 * @param options timestamp / signature overrides and extra headers
 */
export async function signedPost(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: SignedPostOptions = {},
): Promise<HttpResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    Accept: 'application/json,*/*',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': options.signature ?? signSlackRequest(secret, timestamp, body),
    ...options.headers,
  };
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  return {
    status: response.status,
    headers: responseHeaders,
    text,
    json<T = unknown>(): T {
      return JSON.parse(text) as T;
    },
  };
}

/**
 * Sends a built {@link SlackRequest} with {@link signedPost}.
 * @param url the app endpoint
 * @param secret signing secret
 * @param request what a builder returned
 * @param options timestamp / signature overrides and extra headers
 */
export function sendSlackRequest(
  url: string,
  secret: string,
  request: SlackRequest,
  options: SignedPostOptions = {},
): Promise<HttpResult> {
  return signedPost(url, secret, request.body, request.contentType, options);
}

/**
 * Headers Slack adds when it redelivers an event or command it thinks failed.
 * @param n retry number (1 for the first retry)
 * @param reason `http_timeout` (default), `http_error`, `connection_failed`, ...
 */
export function retryHeaders(n: number, reason = 'http_timeout'): Record<string, string> {
  return { 'X-Slack-Retry-Num': String(n), 'X-Slack-Retry-Reason': reason };
}

function formRequest<T extends Record<string, string>>(fields: T): SlackRequest<T> {
  return {
    body: new URLSearchParams(fields).toString(),
    contentType: 'application/x-www-form-urlencoded',
    data: fields,
  };
}

function jsonRequest<T>(data: T): SlackRequest<T> {
  return { body: JSON.stringify(data), contentType: 'application/json', data };
}

function payloadRequest<T>(payload: T): SlackRequest<T> {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
    data: payload,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Slash commands
// ---------------------------------------------------------------------------------------------------------------

/** Parameters of {@link slashCommand}. */
export interface SlashCommandParams {
  /** e.g. `/targets` */
  command: string;
  /** What the user typed after the command. Default ''. */
  text?: string;
  userId: string;
  /** Default: the user id in lower case. */
  userName?: string;
  channelId: string;
  /** Default `directmessage` for D channels, else `general`. */
  channelName?: string;
  /** Where the app may POST replies; usually `fake.responseUrl()`. */
  responseUrl: string;
  triggerId?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
}

/** The form fields of a slash command, in Slack's order. */
export type SlashCommandFields = Record<
  | 'token'
  | 'team_id'
  | 'team_domain'
  | 'channel_id'
  | 'channel_name'
  | 'user_id'
  | 'user_name'
  | 'command'
  | 'text'
  | 'api_app_id'
  | 'is_enterprise_install'
  | 'response_url'
  | 'trigger_id',
  string
>;

/**
 * Builds a slash-command request (form-encoded, as Slack sends it).
 * @param params the command, text, user, channel and response URL
 */
export function slashCommand(params: SlashCommandParams): SlackRequest<SlashCommandFields> {
  return formRequest<SlashCommandFields>({
    token: FAKE_VERIFICATION_TOKEN,
    team_id: params.teamId ?? FAKE_TEAM_ID,
    team_domain: params.teamDomain ?? FAKE_TEAM_DOMAIN,
    channel_id: params.channelId,
    channel_name: params.channelName ?? (params.channelId.startsWith('D') ? 'directmessage' : 'general'),
    user_id: params.userId,
    user_name: params.userName ?? params.userId.toLowerCase(),
    command: params.command,
    text: params.text ?? '',
    api_app_id: params.apiAppId ?? FAKE_APP_ID,
    is_enterprise_install: 'false',
    response_url: params.responseUrl,
    trigger_id: params.triggerId ?? fakeTriggerId(),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Events API
// ---------------------------------------------------------------------------------------------------------------

/** An inner event object (`body.event`). */
export type SlackEvent = { type: string } & Record<string, unknown>;

/** Options of {@link eventCallback}. */
export interface EventCallbackOptions {
  /** Default a fresh `Ev...` id. Reuse one to simulate a redelivery. */
  eventId?: string;
  /** Seconds; default now. */
  eventTime?: number;
  teamId?: string;
  apiAppId?: string;
  /** The bot user listed in `authorizations`. */
  botUserId?: string;
}

/** The JSON envelope of an Events API delivery. */
export interface EventCallbackEnvelope {
  token: string;
  team_id: string;
  context_team_id: string;
  context_enterprise_id: null;
  api_app_id: string;
  event: SlackEvent;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }>;
  is_ext_shared_channel: boolean;
  event_context: string;
}

/**
 * Wraps an event (see {@link appMention}, {@link message}, {@link appHomeOpened}) in Slack's `event_callback` envelope.
 * @param event the inner event
 * @param options ids and times of the envelope
 */
export function eventCallback(
  event: SlackEvent,
  options: EventCallbackOptions = {},
): SlackRequest<EventCallbackEnvelope> {
  const teamId = options.teamId ?? FAKE_TEAM_ID;
  return jsonRequest<EventCallbackEnvelope>({
    token: FAKE_VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: options.apiAppId ?? FAKE_APP_ID,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? fakeId('Ev'),
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: options.botUserId ?? FAKE_BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(fakeId('ctx')).toString('base64url')}`,
  });
}

function channelType(channelId: string): 'im' | 'group' | 'mpim' | 'channel' {
  if (channelId.startsWith('D')) return 'im';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
}

function richTextBlocks(text: string): unknown[] {
  return [
    {
      type: 'rich_text',
      block_id: fakeId('b').slice(0, 5),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

/** Parameters of {@link appMention}. */
export interface AppMentionParams {
  /** The message text. If it does not contain `<@BOT>`, `<@BOT> ` is prepended, as a mention requires. */
  text: string;
  userId: string;
  channelId: string;
  /** Default a fresh ts. */
  ts?: string;
  threadTs?: string;
  botUserId?: string;
  teamId?: string;
}

/**
 * Builds an `app_mention` event (wrap it with {@link eventCallback}).
 * @param params text, author, channel and ts
 */
export function appMention(params: AppMentionParams): SlackEvent {
  const bot = params.botUserId ?? FAKE_BOT_USER_ID;
  const text = params.text.includes(`<@${bot}>`) ? params.text : `<@${bot}> ${params.text}`;
  const ts = params.ts ?? fakeTs();
  return {
    type: 'app_mention',
    user: params.userId,
    text,
    ts,
    client_msg_id: randomUUID(),
    team: params.teamId ?? FAKE_TEAM_ID,
    blocks: richTextBlocks(text),
    channel: params.channelId,
    event_ts: ts,
    ...(params.threadTs !== undefined ? { thread_ts: params.threadTs } : {}),
  };
}

/** Parameters of {@link message}. */
export interface MessageParams {
  text: string;
  /** The author; omit together with `botId` for bot messages. */
  userId?: string;
  channelId: string;
  ts?: string;
  threadTs?: string;
  /** e.g. `message_changed`, `bot_message`, `channel_join`. */
  subtype?: string;
  /** Set for messages posted by a bot. */
  botId?: string;
  /** Default derived from the channel id (D → im, G → group, else channel). */
  channelType?: 'im' | 'group' | 'mpim' | 'channel';
  teamId?: string;
  /** Extra fields merged into the event (e.g. `files`, `edited`). */
  extra?: Record<string, unknown>;
}

/**
 * Builds a `message` event (channel, DM or thread message; wrap it with {@link eventCallback}).
 * @param params text, author, channel and ts
 */
export function message(params: MessageParams): SlackEvent {
  const ts = params.ts ?? fakeTs();
  return {
    type: 'message',
    ...(params.subtype !== undefined ? { subtype: params.subtype } : {}),
    ...(params.userId !== undefined ? { user: params.userId } : {}),
    ...(params.botId !== undefined ? { bot_id: params.botId } : {}),
    text: params.text,
    ts,
    ...(params.subtype === undefined ? { client_msg_id: randomUUID(), blocks: richTextBlocks(params.text) } : {}),
    team: params.teamId ?? FAKE_TEAM_ID,
    channel: params.channelId,
    event_ts: ts,
    channel_type: params.channelType ?? channelType(params.channelId),
    ...(params.threadTs !== undefined ? { thread_ts: params.threadTs } : {}),
    ...params.extra,
  };
}

/** Parameters of {@link appHomeOpened}. */
export interface AppHomeOpenedParams {
  userId: string;
  /** The DM channel between the user and the app. Default `D` + the user id without its first letter. */
  channelId?: string;
  /** Default `home`. */
  tab?: 'home' | 'messages';
  /** The currently published home view, if any (Slack includes it when one exists). */
  view?: Record<string, unknown>;
}

/**
 * Builds an `app_home_opened` event (wrap it with {@link eventCallback}).
 * @param params the user and tab
 */
export function appHomeOpened(params: AppHomeOpenedParams): SlackEvent {
  return {
    type: 'app_home_opened',
    user: params.userId,
    channel: params.channelId ?? `D${params.userId.replace(/^[UW]/, '')}`,
    tab: params.tab ?? 'home',
    event_ts: fakeTs(),
    ...(params.view !== undefined ? { view: params.view } : {}),
  };
}

/**
 * Builds the `url_verification` request Slack sends when the Events URL is configured; the app must echo `challenge`.
 * @param challenge the value to echo
 */
export function urlVerification(
  challenge: string,
): SlackRequest<{ token: string; challenge: string; type: 'url_verification' }> {
  return jsonRequest({ token: FAKE_VERIFICATION_TOKEN, challenge, type: 'url_verification' as const });
}

// ---------------------------------------------------------------------------------------------------------------
// Interactivity
// ---------------------------------------------------------------------------------------------------------------

/** Parameters of {@link blockAction}. */
export interface BlockActionParams {
  actionId: string;
  /** The element's value (`value` of a button; `selected_option.value` of a select when `actionType` is a select). */
  value?: string;
  userId: string;
  /** The channel of the message holding the element (message actions). */
  channelId?: string;
  /** The response_url Slack provides for message actions; usually `fake.responseUrl()`. */
  responseUrl?: string;
  /** ts of the message holding the element. Default a fresh ts. */
  messageTs?: string;
  blockId?: string;
  /** Default `button`. `static_select`/`external_select`/... put `value` in `selected_option`. */
  actionType?: string;
  /** The message the element lives in (blocks etc.), merged into the default bot message. */
  message?: Record<string, unknown>;
  /** For elements in a view (App Home, modal): the container becomes `{ type: 'view' }` and `view` is included. */
  view?: { id?: string; type?: 'home' | 'modal'; callbackId?: string; privateMetadata?: string; blocks?: unknown[] };
  /** When the element is in an ephemeral message. */
  isEphemeral?: boolean;
  triggerId?: string;
  teamId?: string;
  userName?: string;
  /** Extra fields merged into the action object. */
  action?: Record<string, unknown>;
}

/** A `block_actions` interactivity payload. */
export type BlockActionPayload = { type: 'block_actions' } & Record<string, unknown>;

/**
 * Builds a `block_actions` interactivity request (form-encoded `payload=<json>`).
 * @param params the action, user, and where the element lives (message in a channel, or a view)
 */
export function blockAction(params: BlockActionParams): SlackRequest<BlockActionPayload> {
  const teamId = params.teamId ?? FAKE_TEAM_ID;
  const actionType = params.actionType ?? 'button';
  const isSelect = actionType.endsWith('_select') && !actionType.startsWith('multi_');
  const actionTs = fakeTs();
  const action: Record<string, unknown> = {
    action_id: params.actionId,
    block_id: params.blockId ?? fakeId('blk'),
    type: actionType,
    action_ts: actionTs,
    ...(actionType === 'button'
      ? {
          text: { type: 'plain_text', text: params.actionId, emoji: true },
          ...(params.value !== undefined ? { value: params.value } : {}),
        }
      : {}),
    ...(isSelect && params.value !== undefined
      ? { selected_option: { text: { type: 'plain_text', text: params.value, emoji: true }, value: params.value } }
      : {}),
    ...params.action,
  };
  const user = {
    id: params.userId,
    username: params.userName ?? params.userId.toLowerCase(),
    name: params.userName ?? params.userId.toLowerCase(),
    team_id: teamId,
  };
  const base: Record<string, unknown> = {
    user,
    api_app_id: FAKE_APP_ID,
    token: FAKE_VERIFICATION_TOKEN,
    trigger_id: params.triggerId ?? fakeTriggerId(),
    team: { id: teamId, domain: FAKE_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    state: { values: {} },
    actions: [action],
  };
  if (params.view !== undefined) {
    const viewId = params.view.id ?? fakeId('V');
    base.container = { type: 'view', view_id: viewId };
    base.view = {
      id: viewId,
      team_id: teamId,
      type: params.view.type ?? 'home',
      blocks: params.view.blocks ?? [],
      private_metadata: params.view.privateMetadata ?? '',
      callback_id: params.view.callbackId ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${fakeId('h')}`,
      app_id: FAKE_APP_ID,
      bot_id: FAKE_BOT_ID,
      root_view_id: viewId,
      previous_view_id: null,
    };
  }
  if (params.channelId !== undefined) {
    const messageTs = params.messageTs ?? fakeTs();
    if (params.view === undefined) {
      base.container = {
        type: 'message',
        message_ts: messageTs,
        channel_id: params.channelId,
        is_ephemeral: params.isEphemeral ?? false,
      };
    }
    base.channel = { id: params.channelId, name: params.channelId.startsWith('D') ? 'directmessage' : 'general' };
    if (!params.isEphemeral) {
      base.message = {
        type: 'message',
        user: FAKE_BOT_USER_ID,
        bot_id: FAKE_BOT_ID,
        app_id: FAKE_APP_ID,
        team: teamId,
        ts: messageTs,
        text: '',
        blocks: [],
        ...params.message,
      };
    }
  }
  if (params.responseUrl !== undefined) base.response_url = params.responseUrl;
  return payloadRequest<BlockActionPayload>({ type: 'block_actions', ...base });
}

/**
 * Leaf of {@link ViewSubmissionParams.values}: a string is shorthand for a `plain_text_input` with that value; an
 * object is used as the element state verbatim (e.g. `{ type: 'static_select', selected_option: {...} }`).
 */
export type ViewStateLeaf = string | ({ type: string } & Record<string, unknown>);

/** Parameters of {@link viewSubmission}. */
export interface ViewSubmissionParams {
  callbackId: string;
  /** `state.values`: block_id → action_id → value (see {@link ViewStateLeaf}). */
  values: Record<string, Record<string, ViewStateLeaf>>;
  userId: string;
  privateMetadata?: string;
  viewId?: string;
  externalId?: string;
  /** Modal title. Default `督办`. */
  title?: string;
  blocks?: unknown[];
  /** `response_urls` (present when the modal has `response_url_enabled` inputs). */
  responseUrls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
  triggerId?: string;
  teamId?: string;
  userName?: string;
}

/** A `view_submission` interactivity payload. */
export type ViewSubmissionPayload = { type: 'view_submission' } & Record<string, unknown>;

/**
 * Builds a `view_submission` interactivity request (form-encoded `payload=<json>`).
 * @param params callback id, submitted values, user, private metadata
 */
export function viewSubmission(params: ViewSubmissionParams): SlackRequest<ViewSubmissionPayload> {
  const teamId = params.teamId ?? FAKE_TEAM_ID;
  const viewId = params.viewId ?? fakeId('V');
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of Object.entries(params.values)) {
    const block: Record<string, unknown> = {};
    for (const [actionId, leaf] of Object.entries(actions)) {
      block[actionId] = typeof leaf === 'string' ? { type: 'plain_text_input', value: leaf } : leaf;
    }
    values[blockId] = block;
  }
  return payloadRequest<ViewSubmissionPayload>({
    type: 'view_submission',
    team: { id: teamId, domain: FAKE_TEAM_DOMAIN },
    user: {
      id: params.userId,
      username: params.userName ?? params.userId.toLowerCase(),
      name: params.userName ?? params.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: FAKE_APP_ID,
    token: FAKE_VERIFICATION_TOKEN,
    trigger_id: params.triggerId ?? fakeTriggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: params.blocks ?? [],
      private_metadata: params.privateMetadata ?? '',
      callback_id: params.callbackId,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.${fakeId('h')}`,
      title: { type: 'plain_text', text: params.title ?? '督办', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: '取消', emoji: true },
      submit: { type: 'plain_text', text: '提交', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: FAKE_APP_ID,
      external_id: params.externalId ?? '',
      app_installed_team_id: teamId,
      bot_id: FAKE_BOT_ID,
    },
    response_urls: params.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

/** Parameters of {@link messageShortcut}. */
export interface MessageShortcutParams {
  callbackId: string;
  userId: string;
  channelId: string;
  /** The message the shortcut was used on. */
  message: { text: string; user?: string; ts?: string; thread_ts?: string };
  responseUrl?: string;
  triggerId?: string;
  teamId?: string;
}

/** A `message_action` payload: a message shortcut ("More actions" on a message). */
export function messageShortcut(params: MessageShortcutParams): SlackRequest<Record<string, unknown>> {
  const teamId = params.teamId ?? FAKE_TEAM_ID;
  const ts = params.message.ts ?? fakeTs();
  return payloadRequest<Record<string, unknown>>({
    type: 'message_action',
    token: FAKE_VERIFICATION_TOKEN,
    action_ts: fakeTs(),
    team: { id: teamId, domain: FAKE_TEAM_DOMAIN },
    user: { id: params.userId, name: params.userId.toLowerCase(), team_id: teamId },
    channel: { id: params.channelId, name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: params.callbackId,
    trigger_id: params.triggerId ?? fakeTriggerId(),
    response_url: params.responseUrl ?? '',
    message_ts: ts,
    message: { type: 'message', user: params.message.user ?? 'U0LEADER01', ts, ...params.message },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link SlackClient}. */
export interface SlackClientOptions {
  /** `http://127.0.0.1:PORT` of the app. */
  baseUrl: string;
  /** The app's signing secret. */
  secret: string;
  /** Endpoint path. Default `/slack/events` (Bolt's default for commands, events and interactivity). */
  path?: string;
}

/** Plays Slack's side towards one running app: builds, signs and POSTs requests to its events endpoint. */
export class SlackClient {
  readonly baseUrl: string;
  readonly secret: string;
  /** The full endpoint URL requests go to. */
  readonly endpoint: string;

  constructor(options: SlackClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secret = options.secret;
    this.endpoint = `${this.baseUrl}${options.path ?? '/slack/events'}`;
  }

  /** Sends any built request, signed. */
  send(request: SlackRequest, options: SignedPostOptions = {}): Promise<HttpResult> {
    return sendSlackRequest(this.endpoint, this.secret, request, options);
  }

  /** Sends a slash command (see {@link slashCommand}). */
  command(params: SlashCommandParams, options: SignedPostOptions = {}): Promise<HttpResult> {
    return this.send(slashCommand(params), options);
  }

  /** Sends an event wrapped in an `event_callback` envelope (see {@link eventCallback}). */
  event(event: SlackEvent, options: EventCallbackOptions & SignedPostOptions = {}): Promise<HttpResult> {
    const { timestamp, signature, headers, ...envelope } = options;
    return this.send(eventCallback(event, envelope), { timestamp, signature, headers });
  }

  /** Sends a `block_actions` payload (see {@link blockAction}). */
  action(params: BlockActionParams, options: SignedPostOptions = {}): Promise<HttpResult> {
    return this.send(blockAction(params), options);
  }

  /** Sends a `view_submission` payload (see {@link viewSubmission}). */
  view(params: ViewSubmissionParams, options: SignedPostOptions = {}): Promise<HttpResult> {
    return this.send(viewSubmission(params), options);
  }

  /** Sends a `url_verification` challenge. */
  urlVerification(challenge: string, options: SignedPostOptions = {}): Promise<HttpResult> {
    return this.send(urlVerification(challenge), options);
  }
}
