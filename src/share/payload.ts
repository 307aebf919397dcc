/**
 * The share payload: what a share link carries (the scenario, the user's actions with their simulated
 * times, the moment to replay to, and how the page should present it). The codec (codec.ts) turns it
 * into a URL fragment and back; replay.ts rebuilds the cluster from it.
 */

/** SHARE_VERSION is the payload format written today. Older versions are migrated on decode (migrate.ts). */
export const SHARE_VERSION = 2;

/** ActionKind: `run` is one terminal line; `apply` is a manifest text applied as `kubectl apply -f -`. */
export type ActionKind = 'run' | 'apply';

/** ShareAction is one thing the user did, at the simulated time (ms) it happened. */
export interface ShareAction {
  t: number;
  kind: ActionKind;
  text: string;
}

export type Theme = 'light' | 'dark';

/** Presentation is how the page opens the link (all optional: absent means "as the viewer has it"). */
export interface Presentation {
  theme?: Theme;
  /** presenter: large type for projection. */
  presenter?: boolean;
  /** panel: which side-panel tab is open (the app's tab id, e.g. `terminal`, `editor`, `lesson`). */
  panel?: string;
  /** playing: start the clock after the replay (default: paused at t). */
  playing?: boolean;
  /** readOnly: the viewer may watch and step but not change the cluster. */
  readOnly?: boolean;
  /** view: the graph's view, `cluster` (nodes and pods) or `traffic` (Internet → Ingress → Service → pods). */
  view?: GraphViewName;
}

export type GraphViewName = 'cluster' | 'traffic';

/** SharePayload is a decoded share link, always in the current version's shape. */
export interface SharePayload {
  v: typeof SHARE_VERSION;
  /** scenario is the scenario file text (multi-document YAML), as the editor held it. */
  scenario: string;
  /** name is the scenario's file name (`canary.yaml`), for messages and the workspace. */
  name?: string;
  /** actions are sorted by t (stable: equal times keep the order they happened in). */
  actions: ShareAction[];
  /** t is the simulated time (ms) the link replays to. */
  t: number;
  presentation: Presentation;
}

/** SHARE_LIMITS bound what a link may ask for; every refusal names the limit it hit. */
export const SHARE_LIMITS = {
  /**
   * fragmentChars: the longest `#s=…` we write or read. Browsers accept far longer URLs (Chrome 2 MB),
   * but chat apps and mail clients cut links near 64 KB; past this the share button offers a file.
   */
  fragmentChars: 65_536,
  /**
   * inflatedBytes: the most the payload may inflate to. Deflate reaches ~1032:1, so a 64 KB link could
   * claim ~50 MB; we stop at 4 MiB (a 2 MiB scenario plus actions) and say so.
   */
  inflatedBytes: 4 * 1024 * 1024,
  /** actions: user actions in one link (a long class session is a few hundred). */
  actions: 2_000,
  /** runChars: one terminal line, as the terminal's own limit. */
  runChars: 10_000,
  /** applyBytes: one applied manifest text, as the scenario's per-file limit (2 MiB). */
  applyChars: 2 * 1024 * 1024,
  /** scenarioChars: the scenario text, as parseScenario's file limit (2 MiB). */
  scenarioChars: 2 * 1024 * 1024,
  /** timeMs: 30 days of simulated time, as the scenario format's limit. */
  timeMs: 30 * 24 * 3600 * 1000,
  /** nameChars: the scenario file name. */
  nameChars: 253,
  /** panelChars: a panel id. */
  panelChars: 64,
} as const;

/** defaultPresentation is an empty presentation: the viewer's own settings apply. */
export function defaultPresentation(): Presentation {
  return {};
}
