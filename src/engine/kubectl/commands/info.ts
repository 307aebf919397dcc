import { allKinds, apiVersionOf, serves, verbsOf } from '../../api/kinds.ts';
import { KUBELET_VERSION } from '../../kubelet/node.ts';
import { boolFlag, F, flag, listFlag, type Command } from '../context.ts';
import { API_SERVER } from '../kubeconfig.ts';
import { toJson, toYaml } from '../output.ts';
import { CmdError } from '../services.ts';
import { table } from '../tabwriter.ts';

/**
 * CLIENT_VERSION / SERVER_VERSION are what `kubectl version` reports: the cluster runs the kubelet's
 * version, and the client matches it (kubectl 1.32 bundles kustomize v5.5.0).
 */
export const SERVER_VERSION = KUBELET_VERSION;
export const CLIENT_VERSION = KUBELET_VERSION;
export const KUSTOMIZE_VERSION = 'v5.5.0';
const [MAJOR, MINOR] = KUBELET_VERSION.slice(1).split('.');

export const versionCommand: Command = {
  name: 'version',
  short: 'Print the client and server version information',
  flags: [F.output, { name: 'client', bool: true }],
  run(ctx) {
    const o = flag(ctx, 'output');
    // --client does not ask the server, so there is no server version to print (version.go).
    const client = boolFlag(ctx, 'client');
    const info = {
      clientVersion: { major: MAJOR, minor: MINOR, gitVersion: CLIENT_VERSION, platform: 'js/wasm' },
      kustomizeVersion: KUSTOMIZE_VERSION,
      ...(client ? {} : { serverVersion: { major: MAJOR, minor: MINOR, gitVersion: SERVER_VERSION, platform: 'linux/amd64' } }),
    };
    if (o === 'json') return toJson(info);
    if (o === 'yaml') return toYaml(info);
    if (o) throw new CmdError(`error: --output must be 'yaml' or 'json'`);
    return `Client Version: ${CLIENT_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n${client ? '' : `Server Version: ${SERVER_VERSION}\n`}`;
  },
};

/**
 * apiResourcesCommand lists discovery (kinds.ts and the custom kinds in scope) as `kubectl api-resources`:
 * NAME SHORTNAMES APIVERSION NAMESPACED KIND, and with -o wide the VERBS and CATEGORIES, joined with
 * commas as discovery lists them; sorted by group, then name (apiresources.go's sortableResource).
 */
export const apiResourcesCommand: Command = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server',
  flags: [F.output, { name: 'namespaced' }, { name: 'api-group' }, F.noHeaders, { name: 'verbs', repeat: true }, { name: 'categories', repeat: true }],
  run(ctx) {
    const nsFilter = flag(ctx, 'namespaced');
    const group = flag(ctx, 'api-group');
    // --verbs: only the resources that serve every verb named (the cheat sheet's --verbs=list,get);
    // --categories: only those in every category named.
    const verbs = listFlag(ctx, 'verbs');
    const categories = listFlag(ctx, 'categories');
    const kinds = allKinds().filter(
      (k) =>
        (nsFilter === undefined ? true : String(k.namespaced) === nsFilter) &&
        (group === undefined || k.group === group) &&
        verbs.every((v) => serves(k, v)) &&
        categories.every((c) => (k.categories ?? []).includes(c)),
    );
    const sorted = [...kinds].sort((a, b) => (a.group === b.group ? (a.plural < b.plural ? -1 : 1) : a.group < b.group ? -1 : 1));
    if (flag(ctx, 'output') === 'name') return sorted.map((k) => (k.group ? `${k.plural}.${k.group}` : k.plural) + '\n').join('');
    const wide = flag(ctx, 'output') === 'wide';
    const rows = boolFlag(ctx, 'no-headers') ? [] : [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]];
    for (const k of sorted) {
      const row = [k.plural, k.shortNames.join(','), apiVersionOf(k), String(k.namespaced), k.kind];
      if (wide) row.push(verbsOf(k).join(','), (k.categories ?? []).join(','));
      rows.push(row);
    }
    return table(rows);
  },
};

/** apiVersionsCommand is `kubectl api-versions`: every group/version the server serves, sorted ("v1" for the core group). */
export const apiVersionsCommand: Command = {
  name: 'api-versions',
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  flags: [],
  run() {
    const gv = new Set<string>();
    for (const k of allKinds()) for (const v of k.versions) gv.add(k.group ? `${k.group}/${v}` : v);
    return [...gv].sort().map((x) => `${x}\n`).join('');
  },
};

/**
 * clusterInfoCommand is `kubectl cluster-info`: the control plane's address, then the kube-system Services
 * labelled kubernetes.io/cluster-service=true (the simulated cluster runs none: its DNS is built in).
 */
export const clusterInfoCommand: Command = {
  name: 'cluster-info',
  short: 'Display cluster information',
  flags: [],
  run(ctx) {
    if (ctx.args[0] === 'dump') throw new CmdError("error: kubectl cluster-info dump is not simulated: kubectl get, describe, events and logs show the same objects");
    let out = `Kubernetes control plane is running at ${API_SERVER}\n`;
    for (const svc of ctx.sim.store.list('Service', 'kube-system')) {
      if (svc.metadata.labels?.['kubernetes.io/cluster-service'] !== 'true') continue;
      const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name;
      const port = (svc.spec?.ports ?? [])[0];
      const portName = port?.name ? `:${port.name}` : '';
      out += `${name} is running at ${API_SERVER}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${portName}/proxy\n`;
    }
    return `${out}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`;
  },
};
