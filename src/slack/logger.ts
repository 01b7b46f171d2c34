/** Bolt's Logger interface over our structured logger. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../log.ts';

const TO_PINO: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  const join = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  // Bolt logs at debug on every request: format only what the level lets through.
  return {
    debug: (...msg: unknown[]) => child.isLevelEnabled('debug') && child.debug(join(msg)),
    info: (...msg: unknown[]) => child.isLevelEnabled('info') && child.info(join(msg)),
    warn: (...msg: unknown[]) => child.isLevelEnabled('warn') && child.warn(join(msg)),
    error: (...msg: unknown[]) => child.isLevelEnabled('error') && child.error(join(msg)),
    setLevel: (level: LogLevel) => {
      child.level = TO_PINO[level] ?? 'info';
    },
    getLevel: () =>
      (Object.entries(TO_PINO).find(([, v]) => v === child.level)?.[0] as LogLevel | undefined) ?? LogLevel.INFO,
    setName: () => undefined,
  };
}
