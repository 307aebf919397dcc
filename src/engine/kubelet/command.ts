import type { Container, Pod } from '../api/types.ts';
import { expand, type EnvPair } from '../network/envvars.ts';
import type { ContainerRun, PodRun } from './runtime.ts';
import { lookupPath } from './volumes.ts';
import { runArgv, type Outcome, type ShellHost } from './shell/run.ts';

/**
 * What a container's process does by itself, from its command line: `sleep 3600` ends after an
 * hour, `echo done` at once, `while true; do date; sleep 5; done` never, printing a line every
 * five seconds. The simulated shell (shell/) runs the command line on the container's virtual
 * time; the kubelet plans the exit from it and `kubectl logs` prints what it printed by now.
 *
 * The command line is the runtime's: `command` replaces the image's ENTRYPOINT and `args` its CMD;
 * `command` without `args` ignores CMD, `args` alone runs after ENTRYPOINT. `$(VAR)` is expanded
 * from the container's environment, `$$(VAR)` is a literal `$(VAR)` (kubelet's expansion).
 * https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
 */

/**
 * IMAGE_DEFAULTS are the ENTRYPOINT and CMD of the official images manifests use bare: the base
 * images start a shell, which reads its script from stdin; a pod has no stdin, so the shell exits
 * 0 at once and a Deployment of `busybox` goes into CrashLoopBackOff, as on a real cluster.
 */
const IMAGE_DEFAULTS: Record<string, { entrypoint?: string[]; cmd: string[] }> = {
  busybox: { cmd: ['sh'] },
  alpine: { cmd: ['/bin/sh'] },
  ubuntu: { cmd: ['/bin/bash'] },
  debian: { cmd: ['bash'] },
  centos: { cmd: ['/bin/bash'] },
  fedora: { cmd: ['/bin/bash'] },
  python: { cmd: ['python3'] },
  node: { entrypoint: ['docker-entrypoint.sh'], cmd: ['node'] },
  perl: { cmd: ['perl', '-de0'] },
};

/** imageRepo is an image reference's last path element without tag or digest: "docker.io/library/busybox:1.36" → "busybox". */
export function imageRepo(image: string): string {
  const noDigest = image.replace(/@.*$/, '');
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.replace(/:.*$/, '');
}

/**
 * commandLine is the argv the runtime starts, or undefined when it depends on an image the
 * simulation does not know (no command given and the image's ENTRYPOINT/CMD are unknown).
 */
export function commandLine(spec: Pick<Container, 'command' | 'args'>, image: string, env: readonly EnvPair[]): string[] | undefined {
  const defaults = IMAGE_DEFAULTS[imageRepo(image)];
  let argv: string[];
  if (spec.command?.length) argv = [...spec.command, ...(spec.args ?? [])];
  else if (!defaults) return undefined;
  else argv = [...(defaults.entrypoint ?? []), ...(spec.args?.length ? spec.args : defaults.cmd)];
  if (!argv.length) return undefined;
  if (!argv.some((a) => a.includes('$'))) return argv;
  const vars = new Map(env);
  return argv.map((a) => expand(a, (n) => vars.get(n)));
}

/** processEnv is the environment the container's process sees (what `kubectl exec … -- env` prints). */
export function processEnv(pod: Pod, c: Pick<ContainerRun, 'env'>): EnvPair[] {
  return [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ['HOSTNAME', pod.spec.hostname ?? pod.metadata.name], ...(c.env ?? []), ['HOME', '/root']];
}

/**
 * containerProcess runs a started container's command line up to horizonMs after its start
 * (Infinity: until it exits or runs on); undefined when the simulation cannot tell what the
 * process does, and the image's behaviour applies.
 */
export function containerProcess(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined, startedAt: number, horizonMs = Infinity, maxSteps?: number): Outcome | undefined {
  if (!spec || (!spec.command?.length && !IMAGE_DEFAULTS[imageRepo(c.image)])) return undefined;
  const env = processEnv(pod, c);
  const argv = commandLine(spec, c.image, env);
  if (!argv) return undefined;
  const host: ShellHost = {
    env,
    stdinOpen: spec.stdin === true,
    startMs: startedAt,
    hostname: pod.spec.hostname ?? pod.metadata.name,
    readFile(path) {
      const f = lookupPath(spec, run?.mounts, c.subPaths, path);
      return f.kind === 'file' ? f.data : f.kind === 'dir' ? null : undefined;
    },
  };
  const out = runArgv(argv, host, { horizonMs, maxSteps });
  return out.kind === 'unknown' ? undefined : out;
}
