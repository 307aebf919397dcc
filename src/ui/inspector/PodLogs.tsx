/**
 * PodLogs shows the last lines of a pod's container log, as `kubectl logs POD -c NAME --tail=N`
 * prints them (the same command the terminal runs), and follows the clock: a loop printing every
 * ten seconds grows here while the cluster plays. A container that has not started says why.
 */
import { useEffect, useRef, useState } from 'react';
import type { KubeObject } from '../../engine/api/types.ts';
import { runUnrecorded } from '../share/pageShare.ts';
import { useCluster } from '../state/cluster.ts';
import { useKeyboardScroll } from '../keyboardScroll.ts';

const TAIL = 30;
const REFRESH_MS = 250;

export function PodLogs({ pod }: { pod: KubeObject }) {
  const containers: string[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: { name: string }) => c.name);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const container = picked && containers.includes(picked) ? picked : (pod.spec?.containers?.[0]?.name as string | undefined);
  const [log, setLog] = useState<{ exit: number; out: string } | undefined>(undefined);
  // Asked again each simulated second and whenever the pod changes (a restart, a new container).
  const second = useCluster((s) => Math.floor(s.clock.t / 1000));
  const name = pod.metadata.name;
  const ns = pod.metadata.namespace ?? 'default';
  const version = pod.metadata.resourceVersion;
  const logsRef = useKeyboardScroll<HTMLDivElement>();
  const asking = useRef<{ busy: boolean; again: boolean; line: string }>({ busy: false, again: false, line: '' });
  const line = container ? `kubectl logs ${name} -n ${ns} -c ${container} --tail=${TAIL}` : '';
  useEffect(() => {
    if (!line) return;
    // One question at a time, at most every REFRESH_MS: at 20x the clock ticks 20 seconds a second,
    // and a long log takes the worker a moment to replay.
    const a = asking.current;
    a.line = line;
    if (a.busy) {
      a.again = true;
      return;
    }
    const ask = () => {
      if (!a.line) return; // the Inspector moved on
      a.busy = true;
      a.again = false;
      const asked = a.line;
      // The Inspector's reads are not commands of the user's: not recorded, not in share links.
      void runUnrecorded(asked).then((r) => {
          if (asked === a.line) setLog(r);
          else if (!a.line) return;
          setTimeout(() => {
            a.busy = false;
            if (a.again || asked !== a.line) ask();
          }, REFRESH_MS);
        });
    };
    ask();
  }, [line, second, version]);
  useEffect(() => {
    const a = asking.current;
    return () => {
      a.line = '';
    };
  }, []);
  if (!container) return null;
  const empty = log && log.exit === 0 && log.out === '';
  return (
    <section className="insp-section" data-testid="inspector-logs">
      <h3>
        Logs
        {containers.length > 1 && (
          <select className="insp-logs-pick" aria-label="Container" value={container} onChange={(e) => setPicked(e.target.value)}>
            {containers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </h3>
      {log === undefined ? (
        <p className="muted">Loading…</p>
      ) : empty ? (
        <p className="muted">No output yet.</p>
      ) : (
        // A reversed column scrolls from its bottom: the newest line stays in view (as .term-screen).
        <div ref={logsRef} className="insp-logs" role="region" aria-label={`Last ${TAIL} lines of ${container}'s log`}>
          <pre className={log.exit === 0 ? '' : 'muted'}>{log.out.replace(/^Error from server \(BadRequest\): /, '')}</pre>
        </div>
      )}
    </section>
  );
}
