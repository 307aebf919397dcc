/**
 * SidePanel holds the Terminal, Inspector, Events and Rollout tabs (and the Editor, loaded on first use). It can
 * be resized by dragging its left edge (or with ←/→ on the handle) and collapsed.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { PANEL_MAX, PANEL_MIN, useUi, type Tab } from '../state/ui.ts';
import { Terminal } from '../terminal/Terminal.tsx';
import '../rollout/tabs.css';

const Editor = lazy(() => import('../editor/EditorTab.tsx'));
// The Inspector and Events load on first use too: the first screen's JavaScript has a budget (250 KB).
const Inspector = lazy(() => import('../inspector/Inspector.tsx').then((m) => ({ default: m.Inspector })));
const EventsTable = lazy(() => import('./EventsTable.tsx').then((m) => ({ default: m.EventsTable })));
// The Rollout tab carries the deployment controller's arithmetic: loaded when first opened.
const RolloutPanel = lazy(() => import('../rollout/RolloutPanel.tsx'));

const TABS: { id: Tab; label: string }[] = [
  { id: 'terminal', label: 'Terminal' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'events', label: 'Events' },
  { id: 'rollout', label: 'Rollout' },
  { id: 'editor', label: 'Editor' },
];

function Resizer() {
  const start = useRef<{ x: number; w: number } | undefined>(undefined);
  const width = useUi((s) => s.panelWidth);
  return (
    <div
      className="resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize panel"
      // A focusable separator is a splitter: it says where it stands (the panel's width in px).
      aria-valuenow={width}
      aria-valuemin={PANEL_MIN}
      aria-valuemax={PANEL_MAX}
      tabIndex={0}
      onPointerDown={(e) => {
        (e.target as HTMLElement).setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, w: useUi.getState().panelWidth };
      }}
      onPointerMove={(e) => {
        if (start.current) useUi.getState().setPanelWidth(start.current.w + (start.current.x - e.clientX));
      }}
      onPointerUp={() => (start.current = undefined)}
      onKeyDown={(e) => {
        const w = useUi.getState().panelWidth;
        if (e.key === 'ArrowLeft') useUi.getState().setPanelWidth(w + 20);
        if (e.key === 'ArrowRight') useUi.getState().setPanelWidth(w - 20);
      }}
    />
  );
}

/**
 * usePanelWidthVar keeps --panel-w on the document: the panel's drawn width (its CSS max-width may hold it
 * under the width asked for), which cards floating over the graph size themselves by.
 */
function usePanelWidthVar(ref: React.RefObject<HTMLElement | null>, collapsed: boolean): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Under the graph (a narrow upright window, styles.css) the panel takes none of the graph's width.
    const beside = () => !el.parentElement || getComputedStyle(el.parentElement).flexDirection !== 'column';
    const set = () => document.documentElement.style.setProperty('--panel-w', `${beside() ? el.offsetWidth : 0}px`);
    set();
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, collapsed]);
}

export function SidePanel() {
  const tab = useUi((s) => s.tab);
  const width = useUi((s) => s.panelWidth);
  const collapsed = useUi((s) => s.panelCollapsed || s.focus);
  const aside = useRef<HTMLElement>(null);
  usePanelWidthVar(aside, collapsed);
  if (collapsed) {
    return (
      <aside ref={aside} className="panel collapsed" aria-label="Side panel (collapsed)">
        <button type="button" className="btn btn-ghost" onClick={() => useUi.getState().togglePanel()} aria-label="Open panel" title="Open panel">
          ⟨
        </button>
      </aside>
    );
  }
  return (
    <aside ref={aside} className="panel" style={{ width }} aria-label="Side panel">
      <Resizer />
      <div className="tabs">
        {/* The tab list holds the tabs only: the collapse button beside it is not a tab. */}
        <div className="tab-list" role="tablist" aria-label="Side panel">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="side-tabpanel"
              className={tab === t.id ? 'on' : ''}
              onClick={() => useUi.getState().setTab(t.id)}
              data-testid={`tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={() => useUi.getState().togglePanel()} aria-label="Collapse panel" title="Collapse panel">
          ⟩
        </button>
      </div>
      <div className="tab-body" role="tabpanel" id="side-tabpanel" aria-labelledby={`tab-${tab}`}>
        {/* The terminal stays mounted so its input and history survive tab switches. */}
        <div className="tab-pane" hidden={tab !== 'terminal'}>
          <Terminal />
        </div>
        {tab === 'inspector' && (
          <Suspense fallback={<p className="muted pad">Loading…</p>}>
            <Inspector />
          </Suspense>
        )}
        {tab === 'events' && (
          <Suspense fallback={<p className="muted pad">Loading…</p>}>
            <EventsTable />
          </Suspense>
        )}
        {tab === 'rollout' && (
          <Suspense fallback={<p className="muted pad">Loading…</p>}>
            <RolloutPanel />
          </Suspense>
        )}
        {tab === 'editor' && (
          <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
            <Editor />
          </Suspense>
        )}
      </div>
    </aside>
  );
}
