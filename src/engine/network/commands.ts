/**
 * runNetworkCommand handles `kubeplay curl|traffic|nslookup|promql …` (args are the words after
 * "kubeplay"); undefined when the subcommand is not a network one. Output is what the real tools
 * print: curl (8.x wording), nslookup (bind9 dnsutils), promtool-style PromQL text or the Prometheus
 * HTTP API JSON.
 */
import type { Pod } from '../api/types.ts';
import type { Sim, TrafficSpec } from '../sim.ts';
import type { CommandResult } from '../kubectl/index.ts';
import { dnsSilence, formatNslookup, resolve } from './dns.ts';
import { reasonPhrase } from './http.ts';
import type { RequestResult, TrafficSource } from './model.ts';
import type { NetworkModule } from './index.ts';
import { ParseError } from './promql/lexer.ts';
import { apiError, formatText, toApiJson } from './promql/format.ts';
import { parseDuration } from '../clock.ts';
import { DEFAULT_CLIENTS } from './traffic.ts';
import { maxOf } from '../arrays.ts';

const ok = (out: string): CommandResult => ({ exit: 0, out: out && !out.endsWith('\n') ? out + '\n' : out });
const fail = (out: string, exit = 1): CommandResult => ({ exit, out: out.endsWith('\n') ? out : out + '\n' });

/**
 * trafficNotes says why a source's requests cannot be served, when the reason is where they go (a host
 * nothing answers to, a Service without that port or without ready endpoints, no Ingress rule): the
 * status counts alone ("error=575") do not say.
 */
function trafficNotes(n: NetworkModule): string {
  const notes: string[] = [];
  for (const src of n.listTraffic()) {
    const note = sourceNote(n, src);
    if (note) notes.push(note);
  }
  return notes.length ? `\n${notes.join('\n')}` : '';
}

/** sourceNote says why a traffic source's requests reach no pod, or undefined when they can (endpoints: check for ready ones too). */
function sourceNote(n: NetworkModule, src: TrafficSource, endpoints = true): string | undefined {
  const host = src.spec.host ?? '';
  const path = src.spec.path ?? '/';
  const port = src.spec.scheme === 'https' ? 443 : 80;
  const fromPod = src.from && n.sim.store.get<Pod>('Pod', src.from.namespace, src.from.pod);
  const t = n.nodeLocal(n.target(host, port, path, src.from?.namespace ?? 'default', undefined, fromPod), fromPod);
  const name = `traffic "${src.name}"`;
  if (t.kind === 'unresolved' && t.timedOut) return `${name}: could not resolve host "${host}": ${dnsSilence(n.sim, fromPod)}`;
  if (t.kind === 'unresolved') return `${name}: could not resolve host "${host}": no Service of that name in default (traffic reaches a Service by its name, or an Ingress by its rules' host)`;
  if (t.kind === 'unreachable') return `${name}: ${t.why ?? `nothing listens at "${host}"`}`;
  if (t.kind === 'service' && !t.up) return `${name}: Service ${t.service.metadata.name} has no port ${port}`;
  // (Not when the source is set: a Service's pods are often still starting then.)
  if (endpoints && t.kind === 'service' && t.up!.ready.length === 0) return `${name}: Service ${t.service.metadata.name} has no ready endpoints (its selector matches no ready pod)`;
  if (t.kind === 'ingress' && t.route.kind === 'none') {
    // Without --host the requests go to the ingress controller: a Service of the source's name is likely what was meant.
    const hint = !host && n.sim.store.get('Service', 'default', src.name) ? `; to send them to the Service ${src.name}, add --host ${src.name}` : '';
    return `${name}: no Ingress rule matches host "${host || '*'}" and path ${path} (the ingress controller answers 404)${hint}`;
  }
  return undefined;
}

export function runNetworkCommand(sim: Sim, args: string[]): CommandResult | undefined {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'curl':
      return curl(sim, rest);
    case 'traffic':
      return traffic(sim, rest);
    case 'nslookup':
      return nslookup(sim, rest);
    case 'promql':
      return promql(sim, rest);
    default:
      return undefined;
  }
}

function net(sim: Sim): NetworkModule {
  return sim.service<NetworkModule>('network');
}

interface Parsed {
  args: string[];
  flags: Map<string, string[]>;
  bools: Set<string>;
}

