import { describe, expect, it } from 'vitest';
import { humanDuration, isoTime, parseDuration, parseIsoTime } from './clock.ts';

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  // Rows from k8s.io/apimachinery/pkg/util/duration/duration_test.go TestHumanDuration.
  const table: [number, string][] = [
    [1, '1s'], [70, '70s'], [190, '3m10s'], [4200, '70m'], [21600, '6h'], [20000, '5h33m'],
    [86400 * 2 + 3600 * 3, '2d3h'], [3600 * 47, '47h'], [86400 * 3 + 3600 * 2, '3d2h'], [86400 * 3, '3d'], [86400 * 10, '10d'],
    [86400 * 400, '400d'], [86400 * 800, '2y70d'], [86400 * 365 * 8, '8y'], [119, '119s'], [120, '2m'], [599, '9m59s'], [600, '10m'],
  ];
  it.each(table)('%ds → %s', (s, want) => expect(humanDuration(s * 1000)).toBe(want));
});

describe('parseDuration', () => {
  const table: [string, number | undefined][] = [
    ['30s', 30_000], ['2m', 120_000], ['1h30m', 5_400_000], ['250ms', 250], ['90', 90_000], ['1.5s', 1500],
    ['3x', undefined], ['', undefined], ['s', undefined], ['-5s', undefined],
  ];
  it.each(table)('%s', (input, want) => expect(parseDuration(input)).toBe(want));
});

describe('isoTime', () => {
  it('formats simulated time on the fixed epoch and round-trips', () => {
    expect(isoTime(0)).toBe('2025-01-01T00:00:00Z');
    expect(isoTime(61_500)).toBe('2025-01-01T00:01:01Z');
    expect(parseIsoTime(isoTime(3_600_000))).toBe(3_600_000);
  });
});
