import type { Pod } from '../../../api/types.ts';
import { MAX_NODE_SCORE, SKIP, type Handle, type Plugin } from '../../framework/types.ts';

/** Name is the plugin's registry name. */
export const Name = 'ImageLocality';

const MB = 1024 * 1024;
/** MIN_THRESHOLD (23 MB) and MAX_CONTAINER_THRESHOLD (1000 MB per container) bound the image-size score. */
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** normalizedImageName adds ":latest" to an image without a tag or digest ("nginx" → "nginx:latest"). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/**
 * calculatePriority maps the summed image score to 0..100 between 23 MB and 1000 MB × containers:
 * a node that already has a 500 MB image for a one-container pod scores 100 × (500 - 23) / 977 = 48.
 */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sumScores < MIN_THRESHOLD) sumScores = MIN_THRESHOLD;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

const KEY = 'PreScore' + Name;

/**
 * ImageLocality favours nodes that already have the pod's images, each image's size scaled by the
 * fraction of nodes that have it (so an image on every node does not make one node special).
 */
export function newImageLocality(handle: Handle): Plugin {
  return {
    name: Name,
    preScore(state, pod: Pod) {
      const images = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
      // No node has any of the images: every node would score 0, so skipping changes nothing.
      if (!images.some((i) => handle.imageNumNodes(i) > 0)) return SKIP;
      state.set(KEY, images);
      return null;
    },
    score(state, _pod, node) {
      const images = state.get(KEY) as string[];
      const total = handle.nodeInfos().length;
      let sum = 0;
      for (const img of images) {
        const size = node.images.get(img);
        if (size !== undefined) sum += Math.trunc(size * (handle.imageNumNodes(img) / total));
      }
      return calculatePriority(sum, images.length);
    },
  };
}
