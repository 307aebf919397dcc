/**
 * Validation of networking.k8s.io objects as pkg/apis/networking/validation has it: an Ingress's rules,
 * paths and backends (ValidateIngressSpec, validateHTTPIngressPath, validateIngressBackend) and a
 * NetworkPolicy's selectors, ports and peers (ValidateNetworkPolicySpec). Upstream's field paths and
 * wording; every value is guarded (manifests come from strangers).
 */
import type { KubeObject } from './types.ts';
import { isDNS1035Label, isDNS1123Subdomain, isIPv4, isValidPortName, isValidPortNum, regexError } from './names.ts';
import { forbidden, inval, isInt, isObj, notSupported, required, validateLabelSelector, type Errs } from './validation.ts';
import { GoValue } from './errors.ts';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
/** invalidPathSequences and invalidPathSuffixes: what an Exact or Prefix path may not contain or end with. */
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

const WILDCARD_DNS1123_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_DNS1123_RE = new RegExp(`^${WILDCARD_DNS1123_FMT}$`);

/** isWildcardDNS1123Subdomain is validation.IsWildcardDNS1123Subdomain: "*." then a DNS subdomain. */
function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!WILDCARD_DNS1123_RE.test(v)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_DNS1123_FMT,
        '*.example.com',
      ),
    );
  }
  return errs;
}

/** validateHost: a rule's or a TLS entry's host, a DNS name (a leading "*." allowed), never an IP address. */
function validateHost(host: unknown, p: string, errs: Errs): void {
  if (typeof host !== 'string') return void errs.push(inval(p, host, 'must be a string'));
  if (isIPv4(host) || host.includes(':')) errs.push(inval(p, host, 'must be a DNS name, not an IP address'));
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  for (const m of msgs) errs.push(inval(p, host, m));
}

/** validateIngressBackend: exactly one of a Service (a name and a port name or number) or a resource. */
function validateIngressBackend(b: unknown, p: string, errs: Errs): void {
  if (!isObj(b)) return void errs.push(inval(p, '', 'resource or service backend is required'));
  const svc = b.service;
  const res = b.resource;
  if (isObj(svc) && isObj(res)) return void errs.push(inval(p, '', 'cannot set both resource and service backends'));
  if (isObj(res)) {
    if (typeof res.kind !== 'string' || res.kind === '') errs.push(required(`${p}.resource.kind`));
    if (typeof res.name !== 'string' || res.name === '') errs.push(required(`${p}.resource.name`));
    return;
  }
  if (!isObj(svc)) return void errs.push(inval(p, '', 'resource or service backend is required'));
  if (typeof svc.name !== 'string' || svc.name === '') errs.push(required(`${p}.service.name`));
  else for (const m of isDNS1035Label(svc.name)) errs.push(inval(`${p}.service.name`, svc.name, m));
  const port = isObj(svc.port) ? svc.port : {};
  const hasName = typeof port.name === 'string' && port.name !== '';
  const hasNumber = port.number !== undefined && port.number !== null && port.number !== 0;
  if (hasName && hasNumber) errs.push(inval(`${p}.service.port`, '', 'cannot set both port name & port number'));
  else if (hasName) for (const m of isValidPortName(port.name)) errs.push(inval(`${p}.service.port.name`, port.name, m));
  else if (hasNumber) {
    if (!isInt(port.number)) errs.push(inval(`${p}.service.port.number`, port.number, 'must be an integer'));
    else for (const m of isValidPortNum(port.number)) errs.push(inval(`${p}.service.port.number`, port.number, m));
  } else errs.push(required(`${p}.service.port`, 'port name or number is required'));
}

