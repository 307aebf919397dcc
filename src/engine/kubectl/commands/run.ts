import type { KubeObject } from '../../api/types.ts';
import { isEnvVarName } from '../../api/names.ts';
import { boolFlag, F, flag, flags, namespace, type Command } from '../context.ts';
import { qualifiedName, dryRunSuffix } from '../output.ts';
import { api, CmdError } from '../services.ts';
import { parseOutput, printObjects } from './get.ts';
import { BadJson, goJsonError, patchObject, type PatchType } from './patch.ts';

/**
 * runPodCommand is `kubectl run NAME --image=IMAGE`: one Pod labelled run=NAME (or --labels), container NAME,
 * optional --port, --env, --restart, and `-- ARGS` (with --command, the command instead of the args).
 */
export const runPodCommand: Command = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  flags: [F.output, F.dryRun, F.record, { name: 'overrides' }, { name: 'override-type' }, { name: 'image' }, { name: 'port' }, { name: 'env', repeat: true }, { name: 'labels', short: 'l' }, { name: 'restart' }, { name: 'command', bool: true }, { name: 'image-pull-policy' }, { name: 'rm', bool: true }, { name: 'stdin', short: 'i', bool: true }, { name: 'tty', short: 't', bool: true }, { name: 'attach', bool: true }, { name: 'expose', bool: true }],
  run(ctx) {
    const name = ctx.args[0];
    if (!name) throw new CmdError(`error: NAME is required for run\nSee 'kubectl run -h' for help and examples`);
    const image = flag(ctx, 'image');
    if (!image) throw new CmdError(`error: required flag(s) "image" not set`);
    // RunOptions.Run's checks, in its order. -i attaches unless --attach says otherwise.
    const usage = (msg: string) => new CmdError(`error: ${msg}\nSee 'kubectl run -h' for help and examples`);
    const interactive = boolFlag(ctx, 'stdin');
    if (boolFlag(ctx, 'tty') && !interactive) throw usage('-i/--stdin is required for containers with -t/--tty=true');
    // getRestartPolicy: an interactive pod defaults to OnFailure.
    const restart = flag(ctx, 'restart') ?? (interactive ? 'OnFailure' : 'Always');
    if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw usage(`invalid restart policy: ${restart}`);
    const attach = flag(ctx, 'attach') !== undefined ? boolFlag(ctx, 'attach') : interactive;
    const remove = boolFlag(ctx, 'rm');
    if (!attach && remove) throw usage('--rm should only be used for attached containers');
    const dry = flag(ctx, 'dry-run');
    if (attach && dry !== undefined && dry !== 'none') throw usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    const expose = boolFlag(ctx, 'expose');
    if (expose && !flag(ctx, 'port')) throw usage('--port must be set when exposing a service');
    let labels: Record<string, string> = { run: name };
    const l = flag(ctx, 'labels');
    if (l !== undefined) {
      // generate.ParseLabels: key=value pairs, comma separated.
      labels = {};
      for (const kv of l.split(',')) {
        const i = kv.indexOf('=');
        if (i <= 0) throw new CmdError(`error: invalid label spec: ${kv}`);
        labels[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    const container: Record<string, unknown> = { image, name };
    const extra = ctx.afterDash ?? ctx.args.slice(1);
    if (extra.length) container[boolFlag(ctx, 'command') ? 'command' : 'args'] = extra;
    // parseEnvs: NAME=VALUE, NAME a valid environment variable name.
    const env = flags(ctx, 'env').map((e) => {
      const i = e.indexOf('=');
      if (i <= 0 || isEnvVarName(e.slice(0, i)).length) throw new CmdError(`error: invalid env: ${e}`);
      return { name: e.slice(0, i), value: e.slice(i + 1) };
    });
    if (env.length) container.env = env;
    if (flag(ctx, 'image-pull-policy')) container.imagePullPolicy = flag(ctx, 'image-pull-policy');
    const port = flag(ctx, 'port');
    if (port) container.ports = [{ containerPort: Number(port) }];
    container.resources = {};
    // -i keeps the container's stdin open for one attach, -t gives it a terminal (kubectl's generator).
    if (interactive) Object.assign(container, { stdin: true, stdinOnce: true });
    if (boolFlag(ctx, 'tty')) container.tty = true;
    let pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: dry === 'client' ? { creationTimestamp: null as unknown as string, labels, name } : { labels, name, namespace: namespace(ctx) },
      spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
      status: {},
    };
    if (dry === 'client' && flag(ctx, 'namespace')) pod.metadata.namespace = flag(ctx, 'namespace');
    // --overrides: an inline JSON patch of the generated pod (Overrider.Apply), a JSON merge patch unless --override-type says otherwise.
    const overrides = flag(ctx, 'overrides');
    if (overrides) {
      const type = flag(ctx, 'override-type') ?? 'merge';
      if (type !== 'merge' && type !== 'strategic' && type !== 'json') throw new CmdError(`error: invalid override type: ${type}`);
      let patch: unknown;
      try {
        patch = JSON.parse(overrides);
      } catch (e) {
        patch = new BadJson(goJsonError(overrides, e));
      }
      pod = patchObject(pod, patch, type as PatchType, 'client');
    }
    const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
    // --expose: a ClusterIP Service of the pod's name and labels on --port, created first (generateService).
    let exposed = '';
    if (expose) {
      const port = Number(flag(ctx, 'port'));
      const svc: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: namespace(ctx), labels: { ...(pod.metadata.labels ?? {}) } },
        spec: { ports: [{ port, protocol: 'TCP', targetPort: port }], selector: { ...(pod.metadata.labels ?? {}) } },
      };
      const made = dry === 'client' ? svc : api(ctx.sim).create(svc, { dryRun: dry === 'server' });
      exposed = fmt.kind ? printObjects([made], fmt, true) : `${qualifiedName(made)} created${dryRunSuffix(dry)}\n`;
    }
    // The server's warnings for the pod (podwarnings.ts: --overrides can set anything) come as its create returns.
    let warned = '';
    const created = dry === 'client' ? pod : api(ctx.sim).create(pod, { dryRun: dry === 'server', warn: (w) => (warned += `Warning: ${w}\n`) });
    if (fmt.kind) return exposed + warned + printObjects([created], fmt, true);
    const done = `${exposed}${warned}${qualifiedName(created)} created${dryRunSuffix(dry)}\n`;
    if (!attach) return done;
    // kubectl would attach this terminal to the container; the simulated one cannot, so it says how to see it instead.
    return `${done}kubeplay: the terminal does not attach to containers: see what ${name} prints with kubectl logs ${name}, or run a command in it with kubectl exec ${name} -- sh -c '…'${remove ? `; --rm: delete it with kubectl delete pod ${name}` : ''}\n`;
  },
};
