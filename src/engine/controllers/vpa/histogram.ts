/**
 * histogram.ts: the VPA recommender's decaying exponential histogram
 * (vertical-pod-autoscaler/pkg/recommender/util: histogram.go, histogram_options.go,
 * decaying_histogram.go), as plain JSON so it lives in module state.
 *
 * Buckets grow geometrically: bucket i starts at firstBucketSize × (ratio^i − 1) / (ratio − 1). The
 * recommender uses ratio 1.05 with a first bucket of 0.01 cores (CPU, up to 1000 cores) or 1e7
 * bytes (memory, up to 1e12): each bucket is 5% wider than the one before, so a percentile is
 * exact to within 5%. Percentile returns the END of the bucket holding the percentile (a
 * conservative estimate). A sample's weight is multiplied by 2^((t − reference) / halfLife), so a
 * sample one half-life (24 h for both resources) newer counts twice as much.
 */

/** HistogramOptions are ExponentialHistogramOptions' parameters. */
export interface HistogramOptions {
  maxValue: number;
  firstBucketSize: number;
  ratio: number;
  halfLifeMs: number;
}

/** CPU_HISTOGRAM: cores, first bucket 0.01, ratio 1.05, max 1000 (recommender model/aggregations_config.go). */
export const CPU_HISTOGRAM: HistogramOptions = { maxValue: 1000, firstBucketSize: 0.01, ratio: 1.05, halfLifeMs: 24 * 3600_000 };
/** MEMORY_HISTOGRAM: bytes, first bucket 1e7, ratio 1.05, max 1e12. */
export const MEMORY_HISTOGRAM: HistogramOptions = { maxValue: 1e12, firstBucketSize: 1e7, ratio: 1.05, halfLifeMs: 24 * 3600_000 };

/** EPSILON is histogram.go's epsilon: weights below it count as empty. */
const EPSILON = 0.0001;
/** MAX_DECAY_EXPONENT: past 2^100 the reference time moves forward (decaying_histogram.go). */
const MAX_DECAY_EXPONENT = 100;

/** Histogram is a decaying histogram's data: weights by bucket index and the decay reference time. */
export interface Histogram {
  weights: Record<number, number>;
  total: number;
  referenceMs: number;
}

export function newHistogram(): Histogram {
  return { weights: {}, total: 0, referenceMs: 0 };
}

export function numBuckets(o: HistogramOptions): number {
  return Math.ceil(Math.log((o.maxValue * (o.ratio - 1)) / o.firstBucketSize + 1) / Math.log(o.ratio)) + 1;
}

/** bucketStart is GetBucketStart: firstBucketSize × (ratio^i − 1) / (ratio − 1). */
export function bucketStart(o: HistogramOptions, bucket: number): number {
  return (o.firstBucketSize * (Math.pow(o.ratio, bucket) - 1)) / (o.ratio - 1);
}

/** findBucket is FindBucket: the bucket holding value (0 below the first bucket, the last above the max). */
export function findBucket(o: HistogramOptions, value: number): number {
  if (value < o.firstBucketSize) return 0;
  const b = Math.floor(Math.log((value * (o.ratio - 1)) / o.firstBucketSize + 1) / Math.log(o.ratio));
  return Math.min(b, numBuckets(o) - 1);
}

function decayFactor(h: Histogram, o: HistogramOptions, tMs: number): number {
  // Round the reference to whole hours as upstream does, and shift it when the factor grows too big.
  const exp = (tMs - h.referenceMs) / o.halfLifeMs;
  if (exp > MAX_DECAY_EXPONENT) {
    const newRef = Math.floor(tMs / 3600_000) * 3600_000;
    const scale = Math.pow(2, -(newRef - h.referenceMs) / o.halfLifeMs);
    for (const k of Object.keys(h.weights)) h.weights[Number(k)] *= scale;
    h.total *= scale;
    h.referenceMs = newRef;
  }
  return Math.pow(2, (tMs - h.referenceMs) / o.halfLifeMs);
}

/** addSample is AddSample with decay: the weight scaled by 2^((t − reference)/halfLife). */
export function addSample(h: Histogram, o: HistogramOptions, value: number, weight: number, tMs: number): void {
  if (h.total === 0 && Object.keys(h.weights).length === 0) h.referenceMs = Math.floor(tMs / 3600_000) * 3600_000;
  const w = weight * decayFactor(h, o, tMs);
  const b = findBucket(o, value);
  h.weights[b] = (h.weights[b] ?? 0) + w;
  h.total += w;
}

/** subtractSample is SubtractSample (used when a memory peak is replaced by a higher one). */
export function subtractSample(h: Histogram, o: HistogramOptions, value: number, weight: number, tMs: number): void {
  const w = weight * decayFactor(h, o, tMs);
  const b = findBucket(o, value);
  const nw = (h.weights[b] ?? 0) - w;
  if (nw < EPSILON) {
    h.total -= h.weights[b] ?? 0;
    delete h.weights[b];
  } else {
    h.weights[b] = nw;
    h.total -= w;
  }
  if (h.total < EPSILON) {
    h.weights = {};
    h.total = 0;
  }
}

export function isEmpty(h: Histogram): boolean {
  return h.total < EPSILON;
}

/**
 * percentile is Percentile: walk the buckets from the smallest until the running weight reaches
 * p × total, and return the end of that bucket (the start of the last bucket for the last one).
 */
export function percentile(h: Histogram, o: HistogramOptions, p: number): number {
  if (isEmpty(h)) return 0;
  const threshold = p * h.total;
  const buckets = Object.keys(h.weights)
    .map(Number)
    .sort((a, b) => a - b);
  let partial = 0;
  let bucket = buckets[buckets.length - 1];
  for (const b of buckets) {
    partial += h.weights[b];
    if (partial >= threshold) {
      bucket = b;
      break;
    }
  }
  return bucket < numBuckets(o) - 1 ? bucketStart(o, bucket + 1) : bucketStart(o, bucket);
}
