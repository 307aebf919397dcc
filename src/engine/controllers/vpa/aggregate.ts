/**
 * aggregate.ts: the recommender's usage history (pkg/recommender/model: aggregate_container_state.go,
 * container.go), one aggregate per VPA and container name, fed from metrics-server readings.
 *
 * CPU: every reading is a sample of the usage in cores, weighted by the container's CPU request
 * (at least 0.1 core: minSampleWeight), so raising the request makes older history count less.
 * Memory: each container instance contributes ONE sample per 24 h window (memory-aggregation-interval):
 * its peak; a higher reading in the same window replaces the old peak (subtract, then add).
 */
import { addSample, CPU_HISTOGRAM, MEMORY_HISTOGRAM, newHistogram, subtractSample, type Histogram } from './histogram.ts';
import { MEMORY_AGGREGATION_INTERVAL_MS, MIN_SAMPLE_WEIGHT } from './types.ts';

export interface AggregateState {
  cpu: Histogram;
  memory: Histogram;
  firstSampleStart: number;
  lastSampleStart: number;
  totalSamplesCount: number;
}

/** ContainerWindow is container.go's per-instance memory window: its end and the peak in it. */
export interface ContainerWindow {
  windowEnd: number;
  peak: number;
  lastSampleStart: number;
}

export function newAggregate(): AggregateState {
  return { cpu: newHistogram(), memory: newHistogram(), firstSampleStart: 0, lastSampleStart: 0, totalSamplesCount: 0 };
}

/** addCPUSample is AggregateContainerState.addCPUSample. */
export function addCPUSample(a: AggregateState, usageMilli: number, requestMilli: number, tMs: number): void {
  addSample(a.cpu, CPU_HISTOGRAM, usageMilli / 1000, Math.max(requestMilli / 1000, MIN_SAMPLE_WEIGHT), tMs);
  if (tMs > a.lastSampleStart) a.lastSampleStart = tMs;
  if (a.totalSamplesCount === 0 || tMs < a.firstSampleStart) a.firstSampleStart = tMs;
  a.totalSamplesCount++;
}

/** addMemorySample is ContainerState.addMemorySample (without OOM bumps): one peak per window. */
export function addMemorySample(a: AggregateState, w: ContainerWindow, bytes: number, tMs: number): void {
  if (tMs < w.lastSampleStart) return;
  w.lastSampleStart = tMs;
  if (w.windowEnd === 0) w.windowEnd = tMs;
  let addNewPeak = false;
  if (tMs < w.windowEnd) {
    if (w.peak !== 0 && bytes > w.peak) {
      subtractSample(a.memory, MEMORY_HISTOGRAM, w.peak, 1, w.windowEnd);
      addNewPeak = true;
    }
  } else {
    // Shift the window to the interval holding tMs.
    const I = MEMORY_AGGREGATION_INTERVAL_MS;
    w.windowEnd += Math.floor((tMs - w.windowEnd) / I) * I + I;
    w.peak = 0;
    addNewPeak = true;
  }
  if (addNewPeak) {
    addSample(a.memory, MEMORY_HISTOGRAM, bytes, 1, w.windowEnd);
    w.peak = bytes;
  }
}
