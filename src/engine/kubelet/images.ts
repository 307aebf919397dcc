import type { ImageBehavior, Sim } from '../sim.ts';
import { hashString, hexInto } from '../rng.ts';
import { memoized } from '../memo.ts';
import { registryProblem } from './registry.ts';

/**
 * Images: how the simulated registry's images behave on a node. An image named in the scenario's
 * `images:` section behaves as written there; any other image is healthy, with pull and start
 * times drawn once per image from the seeded PRNG (pull 1–3 s, start 0.5–2 s) so every run agrees.
 */
export interface ResolvedImage extends ImageBehavior {
  pullMs: number;
  startupMs: number;
  sizeBytes: number;
}

/**
 * KNOWN_BEHAVIOR: images of the Kubernetes docs' examples, behaving as the docs show when a scenario
 * does not say otherwise. The liveness image's /server answers /healthz with 200 for its first 10
 * seconds and 500 after (test/images/agnhost/liveness), so the "Define a liveness HTTP request" pod
 * restarts every ~20 s.
 */
const KNOWN_BEHAVIOR: Record<string, ImageBehavior> = {
  'k8s.gcr.io/liveness': { livenessFailAfterSeconds: 10, readinessFailAfterSeconds: 10 },
  'registry.k8s.io/liveness': { livenessFailAfterSeconds: 10, readinessFailAfterSeconds: 10 },
};

/**
 * AGNHOST: the Kubernetes e2e test image, whose first argument picks the program it runs. The probes
 * page's "Define a liveness HTTP request" now runs `agnhost liveness` (test/images/agnhost/liveness),
 * the old liveness image's server: /healthz answers 200 for its first 10 seconds and 500 after.
 */
const AGNHOST = new Set(['registry.k8s.io/e2e-test-images/agnhost', 'k8s.gcr.io/e2e-test-images/agnhost', 'gcr.io/kubernetes-e2e-test-images/agnhost']);
const AGNHOST_PROGRAMS: Record<string, ImageBehavior> = {
  liveness: KNOWN_BEHAVIOR['registry.k8s.io/liveness'],
};

/**
 * containerBehavior is imageBehavior for one container's program: for agnhost, what the subcommand its
 * arguments name does (unless the scenario's `images:` says how the image behaves).
 */
export function containerBehavior(sim: Sim, image: string, spec: { command?: string[]; args?: string[] }): ResolvedImage {
  const beh = imageBehavior(sim, image);
  if (sim.images[image] || !AGNHOST.has(imageRepository(image))) return beh;
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])].map(String);
  const program = AGNHOST_PROGRAMS[/(^|\/)agnhost$/.test(argv[0] ?? '') ? argv[1] : argv[0]];
  return program ? { ...beh, ...program } : beh;
}

/** MISSING: an image the simulated registry does not have (registry.ts) fails to pull. */
const MISSING: ImageBehavior = { pullError: true };

/**
 * stressLoad is what the docs' stress containers use, read from their arguments: polinux/stress (stress(1):
 * `--vm N` workers each holding `--vm-bytes`, 256M by default, k/m/g in powers of 1024; `--cpu N` spinning
 * workers) and vish/stress (`-cpus N` busy goroutines). The "Assign Memory Resources" pod that holds
 * 250M under a 100Mi limit is OOM-killed; the CPU one is throttled at its limit.
 */
export function stressLoad(c: { image: string; command?: string[]; args?: string[] }): { memoryBytes?: number; cpuMilli?: number } | undefined {
  const repo = imageRepository(c.image);
  if (repo !== 'docker.io/polinux/stress' && repo !== 'docker.io/vish/stress') return undefined;
  const argv = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  const value = (...names: string[]): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      for (const n of names) {
        if (argv[i] === n) return argv[i + 1];
        if (argv[i].startsWith(n + '=')) return argv[i].slice(n.length + 1);
      }
    }
    return undefined;
  };
  const count = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : 0);
  if (repo === 'docker.io/vish/stress') {
    const cpus = count(value('-cpus', '--cpus'));
    return cpus ? { cpuMilli: cpus * 1000 } : undefined;
  }
  const vm = count(value('--vm', '-m'));
  const cpu = count(value('--cpu', '-c'));
  const m = /^(\d+)([bkmgBKMG]?)$/.exec(value('--vm-bytes') ?? '256M');
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase()] ?? 1;
  return { memoryBytes: vm && m ? vm * Number(m[1]) * unit : undefined, cpuMilli: cpu ? cpu * 1000 : undefined };
}

