import { describe, expect, it } from 'vitest';
import { newPodInfo } from '../../framework/nodeinfo.ts';
import { podRequests, resourceFromList } from '../../framework/resource.ts';
import { loadOracle, makePod, nodeInfo, runFilter } from '../../testutil.ts';
import { fitsRequest, newNodeResourcesFit } from './index.ts';

const fit = loadOracle('scheduler-fit').cases.filter((c) => c.input.plugin === 'NodeResourcesFit');

describe('NodeResourcesFit filter (oracle scheduler-fit.json)', () => {
  it('has the cases', () => expect(fit.length).toBeGreaterThan(20));
  it.each(fit.map((c) => [c.name, c]))('%s', (_name, c) => {
    const { nodeAllocatable, nodeUsed, pod: p } = c.input;
    const pod = makePod(p);
    const { podCount = 0, ...used } = nodeUsed ?? {};
    const ni = nodeInfo({ name: 'n1', allocatable: nodeAllocatable });
    ni.requested = resourceFromList(Object.fromEntries(Object.entries(used).map(([k, v]) => [k, String(v)])));
    for (let i = 0; i < podCount; i++) ni.addPod(newPodInfo(makePod())); // no containers: they add to the count only
    const plugin = newNodeResourcesFit({ ignoredResources: c.ignoredResources });
    const status = runFilter(plugin, pod, ni);
    if (c.expect.fits) {
      expect(status).toBeNull();
      return;
    }
    expect(status?.code).toBe('Unschedulable');
    expect(status?.reasons).toEqual(c.expect.reasons);
    if (c.expect.insufficient) {
      const bad = fitsRequest(podRequests(pod.spec), { allocatable: ni.allocatable, requested: ni.requested, allowedPodNumber: ni.allowedPodNumber, podCount: ni.pods.size }, new Set(c.ignoredResources ?? []));
      expect(bad.map((b) => ({ resource: b.resourceName, requested: b.requested, used: b.used, capacity: b.capacity }))).toEqual(c.expect.insufficient);
    }
  });
});
