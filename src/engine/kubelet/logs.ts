import { isoTime } from '../clock.ts';
import { ApiError } from '../api/errors.ts';
import type { Pod } from '../api/types.ts';
import type { NginxConfig } from './nginxconf.ts';
import type { Sim } from '../sim.ts';
import { goDuration, imageBehavior } from './images.ts';
import type { ContainerRun, PodRun } from './runtime.ts';
import { containerProcess, historyDuring, imageRepo, processOf, requestLoop, unsimulatedStep } from './command.ts';
import { loopRequest } from '../network/commands.ts';
import { parseUrl } from '../network/http.ts';
import { specOf } from './recorder.ts';

/**
 * Simulated container logs: the image's `logs` lines from the scenario, or what the well-known
 * image prints at start (nginx's entrypoint, a generic line otherwise, naming the container's port). Deterministic: the
 * timestamps come from the container's start time.
 */
function goLogTime(ms: number): string {
  return isoTime(ms).replace('T', ' ').replace('Z', '').replace(/-/g, '/');
}

/**
 * nginxEntrypoint is what the nginx image's entrypoint prints before it starts nginx. Its
 * 10-listen-on-ipv6-by-default.sh edits conf.d/default.conf to listen on IPv6 too, unless that file is
 * missing or cannot be modified (a ConfigMap's, mounted read-only): then it says so and nginx keeps IPv4.
 */
function nginxEntrypoint(defaultConf: NginxConfig['defaultConf'] = 'image'): string[] {
  const ipv6 =
    defaultConf === 'image'
      ? ['10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf', '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf']
      : defaultConf === 'mounted'
        ? ['10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)']
        : ['10-listen-on-ipv6-by-default.sh: info: /etc/nginx/conf.d/default.conf is not a file or does not exist'];
  return [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    ...ipv6,
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
  ];
}

/** nginxEmerg is one of nginx's [emerg] messages as its log shows it: in the error log (stderr), and as nginx prints it to stderr. */
function nginxEmerg(at: number, what: string): LogEntry[] {
  return [
    { at, text: `${goLogTime(at)} [emerg] 1#1: ${what}` },
    { at, text: `nginx: [emerg] ${what}` },
  ];
}

/** configErrorLogs: nginx stopped at a syntax error in its mounted configuration. */
function configErrorLogs(startedAt: number, nginx: NginxConfig): LogEntry[] {
  return [...nginxEntrypoint(nginx.defaultConf).map((text) => ({ at: startedAt, text })), ...nginxEmerg(startedAt, nginx.error!)];
}

/**
 * bindFailureLogs is what a well-known image's program prints when its port is taken (another container
 * of the pod listens there, in the network namespace they share), at when it prints it. nginx tries five
 * times half a second apart, on IPv4 and (with the image's own default.conf, which the entrypoint made
 * listen on both) IPv6, then gives up; the generic server says so at once.
 */
function bindFailureLogs(image: string, startedAt: number, podName: string, port: number, nginx: NginxConfig | undefined): LogEntry[] {
  if (imageRepo(image) !== 'nginx') {
    // The generic server's first line, then where it stops.
    return [defaultLogs(image, startedAt, podName)[0], `${isoTime(startedAt)} ERROR listen tcp :${port}: bind: address already in use`].map((text) => ({ at: startedAt, text }));
  }
  const out: LogEntry[] = nginxEntrypoint(nginx?.defaultConf).map((text) => ({ at: startedAt, text }));
  const ipv6 = (nginx?.defaultConf ?? 'image') === 'image';
  for (let k = 0; k < 5; k++) {
    const at = startedAt + k * 500;
    out.push(...nginxEmerg(at, `bind() to 0.0.0.0:${port} failed (98: Address already in use)`));
    if (ipv6) out.push(...nginxEmerg(at, `bind() to [::]:${port} failed (98: Address already in use)`));
  }
  out.push(...nginxEmerg(startedAt + 2500, 'still could not bind()'));
  return out;
}

