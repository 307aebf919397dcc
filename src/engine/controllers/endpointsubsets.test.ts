import { describe, expect, it } from 'vitest';
import { ipGroups, parseIPSloppy, repackSubsets } from './endpointsubsets.ts';

describe('parseIPSloppy', () => {
  const table: { in: string; want: [string, 'IPv4' | 'IPv6'] | undefined }[] = [
    { in: '192.0.2.42', want: ['192.0.2.42', 'IPv4'] },
    { in: '010.001.000.009', want: ['10.1.0.9', 'IPv4'] },
    { in: '256.0.0.1', want: undefined },
    { in: '1.2.3', want: undefined },
    { in: 'my-host', want: undefined },
    { in: '', want: undefined },
    { in: '2001:DB8:0:0:0:0:0:1', want: ['2001:db8::1', 'IPv6'] },
    { in: '2001:db8:0:0:1:0:0:1', want: ['2001:db8::1:0:0:1', 'IPv6'] },
    { in: '2001:0db8:0000:0001:0000:0000:0000:0000', want: ['2001:db8:0:1::', 'IPv6'] },
    { in: '::1', want: ['::1', 'IPv6'] },
    { in: '::', want: ['::', 'IPv6'] },
    { in: '1:2:3:4:5:6:7:8', want: ['1:2:3:4:5:6:7:8', 'IPv6'] },
    { in: '1:2:3:4:5:6:7::8', want: undefined },
    { in: '1::2::3', want: undefined },
    { in: '::ffff:192.0.2.1', want: ['192.0.2.1', 'IPv4'] },
    { in: '64:ff9b::192.0.2.1', want: ['64:ff9b::c000:201', 'IPv6'] },
  ];
  it.each(table)('$in', ({ in: s, want }) => {
    const got = parseIPSloppy(s);
    expect(got && [got.ip, got.family]).toEqual(want);
  });
});

describe('ipGroups', () => {
  const table: { in: string; want: number[] | undefined }[] = [
    { in: '010.1.2.3', want: [0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203] },
    { in: '::ffff:127.0.0.1', want: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001] },
    { in: 'fe80::1', want: [0xfe80, 0, 0, 0, 0, 0, 0, 1] },
    { in: '::', want: [0, 0, 0, 0, 0, 0, 0, 0] },
    { in: '1:2:3:4:5:6:7::8', want: undefined },
    { in: 'not-an-ip', want: undefined },
  ];
  it.each(table)('$in', ({ in: s, want }) => {
    expect(ipGroups(s)).toEqual(want);
  });
});

describe('repackSubsets', () => {
  const a = (ip: string, uid?: string) => ({ ip, ...(uid ? { targetRef: { kind: 'Pod', name: uid, uid } } : {}) });
  const p80 = { name: 'http', port: 80, protocol: 'TCP' };
  const p443 = { name: 'https', port: 443, protocol: 'TCP' };
  const table: { name: string; in: any[]; want: { addresses: string[]; notReady: string[]; ports: number[] }[] }[] = [
    { name: 'one subset stays, addresses sorted', in: [{ addresses: [a('10.0.0.2'), a('10.0.0.1')], ports: [p80] }], want: [{ addresses: ['10.0.0.1', '10.0.0.2'], notReady: [], ports: [80] }] },
    { name: 'same ports merge', in: [{ addresses: [a('10.0.0.2')], ports: [p80] }, { addresses: [a('10.0.0.1')], ports: [p80] }], want: [{ addresses: ['10.0.0.1', '10.0.0.2'], notReady: [], ports: [80] }] },
    {
      name: 'a port with other addresses splits off',
      in: [
        { addresses: [a('10.0.0.1')], ports: [p80, p443] },
        { addresses: [a('10.0.0.2')], ports: [p80] },
      ],
      want: [
        { addresses: ['10.0.0.1', '10.0.0.2'], notReady: [], ports: [80] },
        { addresses: ['10.0.0.1'], notReady: [], ports: [443] },
      ],
    },
    { name: 'not ready trumps ready, in either order', in: [{ notReadyAddresses: [a('10.0.0.1')], ports: [p80] }, { addresses: [a('10.0.0.1')], ports: [p80] }], want: [{ addresses: [], notReady: ['10.0.0.1'], ports: [80] }] },
    { name: 'one IP, two pods: two addresses', in: [{ addresses: [a('10.0.0.1', 'b'), a('10.0.0.1', 'a')], ports: [p80] }], want: [{ addresses: ['10.0.0.1', '10.0.0.1'], notReady: [], ports: [80] }] },
    { name: 'no ports: nothing', in: [{ addresses: [a('10.0.0.1')] }], want: [] },
    { name: 'protocol defaults to TCP when comparing ports', in: [{ addresses: [a('10.0.0.1')], ports: [{ name: 'http', port: 80 }] }, { addresses: [a('10.0.0.2')], ports: [p80] }], want: [{ addresses: ['10.0.0.1', '10.0.0.2'], notReady: [], ports: [80] }] },
  ];
  it.each(table)('$name', ({ in: subsets, want }) => {
    expect(repackSubsets(subsets).map((s) => ({ addresses: s.addresses.map((x) => x.ip), notReady: s.notReadyAddresses.map((x) => x.ip), ports: s.ports.map((p) => p.port) }))).toEqual(want);
  });

  it('orders two pods at one IP by uid (LessEndpointAddress)', () => {
    const [s] = repackSubsets([{ addresses: [a('10.0.0.1', 'b'), a('10.0.0.1', 'a'), a('10.0.0.1')], ports: [p80] }]);
    expect(s.addresses.map((x) => x.targetRef?.uid)).toEqual([undefined, 'a', 'b']);
  });
});
