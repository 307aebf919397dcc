import type { Sim } from '../sim.ts';
import type { Container, Node, Pod } from '../api/types.ts';
import { ApiError } from '../api/errors.ts';
import { setCondition } from '../api/podutil.ts';
import { installNodeLifecycleController } from '../controllers/nodelifecycle.ts';
import { installTaintEvictionController } from '../controllers/tainteviction.ts';
import { buildNode, lastHeartbeat, nodeInternalIP, nodesState, releaseIP, type NodeSpec } from './node.ts';
import { createNodeLease, installNodeLeases, renewNodeLease } from './lease.ts';
import { mirrorKey, onWake, syncPod } from './pod.ts';
import { invalidateServiceEnv } from './containerenv.ts';
import { kubeletState, type ContainerRun } from './runtime.ts';
import { specOf } from './recorder.ts';
import { claimFiles, claimMounts, mountOf, pathOn, recordClaimWrites, runId, stopClaimWrites } from './claims.ts';
import { containerLogLines, type LogEntry } from './logs.ts';
import type { EnvPair } from '../network/envvars.ts';
import { apiDataAt, lookupPath, type FileLookup } from './volumes.ts';
import { execWrote, podChanges, processEnv, processOf } from './command.ts';
import type { FsEvent } from './shell/proc.ts';
import { systemDir, systemFile } from './systemfiles.ts';

export type { NodeSpec } from './node.ts';
export { lastHeartbeat, KUBELET_VERSION } from './node.ts';

/**
 * installKubelets adds the kubelets of every node: one controller 'kubelet' keyed by pod key (a pod
 * worker per pod, as upstream), the kubelet/wake timer, and the 'kubelet' service. It also installs
 * the node lifecycle controller, which watches the heartbeats the kubelets stop sending.
 */
