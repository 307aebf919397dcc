/**
 * The page's own state (not the cluster's): the selection, the side panel, the theme, the terminal.
 */
import { create } from 'zustand';
import type { ObjectRef } from '../../worker/protocol.ts';

export type Tab = 'terminal' | 'inspector' | 'events' | 'editor' | 'rollout';
export type Theme = 'light' | 'dark';
/** GraphView is what the graph draws: nodes with their pods, or the path of requests. */
export type GraphView = 'cluster' | 'traffic';

/** TerminalEntry is one command and what it printed (text only, never HTML). */
export interface TerminalEntry {
  id: number;
  line: string;
  out: string;
  exit: number | undefined;
  /** t is the simulated time (ms) the command ran at, for timeline steps */
  t?: number;
  /** at is the simulated time (ms) a typed command ran at (after a rewind, later ones are marked) */
  at?: number;
  /** dropped: it ran after a moment the clock was moved back to, and a later action replaced that future */
  dropped?: boolean;
  /** note is the scenario's teaching note for a timeline step, shown above its command */
  note?: string;
  /** hint is shown under a typed command's output: what the scenario's timeline does next */
  hint?: string;
}

/** MAX_TERMINAL_ENTRIES keeps the terminal's memory bounded. */
const MAX_TERMINAL_ENTRIES = 300;

export interface UiStore {
  selected: ObjectRef | undefined;
  tab: Tab;
  theme: Theme;
  presenter: boolean;
  panelWidth: number;
  panelCollapsed: boolean;
  /** focus: only the graph (the side panel and the charts hidden), for presenting; anything that opens the panel ends it */
  focus: boolean;
  terminal: TerminalEntry[];
  /** history holds the lines typed, oldest first, for ↑/↓ */
  history: string[];
  /** editorText is the Editor tab's manifest, kept here so switching tabs never loses it */
  editorText: string;
  /** graphView: the Cluster view (nodes and pods) or the Traffic view (Internet → Ingress → Service → pods) */
  graphView: GraphView;
  /** ownerEdges: the Cluster view draws ownership edges (Deployment/Rollout → ReplicaSet → pods) */
  ownerEdges: boolean;
  /** overlay: the size of the card floating over the graph's top left (an open lesson step), for the graph to fit around */
  overlay: { w: number; h: number } | undefined;
  setOverlay(box: { w: number; h: number } | undefined): void;
  setGraphView(v: GraphView): void;
  setOwnerEdges(on: boolean): void;
  setEditorText(text: string): void;
  select(ref: ObjectRef | undefined): void;
  setTab(tab: Tab): void;
  setTheme(theme: Theme): void;
  togglePresenter(): void;
  setPanelWidth(w: number): void;
  togglePanel(): void;
  toggleFocus(): void;
  addEntry(e: TerminalEntry): void;
  finishEntry(id: number, exit: number, out: string): void;
  /** updateEntry shows more output of a command still running (a watching `rollout status`). */
  updateEntry(id: number, out: string): void;
  clearTerminal(): void;
  remember(line: string): void;
}

const MAX_HISTORY = 200;

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem('kubeplay.theme');
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    /* storage may be disabled */
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** STARTER_MANIFEST is what the Editor tab shows first: a small Deployment to change and apply. */
export const STARTER_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 2
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
        - name: hello
          image: nginx:1.25
          resources:
            requests: {cpu: 100m, memory: 64Mi}
