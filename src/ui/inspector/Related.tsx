/**
 * What an object stands for, beside its YAML: a Service's endpoints (the pods it sends to, ready or not,
 * read from its Endpoints object as `kubectl get endpoints -o json` gives it) and a Node's pods with the
 * requests they add up to against its allocatable (`kubectl describe node`'s Non-terminated Pods and
 * Allocated resources). Clicking a pod inspects it.
 */
import { useEffect, useState } from 'react';
import type { KubeObject, Node as KNode, Pod } from '../../engine/api/types.ts';
import { formatCpu } from '../../engine/api/quantity.ts';
import { runUnrecorded } from '../share/pageShare.ts';
import { objKey, useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { nodeUsage, podView } from '../graph/model.ts';
import { formatBytes } from '../graph/ResourceBar.tsx';

interface Address {
  ip: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}
interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: { port: number; name?: string; protocol?: string }[];
}

const inspectPod = (namespace: string, name: string) => () => useUi.getState().select({ kind: 'Pod', namespace, name });

export function ServiceEndpoints({ svc }: { svc: KubeObject }) {
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name;
  // The Endpoints' summary changes with every address change: the whole object is asked for again then.
  const version = useCluster((s) => s.objects.Endpoints?.get(objKey(ns, name))?.metadata.resourceVersion);
  const [subsets, setSubsets] = useState<Subset[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void runUnrecorded(`kubectl get endpoints ${name} -n ${ns} -o json`).then((r) => {
      if (!live) return;
      try {
        setSubsets(r.exit === 0 ? ((JSON.parse(r.out) as { subsets?: Subset[] }).subsets ?? []) : []);
      } catch {
        setSubsets([]);
      }
    });
    return () => {
      live = false;
    };
  }, [name, ns, version]);
  if (svc.spec?.type === 'ExternalName') return null;
  const rows = (subsets ?? []).flatMap((s) => {
    const ports = (s.ports ?? []).map((p) => p.port).join(',');
    const row = (a: Address, ready: boolean) => ({ ip: a.ip, ports, ready, pod: a.targetRef?.kind === 'Pod' ? a.targetRef.name : undefined });
    return [...(s.addresses ?? []).map((a) => row(a, true)), ...(s.notReadyAddresses ?? []).map((a) => row(a, false))];
  });
  return (
    <section className="insp-section" data-testid="service-endpoints">
      <h3>Endpoints</h3>
      {subsets === undefined ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">{svc.spec?.selector ? 'No pod matches its selector and is ready: requests to it are refused.' : 'No selector: its Endpoints are whatever was written by hand.'}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Pod</th>
              <th>Address</th>
              <th>Ready</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.ip}:${r.ports}`}>
                <td className="node">
                  {r.pod ? (
                    <button type="button" className="linklike" onClick={inspectPod(ns, r.pod)}>
                      {r.pod}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="mono">{r.ports ? `${r.ip}:${r.ports}` : r.ip}</td>
                <td className={r.ready ? '' : 'bad-text'}>{r.ready ? 'yes' : 'no: not in rotation'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function NodePods({ node }: { node: KubeObject }) {
  const name = node.metadata.name;
  const all = useCluster((s) => s.objects.Pod);
  const pods = [...(all?.values() ?? [])].filter((p) => p.spec?.nodeName === name) as Pod[];
  const cpu = nodeUsage(node as KNode, pods, 'cpu');
  const mem = nodeUsage(node as KNode, pods, 'memory');
  const pct = (u: { requested: number; allocatable: number }) => (u.allocatable > 0 ? ` (${Math.round((100 * u.requested) / u.allocatable)}%)` : '');
  return (
    <section className="insp-section" data-testid="node-pods">
      <h3>Allocated resources</h3>
      <p>
        cpu requests {formatCpu(cpu.requested)} of {formatCpu(cpu.allocatable)}
        {pct(cpu)} · memory requests {formatBytes(mem.requested)} of {formatBytes(mem.allocatable)}
        {pct(mem)}
      </p>
      <h3>Pods ({pods.length})</h3>
      {pods.length === 0 ? (
        <p className="muted">No pods are bound to this node.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Pod</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {pods.map((p) => (
              <tr key={p.metadata.uid ?? p.metadata.name}>
                <td className="node">
                  <button type="button" className="linklike" onClick={inspectPod(p.metadata.namespace ?? 'default', p.metadata.name)}>
                    {(p.metadata.namespace ?? 'default') === 'default' ? '' : `${p.metadata.namespace}/`}
                    {p.metadata.name}
                  </button>
                </td>
                <td>{podView(p).status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
