/**
 * One Bolt middleware routes every request to duban's handlers.
 *
 * Bolt runs the matcher chain of every registered listener for every request, before any of them
 * acknowledges it. With a listener per event, button family and form, that was most of duban's
 * acknowledging time (bench/ack-path.ts: fourteen empty listeners cost 2.5× one). So the listener
 * modules register their handlers here instead, and a single global middleware picks the ones that
 * apply by kind of payload and name. Whatever no handler claims goes on to Bolt unchanged.
 */
import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  SlashCommand,
  ViewSubmitAction,
} from '@slack/bolt';

export type Handler<A> = (args: A & AllMiddlewareArgs) => Promise<void>;
/** An id or callback id, exactly, or any that a pattern matches. */
export type Matcher = string | RegExp;

export type CommandArgs = SlackCommandMiddlewareArgs;
export type ActionArgs = SlackActionMiddlewareArgs;
export type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'>;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;
export type ShortcutArgs = SlackShortcutMiddlewareArgs;

type Routed<A> = { id: Matcher; handle: Handler<A> };
type Fallbacks = {
  action?: Handler<ActionArgs>;
  options?: Handler<OptionsArgs>;
  view?: Handler<ViewArgs>;
  shortcut?: Handler<ShortcutArgs>;
};

const matches = (matcher: Matcher, id: string): boolean =>
  typeof matcher === 'string' ? matcher === id : matcher.test(id);

export class Router {
  readonly #commands: Array<{ claims: (command: SlashCommand) => boolean; handle: Handler<CommandArgs> }> = [];
  readonly #events = new Map<string, Array<Handler<SlackEventMiddlewareArgs>>>();
  readonly #actions: Array<Routed<ActionArgs>> = [];
  readonly #options: Array<Routed<OptionsArgs>> = [];
  readonly #views: Array<Routed<ViewArgs>> = [];
  readonly #shortcuts: Array<Routed<ShortcutArgs>> = [];
  readonly #otherwise: Fallbacks = {};

  /** A slash command goes to the first handler, in order of registration, that claims it. */
  command(claims: (command: SlashCommand) => boolean, handle: Handler<CommandArgs>): void {
    this.#commands.push({ claims, handle });
  }

  /** Every handler of an event type runs, at once, as Bolt runs listeners. */
  event<T extends string>(type: T, handle: Handler<SlackEventMiddlewareArgs<T>>): void {
    const list = this.#events.get(type) ?? [];
    list.push(handle as unknown as Handler<SlackEventMiddlewareArgs>);
    this.#events.set(type, list);
  }

  /** A button or menu goes to the first handler whose matcher takes its action_id (callback_id for legacy payloads). */
  action(id: Matcher, handle: Handler<ActionArgs>): void {
    this.#actions.push({ id, handle });
  }

  /** A select menu's search for options (block_suggestion), by action_id. */
  options(id: Matcher, handle: Handler<OptionsArgs>): void {
    this.#options.push({ id, handle });
  }

  /** A modal's submission, by callback_id. */
  view(callbackId: Matcher, handle: Handler<ViewArgs>): void {
    this.#views.push({ id: callbackId, handle });
  }

  shortcut(callbackId: Matcher, handle: Handler<ShortcutArgs>): void {
    this.#shortcuts.push({ id: callbackId, handle });
  }

  /**
   * What answers a button, option search, form or shortcut that no handler takes (one from an older
   * version of duban, or one it never sent). Tried only after every route, so the order in which
   * listener modules register does not matter.
   */
  otherwise<K extends keyof Fallbacks>(kind: K, handle: NonNullable<Fallbacks[K]>): void {
    this.#otherwise[kind] = handle;
  }

  /** The global middleware; `onRequest` is called first, for every request. */
  middleware(onRequest: () => void = () => undefined): Middleware<AnyMiddlewareArgs> {
    return async (args) => {
      onRequest();
      const handled = await this.#dispatch(args);
      if (!handled) await args.next();
    };
  }

  async #dispatch(args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<boolean> {
    if ('command' in args) {
      const route = this.#commands.find((r) => r.claims(args.command));
      if (!route) return false;
      await route.handle(args);
      return true;
    }
    if ('event' in args) {
      const handlers = this.#events.get(args.event.type);
      if (!handlers?.length) return false;
      const results = await Promise.allSettled(handlers.map((handle) => handle(args)));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1)
        throw new AggregateError(errors, `${errors.length} handlers of a ${args.event.type} event failed`);
      return true;
    }
    if ('action' in args) {
      const action = args.action as { action_id?: string; callback_id?: string };
      return first(this.#actions, action.action_id ?? action.callback_id ?? '', args, this.#otherwise.action);
    }
    if ('options' in args) {
      if (args.body.type !== 'block_suggestion') return false;
      return first(
        this.#options,
        (args.options as { action_id?: string }).action_id ?? '',
        args as unknown as OptionsArgs & AllMiddlewareArgs,
        this.#otherwise.options,
      );
    }
    if ('view' in args) {
      if (args.body.type !== 'view_submission') return false;
      const viewArgs = args as unknown as ViewArgs & AllMiddlewareArgs;
      return first(this.#views, args.view.callback_id, viewArgs, this.#otherwise.view);
    }
    if ('shortcut' in args) return first(this.#shortcuts, args.shortcut.callback_id, args, this.#otherwise.shortcut);
    return false;
  }
}

async function first<A>(
  routes: ReadonlyArray<Routed<A>>,
  id: string,
  args: A & AllMiddlewareArgs,
  otherwise: Handler<A> | undefined,
): Promise<boolean> {
  const handle = routes.find((r) => matches(r.id, id))?.handle ?? otherwise;
  if (!handle) return false;
  await handle(args);
  return true;
}
