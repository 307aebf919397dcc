/**
 * createservice: `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`, as kubectl's
 * create_service.go builds them: labels and selector app=NAME, one TCP port per --tcp pair named
 * "<port>-<targetPort>", --node-port on every port, --clusterip (None: headless), --external-name.
 */
import type { KubeObject } from '../api/types.ts';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../api/names.ts';
import { F, flag, listFlag, namespace, type Command, type Ctx } from './context.ts';
import { finish } from './commands/create.ts';
import { CmdError } from './services.ts';

type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** parsePorts is create_service.go's parsePorts: "port[:targetPort]", the target a number or a port name. */
function parsePorts(pair: string): { port: number; targetPort: number | string } {
  const [p, target] = pair.split(':');
  if (!/^\d+$/.test(p) || Number(p) > 65535) throw new CmdError(`error: strconv.ParseUint: parsing "${p}": ${/^\d+$/.test(p) ? 'value out of range' : 'invalid syntax'}`);
  const port = Number(p);
  if (target === undefined) return { port, targetPort: port };
  if (/^-?\d+$/.test(target)) {
    const errs = isValidPortNum(Number(target));
    if (errs.length) throw new CmdError(`error: ${errs.join(',')}`);
    return { port, targetPort: Number(target) };
  }
  const errs = isValidPortName(target);
  if (errs.length) throw new CmdError(`error: ${errs.join(',')}`);
  return { port, targetPort: target };
}

function serviceCommand(sub: string, type: ServiceType, extra: { name: string }[]): Command {
  return {
    name: `create service ${sub}`,
    aliases: [`create svc ${sub}`],
    short: `Create a${type === 'ExternalName' ? 'n' : ''} ${type} service`,
    flags: [F.output, F.dryRun, { name: 'tcp', repeat: true }, ...extra],
    run(ctx: Ctx) {
      if (ctx.args.length !== 1) throw new CmdError(`error: exactly one NAME is required, got ${ctx.args.length}\nSee 'kubectl create service ${sub} -h' for help and examples`);
      const name = ctx.args[0];
      const tcp = listFlag(ctx, 'tcp');
      const clusterIP = flag(ctx, 'clusterip') ?? '';
      const externalName = flag(ctx, 'external-name');
      if (type === 'ExternalName' && externalName === undefined) throw new CmdError('error: required flag(s) "external-name" not set');
      // ServiceOptions.Validate
      if (clusterIP === 'None' && type !== 'ClusterIP') throw new CmdError('error: ClusterIP=None can only be used with ClusterIP service type');
      if (clusterIP !== 'None' && tcp.length === 0 && type !== 'ExternalName') throw new CmdError('error: at least one tcp port specifier must be provided');
      if (type === 'ExternalName' && isDNS1123Subdomain(externalName ?? '').length) throw new CmdError(`error: invalid service external name ${externalName}`);
      const nodePort = Number(flag(ctx, 'node-port') ?? '0');
      if (!Number.isInteger(nodePort)) throw new CmdError(`error: invalid argument "${flag(ctx, 'node-port')}" for "--node-port" flag: strconv.ParseInt: parsing "${flag(ctx, 'node-port')}": invalid syntax`);
      const ports = tcp.map((pair) => {
        const { port, targetPort } = parsePorts(pair);
        return { name: pair.replaceAll(':', '-'), port, protocol: 'TCP', targetPort, ...(nodePort ? { nodePort } : {}) };
      });
      const svc: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: namespace(ctx), labels: { app: name } },
        spec: { ...(ports.length ? { ports } : {}), selector: { app: name }, type, ...(externalName ? { externalName } : {}), ...(clusterIP ? { clusterIP } : {}) },
        status: { loadBalancer: {} },
      };
      // ServiceOptions.Run wraps what the server said.
      return finish(ctx, svc, `${type} service`);
    },
  };
}

/** createServiceCommand is `kubectl create service` without a type: its subcommands, or an unknown one. */
const createServiceCommand: Command = {
  name: 'create service',
  aliases: ['create svc'],
  short: 'Create a service using a specified subcommand',
  flags: [],
  run(ctx: Ctx) {
    if (ctx.args.length) throw new CmdError(`error: unknown command "${ctx.args[0]}"\nSee 'kubectl create service -h' for help and examples`);
    throw new CmdError(
      'Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]',
    );
  },
};

export const SERVICE_CREATE_COMMANDS: Command[] = [
  createServiceCommand,
  serviceCommand('clusterip', 'ClusterIP', [{ name: 'clusterip' }]),
  serviceCommand('nodeport', 'NodePort', [{ name: 'node-port' }]),
  serviceCommand('loadbalancer', 'LoadBalancer', []),
  serviceCommand('externalname', 'ExternalName', [{ name: 'external-name' }]),
];
