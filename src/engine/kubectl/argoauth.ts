/**
 * argoauth: `--as` / `--as-group` for the `kubectl argo rollouts` plugin. The plugin builds its clients
 * from the same kubeconfig flags as kubectl (cli-runtime's ConfigFlags, so it accepts --as), and every
 * request it makes is authorized as the impersonated user. argoRequests lists those requests, in the
 * order the plugin's code makes them (pkg/kubectl-argo-rollouts/cmd/…); the first one RBAC denies is the
 * API server's Forbidden, which the plugin prints as cobra does: `Error: <message>`.
 *
 * `get rollout` and `status` read through the plugin's view controller, whose informers list rollouts,
 * replicasets, pods, experiments and analysis runs in the namespace; Kubeplay checks those lists up front
 * (a real informer that may not list would log the Forbidden and keep retrying instead of returning).
 */
import type { Sim } from '../sim.ts';
import { authorize, forbidden, type Attributes, type UserInfo } from '../rbac/authorizer.ts';
import { userFromFlags } from './auth.ts';
import { CmdError } from './services.ts';
import { FlagError, parseFlags } from './tokenize.ts';
import { FLAGS as ARGO_FLAGS } from '../controllers/rollout/commands.ts';
import { contextNamespace } from './kubeconfig.ts';

/**
 * splitImpersonation takes --as, --as-group and --as-uid (as `--as jane` or `--as=jane`, before any `--`)
 * out of the plugin's words: the flags, and the words left for the plugin.
 */
export function splitImpersonation(words: readonly string[]): { flags: Map<string, string[]>; rest: string[] } {
  const flags = new Map<string, string[]>();
  const rest: string[] = [];
  let dash = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (dash || w === '--') {
      dash = true;
      rest.push(w);
      continue;
    }
    const m = /^--(as|as-group|as-uid)(?:=(.*))?$/s.exec(w);
    if (!m) {
      rest.push(w);
      continue;
    }
    const value = m[2] ?? words[++i] ?? '';
    flags.set(m[1], [...(flags.get(m[1]) ?? []), value]);
  }
  return { flags, rest };
}

type Request = Omit<Attributes, 'user'>;

const ROLLOUTS = { apiGroup: 'argoproj.io', resource: 'rollouts' };

/**
 * argoRequests lists the API requests `kubectl argo rollouts <words>` makes (words after "rollouts",
 * impersonation flags removed), or none when the words do not parse (the plugin reports that itself).
 *  - promote: get, then the status patch (pause conditions / step index, or promoteFull), then the spec
 *    patch (spec.paused) when getPatches makes them (promote.go);
 *  - abort, retry rollout: a patch of the status subresource, per name (abort.go, retry.go);
 *  - pause: a patch, per name (pause.go); restart: get then patch (restart.go);
 *  - undo: get, list replicasets, patch (undo.go); set image: get then update (set_image.go);
 *  - list rollouts: a list; get rollout, status: the view controller's informers' lists.
 */
export function argoRequests(sim: Sim, words: readonly string[]): Request[] {
  let parsed;
  try {
    parsed = parseFlags([...words], ARGO_FLAGS);
  } catch (e) {
    if (e instanceof FlagError) return [];
    throw e;
  }
  const ns = parsed.flags.get('namespace')?.[0] || contextNamespace(sim);
  const [cmd, ...args] = parsed.args;
  const ro = (verb: string, name?: string, subresource?: string): Request => ({ verb, ...ROLLOUTS, ...(subresource ? { subresource } : {}), namespace: ns, ...(name ? { name } : {}) });
  const list = (apiGroup: string, resource: string): Request => ({ verb: 'list', apiGroup, resource, namespace: ns });
  const out: Request[] = [];
  switch (cmd) {
    case 'list':
      out.push({ verb: 'list', ...ROLLOUTS, namespace: parsed.flags.has('all-namespaces') ? '' : ns });
      break;
    case 'get':
    case 'status':
      if ((cmd === 'get' ? args.length === 2 : args.length === 1) && (cmd === 'status' || ['rollout', 'rollouts', 'ro'].includes(args[0]))) {
        out.push(list('argoproj.io', 'rollouts'), list('apps', 'replicasets'), list('', 'pods'), list('argoproj.io', 'experiments'), list('argoproj.io', 'analysisruns'));
      }
      break;
    case 'promote': {
      if (args.length !== 1) break;
      out.push(ro('get', args[0]));
      const live = sim.store.get('Rollout', ns, args[0]);
      if (!live) break;
      const full = parsed.flags.has('full');
      const skip = parsed.flags.has('skip-current-step') || parsed.flags.has('skip-all-steps');
      const st = live.status ?? {};
      const steps = (live.spec?.strategy?.canary?.steps as unknown[] | undefined) ?? [];
      // getPatches: which of the status and spec patches this promote sends.
      const statusPatch = skip || (full ? st.currentPodHash !== st.stableRS : (st.pauseConditions?.length ?? 0) > 0 || (!!live.spec?.strategy?.canary && steps.length > 0));
      const specPatch = !skip && !full && live.spec?.paused === true;
      if (statusPatch) out.push(ro('patch', args[0], 'status'));
      if (specPatch) out.push(ro('patch', args[0]));
      break;
    }
    case 'abort':
      for (const n of args) out.push(ro('patch', n, 'status'));
      break;
    case 'retry':
      if (['rollout', 'rollouts', 'ro'].includes(args[0] ?? '')) for (const n of args.slice(1)) out.push(ro('patch', n, 'status'));
      break;
    case 'pause':
      for (const n of args) out.push(ro('patch', n));
      break;
    case 'restart':
      if (args.length === 1) out.push(ro('get', args[0]), ro('patch', args[0]));
      break;
    case 'undo':
      if (args.length === 1) out.push(ro('get', args[0]), list('apps', 'replicasets'), ro('patch', args[0]));
      break;
    case 'set':
      if (args[0] === 'image' && args.length === 3) out.push(ro('get', args[1]), ro('update', args[1]));
      break;
  }
  return out;
}

/**
 * authorizeArgo impersonates the user of the words' --as flags and checks the plugin's requests: the
 * words for the plugin (impersonation taken out), or the plugin's error when a request is denied or the
 * flags are wrong. Without --as (kubectl is the cluster admin) nothing is checked.
 */
export function authorizeArgo(sim: Sim, words: readonly string[]): { rest: string[] } | { exit: number; out: string } {
  const { flags, rest } = splitImpersonation(words);
  let user: UserInfo | undefined;
  try {
    user = userFromFlags(flags);
  } catch (e) {
    if (e instanceof CmdError) return { exit: 1, out: `${e.message.replace(/^error: /, 'Error: ')}\n` };
    throw e;
  }
  if (!user) return { rest };
  for (const r of argoRequests(sim, rest)) {
    const a = { ...r, user };
    const d = authorize(sim, a);
    if (!d.allowed) return { exit: 1, out: `Error: ${forbidden(a, d.reason).message}\n` };
  }
  return { rest };
}
