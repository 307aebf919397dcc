/**
 * actions.ts: a Rollout-tab button: the terminal line it sends, whether it applies now and why not.
 */

export interface Action {
  id: string;
  label: string;
  /** command: exactly the line the terminal would run */
  command: string;
  enabled: boolean;
  /** title: what it does (enabled) or why it does not apply now (disabled) */
  title: string;
}

/** action builds an Action: disabled when whyNot is set. */
export function action(id: string, label: string, command: string, whyNot: string | undefined, does: string): Action {
  return { id, label, command, enabled: whyNot === undefined, title: whyNot === undefined ? `${does}\n$ ${command}` : `Not now: ${whyNot}` };
}
