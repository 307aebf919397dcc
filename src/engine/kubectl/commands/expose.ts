import type { KubeObject, Service } from '../../api/types.ts';
import { F, flag, namespace, type Command } from '../context.ts';
import { qualifiedName, dryRunSuffix } from '../output.ts';
import { getObject, parseResourceArgs } from '../resources.ts';
import { api, CmdError } from '../services.ts';
import { parseOutput, printObjects } from './get.ts';

/** exposeCommand builds a Service selecting the resource's pods (kubectl expose's generator). */
export const exposeCommand: Command = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  flags: [F.output, F.dryRun, F.filename, F.record, { name: 'port' }, { name: 'target-port' }, { name: 'type' }, { name: 'name' }, { name: 'protocol' }, { name: 'selector' }, { name: 'labels', short: 'l' }, { name: 'cluster-ip' }],
  run(ctx) {
    const refs = parseResourceArgs(ctx.args, 'expose');
    if (!refs.length || !refs[0].names.length) throw new CmdError(`error: You must provide one or more resources by argument or filename.`);
    const ref = refs[0];
    const ns = namespace(ctx);
    const obj: KubeObject = getObject(ctx.sim, ref.info, ns, ref.names[0]);
    let selector: Record<string, string> | undefined;
    let template = obj.spec?.template;
    if (obj.kind === 'Pod') {
      selector = obj.metadata.labels;
      template = { spec: obj.spec };
    } else if (obj.kind === 'Service' || obj.kind === 'ReplicationController') selector = obj.spec?.selector;
    else if (obj.spec?.selector?.matchExpressions?.length) {
      throw new CmdError(`error: couldn't convert expressions - "${JSON.stringify(obj.spec.selector.matchExpressions)}" to map-based selector format`);
    } else if (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet') selector = obj.spec?.selector?.matchLabels;
    else throw new CmdError(`error: cannot expose a ${obj.kind}`);
    const sel = flag(ctx, 'selector');
    if (sel) selector = parseLabels(sel);
    if (!selector || !Object.keys(selector).length) throw new CmdError(`error: couldn't retrieve selectors via --selector flag or introspection: the ${obj.kind.toLowerCase()} has no labels`);
    let port = flag(ctx, 'port');
    const containerPorts: { containerPort: number; protocol?: string; name?: string }[] = (template?.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []);
    if (port === undefined && obj.kind === 'Service') port = String(obj.spec.ports?.[0]?.port ?? '');
    const ports = port
      ? port.split(',').map((p, i) => ({ name: port!.includes(',') ? `port-${i + 1}` : undefined, port: Number(p) }))
      : containerPorts.map((p, i) => ({ name: containerPorts.length > 1 ? p.name ?? `port-${i + 1}` : undefined, port: p.containerPort }));
    if (!ports.length) throw new CmdError(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`);
    const targetPort = flag(ctx, 'target-port');
    const protocol = flag(ctx, 'protocol') ?? 'TCP';
    const type = flag(ctx, 'type');
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: flag(ctx, 'name') ?? obj.metadata.name, namespace: ns, labels: obj.metadata.labels ? { ...obj.metadata.labels } : undefined },
      spec: {
        ports: ports.map((p) => {
          const sp: any = { port: p.port, protocol };
          if (p.name) sp.name = p.name;
          sp.targetPort = targetPort !== undefined ? (/^\d+$/.test(targetPort) ? Number(targetPort) : targetPort) : p.port;
          return sp;
        }),
        selector: { ...selector },
      },
    };
    if (!svc.metadata.labels) delete svc.metadata.labels;
    // Sent as typed (expose.go): the API server refuses "Nodeport" with its list of supported values.
    if (type) svc.spec.type = type as Service['spec']['type'];
    const clusterIP = flag(ctx, 'cluster-ip');
    if (clusterIP) svc.spec.clusterIP = clusterIP;
    const dry = flag(ctx, 'dry-run');
    const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
    const created = dry === 'client' ? svc : api(ctx.sim).create(svc, { dryRun: dry === 'server' });
    if (fmt.kind) return printObjects([created], fmt, true);
    return `${qualifiedName(created)} exposed${dryRunSuffix(dry)}\n`;
  },
};

/** parseLabels is expose's: "k=v,k2=v2", each pair exactly one "=" and a key (no set-based selectors). */
function parseLabels(spec: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2) throw new CmdError(`error: unexpected label spec: ${pair}`);
    if (!kv[0]) throw new CmdError('error: unexpected empty label key');
    labels[kv[0]] = kv[1];
  }
  return labels;
}
