import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLASH_COMMANDS } from '../commands/index.ts';
import { ASSIGN_SHORTCUT } from '../src/slack/assign-form.ts';

const manifest = JSON.parse(await readFile(join(import.meta.dirname, '..', 'manifest.json'), 'utf8'));

describe('the Slack app manifest', () => {
  it('declares exactly the slash commands duban answers, all at /slack/events', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command).sort()).toEqual(
      [...SLASH_COMMANDS].sort(),
    );
    for (const c of manifest.features.slash_commands) expect(c.url).toMatch(/\/slack\/events$/);
  });

  it('subscribes to the events duban handles and enables interactivity and App Home', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'app_home_opened', 'message.channels', 'message.groups', 'message.im']),
    );
    expect(manifest.settings.interactivity.message_menu_options_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('asks for the scopes the Web API calls need', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'chat:write',
        'chat:write.public',
        'commands',
        'users:read',
        'channels:history',
        'groups:history',
        'im:history',
        'reactions:write',
        'usergroups:read',
      ]),
    );
  });

  it('may see the channels it is set to post in, join public ones, and hear when it is invited or removed', () => {
    // conversations.info needs channels:read / groups:read, conversations.join channels:join.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['channels:read', 'groups:read', 'channels:join']),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['member_joined_channel', 'channel_left', 'group_left']),
    );
  });

  it('may read files shared with duban (spreadsheet imports) and upload files (ledger and bulletin exports)', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['files:read', 'files:write', 'im:history', 'im:write']),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toContain('message.im');
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
  });

  it('has Slack send user and channel ids in command text, which /duban member and channel read', () => {
    for (const c of manifest.features.slash_commands) expect(c.should_escape).toBe(true);
  });

  it("keeps within Slack's manifest limits", () => {
    expect([...manifest.display_information.name].length).toBeLessThanOrEqual(35);
    expect([...manifest.display_information.description].length).toBeLessThanOrEqual(140);
    expect([...manifest.features.bot_user.display_name].length).toBeLessThanOrEqual(80);
    for (const c of manifest.features.slash_commands) {
      expect([...c.description].length).toBeLessThanOrEqual(100);
      expect([...c.usage_hint].length).toBeLessThanOrEqual(100);
    }
  });

  it('offers the 转为督办事项 message shortcut duban answers', () => {
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: ASSIGN_SHORTCUT, name: '转为督办事项 / Assign item' }),
    ]);
  });
});
