/**
 * The only importer of the openai SDK (v6; v7 needs Node 22): one chat completion with structured
 * output against any OpenAI-compatible server. Everything is explicit — key, base URL, timeout,
 * retries — so nothing is read from the environment behind config.ts's back, and the SDK's own
 * logging (which could print request bodies) is off.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { LlmConfig } from '../config.ts';

export type ChatRequest = {
  task: string;
  system: string;
  user: string;
  jsonSchema: Record<string, unknown>;
  maxTokens: number;
  signal?: AbortSignal;
};

export type ChatUsage = { promptTokens: number; completionTokens: number; totalTokens: number };
export type ChatResult = { content: string; usage?: ChatUsage; model: string };

/** Why a call failed, in a word fit for logs and the status view (never the response body). */
export type FailureKind =
  | 'timeout'
  | 'unreachable'
  | 'http'
  | 'aborted'
  | 'malformed'
  | 'invalid'
  | 'overloaded'
  | 'error';

export class ChatError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

export type ChatClient = { complete(req: ChatRequest): Promise<ChatResult> };

export function classify(e: unknown): ChatError {
  if (e instanceof ChatError) return e;
  if (e instanceof APIConnectionTimeoutError) return new ChatError('timeout', 'the model did not answer in time');
  if (e instanceof APIUserAbortError) return new ChatError('aborted', 'the request was abandoned');
  if (e instanceof APIConnectionError) return new ChatError('unreachable', 'the model server could not be reached');
  if (e instanceof APIError)
    return new ChatError('http', `the model server answered HTTP ${e.status ?? '?'}`, e.status);
  return new ChatError('error', (e as Error)?.name ?? 'error');
}

export function createOpenAiChat(config: LlmConfig): ChatClient {
  const client = new OpenAI({
    // Local servers need no key, but the SDK insists on one.
    apiKey: config.apiKey ?? 'not-needed',
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    organization: null,
    project: null,
    logLevel: 'off',
  });
  return {
    async complete(req) {
      let res: unknown;
      try {
        res = await client.chat.completions.create(
          {
            model: config.model,
            temperature: 0,
            max_tokens: req.maxTokens,
            messages: [
              { role: 'system', content: req.system },
              { role: 'user', content: req.user },
            ],
            response_format:
              config.responseFormat === 'json_schema'
                ? { type: 'json_schema', json_schema: { name: req.task, schema: req.jsonSchema, strict: true } }
                : { type: 'json_object' },
          },
          req.signal ? { signal: req.signal } : {},
        );
      } catch (e) {
        throw classify(e);
      }
      // A server that answers 200 with something other than a completion (an HTML error page, a proxy's notice).
      const completion = res as {
        choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
        usage?: Record<string, unknown>;
        model?: unknown;
      };
      const content = completion?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new ChatError('malformed', 'the answer was not a chat completion');
      const u = completion.usage;
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
      return {
        content,
        model: typeof completion.model === 'string' ? completion.model.slice(0, 128) : config.model,
        ...(u
          ? {
              usage: {
                promptTokens: num(u.prompt_tokens),
                completionTokens: num(u.completion_tokens),
                totalTokens: num(u.total_tokens),
              },
            }
          : {}),
      };
    },
  };
}
