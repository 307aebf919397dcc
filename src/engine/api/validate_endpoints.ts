/**
 * Validation of v1 Endpoints as pkg/apis/core/validation has it in 1.32: ValidateEndpoints (create and
 * update alike: ValidateEndpointsCreate is ValidateEndpoints, ValidateEndpointsUpdate adds only the
 * generic metadata update rules), validateEndpointSubsets, validateEndpointAddress, ValidateNonSpecialIP
 * and validateEndpointPort, with upstream's field paths and wording. The metadata (a DNS-1123 subdomain
 * name, ValidateEndpointsName) is validateObject's. A port's protocol was defaulted to TCP before
 * (SetDefaults_Endpoints, defaults.ts). Every value is guarded: manifests come from strangers.
 *
 * Only what users write passes here: the endpoints controller and the API server's own `kubernetes`
 * Endpoints go straight to the store, as they always did (validate_endpoints.test.ts shows they would pass).
 */
import type { KubeObject } from './types.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from './names.ts';
import { ipGroups } from '../controllers/endpointsubsets.ts';
import { inval, isInt, isObj, notSupported, required, type Errs } from './validation.ts';

/** supportedPortProtocols, as sets.List prints it (sorted). */
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** A string field, or its Go zero value ("") when absent; undefined (and an error) for another type. */
function stringField(v: unknown, p: string, errs: Errs): string | undefined {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  errs.push(inval(p, v, 'must be a string'));
  return undefined;
}

/** The list at a field: absent is empty; something else is an error. */
function listField(v: unknown, p: string, errs: Errs): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  errs.push(inval(p, v, 'must be a list'));
  return [];
}

/**
 * validateNonSpecialIP is ValidateNonSpecialIP: an address that parses (netutils.ParseIPSloppy: IPv4
 * octets may have leading zeros) and is not unspecified, loopback, link-local or link-local multicast
 * (net.IP's predicates; an IPv4-mapped IPv6 address is judged as the IPv4 one). An address in several
 * ranges gets each message.
 */
export function validateNonSpecialIP(ip: string, p: string, errs: Errs): void {
  const g = ipGroups(ip);
  if (!g) return void errs.push(inval(p, ip, 'must be a valid IP address'));
  const v4 = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff ? [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255] : undefined;
  // IsUnspecified compares with IPv4zero (0.0.0.0) and IPv6unspecified (::).
  if (v4 ? v4.every((x) => x === 0) : g.every((x) => x === 0)) errs.push(inval(p, ip, `may not be unspecified (${ip})`));
  if (v4 ? v4[0] === 127 : g.every((x, i) => x === (i === 7 ? 1 : 0))) errs.push(inval(p, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (v4 ? v4[0] === 169 && v4[1] === 254 : (g[0] & 0xffc0) === 0xfe80) errs.push(inval(p, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  // IsLinkLocalMulticast: 224.0.0.0/24, or ffX2::/16 (link-local scope, any flags); the message's ff02::/10 is upstream's.
  if (v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : (g[0] & 0xff0f) === 0xff02) errs.push(inval(p, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
}

/**
 * validateEndpointAddress: the IP (validation.IsValidIP, then ValidateNonSpecialIP: an address that does
 * not parse gets both messages), a hostname that is a DNS-1123 label, a nodeName that is a DNS-1123
 * subdomain (ValidateNodeName) whenever it is set, even to "". Upstream checks no targetRef.
 */
function validateEndpointAddress(addr: unknown, p: string, errs: Errs): void {
  const a = isObj(addr) ? addr : {};
  const ip = stringField(a.ip, `${p}.ip`, errs);
  if (ip !== undefined && !ipGroups(ip)) errs.push(inval(`${p}.ip`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  const hostname = stringField(a.hostname, `${p}.hostname`, errs);
  if (hostname) for (const m of isDNS1123Label(hostname)) errs.push(inval(`${p}.hostname`, hostname, m));
  // nodeName is a *string: checked when present at all.
  if (a.nodeName !== undefined && a.nodeName !== null) {
    const node = stringField(a.nodeName, `${p}.nodeName`, errs);
    if (node !== undefined) for (const m of isDNS1123Subdomain(node)) errs.push(inval(`${p}.nodeName`, node, m));
  }
  if (ip !== undefined) validateNonSpecialIP(ip, `${p}.ip`, errs);
}

/**
 * validateEndpointPort: a name (required when the subset has more than one port, a DNS-1123 label when
 * given), a port number 1–65535, a protocol of TCP, UDP or SCTP, an appProtocol that is a qualified name.
 */
function validateEndpointPort(port: unknown, requireName: boolean, p: string, errs: Errs): void {
  const ep = isObj(port) ? port : {};
  const name = stringField(ep.name, `${p}.name`, errs);
  if (requireName && name === '') errs.push(required(`${p}.name`));
  else if (name) for (const m of isDNS1123Label(name)) errs.push(inval(`${p}.name`, name, m));
  const num = ep.port ?? 0; // int32: absent is 0
  if (!isInt(num)) errs.push(inval(`${p}.port`, num, 'must be an integer'));
  else for (const m of isValidPortNum(num)) errs.push(inval(`${p}.port`, num, m));
  const protocol = stringField(ep.protocol, `${p}.protocol`, errs);
  if (protocol === '') errs.push(required(`${p}.protocol`));
  else if (protocol !== undefined && !PROTOCOLS.includes(protocol)) errs.push(notSupported(`${p}.protocol`, protocol, PROTOCOLS));
  if (ep.appProtocol !== undefined && ep.appProtocol !== null) {
    const ap = stringField(ep.appProtocol, `${p}.appProtocol`, errs);
    if (ap !== undefined) for (const m of isQualifiedName(ap)) errs.push(inval(`${p}.appProtocol`, ap, m));
  }
}

/**
 * validateEndpoints is ValidateEndpoints' subsets part (validateEndpointSubsets): each subset has a ready
 * or a not-ready address (a headless Service's may have no ports), then its addresses, not-ready
 * addresses and ports in that order.
 */
export function validateEndpoints(ep: KubeObject): Errs {
  const errs: Errs = [];
  listField(ep.subsets, 'subsets', errs).forEach((subset: unknown, i: number) => {
    const p = `subsets[${i}]`;
    const ss = isObj(subset) ? subset : {};
    const addresses = listField(ss.addresses, `${p}.addresses`, errs);
    const notReady = listField(ss.notReadyAddresses, `${p}.notReadyAddresses`, errs);
    const ports = listField(ss.ports, `${p}.ports`, errs);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => validateEndpointAddress(a, `${p}.addresses[${j}]`, errs));
    notReady.forEach((a, j) => validateEndpointAddress(a, `${p}.notReadyAddresses[${j}]`, errs));
    ports.forEach((port, j) => validateEndpointPort(port, ports.length > 1, `${p}.ports[${j}]`, errs));
  });
  return errs;
}
