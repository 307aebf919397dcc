import type { NginxConfig } from './nginxconf.ts';
import type { Condition } from '../api/types.ts';
import type { EnvPair } from '../network/envvars.ts';
import type { ProbeRun } from './probes.ts';
import type { MountState, VolumeFiles } from './volumes.ts';

/**
 * The kubelet's per-pod runtime record (module state, plain JSON): what the container runtime on
 * the node knows. The Pod's status is always rebuilt from it (status.ts), so a status write is a
 * pure function of this record and the time.
 */
/** SYNC_MS: PLEG relists every 1 s, so an exit is acted on (restart or back-off) 1 s later. */
export const SYNC_MS = 1000;

export type NextAction = 'pull' | 'pulled' | 'pullFailed' | 'restartCheck';

export interface Terminated {
  exitCode: number;
  reason: string;
  /** message: the runtime's, for a container that could not start (StartError) */
  message?: string;
  /** portTaken, nginx: the run's ContainerRun.portTaken and .nginx (its log says so) */
  portTaken?: number;
  nginx?: NginxConfig;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRun {
  name: string;
  init: boolean;
  /** sidecar: a restartable init container (restartPolicy: Always), KEP-753. */
  sidecar?: boolean;
  /** chained: this sidecar has been Started once, so the next init container was let go. */
  chained?: boolean;
  /** killAt: when the kubelet sent this container SIGTERM during pod termination. */
  killAt?: number;
  /** restartChanged: killed because its definition changed (a new image): restarted whatever the restartPolicy. */
  restartChanged?: boolean;
  /** queued: an app container waiting for those before it to start (the pod's first start goes one by one). */
  queued?: boolean;
  /** handedOn: its first start attempt is over and the next queued container was let go. */
  handedOn?: boolean;
  /** restarting: a restart was decided; its count goes up when the new container is created. */
  restarting?: boolean;
  /**
   * portTaken: the port this run's program could not listen on, because another container of the pod
   * (they share one network namespace) already listens there; the program gives up and exits 1.
   */
  portTaken?: number;
  /** nginx: what this run's nginx made of its mounted configuration (nginxconf.ts); undefined: the image's own */
  nginx?: NginxConfig;
  /** notStarted: the runtime created this container but could not start its process (StartError). */
  notStarted?: boolean;
  /** subPaths: what the container's subPath mounts held when it started (never refreshed). */
  subPaths?: Record<string, VolumeFiles>;
  image: string;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated';
  reason?: string;
  message?: string;
  next?: { at: number; what: NextAction };
  pullStartedAt?: number;
  containerID?: string;
  startedAt?: number;
  upAt?: number;
  /** exit: the planned end of the running process. */
  exit?: { at: number; code: number; reason: string; message?: string };
  term?: Terminated;
  last?: Terminated;
  ready: boolean;
  started: boolean;
  env?: EnvPair[];
  probes: { readiness?: ProbeRun; liveness?: ProbeRun; startup?: ProbeRun };
  /** execFs: what `kubectl exec` wrote in this run, with when (absolute ms; data undefined: removed). */
  execFs?: { at: number; path: string; data: string | null | undefined }[];
  /** startTools: what the network tools this run's process called at its start answered, in call order (command.ts recordStartTools). */
  startTools?: { program: string; args: string[]; exit: number; out: string }[];
  /**
   * claims: what this run found on its claims' volumes when it started (claims.ts): the files pods wrote
   * ([path, content]) and the mount roots where a path nobody wrote is known to be missing.
   */
  claims?: { files: [string, string | null | undefined][]; known: string[] };
  /** postStartFiles: what the postStart hook of this run wrote ([path, content; null a directory]). */
  postStartFiles?: [string, string | null | undefined][];
  /** startupOkAt: when the startup probe passed (readiness/liveness only count after). */
  startupOkAt?: number;
}

export interface PodRun {
  uid: string;
  key: string;
  node: string;
  admittedAt: number;
  sandboxAt: number;
  ip?: string;
  containers: ContainerRun[];
  initDone: boolean;
  /** termAt: when the kubelet began stopping the pod (it saw the deletionTimestamp). */
  termAt?: number;
  /** sidecarsStopAt: when the app containers of a finished pod were done and its sidecars began to stop. */
  sidecarsStopAt?: number;
  /** mounts: the pod's configMap/secret/projected/downwardAPI/emptyDir volumes (volumes.ts). */
  mounts?: MountState;
  /** wakes: timer times already pending for this pod. */
  wakes: number[];
  /** written: a status write is due (set by changes, cleared on write). */
  dirty: boolean;
}

export interface KubeletState {
  pods: Record<string, PodRun>;
  /** images: per node, the images present; pulling: per node, images being pulled and when done. */
  images: Record<string, Record<string, true>>;
  pulling: Record<string, Record<string, number>>;
  /** backoff entries by "<podUID>/<container>" (restarts) and "<podUID>_<image>" (pulls). */
  backoff: Record<string, { backoffMs: number; lastUpdate: number }>;
  /**
   * statics: the runs of static pods whose mirror pod was deleted, by "node/config.mirror", until the
   * kubelet's new mirror pod takes them over (the static pod's containers are not stopped for it)
   */
  statics?: Record<string, { run: PodRun; conditions?: Condition[] }>;
  /** volumes: what pods wrote on PersistentVolumes, by the volume's uid (claims.ts) */
  volumes?: Record<string, VolumeRecord>;
}

/** VolumeRecord is one PersistentVolume's writes in time order, and since when unfollowed writes may have changed it (claims.ts). */
export interface VolumeRecord {
  writes: { at: number; path: string; data: string | null | undefined; by: string }[];
  unknownFrom?: number;
}

/** KUBELET_DICTS: the kubelet state's tables keyed by pod uid, node or container (Sim.moduleState keeps them dictionaries). */
const KUBELET_DICTS = ['pods', 'images', 'pulling', 'backoff'] as const;

export function kubeletState(sim: { moduleState<T extends object>(n: string, i: () => T, dicts?: readonly (keyof T & string)[]): T }): KubeletState {
  return sim.moduleState('kubelet', () => ({ pods: {}, images: {}, pulling: {}, backoff: {} }) as KubeletState, KUBELET_DICTS);
}

/** appContainers / initContainers split a run's containers. */
export function appRuns(run: PodRun): ContainerRun[] {
  return run.containers.filter((c) => !c.init);
}

export function initRuns(run: PodRun): ContainerRun[] {
  return run.containers.filter((c) => c.init);
}
