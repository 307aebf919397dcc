/**
 * claims: what pods wrote on PersistentVolumes stays with the volume, so a pod that mounts the claim
 * later (the replacement of a deleted pod, a StatefulSet's pod after a restart) finds it: the files
 * outlive the pod, where an emptyDir's go with it.
 *
 * Each volume (by the PersistentVolume's uid) keeps its writes in time order, with the path relative to
 * the volume and the container run that made them; the writes a run had planned past the moment it
 * stopped are dropped then. A volume Kubeplay's provisioner made started empty, so a path nobody
 * wrote is known not to be there; a volume someone created (hostPath, nfs …) held files before, and
 * only what pods wrote is known. Once a process the simulation does not follow may have written on a
 * volume (a database's data directory), what it holds is no longer known from then on.
 */
import type { Container, Pod } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { ANN_DYNAMICALLY_PROVISIONED } from '../controllers/volume/util.ts';
import { normPath, type FileData, type FsEvent } from './shell/proc.ts';
import { kubeletState, type VolumeRecord } from './runtime.ts';

/** runId names one run of a container (a restart is a new run): the writes it makes are tagged with it. */
export function runId(run: { uid: string }, c: { name: string; restartCount: number }): string {
  return `${run.uid}/${c.name}/${c.restartCount}`;
}

/** ClaimMount is a container's mount of a whole claim's volume. */
export interface ClaimMount {
  /** root: the mount path (normalized) */
  root: string;
  /** volume: the bound PersistentVolume's uid */
  volume: string;
  /** fresh: the provisioner made the volume empty, so what nobody wrote is not there */
  fresh: boolean;
  readOnly: boolean;
}

function volumes(sim: Sim): Record<string, VolumeRecord> {
  return (kubeletState(sim).volumes ??= {});
}

/** claimMounts lists the container's mounts of bound claims (a subPath mount shares only part of one, and is left out). */
export function claimMounts(sim: Sim, pod: Pod, spec: Container | undefined): ClaimMount[] {
  const out: ClaimMount[] = [];
  for (const m of spec?.volumeMounts ?? []) {
    if (!m || typeof m.mountPath !== 'string' || m.subPath) continue;
    const v = (pod.spec.volumes ?? []).find((x: { name?: string }) => x?.name === m.name) as { persistentVolumeClaim?: { claimName?: string } } | undefined;
    const claim = v?.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvName = sim.store.get<{ spec?: { volumeName?: string } } & Pod>('PersistentVolumeClaim', pod.metadata.namespace ?? 'default', claim)?.spec?.volumeName;
    const pv = pvName ? sim.store.get('PersistentVolume', undefined, pvName) : undefined;
    if (!pv?.metadata.uid) continue;
    const readOnly = m.readOnly === true || (v as { persistentVolumeClaim?: { readOnly?: boolean } }).persistentVolumeClaim?.readOnly === true;
    out.push({ root: normPath(m.mountPath), volume: pv.metadata.uid, fresh: !!pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED], readOnly });
  }
  return out;
}

/** mountOf is the claim mount a path is under (the deepest), with the path relative to it. */
export function mountOf(mounts: readonly ClaimMount[], path: string): { mount: ClaimMount; rel: string } | undefined {
  const p = normPath(path);
  let best: ClaimMount | undefined;
  for (const m of mounts) if ((p === m.root || p.startsWith(m.root === '/' ? '/' : m.root + '/')) && (!best || m.root.length > best.root.length)) best = m;
  if (!best) return undefined;
  return { mount: best, rel: p === best.root ? '' : p.slice(best.root === '/' ? 1 : best.root.length + 1) };
}

/** pathOn is the absolute path of rel on a mount (mountOf's inverse). */
export function pathOn(mount: ClaimMount, rel: string): string {
  return rel ? `${mount.root === '/' ? '' : mount.root}/${rel}` : mount.root;
}

/** recordClaimWrites keeps the writes (absolute paths and times) that fall on the container's claims, made by run `by`. */
export function recordClaimWrites(sim: Sim, mounts: readonly ClaimMount[], by: string, events: readonly FsEvent[]): void {
  const touched = new Set<VolumeRecord>();
  for (const e of events) {
    const hit = mountOf(mounts, e.path);
    if (!hit || hit.mount.readOnly) continue;
    const rec = (volumes(sim)[hit.mount.volume] ??= { writes: [] });
    rec.writes.push({ at: e.at, path: hit.rel, data: e.data, by });
    touched.add(rec);
  }
  // A process's writes are planned ahead, so an exec's may come between them: keep time order (stable at a tie).
  for (const rec of touched) rec.writes.sort((a, b) => a.at - b.at);
}

/** unknownWrites: from `at`, a process the simulation does not follow may write on these claims. */
export function unknownWrites(sim: Sim, mounts: readonly ClaimMount[], at: number): void {
  for (const m of mounts) {
    if (m.readOnly) continue;
    const rec = (volumes(sim)[m.volume] ??= { writes: [] });
    rec.unknownFrom = Math.min(rec.unknownFrom ?? Infinity, at);
  }
}

/** stopClaimWrites drops what run `by` had planned to write after it stopped at `at`. */
export function stopClaimWrites(sim: Sim, by: string, at: number): void {
  for (const rec of Object.values(volumes(sim))) {
    if (rec.writes.some((w) => w.by === by && w.at > at)) rec.writes = rec.writes.filter((w) => w.by !== by || w.at <= at);
  }
}

/**
 * claimFiles is what the container sees on its claims at `at`: the files and directories pods wrote
 * there (absolute paths; undefined where removed), and whether a path nobody wrote is known to be
 * missing (a fresh volume nothing unfollowed wrote on) — per mount root.
 */
export function claimFiles(sim: Sim, mounts: readonly ClaimMount[], at: number): { files: Map<string, FileData>; known: Set<string> } {
  const files = new Map<string, FileData>();
  const known = new Set<string>();
  for (const m of mounts) {
    const rec = volumes(sim)[m.volume];
    if (m.fresh && (rec?.unknownFrom === undefined || rec.unknownFrom > at)) known.add(m.root);
    for (const w of rec?.writes ?? []) {
      if (w.at > at) break;
      files.set(pathOn(m, w.path), w.data);
    }
  }
  return { files, known };
}
