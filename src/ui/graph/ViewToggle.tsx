/**
 * ViewToggle switches the graph between the Cluster and Traffic views and, in the Cluster view, turns
 * the ownership edges on and off. It sits in the zoom controls' row (bottom-right); the choice is
 * remembered (ui.ts keeps it in localStorage). Plain buttons with aria-pressed: Tab and Enter/Space work.
 */
import { useUi } from '../state/ui.ts';

export function ViewToggle() {
  const view = useUi((s) => s.graphView);
  const owners = useUi((s) => s.ownerEdges);
  const set = useUi.getState().setGraphView;
  return (
    <div className="view-toggle nopan" role="group" aria-label="Graph view" data-testid="view-toggle">
      <button type="button" className="view-btn" aria-pressed={view === 'cluster'} data-view="cluster" onClick={() => set('cluster')} title="Cluster view: nodes and their pods">
        Cluster
      </button>
      <button type="button" className="view-btn" aria-pressed={view === 'traffic'} data-view="traffic" onClick={() => set('traffic')} title="Traffic view: Internet → Ingress → Service → pods">
        Traffic
      </button>
      {view === 'cluster' && (
        <button
          type="button"
          className="view-btn view-owners"
          aria-pressed={owners}
          data-testid="owner-edges"
          onClick={() => useUi.getState().setOwnerEdges(!owners)}
          title="Ownership edges: ReplicaSet → pods"
        >
          <span className="view-check" aria-hidden="true">
            {owners ? '☑' : '☐'}
          </span>
          Owners
        </button>
      )}
    </div>
  );
}