/** parseArgs reads flags: valueFlags take a value ("-H v", "--header=v", "-Hv"); boolFlags don't. */
function parseArgs(words: string[], valueFlags: Record<string, string>, boolFlags: Record<string, string>): Parsed | string {
  const out: Parsed = { args: [], flags: new Map(), bools: new Set() };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      out.args.push(...words.slice(i + 1));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      out.args.push(w);
      continue;
    }
    let name = w;
    let value: string | undefined;
    const eq = w.indexOf('=');
    if (w.startsWith('--') && eq > 0) {
      name = w.slice(0, eq);
      value = w.slice(eq + 1);
    } else if (!w.startsWith('--') && w.length > 2 && valueFlags[w.slice(0, 2)]) {
      name = w.slice(0, 2);
      value = w.slice(2);
    } else if (!w.startsWith('--') && w.length > 2 && [...w.slice(1)].every((ch) => boolFlags['-' + ch])) {
      for (const ch of w.slice(1)) out.bools.add(boolFlags['-' + ch]);
      continue;
    }
    if (valueFlags[name]) {
      if (value === undefined) {
        if (i + 1 >= words.length) return `option ${name}: requires parameter`;
        value = words[++i];
      }
      const key = valueFlags[name];
      out.flags.set(key, [...(out.flags.get(key) ?? []), value]);
    } else if (boolFlags[name]) out.bools.add(boolFlags[name]);
    else return `option ${name}: is unknown`;
  }
  return out;
}

const last = (p: Parsed, k: string) => p.flags.get(k)?.at(-1);

/** headerFlags reads -H 'Name: value' flags (one without a name and colon is left out). */
function headerFlags(p: Parsed): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of p.flags.get('header') ?? []) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return headers;
}

/** curlRequest is the request curl's parsed arguments ask for: the URL, -X (else HEAD for -I, POST with -d, GET) and -H. */
function curlRequest(p: Parsed): { url: string; method: string; headers: Record<string, string> } {
  const method = last(p, 'request') ?? (p.bools.has('head') ? 'HEAD' : p.flags.has('data') ? 'POST' : 'GET');
  return { url: p.args[0], method, headers: headerFlags(p) };
}

// ---- curl ----

const CURL_VALUES = {
  '-H': 'header',
  '--header': 'header',
  '-X': 'request',
  '--request': 'request',
  '-b': 'cookie',
  '--cookie': 'cookie',
  '--connect-timeout': 'connect-timeout',
  '-m': 'max-time',
  '--max-time': 'max-time',
  '--from': 'from',
  '-d': 'data',
  '--data': 'data',
};
const CURL_BOOLS = {
  '-i': 'include',
  '--include': 'include',
  '-I': 'head',
  '--head': 'head',
  '-s': 'silent',
  '--silent': 'silent',
  '-S': 'show-error',
  '--show-error': 'show-error',
  '-f': 'fail',
  '--fail': 'fail',
  '-L': 'location',
  '--location': 'location',
  '-k': 'insecure',
  '--insecure': 'insecure',
};

export const CURL_USAGE = `Usage: kubeplay curl [-i] [-I] [-f] [-X METHOD] [-H 'Name: value']... [-b 'name=value'] [--from [NS/]POD] URL
Sends one simulated HTTP request: to a Service name, ClusterIP, NodePort, LoadBalancer IP or pod IP
through kube-proxy, or (any other host) through the ingress-nginx controller.
`;

