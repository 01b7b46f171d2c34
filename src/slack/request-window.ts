/**
 * Slack signs every request with the time it was sent, so a captured request cannot be replayed later.
 * Bolt's HTTP receiver turns away only timestamps more than five minutes old; one from the future
 * would stay replayable until that future came. This guard refuses both, before Bolt reads the body.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';

/** How far a request's `X-Slack-Request-Timestamp` may be from our clock, either way (Slack's five minutes). */
export const MAX_REQUEST_SKEW_SECONDS = 300;

export type RequestWindowOptions = {
  /** Milliseconds since the epoch: the wall clock requests are signed against. */
  nowMs: () => number;
  logger: Logger;
  /** The paths Slack posts to; other routes (/healthz) are left alone. */
  endpoints?: readonly string[];
  maxSkewSeconds?: number;
};

/** The signed timestamp's distance from now in seconds (positive: in the future), or undefined when there is none to judge. */
function skewOf(req: IncomingMessage, nowMs: number): number | undefined {
  const header = req.headers['x-slack-request-timestamp'];
  const value = Array.isArray(header) ? header[0] : header;
  // A missing or malformed header is Bolt's to refuse (it knows the unsigned ssl_check exception).
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim()) - Math.floor(nowMs / 1000);
}

/** Wraps the receiver's listener: a POST to a Slack endpoint signed more than the allowed skew away gets 401, as Bolt answers a stale one. */
export function refuseOutsideRequestWindow(listener: RequestListener, options: RequestWindowOptions): RequestListener {
  const endpoints = options.endpoints ?? ['/slack/events'];
  const max = options.maxSkewSeconds ?? MAX_REQUEST_SKEW_SECONDS;
  const log = options.logger.child({ component: 'request-window' });
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method?.toUpperCase() === 'POST' && endpoints.includes(path)) {
      const skew = skewOf(req, options.nowMs());
      if (skew !== undefined && Math.abs(skew) > max) {
        // Only the skew: never the headers, which carry the signature.
        log.warn(
          { skewSeconds: skew, maxSkewSeconds: max },
          skew > 0 ? 'refused a request signed in the future' : 'refused a stale request',
        );
        // Nothing of the body is read; drain it so the connection can be reused.
        req.resume();
        res.writeHead(401);
        res.end();
        return;
      }
    }
    listener(req, res);
  };
}
