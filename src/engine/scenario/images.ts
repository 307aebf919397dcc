import type { ImageBehavior } from '../sim.ts';
import { isQuantity, parseQuantity } from '../api/quantity.ts';
import type { Checker } from './checker.ts';
import { LIMITS } from './limits.ts';
import { key, type PathSegment } from './positions.ts';
import type { TrafficSpec } from './types.ts';

const MAX_SECONDS = LIMITS.timeMs / 1000;

/** IMAGE_FIELDS lists the image behaviour fields and how each is checked (DESIGN.md, "Image behaviour fields"). */
const IMAGE_FIELDS: Record<keyof ImageBehavior, 'seconds' | 'boolean' | 'exitCode' | 'quantity' | 'rate' | 'millis' | 'lines'> = {
  startupSeconds: 'seconds',
  pullSeconds: 'seconds',
  pullError: 'boolean',
  crashAfterSeconds: 'seconds',
  exitCode: 'exitCode',
  runSeconds: 'seconds',
  shutdownSeconds: 'seconds',
  memory: 'quantity',
  cpu: 'quantity',
  cpuPerRps: 'quantity',
  memoryPerRps: 'quantity',
  errorRate: 'rate',
  latencyMs: 'millis',
  latencyJitterMs: 'millis',
  readinessFailAfterSeconds: 'seconds',
  livenessFailAfterSeconds: 'seconds',
  logs: 'lines',
};

/** isUsage: a quantity of an image's CPU or memory use (not negative). */
function isUsage(v: unknown): boolean {
  return isQuantity(v) && (parseQuantity(String(v)) ?? -1) >= 0;
}

/** IMAGE_RANGES are the bounds of the numeric kinds of field (a time of at most LIMITS.timeMs, a rate, an exit code). */
const IMAGE_RANGES = { seconds: [0, MAX_SECONDS], millis: [0, 3_600_000], rate: [0, 1], exitCode: [0, 255] } as const;

/**
 * imageFieldProblem checks one image behaviour value given as text (`kubeplay image set IMAGE key=value`)
 * as spec.images checks it: the value, or why it is refused.
 */
export function imageFieldProblem(field: string, raw: string): { value: unknown } | { problem: string } {
  const kind = (IMAGE_FIELDS as Record<string, (typeof IMAGE_FIELDS)[keyof ImageBehavior] | undefined>)[field];
  if (!kind) return { problem: `unknown image behaviour field "${field}" (known: ${Object.keys(IMAGE_FIELDS).join(', ')})` };
  switch (kind) {
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: `${field} must be true or false, got "${raw}"` };
    case 'quantity':
      return isUsage(raw) ? { value: raw } : { problem: `${field} must be a quantity like 250m, 1, 128Mi, got "${raw}"` };
    case 'lines':
      return { value: raw.split('\\n') };
    default: {
      const [min, max] = IMAGE_RANGES[kind];
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) return { problem: `${field} must be between ${min} and ${max}, inclusive, got "${raw}"` };
      if (kind === 'exitCode' && !Number.isInteger(n)) return { problem: `${field} must be an integer, got "${raw}"` };
      return { value: n };
    }
  }
}

/** checkImages validates spec.images, the simulated registry: image reference -> behaviour. */
export function checkImages(v: unknown, c: Checker): Record<string, ImageBehavior> {
  const base: PathSegment[] = ['spec', 'images'];
  const m = c.mapping(v, base);
  if (!m) return {};
  const out: Record<string, ImageBehavior> = {};
  const entries = Object.entries(m);
  if (entries.length > 1000) {
    c.add(base, { type: 'Too many', detail: `has ${entries.length} images; the limit is 1000` });
    return {};
  }
  for (const [image, b] of entries) {
    const p = [...base, key(image)];
    if (!image || image.length > 512 || /\s/.test(image)) {
      c.invalid(p, image, 'must be an image reference like nginx:1.25 or registry.example.com/shop:v2');
      continue;
    }
    const beh = b === null || b === undefined ? {} : c.mapping(b, p, Object.keys(IMAGE_FIELDS));
    if (!beh) continue;
    const ib: Record<string, unknown> = {};
    for (const [field, kind] of Object.entries(IMAGE_FIELDS)) {
      const val = beh[field];
      if (val === undefined || val === null) continue;
      const fp = [...p, field];
      let ok: unknown;
      switch (kind) {
        case 'seconds':
        case 'millis':
        case 'rate':
        case 'exitCode': {
          const [min, max] = IMAGE_RANGES[kind];
          ok = c.number(val, fp, min, max, kind === 'exitCode');
          break;
        }
        case 'boolean':
          ok = c.boolean(val, fp);
          break;
        case 'quantity':
          if (isUsage(val)) ok = String(val);
          else c.invalid(fp, val, 'must be a quantity like 250m, 1, 128Mi');
          break;
        case 'lines': {
          const lines = c.list(val, fp, 1000, 'lines');
          if (lines) ok = lines.map((l, i) => c.string(typeof l === 'number' ? String(l) : l, [...fp, i], 10_000) ?? '');
          break;
        }
      }
      if (ok !== undefined) ib[field] = ok;
    }
    out[image] = ib as ImageBehavior;
  }
  return out;
}

/** checkTraffic validates spec.traffic (stored for the networking module). */
export function checkTraffic(v: unknown, c: Checker): TrafficSpec[] {
  const base: PathSegment[] = ['spec', 'traffic'];
  const list = c.list(v, base, 100, 'entries');
  if (!list) return [];
  const out: TrafficSpec[] = [];
  list.forEach((entry, i) => {
    const p = [...base, i];
    const m = c.mapping(entry, p, ['host', 'path', 'rps', 'headers', 'cookie', 'clients']);
    if (!m) return;
    const t: TrafficSpec = { path: '/', rps: 0 };
    const host = c.string(m.host, [...p, 'host'], 253);
    if (host !== undefined) {
      if (!/^(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/i.test(host)) c.invalid([...p, 'host'], host, 'must be a host name like shop.example.com');
      else t.host = host;
    }
    const path = c.string(m.path, [...p, 'path'], 2048);
    if (path !== undefined) {
      if (!path.startsWith('/')) c.invalid([...p, 'path'], path, "must be an absolute path (start with '/')");
      else t.path = path;
    }
    if (m.rps === undefined || m.rps === null) c.required([...p, 'rps'], 'requests per second, e.g. 20');
    else t.rps = c.number(m.rps, [...p, 'rps'], 0, 10_000) ?? 0;
    const headers = c.stringMap(m.headers, [...p, 'headers']);
    if (headers) t.headers = headers;
    const cookie = c.string(m.cookie, [...p, 'cookie'], 4096);
    if (cookie !== undefined) t.cookie = cookie;
    const clients = c.number(m.clients, [...p, 'clients'], 1, 10_000, true);
    if (clients !== undefined) t.clients = clients;
    out.push(t);
  });
  return out;
}
