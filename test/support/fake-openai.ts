/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) for tests and benchmarks: answers as a
 * model would — structured JSON content with token usage — or slowly, with an HTTP error, with
 * garbage, or with hostile content, as a test asks. Records every request, so tests can check what
 * was sent (and what was not).
 *
 * Answers are chosen per task: the `json_schema.name` of the request's response_format
 * (`update_summary`, `note_reading`, `department_summary`, `bulletin_narrative`, `mention_route`), or
 * `json_object` when the request asked for a JSON object only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAnswer =
  /** A completion whose content is this value as JSON. */
  | { kind: 'json'; value: unknown; delayMs?: number; usage?: { prompt_tokens: number; completion_tokens: number } }
  /** A completion whose content is this text as is (prose, half a JSON object…). */
  | { kind: 'content'; content: string; delayMs?: number }
  /** An HTTP error status, with a body. */
  | { kind: 'status'; status: number; body?: string; delayMs?: number }
  /** HTTP 200 with a body that is not a completion (an HTML page, a proxy's notice). */
  | { kind: 'garbage'; body?: string; contentType?: string; delayMs?: number }
  /** Never answers (until the client gives up or the server closes). */
  | { kind: 'hang' };

export type FakeRequest = {
  task: string;
  body: Record<string, unknown>;
  system: string;
  user: string;
  authorization: string | undefined;
  at: number;
};

export type Handler = (req: FakeRequest) => FakeAnswer;

export interface FakeOpenAi {
  /** The base URL for OPENAI_BASE_URL, ending in /v1. */
  readonly url: string;
  /** Every chat completion request received, in order (live array). */
  readonly requests: FakeRequest[];
  requestsFor(task: string): FakeRequest[];
  /** Answers requests of `task` (or every task, with '*') with `handler` from now on. */
  on(task: string, handler: Handler | FakeAnswer): void;
  /** Back to the default answers, recordings cleared. */
  reset(): void;
  close(): Promise<void>;
}

/** Sensible answers per task when a test has not said otherwise. */
export const DEFAULT_ANSWERS: Record<string, FakeAnswer> = {
  update_summary: { kind: 'json', value: { summary: '主体结构已封顶，征收协议仍待签订。' } },
  note_reading: {
    kind: 'json',
    value: {
      confident: false,
      figure_mode: null,
      value: null,
      percent: null,
      state: null,
      milestone_id: null,
      blockers: [],
      evidence: [],
    },
  },
  department_summary: { kind: 'json', value: { summary: '本部门多数事项正常推进，城市更新开工略慢于序时进度。' } },
  bulletin_narrative: {
    kind: 'json',
    value: { moved: '多项指标好转。', stuck: '城市更新开工滞后。', attention: '征收协议需领导协调。' },
  },
  mention_route: { kind: 'json', value: { intent: 'unknown', department_id: null, focus: null, keyword: null } },
  json_object: { kind: 'json', value: {} },
};

function taskOf(body: Record<string, unknown>): string {
  const rf = body.response_format as { type?: string; json_schema?: { name?: string } } | undefined;
  if (rf?.type === 'json_schema' && rf.json_schema?.name) return rf.json_schema.name;
  return 'json_object';
}

function messageText(body: Record<string, unknown>, role: string): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: string; content?: unknown }>) : [];
  return messages
    .filter((m) => m.role === role)
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: FakeRequest[] = [];
  let handlers = new Map<string, Handler>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const answer = (res: ServerResponse, a: FakeAnswer, body: Record<string, unknown>) => {
    if (res.destroyed) return;
    switch (a.kind) {
      case 'hang':
        return;
      case 'status':
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body ?? JSON.stringify({ error: { message: 'fake failure', type: 'server_error' } }));
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': a.contentType ?? 'text/html' });
        res.end(a.body ?? '<html><body>502 Bad Gateway — nginx</body></html>');
        return;
      case 'json':
      case 'content': {
        counter += 1;
        const content = a.kind === 'json' ? JSON.stringify(a.value) : a.content;
        const usage = a.kind === 'json' && a.usage ? a.usage : { prompt_tokens: 100 + counter, completion_tokens: 20 };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-fake-${counter}`,
            object: 'chat.completion',
            created: 1_764_300_000,
            model: typeof body.model === 'string' ? body.model : 'fake-model',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
          }),
        );
        return;
      }
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'bad json' } }));
        return;
      }
      const recorded: FakeRequest = {
        task: taskOf(body),
        body,
        system: messageText(body, 'system'),
        user: messageText(body, 'user'),
        authorization: req.headers.authorization,
        at: Date.now(),
      };
      requests.push(recorded);
      const handler = handlers.get(recorded.task) ?? handlers.get('*');
      const a = handler ? handler(recorded) : (DEFAULT_ANSWERS[recorded.task] ?? DEFAULT_ANSWERS.json_object!);
      const delay = 'delayMs' in a ? (a.delayMs ?? 0) : 0;
      if (delay <= 0) return answer(res, a, body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer(res, a, body);
      }, delay);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    requestsFor: (task) => requests.filter((r) => r.task === task),
    on(task, handler) {
      handlers.set(task, typeof handler === 'function' ? handler : () => handler);
    },
    reset() {
      requests.length = 0;
      handlers = new Map();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