`;

/** GRAPH_KEY remembers the graph view and the ownership switch across reloads. */
const GRAPH_KEY = 'kubeplay.graph';

function initialGraph(): { graphView: GraphView; ownerEdges: boolean } {
  try {
    const saved = JSON.parse(localStorage.getItem(GRAPH_KEY) ?? '{}') as { view?: unknown; owners?: unknown };
    return { graphView: saved.view === 'traffic' ? 'traffic' : 'cluster', ownerEdges: saved.owners === true };
  } catch {
    return { graphView: 'cluster', ownerEdges: false };
  }
}

function saveGraph(s: { graphView: GraphView; ownerEdges: boolean }): void {
  try {
    localStorage.setItem(GRAPH_KEY, JSON.stringify({ view: s.graphView, owners: s.ownerEdges }));
  } catch {
    /* storage may be disabled */
  }
}

/**
 * PRESENTER_KEY keeps Presenter mode across reloads of this tab (sessionStorage: the tab on the projector
 * stays large, other tabs and later visits open as usual), whether a link or the button turned it on.
 */
const PRESENTER_KEY = 'kubeplay.presenter';

function initialPresenter(): boolean {
  try {
    return sessionStorage.getItem(PRESENTER_KEY) === 'on';
  } catch {
    return false;
  }
}

export const PANEL_MIN = 320;
export const PANEL_MAX = 900;

/**
 * initialPanelWidth: 460 px, or a third of a wider screen (690 px at 1920), so `-o wide` tables fit where
 * the graph has room to spare; the panel's CSS max-width still leaves the graph its least width.
 */
function initialPanelWidth(): number {
  const w = typeof window === 'undefined' ? 0 : window.innerWidth;
  return Math.round(Math.min(PANEL_MAX, Math.max(460, w * 0.36)));
}

export const useUi = create<UiStore>((set) => ({
  selected: undefined,
  tab: 'terminal',
  theme: initialTheme(),
  presenter: initialPresenter(),
  panelWidth: initialPanelWidth(),
  panelCollapsed: false,
  focus: false,
  terminal: [],
  history: [],
  editorText: STARTER_MANIFEST,
  ...initialGraph(),
  overlay: undefined,
  setOverlay: (box) => set((s) => (box?.w === s.overlay?.w && box?.h === s.overlay?.h ? s : { overlay: box })),
  setGraphView: (graphView) =>
    set((s) => {
      saveGraph({ graphView, ownerEdges: s.ownerEdges });
      return { graphView };
    }),
  setOwnerEdges: (ownerEdges) =>
    set((s) => {
      saveGraph({ graphView: s.graphView, ownerEdges });
      return { ownerEdges };
    }),
  setEditorText: (editorText) => set({ editorText }),
  // Selecting from the graph opens the Inspector, except that the Rollout tab stays (it follows the selection).
  select: (ref) => set((s) => (ref ? { selected: ref, tab: s.tab === 'rollout' ? 'rollout' : 'inspector', panelCollapsed: false, focus: false } : { selected: undefined })),
  setTab: (tab) => set({ tab, panelCollapsed: false, focus: false }),
  setTheme: (theme) => {
    try {
      localStorage.setItem('kubeplay.theme', theme);
    } catch {
      /* storage may be disabled */
    }
    set({ theme });
  },
  togglePresenter: () => set((s) => ({ presenter: !s.presenter })),
  setPanelWidth: (w) => set({ panelWidth: Math.round(Math.min(PANEL_MAX, Math.max(PANEL_MIN, w))) }),
  togglePanel: () => set((s) => (s.focus ? { focus: false, panelCollapsed: false } : { panelCollapsed: !s.panelCollapsed })),
  toggleFocus: () => set((s) => ({ focus: !s.focus })),
  addEntry: (e) => set((s) => ({ terminal: [...s.terminal, e].slice(-MAX_TERMINAL_ENTRIES) })),
  finishEntry: (id, exit, out) => set((s) => ({ terminal: s.terminal.map((e) => (e.id === id ? { ...e, exit, out } : e)) })),
  updateEntry: (id, out) => set((s) => ({ terminal: s.terminal.map((e) => (e.id === id ? { ...e, out } : e)) })),
  clearTerminal: () => set({ terminal: [] }),
  remember: (line) =>
    set((s) => (s.history[s.history.length - 1] === line ? s : { history: [...s.history, line].slice(-MAX_HISTORY) })),
}));

useUi.subscribe((s, prev) => {
  if (s.presenter === prev.presenter) return;
  try {
    sessionStorage.setItem(PRESENTER_KEY, s.presenter ? 'on' : 'off');
  } catch {
    /* storage may be disabled */
  }
});
