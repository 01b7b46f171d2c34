/**
 * Slash commands: ack at once; the answer is deferred until requests already received are
 * acknowledged, then posted in the channel (chat.postMessage) or to the asker alone.
 */

import { usageReply } from '../../../commands/format.ts';
import { type CommandResult, isSlashCommand, runCommand } from '../../../commands/index.ts';
import { messages } from '../../i18n/index.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import { performEffects } from '../effects.ts';
import type { Router } from '../router.ts';

export function registerCommands(router: Router, deps: ListenerDeps): void {
  // Every command not claimed before: unknown ones are answered here too.
  router.command(
    () => true,
    async ({ command, ack, respond, client, body }) => {
      await ack();
      const answer = async () => {
        const started = performance.now();
        const locale = await deps.locale(command.user_id);
        const ctx = await deps.context(command.user_id, locale);
        const result: CommandResult = isSlashCommand(command.command)
          ? await runCommand(command.command, command.text ?? '', ctx)
          : {
              reply: usageReply(messages(locale).errors.unknownSubcommand(command.command), '/duban help', locale),
              effects: [],
            };
        const where = { channel: command.channel_id, userId: command.user_id, respond };
        if (result.reply) await deliver(client, deps, result.reply, locale, where);
        await performEffects(client, deps, result.effects, {
          userId: command.user_id,
          locale,
          triggerId: command.trigger_id,
          answeredAt: where,
        });
        deps.logger.info(
          { command: command.command, user: command.user_id, ms: Math.round(performance.now() - started) },
          'command answered',
        );
      };
      deps.answers.defer(answer, (error) => deps.reportError({ error: error as Error, body }));
    },
  );
}
