import { describe, expect, it } from 'vitest';
import { makePod, nodeInfo, runScore, staticHandle } from '../../testutil.ts';
import { newImageLocality, normalizedImageName } from './index.ts';

const MB = 1024 * 1024;

describe('ImageLocality', () => {
  it.each([
    ['nginx', 'nginx:latest'],
    ['nginx:1.25', 'nginx:1.25'],
    ['registry:5000/app', 'registry:5000/app:latest'],
    ['gcr.io/x/y@sha256:abc', 'gcr.io/x/y@sha256:abc'],
  ])('normalizes %s → %s', (i, o) => expect(normalizedImageName(i)).toBe(o));

  it('scores by image size scaled by spread', () => {
    // Pod: gcr.io/40 (40 MB) and gcr.io/300 (300 MB). node1 has 40 (+ 2000 unrelated), node2 has 300 and 2000.
    // node1: 40 MB × 1/2 = 20 MB < 23 MB → 0. node2: 300 × 1/2 = 150 MB → 100 × (150 - 23) / (2000 - 23) = 6.
    const n1 = nodeInfo({ name: 'node1', images: [{ names: ['gcr.io/40:latest'], sizeBytes: 40 * MB }, { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB }] });
    const n2 = nodeInfo({ name: 'node2', images: [{ names: ['gcr.io/300:latest'], sizeBytes: 300 * MB }, { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB }] });
    const pod = makePod();
    pod.spec.containers = [{ name: 'a', image: 'gcr.io/40' }, { name: 'b', image: 'gcr.io/300' }];
    expect(runScore(newImageLocality(staticHandle([n1, n2])), pod, [n1, n2])).toEqual({ node1: 0, node2: 6 });
  });

  it('skips when no node has any of the images', () => {
    const n1 = nodeInfo({ name: 'node1' });
    expect(runScore(newImageLocality(staticHandle([n1])), makePod({ containers: [{}] }), [n1])).toBe('skipped');
  });
});
