/**
 * App lays out the playground: the top bar, the cluster graph and the side panel. It applies the
 * theme and presenter mode to the document and shows load and engine errors above the graph.
 */
import { lazy, Suspense, useEffect } from 'react';
import { TopBar } from './panels/TopBar.tsx';
import { SidePanel } from './panels/SidePanel.tsx';
import { ClusterGraph } from './graph/ClusterGraph.tsx';
import { useUi } from './state/ui.ts';
import { useCluster } from './state/cluster.ts';
import { useShortcuts } from './shortcuts.ts';
import { ShareLayer } from './share/ShareLayer.tsx';
import { BottomStrip } from './timeline/BottomStrip.tsx';
import { getClient } from './state/client.ts';

function Problems() {
  const loadErrors = useCluster((s) => s.loadErrors);
  const engineError = useCluster((s) => s.engineError);
  if (loadErrors.length === 0 && !engineError) return null;
  return (
    <div className="problems" role="alert">
      {engineError && <pre>{engineError}</pre>}
      {loadErrors.slice(0, 10).map((e, i) => (
        <pre key={i}>{e}</pre>
      ))}
      {!engineError && (
        <div className="problems-actions">
          <button type="button" className="btn btn-ghost" onClick={() => useCluster.setState({ loadErrors: [] })}>
            Dismiss
          </button>
        </div>
      )}
      {engineError && (
        <div className="problems-actions">
          <button
            type="button"
            className="btn"
            data-testid="recover"
            title="Go back to the last snapshot taken before the error (at most a few simulated seconds earlier); what came after it is dropped"
            onClick={async () => {
              const r = await getClient().recover();
              if (r.exit === 0) useCluster.setState({ engineError: undefined });
              else useCluster.setState({ engineError: `${engineError}\n${r.out}` });
            }}
          >
            Reload the last good snapshot
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => useCluster.setState({ engineError: undefined })}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** Busy (the simulator has been silent a while the page waits on it) loads when first needed. */
const Busy = lazy(() => import('./Busy.tsx'));

function BusyNotice() {
  const busy = useCluster((s) => !!s.busy);
  return busy ? (
    <Suspense fallback={null}>
      <Busy />
    </Suspense>
  ) : null;
}

export function App() {
  useShortcuts();
  const theme = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.presenter = presenter ? 'on' : 'off';
  }, [theme, presenter]);
  return (
    <div className="app">
      <TopBar />
      <main className="main">
        <div className="stage">
          <Problems />
          <BusyNotice />
          <ClusterGraph />
          <ShareLayer />
        </div>
        <SidePanel />
      </main>
      <BottomStrip />
    </div>
  );
}
