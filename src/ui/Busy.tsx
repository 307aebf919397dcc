/**
 * Busy says, over the graph, that the simulator has been silent a while the page waits on it (Client's
 * guard), and after STOP_AFTER_S offers to stop it: a new simulator then opens the default scenario.
 * App loads it when first needed.
 */
import { getClient } from './state/client.ts';
import { useCluster } from './state/cluster.ts';
import { loadBuiltin } from './state/scenarios.ts';

/** STOP_AFTER_S: a simulator silent this long can be stopped from the notice. */
const STOP_AFTER_S = 10;

/** andMore names what waits after the busy request: the first two, and how many more. */
function andMore(then: string[]): string {
  const named = then.slice(0, 2).join(', then ');
  return then.length > 2 ? `${named} and ${then.length - 2} more` : named;
}

export default function Busy() {
  const busy = useCluster((s) => s.busy);
  if (!busy) return null;
  return (
    <div className="busy" role="status" data-testid="busy">
      <span className="busy-spin" aria-hidden="true" />
      The simulator is busy {busy.what} ({busy.seconds} s)
      {busy.then && <span className="busy-then">then {andMore(busy.then)}</span>}
      {busy.seconds >= STOP_AFTER_S && (
        <button
          type="button"
          className="btn"
          title="End this simulator and start a new one with the default scenario (the cluster it was busy with is not kept)"
          onClick={async () => {
            getClient().restart();
            await loadBuiltin('default');
            useCluster.setState({ loadErrors: [`Stopped the simulator, which had been busy ${busy.what} for ${busy.seconds} s, and opened the default scenario.`] });
          }}
        >
          Stop it
        </button>
      )}
    </div>
  );
}
