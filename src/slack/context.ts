/** What listeners share: the read model, the clock, the user's language, the logger. */
import type { CommandContext } from '../../commands/index.ts';
import { localDate } from '../domain/dates.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { Locale } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { LocaleResolver } from './locale.ts';

export type SlackDeps = {
  /** The current snapshot of the store. */
  model: () => ReadModel;
  clock: () => Date;
  timeZone: string;
  defaultLocale: Locale;
  logger: Logger;
};

export type ListenerDeps = SlackDeps & {
  locale: LocaleResolver;
  context(userId: string | undefined, locale: Locale): CommandContext;
};

export function commandContext(deps: SlackDeps, userId: string | undefined, locale: Locale): CommandContext {
  const model = deps.model();
  return { model, today: localDate(deps.clock(), deps.timeZone), locale, ...(userId ? { userId } : {}) };
}
