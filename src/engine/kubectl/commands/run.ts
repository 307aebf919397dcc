import type { KubeObject } from '../../api/types.ts';
import { boolFlag, F, flag, flags, namespace, type Command } from '../context.ts';
import { qualifiedName, dryRunSuffix } from '../output.ts';
import { api, CmdError } from '../services.ts';
import { parseOutput, printObjects } from './get.ts';

/**
 * runPodCommand is `kubectl run NAME --image=IMAGE`: one Pod labelled run=NAME (or --labels), container NAME,
 * optional --port, --env, --restart, and `-- ARGS` (with --command, the command instead of the args).
 */
export const runPodCommand: Command = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  flags: [F.output, F.dryRun, { name: 'image' }, { name: 'port' }, { name: 'env', repeat: true }, { name: 'labels', short: 'l' }, { name: 'restart' }, { name: 'command', bool: true }, { name: 'image-pull-policy' }, { name: 'rm', bool: true }, { name: 'stdin', short: 'i', bool: true }, { name: 'tty', short: 't', bool: true }],
  run(ctx) {
    const name = ctx.args[0];
    if (!name) throw new CmdError(`error: NAME is required for run\nSee 'kubectl run -h' for help and examples`);
    const image = flag(ctx, 'image');
    if (!image) throw new CmdError(`error: required flag(s) "image" not set`);
    const restart = flag(ctx, 'restart') ?? 'Always';
    if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CmdError(`error: invalid restart policy: ${restart}`);
    let labels: Record<string, string> = { run: name };
    const l = flag(ctx, 'labels');
    if (l) labels = Object.fromEntries(l.split(',').map((kv) => kv.split('=', 2) as [string, string]));
    const container: Record<string, unknown> = { image, name };
    const extra = ctx.afterDash ?? ctx.args.slice(1);
    if (extra.length) container[boolFlag(ctx, 'command') ? 'command' : 'args'] = extra;
    const env = flags(ctx, 'env').map((e) => {
      const i = e.indexOf('=');
      return { name: e.slice(0, i), value: e.slice(i + 1) };
    });
    if (env.length) container.env = env;
    if (flag(ctx, 'image-pull-policy')) container.imagePullPolicy = flag(ctx, 'image-pull-policy');
    const port = flag(ctx, 'port');
    if (port) container.ports = [{ containerPort: Number(port) }];
    container.resources = {};
    // -i keeps the container's stdin open for one attach, -t gives it a terminal (kubectl's generator).
    if (boolFlag(ctx, 'stdin')) Object.assign(container, { stdin: true, stdinOnce: true });
    if (boolFlag(ctx, 'tty')) container.tty = true;
    const dry = flag(ctx, 'dry-run');
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: dry === 'client' ? { creationTimestamp: null as unknown as string, labels, name } : { labels, name, namespace: namespace(ctx) },
      spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
      status: {},
    };
    if (dry === 'client' && flag(ctx, 'namespace')) pod.metadata.namespace = flag(ctx, 'namespace');
    const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
    const created = dry === 'client' ? pod : api(ctx.sim).create(pod, { dryRun: dry === 'server' });
    if (fmt.kind) return printObjects([created], fmt, true);
    return `${qualifiedName(created)} created${dryRunSuffix(dry)}\n`;
  },
};