/** imageBehavior returns the behaviour of an image, drawing the defaults of an unknown image once. */
export function imageBehavior(sim: Sim, image: string): ResolvedImage {
  // Listed in the scenario, else a docs example's, else what the registry has (an official image's
  // unknown tag or a misspelt official name fails to pull; registry.ts).
  const known = sim.images[image] ?? KNOWN_BEHAVIOR[imageRepository(image)] ?? (registryProblem(image) ? MISSING : undefined);
  const st = sim.moduleState('kubelet.images', () => ({ drawn: {} as Record<string, { pullMs: number; startupMs: number }> }));
  let d = st.drawn[image];
  if (!d) {
    d = { pullMs: 1000 + sim.rng.int(2001), startupMs: 500 + sim.rng.int(1501) };
    st.drawn[image] = d;
  }
  const sizeBytes = 20_000_000 + (hashString(image) % 180_000_000);
  if (!known) return { pullMs: d.pullMs, startupMs: d.startupMs, sizeBytes };
  return {
    ...known,
    pullMs: known.pullSeconds !== undefined ? Math.round(known.pullSeconds * 1000) : d.pullMs,
    startupMs: known.startupSeconds !== undefined ? Math.round(known.startupSeconds * 1000) : d.startupMs,
    sizeBytes,
  };
}

/**
 * normalizeImage returns the reference a container runtime reports in status.image:
 * "nginx:1.25" -> "docker.io/library/nginx:1.25", "bitnami/redis" -> "docker.io/bitnami/redis:latest".
 */
export function normalizeImage(image: string): string {
  // Asked on every container status write: one string per image.
  let ref = normalized.get(image);
  if (ref !== undefined) return ref;
  ref = normalizeImageUncached(image);
  if (normalized.size >= 1024) normalized.clear();
  normalized.set(image, ref);
  return ref;
}

const normalized = new Map<string, string>();

function normalizeImageUncached(image: string): string {
  let ref = image;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = slash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) ref += ':latest';
  return ref;
}

/* The reference grammar of distribution/reference (regexp.go), which the kubelet parses images with. */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`);

/**
 * imageReferenceError is why the kubelet cannot use an image reference (its applyDefaultImageTag, via
 * reference.ParseNormalizedNamed), or undefined when it can: the container then waits as InvalidImageName.
 */
export const imageReferenceError: (image: string) => string | undefined = memoized(1024, referenceErrorUncached);

function referenceErrorUncached(image: string): string | undefined {
  const m = REFERENCE.exec(image);
  if (m && m[1].length <= 255) return undefined;
  let why = m ? 'repository name must not be more than 255 characters' : 'invalid reference format';
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let remainder = hasDomain ? image.slice(slash + 1) : image;
  if (!hasDomain && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) why = `invalid reference format: repository name (${remote}) must be lowercase`;
  return `couldn't parse image name ${JSON.stringify(image)}: ${why}`;
}

/** imageID is the digest reference the runtime reports (deterministic per image name). */
export function imageID(image: string): string {
  // Every status write of every container asks: one string per image, not a new one per write.
  let id = imageIDs.get(image);
  if (id === undefined) {
    id = [imageRepository(image), '@sha256:', hex64(image)].join('');
    if (imageIDs.size >= 1024) imageIDs.clear();
    imageIDs.set(image, id);
  }
  return id;
}

const imageIDs = new Map<string, string>();

/** imageRepository is the image's full repository, without tag or digest ("nginx:1.25" → "docker.io/library/nginx"). */
export function imageRepository(image: string): string {
  let repo = repositories.get(image);
  if (repo === undefined) {
    repo = normalizeImage(image).replace(/[:@][^/]*$/, '');
    if (repositories.size >= 1024) repositories.clear();
    repositories.set(image, repo);
  }
  return repo;
}

const repositories = new Map<string, string>();

/** HEX64_CODES is hex64's buffer of 64 char codes (one flat string is made from it per call). */
const HEX64_CODES = new Array<number>(64).fill(48);

/** hex64 derives 64 hex digits from a string (for digests and container IDs). */
export function hex64(s: string): string {
  // One FNV-1a hash seeds a xorshift32 stream: 8 words of 8 hex digits.
  let x = hashString(s) || 0x9e3779b9;
  for (let i = 0; i < 8; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    hexInto(HEX64_CODES, i * 8, x, 8);
  }
  return String.fromCharCode.apply(null, HEX64_CODES);
}

/**
 * goDuration prints milliseconds as Go's time.Duration.String() after Truncate(time.Millisecond):
 * 2300 -> "2.3s", 450 -> "450ms", 65200 -> "1m5.2s", 0 -> "0s".
 */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.floor(ms));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const secs = `${Math.floor(rest / 1000)}${rest % 1000 ? '.' + String(rest % 1000).padStart(3, '0').replace(/0+$/, '') : ''}s`;
  if (h) return `${h}h${m}m${secs}`;
  if (m) return `${m}m${secs}`;
  return secs;
}

/** pullFailureMessage is what the runtime says when an image cannot be pulled (containerd's "not found"). */
export function pullFailureMessage(image: string): string {
  const ref = normalizeImage(image);
  // containerd's resolver: the registry refuses a repository it has not (Docker Hub answers 401), and
  // has no manifest for a tag it lacks.
  if (registryProblem(image) === 'no-such-repository') {
    return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}