function curl(sim: Sim, words: string[]): CommandResult {
  const p = parseArgs(words, CURL_VALUES, CURL_BOOLS);
  if (typeof p === 'string') return fail(`curl: ${p}\ncurl: try 'kubeplay curl --help' for more information`, 2);
  if (p.args.length === 0) return fail(`curl: no URL specified\n${CURL_USAGE}`, 2);
  // -s silences curl's error messages too (the exit code stays); -S shows them again.
  const silent = p.bools.has('silent') && !p.bools.has('show-error');
  const failed = (out: string, exit = 1): CommandResult => (silent ? { exit, out: '' } : fail(out, exit));
  const head = p.bools.has('head');
  const { url, method, headers } = curlRequest(p);
  let res: RequestResult;
  try {
    res = net(sim).request({ url, method, headers, cookie: last(p, 'cookie'), from: last(p, 'from') });
  } catch (e) {
    return failed(`curl: ${(e as Error).message}`);
  }
  const timeoutS = Number(last(p, 'connect-timeout') ?? last(p, 'max-time'));
  if (res.error === 'unresolved') return failed(`curl: (6) Could not resolve host: ${res.host}`, 6);
  if (res.error === 'refused') return failed(`curl: (7) Failed to connect to ${res.host} port ${res.port} after 0 ms: Couldn't connect to server`, 7);
  if (res.error === 'timeout') {
    const ms = Number.isFinite(timeoutS) && timeoutS > 0 ? Math.round(timeoutS * 1000) : res.latencyMs;
    return failed(`curl: (28) Failed to connect to ${res.host} port ${res.port} after ${ms} ms: Timeout was reached`, 28);
  }
  if (Number.isFinite(timeoutS) && timeoutS > 0 && res.latencyMs > timeoutS * 1000 && last(p, 'max-time')) {
    return failed(`curl: (28) Operation timed out after ${Math.round(timeoutS * 1000)} milliseconds with 0 bytes received`, 28);
  }
  if (p.bools.has('fail') && res.status >= 400) return failed(`curl: (22) The requested URL returned error: ${res.status}`, 22);
  const fromNginx = res.via === 'ingress' && !res.pod;
  let out = '';
  if (p.bools.has('include') || head) {
    out += `HTTP/1.1 ${res.status} ${reasonPhrase(res.status, fromNginx)}\n`;
    for (const [k, v] of Object.entries(res.headers)) out += `${k}: ${v}\n`;
    out += '\n';
  }
  if (!head) out += res.body;
  return { exit: 0, out };
}

/**
 * inPodTool runs curl, nslookup or busybox's `wget -qO- URL` as a pod would (kubectl exec POD -- …):
 * from that pod, resolving names in its namespace. undefined for a form it does not simulate.
 */
export function inPodTool(sim: Sim, program: string, args: string[], ns: string, pod: string): CommandResult | undefined {
  if (!sim.services.has('network')) return undefined;
  // Options kubeplay curl does not have (-o FILE, -w FORMAT …) are a form the simulation does not run, not curl's error.
  if (program === 'curl') return typeof parseArgs(args, CURL_VALUES, CURL_BOOLS) === 'string' ? undefined : curl(sim, [...args, '--from', `${ns}/${pod}`]);
  if (program === 'nslookup') return args.length === 1 && !args[0].startsWith('-') ? formatNslookup(sim, args[0], ns, sim.store.get<Pod>('Pod', ns, pod)) : undefined;
  if (program === 'wget') return wget(sim, args, ns, pod);
  return undefined;
}

/** WgetArgs: what busybox wget's arguments ask (undefined: options the simulation does not run). */
interface WgetArgs {
  url: string | undefined;
  quiet: boolean;
  stdout: boolean;
  spider: boolean;
}

function wgetArgs(args: string[]): WgetArgs | undefined {
  const w: WgetArgs = { url: undefined, quiet: false, stdout: false, spider: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--spider' || a === '-s') w.spider = true;
    else if (a === '-q' || a === '--quiet') w.quiet = true;
    else if (a === '-T') i++;
    else if (/^--timeout=/.test(a)) continue;
    else if (a === '-O' && args[i + 1] === '-') {
      w.stdout = true;
      i++;
    } else if (/^-[qO-]+$/.test(a) && a.length > 1) {
      if (a.includes('q')) w.quiet = true;
      if (a.endsWith('O-')) w.stdout = true;
      else if (a.includes('O')) return undefined;
    } else if (a.startsWith('-')) return undefined;
    else w.url = a;
  }
  return w;
}

/**
 * loopRequest is the request a load generator's tool call sends (`wget -q -O- http://php-apache`,
 * `curl -s http://web/`), for sending it as steady traffic: undefined for what the simulation does not run.
 */
export function loopRequest(program: string, args: string[]): { url: string; method: string; headers: Record<string, string> } | undefined {
  if (program === 'wget') {
    const w = wgetArgs(args);
    if (!w?.url || (!w.spider && (!w.quiet || !w.stdout))) return undefined;
    return { url: w.url, method: w.spider ? 'HEAD' : 'GET', headers: {} };
  }
  if (program !== 'curl') return undefined;
  const p = parseArgs(args, CURL_VALUES, CURL_BOOLS);
  if (typeof p === 'string' || p.args.length === 0 || p.flags.has('from')) return undefined;
  return curlRequest(p);
}

