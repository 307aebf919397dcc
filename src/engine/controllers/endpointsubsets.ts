/**
 * Helpers over core/v1 Endpoints subsets that the mirroring controller needs: RepackSubsets
 * (pkg/api/v1/endpoints) and the IP parsing of k8s.io/utils/net (ParseIPSloppy, then net.IP.String),
 * which the API server's Endpoints validation shares (ipGroups).
 */

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface Subset {
  addresses: EndpointAddress[];
  notReadyAddresses: EndpointAddress[];
  ports: EndpointPort[];
}

function portKey(p: EndpointPort): string {
  return `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`;
}

/** addressKey: addresses are told apart by IP and targetRef uid (two pods may share a host's IP). */
function addressKey(a: EndpointAddress): string {
  return `${a.ip}|${a.targetRef?.uid ?? ''}`;
}

/** lessAddress is LessEndpointAddress: by IP (as bytes), then no targetRef first, then targetRef uid. */
function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef ? (a.targetRef.uid ?? '') : undefined;
  const ub = b.targetRef ? (b.targetRef.uid ?? '') : undefined;
  if (ua === ub) return 0;
  if (ua === undefined) return -1;
  if (ub === undefined) return 1;
  return ua < ub ? -1 : 1;
}

/**
 * repackSubsets is RepackSubsets: every (address, port) pair of the subsets, an address listed both
 * ready and not ready for a port being not ready ("not ready always trumps ready"), regrouped so that
 * ports offered by the same addresses share a subset. Addresses of a subset with no ports, and so
 * ports with no addresses, drop out. Sorted: addresses by IP then uid; ports and subsets in a fixed
 * order (upstream orders them by hash; any fixed order is canonical).
 *
 * Two subsets with the same ports and different addresses become one: 10.0.0.1 and 10.0.0.2 on
 * port 80 in separate subsets repack to one subset listing both, and so one mirrored slice.
 */
export function repackSubsets(subsets: readonly any[]): Subset[] {
  const first = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort; ready: Map<string, boolean> }>();
  for (const s of subsets) {
    for (const p of (s?.ports ?? []) as EndpointPort[]) {
      const port: EndpointPort = { ...p, protocol: p.protocol ?? 'TCP' };
      const pk = portKey(port);
      for (const [list, ready] of [
        [s.addresses ?? [], true],
        [s.notReadyAddresses ?? [], false],
      ] as [EndpointAddress[], boolean][]) {
        for (const a of list) {
          const ak = addressKey(a);
          if (!first.has(ak)) first.set(ak, a);
          let entry = byPort.get(pk);
          if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
          if (entry.ready.get(ak) !== false) entry.ready.set(ak, ready);
        }
      }
    }
  }
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, boolean> }>();
  for (const { port, ready } of byPort.values()) {
    const sig = [...ready]
      .map(([k, r]) => `${k}=${r}`)
      .sort()
      .join(',');
    const g = groups.get(sig);
    if (g) g.ports.push(port);
    else groups.set(sig, { ports: [port], ready });
  }
  const out: Subset[] = [];
  for (const g of groups.values()) {
    const subset: Subset = { addresses: [], notReadyAddresses: [], ports: g.ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : 1)) };
    for (const [ak, r] of g.ready) (r ? subset.addresses : subset.notReadyAddresses).push(first.get(ak)!);
    subset.addresses.sort(lessAddress);
    subset.notReadyAddresses.sort(lessAddress);
    out.push(subset);
  }
  const keyOf = (s: Subset) => s.ports.map(portKey).join(',');
  return out.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/**
 * parseIPSloppy is netutils.ParseIPSloppy followed by String(): the address in canonical form and its
 * family, or undefined for anything that is not an IP. Sloppy: IPv4 octets may have leading zeros
 * (010.0.0.1 is 10.0.0.1). An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is IPv4, as net.IP.To4 says.
 */
export function parseIPSloppy(s: string | undefined): { ip: string; family: 'IPv4' | 'IPv6' } | undefined {
  if (typeof s !== 'string') return undefined;
  const v4 = parseV4(s);
  if (v4) return { ip: v4.join('.'), family: 'IPv4' };
  if (!s.includes(':')) return undefined;
  const g = parseV6(s);
  if (!g) return undefined;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return { ip: [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255].join('.'), family: 'IPv4' };
  return { ip: formatV6(g), family: 'IPv6' };
}

/**
 * ipGroups is the address netutils.ParseIPSloppy reads, as its eight 16-bit groups (an IPv4 address
 * IPv4-mapped: ::ffff:a.b.c.d), or undefined: what the API server's Endpoints validation
 * (api/validate_endpoints.ts) judges, so that it accepts exactly the addresses mirrored here.
 */
export function ipGroups(s: string): number[] | undefined {
  const v4 = parseV4(s);
  if (v4) return [0, 0, 0, 0, 0, 0xffff, (v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
  return s.includes(':') ? parseV6(s) : undefined;
}

function parseV4(s: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  return o.every((x) => x <= 255) ? o : undefined;
}

/** parseV6: the eight 16-bit groups, "::" standing for one or more zero groups, an IPv4 tail for two. */
function parseV6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const fields = part.split(':');
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (i === fields.length - 1 && f.includes('.')) {
        const v4 = parseV4(f);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(f)) out.push(parseInt(f, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const fill = 8 - head.length - tail.length;
  return fill >= 1 ? [...head, ...new Array<number>(fill).fill(0), ...tail] : undefined;
}

/** formatV6 is net.IP.String for IPv6: lower-case hex, the longest run of two or more zero groups as "::". */
function formatV6(g: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
