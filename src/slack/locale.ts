/** A Slack user's own language, from users.info (include_locale), cached; the configured default otherwise. */
import type { webApi } from '@slack/bolt';
import { type Locale, toLocale } from '../i18n/index.ts';
import type { Logger } from '../log.ts';

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export type LocaleResolver = (userId: string | undefined) => Promise<Locale>;

export function createLocaleResolver(
  client: webApi.WebClient,
  defaultLocale: Locale,
  clock: () => Date,
  logger: Logger,
): LocaleResolver {
  const cache = new Map<string, { locale: Locale; expires: number }>();
  return async (userId) => {
    if (!userId) return defaultLocale;
    const now = clock().getTime();
    const hit = cache.get(userId);
    if (hit && hit.expires > now) return hit.locale;
    let locale = defaultLocale;
    try {
      const res = await client.users.info({ user: userId, include_locale: true });
      locale = toLocale(res.user?.locale) ?? defaultLocale;
    } catch (e) {
      logger.warn({ userId, err: (e as Error).message }, 'users.info failed; using the default locale');
    }
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(userId, { locale, expires: now + TTL_MS });
    return locale;
  };
}