/** wget is busybox's `wget -q -O - URL` (-qO-, -T SECONDS): the body on stdout, busybox's messages on failure. */
function wget(sim: Sim, args: string[], ns: string, pod: string): CommandResult | undefined {
  const w = wgetArgs(args);
  if (!w) return undefined;
  const { url, quiet, stdout, spider } = w;
  // Without -q busybox prints its progress bar; without -O - it writes a file. Neither is simulated;
  // --spider (the NetworkPolicy docs' `wget --spider --timeout=1 nginx`) only asks and says.
  if (!url || (!spider && (!quiet || !stdout))) return undefined;
  const res = net(sim).request({ url, method: spider ? 'HEAD' : 'GET', headers: {}, from: `${ns}/${pod}` });
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(res.host) ? res.host : (resolve(sim, res.host, ns) as { addresses?: string[] } | undefined)?.addresses?.[0] ?? res.host;
  if (res.error === 'unresolved') return fail(`wget: bad address '${res.host}'`);
  // busybox prints where it connects to (unless -q) before the outcome.
  const port = /^(?:https?:\/\/)?[^/:]+:(\d+)/.exec(url)?.[1] ?? (url.startsWith('https://') ? '443' : '80');
  const connecting = quiet ? '' : `Connecting to ${res.host} (${ip}:${port})\n`;
  if (res.error === 'refused') return fail(`${connecting}wget: can't connect to remote host (${ip}): Connection refused`);
  if (res.error === 'timeout') return fail(`${connecting}wget: download timed out`);
  if (res.status >= 400) return fail(`${connecting}wget: server returned error: HTTP/1.1 ${res.status} ${reasonPhrase(res.status, res.via === 'ingress' && !res.pod)}`);
  if (spider) return { exit: 0, out: quiet ? '' : `${connecting}remote file exists\n` };
  return { exit: 0, out: res.body };
}

// ---- traffic ----

const TRAFFIC_VALUES = {
  '--host': 'host',
  '--path': 'path',
  '--rps': 'rps',
  '-H': 'header',
  '--header': 'header',
  '--cookie': 'cookie',
  '-b': 'cookie',
  '--clients': 'clients',
  '--method': 'method',
  '-X': 'method',
  '--since': 'since',
};

export const TRAFFIC_USAGE = `Usage:
  kubeplay traffic set [NAME] --rps N [--host HOST] [--path /p] [-H 'Name: value']... [--cookie 'k=v'] [--clients N]
  kubeplay traffic stop [NAME]     stop one traffic source, or all
  kubeplay traffic list            the traffic sources
  kubeplay traffic stats [--since 60s]   requests by version and status over the last minute
`;

