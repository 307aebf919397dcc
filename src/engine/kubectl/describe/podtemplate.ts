import type { Container, ContainerStatus, PodSpec, PodTemplateSpec, Toleration } from '../../api/types.ts';
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
export function describeContainers(w: PrefixWriter, title: string, containers: Container[], statuses: ContainerStatus[] | undefined, template: boolean): void {
  w.write(template ? 1 : 0, `${title}:\n`);
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(template ? 1 : 1, `${template ? ' ' : ''}${c.name}:\n`);
    if (statuses) w.line(2, 'Container ID:', st?.containerID ?? '');
    w.line(2, 'Image:', c.image);
    if (statuses) w.line(2, 'Image ID:', st?.imageID ?? '');
    w.line(2, 'Port:', ports(c, false));
    w.line(2, 'Host Port:', ports(c, true));
    if (c.command?.length) {
      w.write(2, 'Command:\n');
      for (const x of c.command) w.write(3, `${x}\n`);
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n');
      for (const x of c.args) w.write(3, `${x}\n`);
    }
    if (statuses) {
      stateLines(w, 'State', st?.state);
      if (st?.lastState && (st.lastState.terminated || st.lastState.waiting || st.lastState.running)) stateLines(w, 'Last State', st.lastState);
      w.line(2, 'Ready:', st?.ready ? 'True' : 'False');
      w.line(2, 'Restart Count:', String(st?.restartCount ?? 0));
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
    const env = c.env ?? [];
    if (env.length === 0) w.line(2, 'Environment:', '<none>');
    else {
      w.write(2, 'Environment:\n');
      for (const e of env) {
        if (e.value !== undefined || !e.valueFrom) w.line(3, `${e.name}:`, e.value ?? '');
        else if (e.valueFrom.fieldRef) w.line(3, `${e.name}:`, ` (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})`);
        else if (e.valueFrom.configMapKeyRef) w.line(3, `${e.name}:`, `<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>`);
        else if (e.valueFrom.secretKeyRef) w.line(3, `${e.name}:`, `<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>`);
        else w.line(3, `${e.name}:`, '');
      }
    }
    w.line(2, 'Mounts:', '<none>');
  }
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
  w.line(1, 'Volumes:', '<none>');
  nodeSelectors(w, 1, t.spec ?? ({ containers: [] } as PodSpec));
  tolerations(w, 1, t.spec?.tolerations);
}

export function describePodTemplate(t: PodTemplateSpec): string {
  const w = new PrefixWriter();
  writePodTemplate(w, t);
  return w.toString();
}
