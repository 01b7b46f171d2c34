/**
 * Duban's place in the channels it posts to. Slack sends a bot the messages of a channel only while
 * it is in it, so a reply in the thread of a reminder reaches duban only there. Duban joins public
 * channels itself (conversations.join, scope channels:join); into a private one only someone in it can
 * bring it, with /invite. What Slack said is remembered: an hour while duban is in a channel, five
 * minutes while it is not (someone may invite it any moment; the member_joined_channel event says so
 * at once), never when Slack did not answer.
 */
import type { webApi } from '@slack/bolt';
import type { ChannelAccess, ChannelPort } from '../../commands/context.ts';
import { hears } from '../../commands/context.ts';
import type { Logger } from '../log.ts';
import type { Router } from './router.ts';

const HEARD_TTL_MS = 60 * 60 * 1000;
const UNHEARD_TTL_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export type ChannelMembership = ChannelPort & {
  /** What Slack said in an event: duban was added to the channel. */
  noteJoined(channelId: string): void;
  /** Duban left or was removed, or a post there failed as if it were not in it: ask Slack again next time. */
  forget(channelId: string): void;
};

function errorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

/** What a refused conversations.join means for duban. */
function refusedJoin(code: string | undefined): ChannelAccess {
  switch (code) {
    case 'method_not_supported_for_channel_type':
      return 'private';
    case 'is_archived':
      return 'archived';
    case 'channel_not_found':
      return 'hidden';
    case undefined:
      // Not an answer from Slack (the network, a 5xx after the client's retries).
      return 'unknown';
    default:
      // missing_scope (installed before channels:join was asked for), restricted_action, too_many_members …
      return 'cannot_join';
  }
}

export function createChannelMembership(
  client: webApi.WebClient,
  clock: () => Date,
  logger: Logger,
): ChannelMembership {
  const known = new Map<string, { access: ChannelAccess; expires: number }>();
  const asking = new Map<string, Promise<ChannelAccess>>();

  const remember = (channel: string, access: ChannelAccess) => {
    if (access === 'unknown') return;
    if (known.size >= MAX_ENTRIES) known.delete(known.keys().next().value!);
    known.set(channel, {
      access: access === 'joined' ? 'member' : access,
      expires: clock().getTime() + (hears(access) ? HEARD_TTL_MS : UNHEARD_TTL_MS),
    });
  };

  const join = async (channel: string): Promise<ChannelAccess> => {
    try {
      await client.conversations.join({ channel });
      logger.info({ channel }, 'joined the channel to hear replies in it');
      return 'joined';
    } catch (e) {
      const access = refusedJoin(errorCode(e));
      logger.warn(
        { channel, error: errorCode(e) ?? (e as Error).message },
        'could not join the channel; replies there will not reach duban',
      );
      return access;
    }
  };

  const ask = async (channel: string): Promise<ChannelAccess> => {
    try {
      const { channel: info } = await client.conversations.info({ channel });
      if (info?.is_archived) return 'archived';
      if (info?.is_member) return 'member';
      if (info?.is_private) return 'private';
    } catch (e) {
      const code = errorCode(e);
      // Slack hides a private channel from a bot outside it; a join would be refused all the same.
      if (code === 'channel_not_found') return 'hidden';
      if (code === undefined) return 'unknown';
      // Anything else (missing_scope on an older install): the join says where duban stands.
      logger.warn({ channel, error: code }, 'conversations.info failed; trying to join the channel');
    }
    return join(channel);
  };

  return {
    ensure(channel) {
      const hit = known.get(channel);
      if (hit && hit.expires > clock().getTime()) return Promise.resolve(hit.access);
      // One question to Slack per channel at a time, however many ask.
      let pending = asking.get(channel);
      if (!pending) {
        pending = ask(channel)
          .then((access) => {
            remember(channel, access);
            return access;
          })
          .finally(() => asking.delete(channel));
        asking.set(channel, pending);
      }
      return pending;
    },
    noteJoined(channel) {
      remember(channel, 'member');
    },
    forget(channel) {
      known.delete(channel);
    },
  };
}

/** Keeps what duban knows in step with Slack's events: invited to a channel, removed from one. */
export function registerMembershipEvents(router: Router, membership: ChannelMembership): void {
  router.event('member_joined_channel', async ({ event, context }) => {
    if (event.user === context.botUserId) membership.noteJoined(event.channel);
  });
  router.event('channel_left', async ({ event }) => membership.forget(event.channel));
  router.event('group_left', async ({ event }) => membership.forget(event.channel));
}