function traffic(sim: Sim, words: string[]): CommandResult {
  const [verb = 'list', ...rest] = words;
  // --help (anywhere) prints the usage and succeeds, as kubectl's help does.
  if (words.includes('--help') || words.includes('-h') || verb === 'help') return ok(TRAFFIC_USAGE);
  const p = parseArgs(rest, TRAFFIC_VALUES, {});
  if (typeof p === 'string') return fail(`error: ${p}\n${TRAFFIC_USAGE}`);
  const n = net(sim);
  switch (verb) {
    case 'set': {
      const rpsStr = last(p, 'rps');
      if (rpsStr === undefined) return fail(`error: --rps is required\n${TRAFFIC_USAGE}`);
      const headers = headerFlags(p);
      const spec: TrafficSpec = { rps: Number(rpsStr) };
      const host = last(p, 'host');
      if (host) spec.host = host;
      const path = last(p, 'path');
      if (path) spec.path = path;
      if (Object.keys(headers).length) spec.headers = headers;
      const cookie = last(p, 'cookie');
      if (cookie) spec.cookie = cookie;
      const clients = last(p, 'clients');
      if (clients !== undefined) spec.clients = Number(clients);
      const method = last(p, 'method');
      if (method) spec.method = method;
      try {
        const src = n.setTraffic(spec, p.args[0]);
        // Say at once when its requests will reach no pod (a missing --host sends them to the ingress controller).
        const note = sourceNote(n, src, false);
        return ok(`traffic "${src.name}" set: ${spec.rps} rps to ${spec.host ?? '*'}${spec.path ?? '/'}${note ? `\nnote: ${note}` : ''}`);
      } catch (e) {
        return fail(`error: ${(e as Error).message}`);
      }
    }
    case 'stop': {
      const gone = n.stopTraffic(p.args[0]);
      if (p.args[0] && gone.length === 0) return fail(`error: traffic "${p.args[0]}" not found`);
      return ok(gone.map((g) => `traffic "${g}" stopped`).join('\n') || 'No traffic sources.');
    }
    case 'list':
    case 'get': {
      const list = n.listTraffic();
      if (list.length === 0) return ok('No traffic sources.');
      const rows = [['NAME', 'HOST', 'PATH', 'RPS', 'CLIENTS', 'HEADERS']];
      for (const s of list) {
        const h = Object.entries(s.spec.headers ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        // A pod's loop has the rate its answers allow (1000 / (gap + latency)): two decimals are plenty.
        rows.push([s.name, s.spec.host ?? '*', s.spec.path ?? '/', String(Math.round(s.spec.rps * 100) / 100), String(s.spec.clients ?? DEFAULT_CLIENTS), h || '<none>']);
      }
      return ok(columns(rows));
    }
    case 'stats': {
      const since = parseDuration(last(p, 'since') ?? '60s');
      if (since === undefined) return fail(`error: invalid --since duration "${last(p, 'since')}"`);
      const s = n.trafficSummary(sim.now() - since);
      if (s.total === 0) return ok('No requests.');
      const rows = [['VERSION', 'REQUESTS', 'ERRORS', 'SHARE']];
      const served = s.versions.reduce((a, v) => a + v.count, 0);
      for (const v of [...s.versions].sort((a, b) => (a.version < b.version ? -1 : 1))) {
        rows.push([v.version, String(v.count), String(v.errors), served ? `${((100 * v.count) / served).toFixed(1)}%` : '-']);
      }
      const codes = Object.keys(s.statuses)
        .sort()
        .map((k) => `${k}=${s.statuses[k]}`)
        .join(' ');
      return ok(`${columns(rows)}\nrequests: ${s.total}  errors: ${s.errors}  statuses: ${codes}${s.errors ? trafficNotes(n) : ''}`);
    }
    default:
      return fail(`error: unknown traffic command "${verb}"\n${TRAFFIC_USAGE}`);
  }
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => maxOf(rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('')).join('\n');
}

// ---- nslookup ----

function nslookup(sim: Sim, words: string[]): CommandResult {
  const p = parseArgs(words, { '-n': 'namespace', '--namespace': 'namespace' }, {});
  if (typeof p === 'string') return fail(`nslookup: ${p}`);
  if (p.args.length === 0) return fail('Usage: kubeplay nslookup NAME [-n NAMESPACE]   resolve NAME as a pod in NAMESPACE would');
  const r = formatNslookup(sim, p.args[0], last(p, 'namespace') ?? 'default');
  return { exit: r.exit, out: r.out };
}

// ---- promql ----

function promql(sim: Sim, words: string[]): CommandResult {
  const p = parseArgs(words, { '-o': 'output', '--output': 'output', '--time': 'time' }, {});
  if (typeof p === 'string') return fail(`error: ${p}`);
  const expr = p.args.join(' ');
  if (!expr.trim()) return fail(`Usage: kubeplay promql 'QUERY' [-o json] [--time 90s]`);
  const output = last(p, 'output');
  if (output !== undefined && output !== 'json') return fail(`error: unknown output format "${output}" (only json)`);
  let at = sim.now();
  const tStr = last(p, 'time');
  if (tStr !== undefined) {
    const ms = parseDuration(tStr);
    if (ms === undefined) return fail(`error: invalid --time "${tStr}" (a simulated time such as 90s)`);
    at = ms;
  }
  try {
    const v = net(sim).query(expr, at);
    if (output === 'json') return ok(JSON.stringify(toApiJson(v, at)));
    return ok(formatText(v, at));
  } catch (e) {
    const msg = (e as Error).message;
    if (output === 'json') return { exit: 1, out: JSON.stringify(apiError(e instanceof ParseError ? 'bad_data' : 'execution', msg)) + '\n' };
    return fail(`Error: ${msg}`);
  }
}
