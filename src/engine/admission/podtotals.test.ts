import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.ts';
import { podTotals } from './resources.ts';

const c = (name: string, cpu: string, sidecar = false) => ({ name, image: 'i', resources: { requests: { cpu } }, ...(sidecar ? { restartPolicy: 'Always' } : {}) });
const pod = (containers: any[], initContainers: any[] = []): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, initContainers }, status: {} }) as Pod;

/** Cases from resourcehelper's TestPodResourceRequests (sidecar rows) worked in milli-CPU. */
describe('podTotals with sidecars (resourcehelper.PodRequests)', () => {
  it.each([
    ['app only', pod([c('a', '100m'), c('b', '200m')]), 300],
    ['a bigger init container wins', pod([c('a', '100m')], [c('i', '500m')]), 500],
    ['a sidecar adds to the app sum', pod([c('a', '100m')], [c('s', '50m', true)]), 150],
    ['an init after a sidecar runs beside it', pod([c('a', '100m')], [c('s', '50m', true), c('i', '300m')]), 350],
    ['an init before the sidecar does not', pod([c('a', '100m')], [c('i', '300m'), c('s', '50m', true)]), 300],
    ['two sidecars then an init', pod([c('a', '1m')], [c('s1', '10m', true), c('s2', '20m', true), c('i', '100m')]), 130],
  ])('%s', (_n, p, milli) => expect(podTotals(p, 'requests').cpu).toBe(milli));
});