/** defaultLogs is what a well-known image prints as it starts (nginx: as its mounted configuration made its entrypoint say). */
export function defaultLogs(image: string, startedAt: number, podName: string, port = 8080, nginx?: NginxConfig): string[] {
  const repo = imageRepo(image);
  const t = goLogTime(startedAt);
  if (repo === 'nginx') {
    const version = /:(\d+\.\d+(\.\d+)?)/.exec(image)?.[1] ?? '1.27.3';
    const full = version.split('.').length === 2 ? `${version}.0` : version;
    return [
      ...nginxEntrypoint(nginx?.defaultConf),
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/${full}`,
      `${t} [notice] 1#1: OS: Linux 6.8.0-49-generic`,
      `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${t} [notice] 1#1: start worker processes`,
      `${t} [notice] 1#1: start worker process 29`,
    ];
  }
  if (repo === 'busybox' || repo === 'alpine') return [];
  // Learn Kubernetes Basics' app (server.js): console.log of its start Date (ISO, in ms), the pod's
  // hostname and a "\n" of its own, so a blank line follows.
  if (repo === 'kubernetes-bootcamp') {
    const at = `${isoTime(startedAt).slice(0, -1)}.${String(startedAt % 1000).padStart(3, '0')}Z`;
    return [`Kubernetes Bootcamp App Started At: ${at} | Running On:  ${podName} `, ''];
  }
  return [`${isoTime(startedAt)} INFO starting ${repo} on ${podName}`, `${isoTime(startedAt)} INFO listening on :${port}`];
}

/** LogEntry is one line of a container's log, with the virtual time it was printed. */
export interface LogEntry {
  at: number;
  text: string;
}

/**
 * LOG_STEPS bounds the commands replayed to answer one `kubectl logs` (the container's start only
 * worked out whether it ends): a loop printing every second runs ~4 commands a second, so 300,000
 * are most of a day of it, ~0.4 s. Past it the log ends where the replay stopped.
 */
const LOG_STEPS = 300_000;

/**
 * containerLogLines returns the current (or, with previous, the last terminated) container's
 * output: the scenario's `logs` for the image, else what its command line printed by now (or by
 * its exit), else what the well-known image prints at start.
 */
