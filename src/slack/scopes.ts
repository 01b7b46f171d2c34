/**
 * The bot scopes duban asks for when a workspace installs it (multi-workspace mode): the same as
 * manifest.json's `oauth_config.scopes.bot` (a test keeps them equal).
 */
export const BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'channels:join',
  'im:history',
  'chat:write',
  'chat:write.public',
  'commands',
  'reactions:write',
  'users:read',
  'usergroups:read',
  'im:write',
  'files:read',
  'files:write',
] as const;
