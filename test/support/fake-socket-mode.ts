/**
 * Slack's side of Socket Mode, on loopback: the WebSocket that `apps.connections.open` (in the fake Web API,
 * option `socketModeUrl`) points the app to. It greets each connection with `hello`, lets a test push envelopes
 * (slash commands, events, interactions) as Slack does, and records the acknowledgements the app sends back.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type Envelope = {
  envelope_id: string;
  type: 'slash_commands' | 'events_api' | 'interactive';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
};

/** What the app sent back for an envelope: its id and, for commands and interactions, an optional response payload. */
export type Ack = { envelope_id: string; payload?: unknown; at: number };

export type FakeSocketMode = {
  /** A fresh ws:// URL for each `apps.connections.open`. */
  url(): string;
  /** Resolves once an app is connected and has been sent `hello`. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the connected app; resolves with the time it was sent (ms, performance.now()). */
  send(envelope: Envelope): number;
  /** Every acknowledgement received, in order (live array). */
  readonly acks: Ack[];
  /** Resolves with the acknowledgement of `envelopeId`, or rejects after `timeoutMs`. */
  ackOf(envelopeId: string, timeoutMs?: number): Promise<Ack>;
  close(): Promise<void>;
};

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const { port } = wss.address() as AddressInfo;
  const acks: Ack[] = [];
  let socket: WebSocket | undefined;
  let ticket = 0;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (message.envelope_id)
        acks.push({
          envelope_id: message.envelope_id,
          ...(message.payload !== undefined ? { payload: message.payload } : {}),
          at: performance.now(),
        });
      notify();
    });
    ws.on('close', () => {
      if (socket === ws) socket = undefined;
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0FAKEAPP1' },
      }),
    );
    notify();
  });
  const until = (ready: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (ready()) return resolve();
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(
            `fake Socket Mode: ${what} within ${timeoutMs} ms (acks so far: ${JSON.stringify(acks.map((a) => a.envelope_id))})`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
    });
  return {
    url: () => `ws://127.0.0.1:${port}/link/?ticket=${++ticket}`,
    connected: (timeoutMs = 5000) => until(() => socket !== undefined, timeoutMs, 'no app connected'),
    send(envelope) {
      if (!socket) throw new Error('fake Socket Mode: no app is connected');
      socket.send(JSON.stringify(envelope));
      return performance.now();
    },
    acks,
    async ackOf(envelopeId, timeoutMs = 3000) {
      await until(
        () => acks.some((a) => a.envelope_id === envelopeId),
        timeoutMs,
        `no acknowledgement of ${envelopeId}`,
      );
      return acks.find((a) => a.envelope_id === envelopeId)!;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
