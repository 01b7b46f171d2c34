/** App Home: published when its tab is opened, and again in another role when the user switches. */

import { isHomeRole } from '../../../commands/home/roles.ts';
import { HOME_ROLE_ACTION } from '../../../commands/home.ts';
import type { HomePublisher } from '../home-refresh.ts';
import type { Router } from '../router.ts';

const ROLE_ACTION = new RegExp(`^${HOME_ROLE_ACTION.replace(/\./g, '\\.')}\\.`);

export function registerHome(router: Router, home: HomePublisher): void {
  // Bolt has acknowledged the event; the chart, when not cached, is drawn after this publish.
  router.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await home.publish(event.user);
  });

  router.action(ROLE_ACTION, async ({ ack, action, body }) => {
    await ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    await home.publish(body.user.id, isHomeRole(value) ? value : undefined);
  });
}