export function installKubelets(sim: Sim): void {
  sim.addController({ name: 'kubelet', sync: (key) => syncPod(sim, key) });
  sim.onTimer('kubelet/wake', (uid) => onWake(sim, uid));
  installNodeLeases(sim);
  sim.store.watch('Pod', (type, obj) => {
    const pod = obj as Pod;
    const st = kubeletState(sim);
    if (type === 'DELETED') {
      const run = st.pods[pod.metadata.uid!];
      // A mirror pod is the API's view of a static pod: deleting it stops nothing, and the kubelet's next
      // mirror pod shows the same containers (syncPod takes the run over).
      const mirror = mirrorKey(pod);
      if (run && mirror && run.termAt === undefined) {
        // Its conditions too: the kubelet's status cache keeps their transition times for the next mirror pod.
        (st.statics ??= {})[mirror] = { run, conditions: pod.status?.conditions };
        delete st.pods[run.uid];
        return;
      }
      if (run) {
        releaseIP(sim, run);
        // What its containers had planned to write on claims after now does not happen.
        for (const c of run.containers) if (c.startedAt !== undefined && c.state === 'running') stopClaimWrites(sim, runId(run, c), sim.now());
        delete st.pods[run.uid];
        for (const k of Object.keys(st.backoff)) if (k.startsWith(run.uid)) delete st.backoff[k];
      }
      return;
    }
    const node = pod.spec?.nodeName;
    if (!node || !nodesState(sim).nodes[node]) return;
    const run = st.pods[pod.metadata.uid!];
    // A pod with readiness gates is synced on each update too: its gate conditions change from outside.
    const readinessGated = !!run && (pod.spec.readinessGates?.length ?? 0) > 0;
    // A container's image changed in the spec: the kubelet restarts it (restartChangedContainers).
    const imageChanged = !!run && run.termAt === undefined && imageChangedIn(pod, run.containers);
    if (readinessGated || imageChanged || (!run ? pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' : pod.metadata.deletionTimestamp && run.termAt === undefined)) {
      sim.enqueue('kubelet', sim.store.keyFor(pod));
    }
  });
  sim.store.watch('Service', () => invalidateServiceEnv(sim));
  sim.services.set('kubelet', new KubeletService(sim));
  installNodeLifecycleController(sim);
  installTaintEvictionController(sim);
}

/** imageChangedIn: the spec now gives an app container or a sidecar of the run another image (a loop, not some() with a closure: it runs on every write of every pod of a running kubelet). */
function imageChangedIn(pod: Pod, runs: readonly ContainerRun[]): boolean {
  for (let i = 0; i < runs.length; i++) {
    const c = runs[i];
    if ((!c.init || c.sidecar) && c.image !== specOf(pod, c)?.image) return true;
  }
  return false;
}

/** addNode registers a node as its kubelet does on start (events Starting, RegisteredNode). */
export function addNode(sim: Sim, spec: NodeSpec): Node {
  const ns = nodesState(sim);
  if (ns.nodes[spec.name] || sim.store.get('Node', undefined, spec.name)) {
    throw new ApiError('AlreadyExists', `nodes "${spec.name}" already exists`);
  }
  const index = ns.nextIndex++;
  ns.nodes[spec.name] = { index, registeredAt: sim.now(), nextHost: 2, used: {} };
  const node = sim.store.create(buildNode(spec, index, sim.nowIso()));
  sim.recordEvent(node, 'Normal', 'Starting', 'Starting kubelet.', 'kubelet', spec.name);
  sim.recordEvent(node, 'Normal', 'NodeHasSufficientMemory', `Node ${spec.name} status is now: NodeHasSufficientMemory`, 'kubelet', spec.name);
  sim.recordEvent(node, 'Normal', 'NodeHasNoDiskPressure', `Node ${spec.name} status is now: NodeHasNoDiskPressure`, 'kubelet', spec.name);
  sim.recordEvent(node, 'Normal', 'NodeHasSufficientPID', `Node ${spec.name} status is now: NodeHasSufficientPID`, 'kubelet', spec.name);
  sim.recordEvent(node, 'Normal', 'NodeReady', `Node ${spec.name} status is now: NodeReady`, 'kubelet', spec.name);
  sim.recordEvent(node, 'Normal', 'RegisteredNode', `Node ${spec.name} event: Registered Node ${spec.name} in Controller`, 'node-controller');
  createNodeLease(sim, node);
  // The kubelet starts with the pods already bound to its node name (its pod source lists them).
  for (const pod of podsOnNode(sim, spec.name)) sim.enqueue('kubelet', sim.store.keyFor(pod));
  return node;
}

/**
 * removeNode deletes the Node; its pods are force-deleted, as the pod garbage collector does for
 * pods bound to a node that no longer exists.
 */
export function removeNode(sim: Sim, name: string): void {
  const node = sim.store.get<Node>('Node', undefined, name);
  if (!node) throw new ApiError('NotFound', `nodes "${name}" not found`);
  for (const pod of podsOnNode(sim, name)) sim.store.remove('Pod', pod.metadata.namespace, pod.metadata.name);
  sim.store.remove('Node', undefined, name);
  delete nodesState(sim).nodes[name];
  sim.recordEvent(node, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`, 'node-controller');
}

/** podsOnNode uses the API server's 'node' index on pods. */
export function podsOnNode(sim: Sim, node: string): Pod[] {
  return sim.store.byIndex<Pod>('Pod', 'node', node);
}

/** KubeletService is the 'kubelet' service: faults, logs and exec for kubectl and kubeplay commands. */
export class KubeletService {
  constructor(private readonly sim: Sim) {}

  private node(name: string): Node {
    const node = this.sim.store.get<Node>('Node', undefined, name);
    if (!node || !nodesState(this.sim).nodes[name]) throw new ApiError('NotFound', `nodes "${name}" not found`);
    return node;
  }

  /** failNode stops the node's kubelet: no heartbeats, no status updates; containers keep their last reported state. */
  failNode(name: string): void {
    this.node(name);
    const rec = nodesState(this.sim).nodes[name];
    if (rec.failedAt !== undefined) return;
    rec.failedAt = this.sim.now();
    this.sim.enqueue('nodelifecycle', name);
  }

  /** recoverNode restarts heartbeats: the kubelet posts Ready again and catches up with its pods. */
  recoverNode(name: string): void {
    const node = this.node(name);
    const rec = nodesState(this.sim).nodes[name];
    if (rec.failedAt === undefined) return;
    delete rec.failedAt;
    // Heartbeats resume on the lease's 10 s grid from now.
    rec.registeredAt = this.sim.now();
    renewNodeLease(this.sim, name);
    const nowIso = this.sim.nowIso();
    const ready = node.status.conditions.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True') {
      for (const [type, reason, message] of [
        ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'KubeletReady', 'kubelet is posting ready status'],
      ] as const) {
        setCondition(node.status.conditions, { type, status: type === 'Ready' ? 'True' : 'False', reason, message, lastHeartbeatTime: nowIso }, nowIso);
        const c = node.status.conditions.find((x) => x.type === type)!;
        c.lastHeartbeatTime = nowIso;
      }
      this.sim.store.update(node);
      this.sim.recordEvent(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`, 'kubelet', name);
    }
    const st = kubeletState(this.sim);
    for (const pod of podsOnNode(this.sim, name)) {
      const run = st.pods[pod.metadata.uid!];
      if (run) run.dirty = true; // re-post the status the node controller overwrote
      this.sim.enqueue('kubelet', this.sim.store.keyFor(pod));
    }
    this.sim.enqueue('nodelifecycle', name);
  }

  /** removeNode deletes the node and force-deletes its pods (see the removeNode function). */
  removeNode(name: string): void {
    removeNode(this.sim, name);
  }

  /** lastHeartbeat is when the node last renewed its lease (ms), for describe's LastHeartbeatTime. */
  lastHeartbeat(name: string): number | undefined {
    return lastHeartbeat(this.sim, name);
  }

  isNodeFailed(name: string): boolean {
    return nodesState(this.sim).nodes[name]?.failedAt !== undefined;
  }

  /**
   * runsNoServer: the container's current run is a program the simulated shell runs (sleep, a loop of
   * echo and date …), which opens no port; a container whose program is not simulated may be listening.
   */
  runsNoServer(pod: Pod, container: string): boolean {
    const run = kubeletState(this.sim).pods[pod.metadata.uid ?? ''];
    const c = run?.containers.find((x) => x.name === container);
    if (!c || c.startedAt === undefined) return false;
    const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((x) => x.name === container);
    return processOf(pod, run, c, spec) !== undefined;
  }

  /** listens: where a container's nginx listens as its mounted configuration says (undefined: the image's own ports). */
  listens(pod: Pod, container: string): readonly number[] | undefined {
    const run = kubeletState(this.sim).pods[pod.metadata.uid ?? ''];
    const nginx = run?.containers.find((x) => x.name === container)?.nginx;
    return nginx && (nginx.error ? [] : nginx.ports);
  }

  nodeIP(name: string): string | undefined {
    const rec = nodesState(this.sim).nodes[name];
    return rec ? nodeInternalIP(rec.index) : undefined;
  }

  private container(podRef: Pod | string, container?: string, ns = 'default') {
    const pod = typeof podRef === 'string' ? this.sim.store.get<Pod>('Pod', ns, podRef) : podRef;
    if (!pod) throw new ApiError('NotFound', `pods "${podRef as string}" not found`);
    const name = container ?? pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? pod.spec.containers[0]?.name;
    const run = kubeletState(this.sim).pods[pod.metadata.uid!];
    const c = run?.containers.find((x) => x.name === name);
    const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((x) => x.name === name);
    if (!spec) throw new ApiError('BadRequest', `container ${name} is not valid for pod ${pod.metadata.name}`);
    return { pod, name, c, run, spec };
  }

  /** logs returns a container's simulated output (kubectl logs). */
  logs(pod: Pod | string, container?: string, opts: { namespace?: string; previous?: boolean } = {}): string {
    return this.logLines(pod, container, opts)
      .map((l) => l.text + '\n')
      .join('');
  }

  /** logLines is logs line by line, each with the virtual time it was printed (--timestamps, --since). */
  logLines(pod: Pod | string, container?: string, opts: { namespace?: string; previous?: boolean } = {}): LogEntry[] {
    const { pod: p, name, c, run } = this.container(pod, container, opts.namespace);
    if (!c) throw new ApiError('BadRequest', `container "${name}" in pod "${p.metadata.name}" is waiting to start: ContainerCreating`);
    return containerLogLines(this.sim, p, run, c, name, opts.previous);
  }

  /**
   * execFile resolves a path inside a running container against its mounted volumes, as `kubectl
   * exec … -- cat PATH` / `ls PATH` see them now: configMap/secret volumes as of the last periodic
   * sync, subPath mounts as of the container's start (volumes.ts).
   */
  execFile(pod: Pod | string, container: string | undefined, path: string, opts: { namespace?: string } = {}): FileLookup {
    const { pod: p, name, c, run, spec } = this.container(pod, container, opts.namespace);
    if (!c || c.state !== 'running') {
      throw new ApiError('BadRequest', `container ${name} is not running in pod ${p.metadata.name}`);
    }
    const f = lookupPath(spec, run?.mounts, c.subPaths, path);
    if (f.kind !== 'missing') return f;
    const claim = this.claimFile(p, spec, path);
    if (claim) return claim;
    const dir = systemDir(p, spec, path);
    if (dir) return { kind: 'dir', entries: dir };
    const sys = systemFile(p, spec, run?.ip, path);
    return sys === undefined ? f : { kind: 'file', data: sys, mode: 0o644 };
  }

  /**
   * claimFile is a path on one of the container's claims as pods left it (claims.ts): a file or directory
   * they wrote, 'missing' where the volume is known to have nothing else, undefined where it is not known.
   */
  private claimFile(pod: Pod, spec: Container | undefined, path: string): FileLookup | undefined {
    const mounts = claimMounts(this.sim, pod, spec);
    const hit = mountOf(mounts, path);
    if (!hit) return undefined;
    const { files, known } = claimFiles(this.sim, [hit.mount], this.sim.now());
    const p = pathOn(hit.mount, hit.rel);
    const data = files.get(p);
    if (typeof data === 'string') return { kind: 'file', data, mode: 0o644 };
    const under = [...files].filter(([k, d]) => d !== undefined && k.startsWith(p === '/' ? '/' : p + '/')).map(([k]) => k.slice(p === '/' ? 1 : p.length + 1).split('/')[0]);
    if (data === null || under.length || (p === hit.mount.root && known.has(hit.mount.root))) return { kind: 'dir', entries: [...new Set(under)].sort() };
    return known.has(hit.mount.root) ? { kind: 'missing' } : undefined;
  }

  /**
   * servedFile is the content of the file at path in a running container when the simulation knows it:
   * written by the pod's processes or kubectl exec, on a configMap or secret volume, or left on a claim;
   * undefined otherwise (what the image holds is not known). A web server serves it (network/response.ts).
   */
  servedFile(pod: Pod, container: string, path: string): { kind: 'file'; data: string } | { kind: 'missing' } | undefined {
    const { c, run, spec } = this.container(pod, container, pod.metadata.namespace);
    if (!c || c.state !== 'running') return undefined;
    const changed = podChanges(pod, run, c, spec, this.sim.now());
    if (changed.has(path)) {
      const d = changed.get(path);
      return typeof d === 'string' ? { kind: 'file', data: d } : d === undefined ? { kind: 'missing' } : undefined;
    }
    const f = lookupPath(spec, run?.mounts, c.subPaths, path);
    if (f.kind === 'file') return { kind: 'file', data: f.data };
    if (f.kind === 'dir') return undefined;
    // A ConfigMap's or Secret's volume holds exactly its keys; a claim's, what pods left when it started empty.
    if (apiDataAt(pod, spec, path)) return { kind: 'missing' };
    const claim = this.claimFile(pod, spec, path);
    return claim?.kind === 'file' ? { kind: 'file', data: claim.data } : claim?.kind === 'missing' ? claim : undefined;
  }

  /** claimKnown: what is at path, on one of the container's claims, is known (claimFile says what it is). */
  claimKnown(pod: Pod, container: string, path: string): boolean {
    return this.claimFile(pod, this.container(pod, container, pod.metadata.namespace).spec, path) !== undefined;
  }

  /**
   * fileChanges: what the container's simulated processes (postStart hook, command) have written by now,
   * with what the pod's other containers wrote into the emptyDir volumes it shares with them (podChanges).
   */
  fileChanges(pod: Pod | string, container?: string, opts: { namespace?: string } = {}): Map<string, string | null | undefined> {
    const { pod: p, c, run, spec } = this.container(pod, container, opts.namespace);
    if (!c || c.state !== 'running') return new Map();
    return podChanges(p, run, c, spec, this.sim.now());
  }

  /**
   * killContainer kills a running container's process at once (SIGKILL, `kubeplay pod kill`): it exits
   * 137 and the kubelet restarts it as restartPolicy says, with the same back-off as any crash.
   */
  killContainer(pod: Pod, container?: string): void {
    const { c, run } = this.container(pod, container, pod.metadata.namespace);
    if (!c || c.state !== 'running' || !run) throw new ApiError('BadRequest', `container ${c?.name ?? container ?? ''} is not running in pod ${pod.metadata.name}`);
    syncPod(this.sim, run.key);
    if (c.state !== 'running') return;
    c.exit = { at: this.sim.now(), code: 137, reason: 'Error' };
    syncPod(this.sim, run.key);
  }

  /**
   * execWrote keeps what `kubectl exec` wrote in a running container: the kubelet first catches up
   * to now (probe results before the write stand), then the container's exec probes are worked out
   * again and the pod is synced, so the next probe sees the change.
   */
  execWrote(pod: Pod | string, container: string | undefined, fs: readonly FsEvent[], opts: { namespace?: string } = {}): void {
    const { pod: p, c, run, spec } = this.container(pod, container, opts.namespace);
    if (!c || c.state !== 'running' || !run || !fs.length) return;
    syncPod(this.sim, run.key);
    execWrote(p, run, c, spec, this.sim.now(), fs);
    // Written on a claim, it stays with the volume for the pods that mount it later.
    recordClaimWrites(this.sim, claimMounts(this.sim, p, spec), runId(run, c), fs.map((e) => ({ ...e, at: this.sim.now() })));
    syncPod(this.sim, run.key);
  }

  /** execEnv is the environment `kubectl exec … -- env` shows: as computed when the container started. */
  execEnv(pod: Pod | string, container?: string, opts: { namespace?: string } = {}): EnvPair[] {
    const { pod: p, name, c } = this.container(pod, container, opts.namespace);
    if (!c || c.state !== 'running') {
      throw new ApiError('BadRequest', `container ${name} is not running in pod ${p.metadata.name}`);
    }
    return processEnv(p, c);
  }
}
