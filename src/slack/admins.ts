/** Who is an admin: the configured user ids, plus the members of a configured Slack user group (cached). */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.ts';
import type { AdminResolver } from './context.ts';

const TTL_MS = 5 * 60 * 1000;

export function createAdminResolver(
  client: webApi.WebClient,
  userIds: readonly string[],
  usergroupId: string | undefined,
  clock: () => Date,
  logger: Logger,
): AdminResolver {
  let cache: { users: string[]; until: number } | undefined;
  const groupMembers = async (): Promise<string[]> => {
    if (!usergroupId) return [];
    const now = clock().getTime();
    if (cache && cache.until > now) return cache.users;
    try {
      const res = await client.usergroups.users.list({ usergroup: usergroupId });
      cache = { users: res.users ?? [], until: now + TTL_MS };
    } catch (e) {
      logger.warn(
        { usergroupId, err: (e as Error).message },
        'usergroups.users.list failed; only ADMIN_USER_IDS count as admins',
      );
      cache = { users: cache?.users ?? [], until: now + 30_000 };
    }
    return cache.users;
  };
  return {
    async isAdmin(userId) {
      if (!userId) return false;
      if (userIds.includes(userId)) return true;
      return (await groupMembers()).includes(userId);
    },
    async all() {
      return [...new Set([...userIds, ...(await groupMembers())])];
    },
  };
}
