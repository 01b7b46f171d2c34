/** Slash commands: ack at once, answer through response_url. */
import type { App } from '@slack/bolt';
import { isSlashCommand, runCommand } from '../../../commands/index.ts';
import { usageReply } from '../../../commands/format.ts';
import { messages } from '../../i18n/index.ts';
import { renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';

export function registerCommands(app: App, deps: ListenerDeps): void {
  // One listener for every command: Bolt runs all matching listeners, so unknown ones are handled here too.
  app.command(/.*/, async ({ command, ack, respond }) => {
    await ack();
    const started = performance.now();
    const locale = await deps.locale(command.user_id);
    const ctx = deps.context(command.user_id, locale);
    const reply = isSlashCommand(command.command)
      ? runCommand(command.command, command.text ?? '', ctx)
      : usageReply(messages(locale).errors.unknownSubcommand(command.command), '/duban help', locale);
    await respond({ response_type: reply.visibility, replace_original: false, ...renderMessage(reply, locale) });
    deps.logger.info({ command: command.command, user: command.user_id, ms: Math.round(performance.now() - started) }, 'command answered');
  });
}