export function containerLogLines(sim: Sim, pod: Pod, run: PodRun | undefined, c: ContainerRun | undefined, name: string, previous = false): LogEntry[] {
  if (!c) throw new ApiError('BadRequest', `container ${name} is not valid for pod ${pod.metadata.name}`);
  const which = logRun(pod, c, name, previous);
  // A container whose process could not start (StartError) printed nothing.
  if (which === 'last' ? c.last?.reason === 'StartError' : c.notStarted) return [];
  const startedAt = which === 'last' ? c.last!.startedAt : c.startedAt!;
  const beh = imageBehavior(sim, c.image);
  if (beh.logs) return beh.logs.map((text) => ({ at: startedAt, text }));
  const spec = specOf(pod, c);
  const endAt = which === 'last' ? c.last!.finishedAt : c.state === 'running' ? sim.now() : (c.term?.finishedAt ?? sim.now());
  const horizon = Math.max(0, endAt - startedAt);
  // The current run's process was worked out to its end (or far ahead) when it started: read its lines
  // up to now from there. Past what that run reached, or for an earlier run, run the command line again.
  // A run whose files changed under it (a ConfigMap's refresh, an exec's write) is replayed read by read.
  const changed = historyDuring(run, c, startedAt);
  const planned = which === 'current' && !changed ? processOf(pod, run, c, spec) : undefined;
  const reached = planned && (planned.kind === 'exited' || (planned.kind === 'running' && !planned.steady && planned.until >= horizon));
  const proc = reached ? planned : containerProcess(pod, run, c, spec, startedAt, horizon, LOG_STEPS, changed);
  if (proc) return proc.lines.filter((l) => l.at <= horizon).map((l) => ({ at: startedAt + l.at, text: l.text }));
  // A command line the simulation leaves part way: what it printed, then where it stopped being simulated.
  const un = unsimulatedStep(pod, run, c, spec, startedAt);
  if (un) {
    const at = startedAt + (un.lines.at(-1)?.at ?? 0);
    // A load generator (a loop of the same request) is sent as steady traffic while it runs: say so.
    const loop = which === 'current' && run ? requestLoop(pod, run, c, spec) : undefined;
    const req = loop && loopRequest(loop.program, loop.args);
    if (loop && req) {
      const gap = goDuration(loop.gapMs);
      // A name the network does not resolve (as it routes the loop's requests) fails every time (at once
      // for a name DNS does not know, after the resolver's timeout when no DNS server answers): say so as the tool would.
      const u = parseUrl({ url: req.url });
      const host = u.host;
      const net = sim.services.get('network') as { target?(host: string, port: number, path: string, ns: string, hostHeader: string | undefined, from: Pod): { kind: string; timedOut?: boolean } } | undefined;
      const t = net?.target?.(host, u.port, u.path, pod.metadata.namespace ?? 'default', undefined, pod);
      const fails = t?.kind === 'unresolved' ? `; each fails${t.timedOut ? ' after the resolver times out' : ' at once'}: ${loop.program === 'wget' ? `wget: bad address '${host}'` : `curl: (6) Could not resolve host: ${host}`}` : '';
      const text = `kubeplay: from here on \`${[loop.program, ...loop.args].join(' ')}\` is sent again and again as steady traffic from this pod, each request ${gap} after the last one's answer (kubeplay traffic list shows it)${fails}; what the requests print is not kept`;
      return [...un.lines.map((l) => ({ at: startedAt + l.at, text: l.text })), { at, text }];
    }
    // A load generator's requests (a wget loop) can be sent instead as steady traffic: say how.
    const traffic = /^(?:wget|curl)\b/.test(un.program) && !c.init ? ' (to send steady requests to a Service, run kubeplay traffic set NAME --rps N --host SERVICE)' : '';
    // An init container whose work is not simulated is taken to finish once it is up (planExit): say so.
    const rest = c.init && !c.sidecar ? 'the init container is taken to complete (exit 0) without printing more' : 'the container keeps running and prints nothing more';
    return [...un.lines.map((l) => ({ at: startedAt + l.at, text: l.text })), { at, text: `kubeplay: not simulated from here: ${un.program}; ${rest}${traffic}` }];
  }
  const taken = which === 'last' ? c.last!.portTaken : c.portTaken;
  const nginx = which === 'last' ? c.last!.nginx : c.nginx;
  if (nginx?.error) return configErrorLogs(startedAt, nginx);
  if (taken !== undefined) return bindFailureLogs(c.image, startedAt, pod.metadata.name, taken, nginx).filter((l) => l.at <= endAt);
  // The generic server says it listens on the container's first declared port (8080 without one).
  const port = Number(specOf(pod, c)?.ports?.[0]?.containerPort) || undefined;
  return defaultLogs(c.image, startedAt, pod.metadata.name, port, nginx).map((text) => ({ at: startedAt, text }));
}

/**
 * logRun is the kubelet's validateContainerLogStatus: --previous reads the last terminated run; else
 * the running one, the one that just terminated, or — waiting to restart (CrashLoopBackOff) — the
 * last one that ran; a container that never ran says why it is waiting.
 */
function logRun(pod: Pod, c: ContainerRun, name: string, previous: boolean): 'current' | 'last' {
  const podName = pod.metadata.name;
  if (previous) {
    if (!c.last) throw new ApiError('BadRequest', `previous terminated container "${name}" in pod "${podName}" not found`);
    return 'last';
  }
  if (c.state === 'running' && c.startedAt !== undefined) return 'current';
  if (c.state === 'terminated' && c.term) return 'current';
  if (c.last) return 'last';
  const reason = c.reason ?? 'ContainerCreating';
  const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  throw new ApiError('BadRequest', `container "${name}" in pod "${podName}" is waiting to start: ${why}`);
}
