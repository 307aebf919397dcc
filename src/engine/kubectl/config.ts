/**
 * config: `kubectl config` over Kubeplay's one-context kubeconfig (kubeconfig.ts): view (with
 * --minify, -o yaml|json|jsonpath), current-context, get-contexts, use-context and
 * `set-context --current --namespace=NS`, whose namespace becomes the default of every command
 * without -n (context.ts namespace()), as kubectl's ToRawKubeConfigLoader().Namespace() does.
 */
import { F, boolFlag, flag, type Command } from './context.ts';
import { jsonpath, JsonPathError } from './jsonpath.ts';
import { API_SERVER, AUTHINFO, CLUSTER_NAME, CONTEXT_NAME, contextNamespace, kubeconfigState } from './kubeconfig.ts';
import { toJson, toYaml } from './output.ts';
import { CmdError, unknownSubcommand } from './services.ts';
import { table } from './tabwriter.ts';
import type { Sim } from '../sim.ts';

/** kubeconfigObject is the kubeconfig as `kubectl config view` shows it (credentials redacted as DATA+OMITTED). */
export function kubeconfigObject(sim: Sim): Record<string, unknown> {
  const ns = (sim.state.kubeconfig as { namespace?: string } | undefined)?.namespace;
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': 'DATA+OMITTED', server: API_SERVER }, name: CLUSTER_NAME }],
    contexts: [{ context: { cluster: CLUSTER_NAME, ...(ns ? { namespace: ns } : {}), user: AUTHINFO }, name: CONTEXT_NAME }],
    'current-context': CONTEXT_NAME,
    kind: 'Config',
    preferences: {},
    users: [{ name: AUTHINFO, user: { 'client-certificate-data': 'DATA+OMITTED', 'client-key-data': 'DATA+OMITTED' } }],
  };
}

function view(sim: Sim, output: string | undefined): string {
  const cfg = kubeconfigObject(sim);
  if (!output || output === 'yaml') return toYaml(cfg);
  if (output === 'json') return toJson(cfg);
  const m = /^jsonpath=(.*)$/s.exec(output);
  if (m) {
    try {
      return jsonpath(m[1], cfg);
    } catch (e) {
      if (e instanceof JsonPathError) throw new CmdError(`error: error parsing jsonpath ${m[1]}, ${e.message}`);
      throw e;
    }
  }
  throw new CmdError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml`);
}

/** setContext is `kubectl config set-context [NAME | --current] [--namespace=NS]`. */
function setContext(sim: Sim, name: string | undefined, current: boolean, namespace: string | undefined): string {
  if (current && name) throw new CmdError(`error: you cannot specify both a context name and --current`);
  if (!current && !name) throw new CmdError(`error: you must specify a non-empty context name or --current`);
  const target = current ? CONTEXT_NAME : name!;
  if (target !== CONTEXT_NAME) throw new CmdError(`error: Kubeplay's kubeconfig has one context, "${CONTEXT_NAME}": use --current or that name`);
  if (namespace !== undefined) kubeconfigState(sim).namespace = namespace;
  return `Context "${target}" modified.\n`;
}

export const configCommand: Command = {
  name: 'config',
  short: 'Modify kubeconfig files (view, current-context, get-contexts, use-context, set-context)',
  flags: [F.output, { name: 'minify', bool: true }, { name: 'raw', bool: true }, { name: 'current', bool: true }, { name: 'flatten', bool: true }, { name: 'cluster' }, { name: 'user' }],
  run(ctx) {
    const [sub, ...rest] = ctx.args;
    switch (sub) {
      case 'view':
        return view(ctx.sim, flag(ctx, 'output'));
      case 'current-context':
        return `${CONTEXT_NAME}\n`;
      case 'get-contexts': {
        const ns = (ctx.sim.state.kubeconfig as { namespace?: string } | undefined)?.namespace ?? '';
        if (rest[0] && rest[0] !== CONTEXT_NAME) throw new CmdError(`error: context ${rest[0]} not found`);
        if (flag(ctx, 'output') === 'name') return `${CONTEXT_NAME}\n`;
        return table([
          ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
          ['*', CONTEXT_NAME, CLUSTER_NAME, AUTHINFO, ns],
        ]);
      }
      case 'use-context':
        if (rest[0] === CONTEXT_NAME) return `Switched to context "${CONTEXT_NAME}".\n`;
        throw new CmdError(`error: no context exists with the name: "${rest[0] ?? ''}"`);
      case 'set-context':
        // --namespace here is the context's field, not the request namespace (kubectl reads it the same way).
        return setContext(ctx.sim, rest[0], boolFlag(ctx, 'current'), ctx.flags.has('namespace') ? (flag(ctx, 'namespace') ?? '') : undefined);
      case undefined:
        throw new CmdError(`error: kubectl config requires a subcommand: view, current-context, get-contexts, use-context, set-context`);
      default:
        throw new CmdError(unknownSubcommand('kubectl config', ctx.args));
    }
  },
};

export { contextNamespace };
