import type { ReadModel } from '../src/domain/read-model.ts';
import type { Locale } from '../src/i18n/index.ts';

/** Everything a command may know about the request; nothing of Slack. */
export type CommandContext = {
  model: ReadModel;
  /** The zone's civil date for this request (from the injected clock). */
  today: string;
  locale: Locale;
  userId?: string;
};