/** validateHTTPIngressPath: a pathType, an absolute path (no "//", "/./" … in an Exact or Prefix one), a backend. */
function validateHTTPIngressPath(path: unknown, p: string, errs: Errs): void {
  const ip = isObj(path) ? path : {};
  if (ip.pathType === undefined || ip.pathType === null) return void errs.push(required(`${p}.pathType`, 'pathType must be specified'));
  const value = typeof ip.path === 'string' ? ip.path : '';
  switch (ip.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(inval(`${p}.path`, value, 'must be an absolute path'));
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(inval(`${p}.path`, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(inval(`${p}.path`, value, `cannot end with '${suffix}'`));
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/')) errs.push(inval(`${p}.path`, value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(`${p}.pathType`, ip.pathType, PATH_TYPES));
  }
  validateIngressBackend(ip.backend, `${p}.backend`, errs);
}

/** validateIngress is ValidateIngressCreate's spec part: rules (hosts, HTTP paths), the default backend, TLS hosts. */
export function validateIngress(ing: KubeObject): Errs {
  const errs: Errs = [];
  // spec is a struct, not a pointer: left out, it is an empty one (judged as such below).
  const spec = ing.spec ?? {};
  if (!isObj(spec)) return [required('spec')];
  const rules = spec.rules;
  if (rules !== undefined && rules !== null && !Array.isArray(rules)) return [inval('spec.rules', rules, 'must be a list')];
  if ((!Array.isArray(rules) || rules.length === 0) && !isObj(spec.defaultBackend)) {
    errs.push(inval('spec', new GoValue(Array.isArray(rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
  (Array.isArray(rules) ? rules : []).forEach((rule: unknown, i: number) => {
    const p = `spec.rules[${i}]`;
    const r = isObj(rule) ? rule : {};
    if (r.host !== undefined && r.host !== '') validateHost(r.host, `${p}.host`, errs);
    if (r.http === undefined || r.http === null) return;
    const paths = isObj(r.http) ? r.http.paths : undefined;
    if (!Array.isArray(paths) || paths.length === 0) return void errs.push(required(`${p}.http.paths`));
    paths.forEach((path: unknown, j: number) => validateHTTPIngressPath(path, `${p}.http.paths[${j}]`, errs));
  });
  const tls = spec.tls;
  if (Array.isArray(tls)) {
    tls.forEach((t: unknown, i: number) => {
      const hosts = isObj(t) && Array.isArray(t.hosts) ? t.hosts : [];
      hosts.forEach((h: unknown, j: number) => validateHost(h, `spec.tls[${i}].hosts[${j}]`, errs));
    });
  }
  return errs;
}

/** validateNetworkPolicyPort: a protocol, a port number or name, an endPort at or above a numeric port. */
function validateNetworkPolicyPort(port: unknown, p: string, errs: Errs): void {
  const np = isObj(port) ? port : {};
  if (np.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(np.protocol)) errs.push(notSupported(`${p}.protocol`, np.protocol, ['SCTP', 'TCP', 'UDP']));
  if (np.port !== undefined && np.port !== null) {
    if (typeof np.port === 'number') for (const m of isValidPortNum(np.port)) errs.push(inval(`${p}.port`, np.port, m));
    else for (const m of isValidPortName(String(np.port))) errs.push(inval(`${p}.port`, np.port, m));
  }
  if (np.endPort !== undefined && np.endPort !== null) {
    if (np.port === undefined || np.port === null) errs.push(required(`${p}.port`, 'must specify port when endPort is specified'));
    else if (typeof np.port !== 'number') errs.push(inval(`${p}.endPort`, np.endPort, 'may not be specified when `port` is non-numeric'));
    else if (!isInt(np.endPort) || np.endPort < np.port) errs.push(inval(`${p}.endPort`, np.endPort, 'must be greater than or equal to `port`'));
  }
}

/** parseCIDR reads an IPv4 CIDR into its network bits and prefix length (undefined when it is not one). */
function parseCIDR(v: unknown): { ip: number; bits: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(v);
  if (!m || !isIPv4(m[1]) || Number(m[2]) > 32) return undefined;
  const ip = m[1].split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return { ip, bits: Number(m[2]) };
}

const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** validateIPBlock: a CIDR, and exceptions that are CIDRs strictly inside it. */
function validateIPBlock(ipb: Record<string, any>, p: string, errs: Errs): void {
  if (typeof ipb.cidr !== 'string' || ipb.cidr === '') return void errs.push(required(`${p}.cidr`));
  const cidr = parseCIDR(ipb.cidr);
  if (!cidr) return void errs.push(inval(`${p}.cidr`, ipb.cidr, CIDR_MSG));
  const except = Array.isArray(ipb.except) ? ipb.except : [];
  except.forEach((e: unknown, i: number) => {
    const ex = parseCIDR(e);
    if (!ex) return void errs.push(inval(`${p}.except[${i}]`, e, CIDR_MSG));
    const mask = (bits: number) => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
    const inside = ex.bits > cidr.bits && ((ex.ip & mask(cidr.bits)) >>> 0) === ((cidr.ip & mask(cidr.bits)) >>> 0);
    if (!inside) errs.push(inval(`${p}.except[${i}]`, e, 'must be a strict subset of `cidr`'));
  });
}

/** validateNetworkPolicyPeer: one of a pod selector and/or namespace selector, or an ipBlock alone. */
function validateNetworkPolicyPeer(peer: unknown, p: string, errs: Errs): void {
  const pr = isObj(peer) ? peer : {};
  let n = 0;
  if (pr.podSelector !== undefined && pr.podSelector !== null) {
    n++;
    errs.push(...validateLabelSelector(pr.podSelector, `${p}.podSelector`));
  }
  if (pr.namespaceSelector !== undefined && pr.namespaceSelector !== null) {
    n++;
    errs.push(...validateLabelSelector(pr.namespaceSelector, `${p}.namespaceSelector`));
  }
  if (isObj(pr.ipBlock)) {
    n++;
    validateIPBlock(pr.ipBlock, `${p}.ipBlock`, errs);
  }
  if (n === 0) errs.push(required(p, 'must specify a peer'));
  else if (n > 1 && isObj(pr.ipBlock)) errs.push(forbidden(p, 'may not specify both ipBlock and another peer'));
}

/** validateNetworkPolicy is ValidateNetworkPolicySpec: the pod selector, each rule's ports and peers, policyTypes. */
export function validateNetworkPolicy(np: KubeObject): Errs {
  const spec = np.spec;
  if (!isObj(spec)) return [required('spec')];
  const errs: Errs = [...validateLabelSelector(spec.podSelector ?? {}, 'spec.podSelector')];
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = Array.isArray(spec[dir]) ? spec[dir] : [];
    rules.forEach((rule: unknown, i: number) => {
      const r = isObj(rule) ? rule : {};
      const p = `spec.${dir}[${i}]`;
      (Array.isArray(r.ports) ? r.ports : []).forEach((port: unknown, j: number) => validateNetworkPolicyPort(port, `${p}.ports[${j}]`, errs));
      (Array.isArray(r[peers]) ? r[peers] : []).forEach((peer: unknown, j: number) => validateNetworkPolicyPeer(peer, `${p}.${peers}[${j}]`, errs));
    });
  }
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  types.forEach((t: unknown, i: number) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(inval('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}
