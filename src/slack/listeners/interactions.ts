/**
 * Buttons, modals, shortcuts and option menus. Every one is acknowledged at once; a button whose
 * action duban no longer knows (an old message) is answered with "this has expired".
 */
import type { App } from '@slack/bolt';
import { runPage } from '../../../commands/index.ts';
import { messages } from '../../i18n/index.ts';
import { renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';

export function registerInteractions(app: App, deps: ListenerDeps): void {
  app.action(/.*/, async ({ action, ack, respond, body }) => {
    await ack();
    const actionId = 'action_id' in action ? action.action_id : '';
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const locale = await deps.locale(body.user.id);
    if (actionId.startsWith('duban.page.')) {
      const reply = runPage(value, deps.context(body.user.id, locale));
      if (reply) {
        await respond({ replace_original: true, ...renderMessage(reply, locale) });
        return;
      }
    }
    deps.logger.info({ actionId, user: body.user.id }, 'expired or unknown action');
    if ('response_url' in body && body.response_url) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: messages(locale).errors.expired });
    }
  });

  app.view(/.*/, async ({ ack, view }) => {
    deps.logger.info({ callbackId: view.callback_id }, 'unknown view submission closed');
    await ack();
  });

  app.shortcut(/.*/, async ({ ack, shortcut, respond }) => {
    await ack();
    deps.logger.info({ callbackId: shortcut.callback_id }, 'unknown shortcut');
    if ('response_url' in shortcut && shortcut.response_url) {
      const locale = await deps.locale(shortcut.user.id);
      await respond({ response_type: 'ephemeral', text: messages(locale).errors.expired });
    }
  });

  app.options(/.*/, async ({ ack }) => {
    await ack({ options: [] });
  });
}
