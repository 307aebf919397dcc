import type { Container, ContainerStatus, Pod, PodSpec, PodTemplateSpec, Toleration } from '../../api/types.ts';
import { parseQuantity } from '../../api/quantity.ts';
import { containerResourceValue } from '../../api/resourcefield.ts';
import { multiline, PrefixWriter, rfc1123z } from './writer.ts';

/** portString is describe's "80/TCP" list (comma-joined), `<none>` without ports. */
function ports(c: Container, host: boolean): string {
  const ps = c.ports ?? [];
  if (ps.length === 0) return '<none>';
  return ps.map((p) => `${host ? p.hostPort ?? 0 : p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
}

function stateLines(w: PrefixWriter, title: string, st: ContainerStatus['state'] | undefined): void {
  if (st?.running) {
    w.line(2, `${title}:`, 'Running');
    w.line(3, 'Started:', rfc1123z(st.running.startedAt));
  } else if (st?.waiting) {
    w.line(2, `${title}:`, 'Waiting');
    if (st.waiting.reason) w.line(3, 'Reason:', st.waiting.reason);
  } else if (st?.terminated) {
    const t = st.terminated;
    w.line(2, `${title}:`, 'Terminated');
    if (t.reason) w.line(3, 'Reason:', t.reason);
    if (t.message) w.line(3, 'Message:', t.message);
    w.line(3, 'Exit Code:', String(t.exitCode ?? 0));
    if (t.signal) w.line(3, 'Signal:', String(t.signal));
    w.line(3, 'Started:', rfc1123z(t.startedAt));
    w.line(3, 'Finished:', rfc1123z(t.finishedAt));
  } else w.line(2, `${title}:`, 'Waiting');
}

function probe(p: any): string {
  const how = p.httpGet
    ? `http-get ${p.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? ''}`
    : p.tcpSocket
      ? `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port}`
      : p.exec
        ? `exec [${(p.exec.command ?? []).join(' ')}]`
        : p.grpc
          ? `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''}`
          : 'unknown';
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

/**
 * describeContainers writes the Containers section (describeContainers / describeContainerBasicInfo):
 * names at one level deeper than the title, fields two levels deeper; with statuses (a Pod) also state,
 * readiness and restarts.
 */
export function describeContainers(w: PrefixWriter, title: string, containers: Container[], statuses: ContainerStatus[] | undefined, template: boolean, pod?: Pod): void {
  w.write(template ? 1 : 0, `${title}:\n`);
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(template ? 1 : 1, `${template ? ' ' : ''}${c.name}:\n`);
    // describeContainerBasicInfo and describeContainerState print the status lines only for a container
    // that has a status (none yet while the pod waits for a node).
    if (st) w.line(2, 'Container ID:', st.containerID ?? '');
    w.line(2, 'Image:', c.image);
    if (st) w.line(2, 'Image ID:', st.imageID ?? '');
    w.line(2, 'Port:', ports(c, false));
    w.line(2, 'Host Port:', ports(c, true));
    // describeContainerCommand: each line of a multi-line script at the same indent.
    if (c.command?.length) {
      w.write(2, 'Command:\n');
      for (const x of c.command) for (const l of String(x).split('\n')) w.write(3, `${l}\n`);
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n');
      for (const x of c.args) for (const l of String(x).split('\n')) w.write(3, `${l}\n`);
    }
    if (st) {
      stateLines(w, 'State', st.state);
      if (st.lastState?.terminated) stateLines(w, 'Last State', st.lastState);
      w.line(2, 'Ready:', st.ready ? 'True' : 'False');
      w.line(2, 'Restart Count:', String(st.restartCount ?? 0));
    }
    const res = c.resources ?? {};
    for (const [t, m] of [['Limits', res.limits], ['Requests', res.requests]] as const) {
      const keys = Object.keys(m ?? {}).sort();
      if (!keys.length) continue;
      w.write(2, `${t}:\n`);
      for (const k of keys) w.line(3, `${k}:`, String(m![k]));
    }
    if (c.livenessProbe) w.line(2, 'Liveness:', probe(c.livenessProbe));
    if (c.readinessProbe) w.line(2, 'Readiness:', probe(c.readinessProbe));
    if (c.startupProbe) w.line(2, 'Startup:', probe(c.startupProbe));
    if (c.envFrom?.length) envFrom(w, c.envFrom);
    environment(w, c, pod);
    mounts(w, c);
  }
}

/** envFrom is describeContainerEnvFrom: each ConfigMap or Secret the container takes all keys of. */
function envFrom(w: PrefixWriter, list: any[]): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of list) {
    const ref = e?.configMapRef ?? e?.secretRef;
    const from = e?.configMapRef ? 'ConfigMap' : e?.secretRef ? 'Secret' : '';
    const optional = ref?.optional === true;
    w.line(3, ref?.name ?? '', e?.prefix ? `${from} with prefix '${e.prefix}'` : from, `Optional: ${optional}`);
  }
}

/**
 * environment is describeContainerEnvVars. A fieldRef shows the value only for the pod's name and
 * namespace (kubectl resolves it through a field-label conversion that knows only those two), a
 * resourceFieldRef the container's own limit or request ("node allocatable" for an unset limit), a
 * ConfigMap or Secret key its reference, not the value.
 */
function environment(w: PrefixWriter, c: Container, pod: Pod | undefined): void {
  const env = c.env ?? [];
  if (env.length === 0) {
    w.line(2, 'Environment:', '<none>');
    return;
  }
  w.write(2, 'Environment:\n');
  for (const e of env) {
    const vf = e.valueFrom;
    if (!vf) {
      String(e.value ?? '')
        .split('\n')
        .forEach((line, i) => w.line(3, i === 0 ? `${e.name}:` : '', line));
    } else if (vf.fieldRef) {
      const path: string = vf.fieldRef.fieldPath ?? '';
      const value = !pod ? '' : path === 'metadata.name' ? pod.metadata.name : path === 'metadata.namespace' ? (pod.metadata.namespace ?? 'default') : '';
      w.line(3, `${e.name}:`, `${value} (${vf.fieldRef.apiVersion ?? 'v1'}:${path})`);
    } else if (vf.resourceFieldRef) {
      const resource: string = vf.resourceFieldRef.resource ?? '';
      let value = containerResourceValue(c.resources, resource, vf.resourceFieldRef.divisor) ?? '';
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.line(3, `${e.name}:`, `${value} (${resource})`);
    } else if (vf.secretKeyRef) {
      w.line(3, `${e.name}:`, `<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>`, `Optional: ${vf.secretKeyRef.optional === true}`);
    } else if (vf.configMapKeyRef) {
      w.line(3, `${e.name}:`, `<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>`, `Optional: ${vf.configMapKeyRef.optional === true}`);
    }
  }
}

/** mounts is describeContainerVolumes: the container's mounts by path, "rw" or "ro" and any subPath, then its block devices. */
function mounts(w: PrefixWriter, c: Container): void {
  const list = [...((c.volumeMounts ?? []) as { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  if (list.length === 0) w.line(2, 'Mounts:', '<none>');
  else {
    w.write(2, 'Mounts:\n');
    for (const m of list) w.write(3, `${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])].join(',')})\n`);
  }
  const devices = [...((c.volumeDevices ?? []) as { name: string; devicePath: string }[])].sort((a, b) => (a.devicePath < b.devicePath ? -1 : a.devicePath > b.devicePath ? 1 : 0));
  if (devices.length) {
    w.write(2, 'Devices:\n');
    for (const d of devices) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}

/**
 * describeVolumes is kubectl's describeVolumes: each volume's name, then what it is in kubectl's words.
 * A pod's list starts at the left margin; a pod template's (`template`) is indented under it.
 */
export function describeVolumes(w: PrefixWriter, volumes: any[] | undefined, template: boolean): void {
  const level = template ? 1 : 0;
  if (!volumes?.length) {
    w.line(level, 'Volumes:', '<none>');
    return;
  }
  w.write(level, 'Volumes:\n');
  for (const v of volumes) {
    w.write(1, `${template ? ' ' : ''}${v?.name}:\n`);
    volumeSource(w, v ?? {});
  }
}

const bool = (v: unknown) => String(v === true);
/** optionalFlag is an optional *bool as %v prints an unset one: <nil>. */
const optionalFlag = (v: unknown) => (typeof v === 'boolean' ? String(v) : '<nil>');

export function volumeSource(w: PrefixWriter, v: any): void {
  const type = (what: string) => w.line(2, 'Type:', what);
  if (v.hostPath) {
    type('HostPath (bare host directory volume)');
    w.line(2, 'Path:', String(v.hostPath.path ?? ''));
    w.line(2, 'HostPathType:', v.hostPath.type ?? '<none>');
  } else if (v.emptyDir) {
    type("EmptyDir (a temporary directory that shares a pod's lifetime)");
    w.line(2, 'Medium:', String(v.emptyDir.medium ?? ''));
    w.line(2, 'SizeLimit:', (parseQuantity(v.emptyDir.sizeLimit) ?? 0) > 0 ? String(v.emptyDir.sizeLimit) : '<unset>');
  } else if (v.secret) {
    type('Secret (a volume populated by a Secret)');
    w.line(2, 'SecretName:', String(v.secret.secretName ?? ''));
    w.line(2, 'Optional:', bool(v.secret.optional));
  } else if (v.configMap) {
    type('ConfigMap (a volume populated by a ConfigMap)');
    w.line(2, 'Name:', String(v.configMap.name ?? ''));
    w.line(2, 'Optional:', bool(v.configMap.optional));
  } else if (v.nfs) {
    type('NFS (an NFS mount that lasts the lifetime of a pod)');
    w.line(2, 'Server:', String(v.nfs.server ?? ''));
    w.line(2, 'Path:', String(v.nfs.path ?? ''));
    w.line(2, 'ReadOnly:', bool(v.nfs.readOnly));
  } else if (v.persistentVolumeClaim) {
    type('PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)');
    w.line(2, 'ClaimName:', String(v.persistentVolumeClaim.claimName ?? ''));
    w.line(2, 'ReadOnly:', bool(v.persistentVolumeClaim.readOnly));
  } else if (v.ephemeral) {
    type('EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)');
    const t = v.ephemeral.volumeClaimTemplate;
    if (t) {
      // printPersistentVolumeClaim of the template (not a whole claim), nested two levels in.
      const spec = t.spec ?? {};
      w.line(2, 'StorageClass:', String(spec.storageClassName ?? t.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''));
      w.line(2, 'Volume:', String(spec.volumeName ?? ''));
      nestedPairs(w, 'Labels', t.metadata?.labels, '=', false);
      nestedPairs(w, 'Annotations', t.metadata?.annotations, ': ', true);
      w.line(2, 'Capacity:', '');
      w.line(2, 'Access Modes:', '');
      if (spec.volumeMode) w.line(2, 'VolumeMode:', String(spec.volumeMode));
    }
  } else if (v.downwardAPI) {
    type('DownwardAPI (a volume populated by information about the pod)');
    w.write(2, 'Items:\n');
    for (const it of v.downwardAPI.items ?? []) {
      if (it?.fieldRef) w.write(3, `${it.fieldRef.fieldPath} -> ${it.path}\n`);
      if (it?.resourceFieldRef) w.write(3, `${it.resourceFieldRef.resource} -> ${it.path}\n`);
    }
  } else if (v.projected) {
    type('Projected (a volume that contains injected data from multiple sources)');
    for (const src of v.projected.sources ?? []) {
      // printProjectedVolumeSource prints the sources' optional, a *bool, with %v: unset is <nil> (a set
      // one prints as a pointer's address there; its value is more use here).
      if (src?.secret) {
        w.line(2, 'SecretName:', String(src.secret.name ?? ''));
        w.line(2, 'SecretOptionalName:', optionalFlag(src.secret.optional));
      } else if (src?.downwardAPI) w.line(2, 'DownwardAPI:', 'true');
      else if (src?.configMap) {
        w.line(2, 'ConfigMapName:', String(src.configMap.name ?? ''));
        w.line(2, 'ConfigMapOptional:', optionalFlag(src.configMap.optional));
      } else if (src?.serviceAccountToken) w.line(2, 'TokenExpirationSeconds:', String(src.serviceAccountToken.expirationSeconds ?? 3600));
    }
  } else if (v.gitRepo) {
    type('GitRepo (a volume that is pulled from git when the pod is created)');
    w.line(2, 'Repository:', String(v.gitRepo.repository ?? ''));
    w.line(2, 'Revision:', String(v.gitRepo.revision ?? ''));
  } else if (v.csi) {
    type('CSI (a Container Storage Interface (CSI) volume source)');
    w.line(2, 'Driver:', String(v.csi.driver ?? ''));
    w.line(2, 'FSType:', String(v.csi.fsType ?? ''));
    w.line(2, 'ReadOnly:', bool(v.csi.readOnly));
    nestedPairs(w, 'VolumeAttributes', v.csi.volumeAttributes, '=', true);
  } else if (v.image) {
    type('Image (a container image or OCI artifact)');
    w.line(2, 'Reference:', String(v.image.reference ?? ''));
    w.line(2, 'PullPolicy:', String(v.image.pullPolicy ?? ''));
  } else w.write(1, '<unknown>\n');
}

/** MAX_ANNOTATION_LEN is describe's maxAnnotationLen: longer annotation and attribute lines are cut, with "...". */
const MAX_ANNOTATION_LEN = 140;

/**
 * nestedPairs writes a map two levels in as kubectl's multiline printers do through a nested writer
 * (a CSI volume's attributes, an ephemeral volume's claim labels): every part of a line carries the
 * level's indent, so the values after the first cell start four spaces further in.
 */
export function nestedPairs(w: PrefixWriter, title: string, map: Record<string, string> | undefined, sep: '=' | ': ', cut: boolean): void {
  const keys = Object.keys(map ?? {}).sort();
  if (keys.length === 0) {
    w.line(2, `${title}:`, '<none>');
    return;
  }
  keys.forEach((k, i) => {
    const line = `${k}${sep}${map![k]}`;
    w.write(2, `${i === 0 ? `${title}:` : '    '}\t    ${cut && line.length > MAX_ANNOTATION_LEN ? `${line.slice(0, MAX_ANNOTATION_LEN)}...` : line}\n`);
  });
}

/** tolerationsString renders one toleration as describe does: "key=value:Effect op=Exists for 300s". */
export function tolerationString(t: Toleration): string {
  let s = t.key ?? '';
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  if (t.operator === 'Exists' && !t.value) s += `${s ? ' ' : ''}op=Exists`;
  if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
  return s;
}

export function tolerations(w: PrefixWriter, level: number, list: Toleration[] | undefined): void {
  if (!list?.length) {
    w.line(level, 'Tolerations:', '<none>');
    return;
  }
  list.forEach((t, i) => w.line(level, i === 0 ? 'Tolerations:' : '', tolerationString(t)));
}

export function nodeSelectors(w: PrefixWriter, level: number, spec: PodSpec): void {
  const sel = spec.nodeSelector ?? {};
  const keys = Object.keys(sel).sort();
  w.line(level, 'Node-Selectors:', keys.length ? keys.map((k) => `${k}=${sel[k]}`).join(',') : '<none>');
}

/** describePodTemplate is DescribePodTemplate (deployments, replica sets, rollout history --revision). */
export function writePodTemplate(w: PrefixWriter, t: PodTemplateSpec): void {
  w.write(0, 'Pod Template:\n');
  multiline(w, 1, 'Labels', t.metadata?.labels as Record<string, string> | undefined, '=');
  const ann = t.metadata?.annotations as Record<string, string> | undefined;
  if (ann && Object.keys(ann).length) multiline(w, 1, 'Annotations', ann, ': ');
  if (t.spec?.serviceAccountName) w.line(1, 'Service Account:', t.spec.serviceAccountName);
  if (t.spec?.initContainers?.length) describeContainers(w, 'Init Containers', t.spec.initContainers, undefined, true);
  describeContainers(w, 'Containers', t.spec?.containers ?? [], undefined, true);
  describeVolumes(w, t.spec?.volumes, true);
  nodeSelectors(w, 1, t.spec ?? ({ containers: [] } as PodSpec));
  tolerations(w, 1, t.spec?.tolerations);
}

export function describePodTemplate(t: PodTemplateSpec): string {
  const w = new PrefixWriter();
  writePodTemplate(w, t);
  return w.toString();
}
