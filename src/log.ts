/** Structured logging (pino). Tokens and secrets are redacted wherever they appear in a logged object. */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'body.token',
  'config.slack',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { app: 'duban' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
