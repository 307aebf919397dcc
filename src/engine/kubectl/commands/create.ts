import { isEnvVarName } from '../../api/names.ts';
import type { KubeObject } from '../../api/types.ts';
import { F, flag, intFlag, flags, namespace, type Command, type Ctx } from '../context.ts';
import { qualifiedName, dryRunSuffix } from '../output.ts';
import { api, CmdError, unknownSubcommand } from '../services.ts';
import { ApiError } from '../../api/errors.ts';
import { applyOrCreate } from './apply.ts';
import { statusErrorText } from '../errors.ts';
import { parseOutput, printObjects } from './get.ts';

const CREATE_FLAGS = [F.output, F.dryRun, F.filename];

/**
 * finish creates (or, with --dry-run=client, only prints) a generated object. With `what`, a server
 * error reads `error: failed to create <what>: …`, as create deployment, job and cronjob wrap it.
 */
export function finish(ctx: Ctx, obj: KubeObject, what?: string): string {
  if (!what) return created(ctx, obj);
  try {
    return created(ctx, obj);
  } catch (e) {
    if (e instanceof ApiError) throw new CmdError(`error: failed to create ${what}: ${statusErrorText(e, obj)}`);
    throw e;
  }
}

function created(ctx: Ctx, obj: KubeObject): string {
  const dry = flag(ctx, 'dry-run');
  if (dry === 'client') {
    // kubectl 1.31 prints the generated object as sent: namespace only with -n, zero timestamps as null.
    if (!flag(ctx, 'namespace')) delete obj.metadata.namespace;
    obj.metadata = { creationTimestamp: null, ...obj.metadata } as KubeObject['metadata'];
    const stamp = (o: { metadata?: Record<string, unknown> } | undefined) => {
      if (o?.metadata) o.metadata = { creationTimestamp: null, ...o.metadata };
    };
    stamp(obj.spec?.template);
    // A CronJob's job template and its pod template are ObjectMetas too.
    stamp(obj.spec?.jobTemplate);
    stamp(obj.spec?.jobTemplate?.spec?.template);
  }
  const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
  // The server's warnings (a pod template's, podwarnings.ts) come before what kubectl prints of the object.
  let out = '';
  const created = dry === 'client' ? obj : api(ctx.sim).create(obj, { dryRun: dry === 'server', warn: (w) => (out += `Warning: ${w}\n`) });
  if (fmt.kind === 'name') return out + qualifiedName(created) + '\n';
  if (fmt.kind) return out + printObjects([created], fmt, true);
  return `${out}${qualifiedName(created)} created${dryRunSuffix(dry)}\n`;
}

function needName(ctx: Ctx, what: string): string {
  const name = ctx.args[0];
  if (!name) throw new CmdError(`error: exactly one NAME is required, got 0\nSee 'kubectl create ${what} -h' for help and examples`);
  if (ctx.args.length > 1) throw new CmdError(`error: exactly one NAME is required, got ${ctx.args.length}\nSee 'kubectl create ${what} -h' for help and examples`);
  return name;
}

/** containerNameFromImage is create deployment's parseImageName: last path element without tag or digest. */
export function containerNameFromImage(image: string): string {
  let s = image.split('@')[0];
  s = s.slice(s.lastIndexOf('/') + 1);
  s = s.split(':')[0];
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'container';
}

/**
 * literalsAndFiles reads --from-literal=key=value, then --from-file, in kubectl's order (literal sources
 * first); a key given twice is refused with `duplicate`'s words (kubectl's addKeyFromLiteralTo… functions),
 * where a map would keep the last value and lose the first without a word.
 */
function literalsAndFiles(ctx: Ctx, duplicate: (key: string) => string): Record<string, string> {
  const data: Record<string, string> = {};
  const add = (key: string, value: string) => {
    if (Object.hasOwn(data, key)) throw new CmdError(`error: ${duplicate(key)}`);
    data[key] = value;
  };
  for (const l of flags(ctx, 'from-literal')) {
    const i = l.indexOf('=');
    if (i <= 0) throw new CmdError(`error: invalid literal source ${l}, expected key=value`);
    add(l.slice(0, i), l.slice(i + 1));
  }
  for (const [key, text] of fileSources(ctx)) add(key, text);
  return data;
}

export const createCommand: Command = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  flags: [...CREATE_FLAGS, F.recursive, F.record, F.validate],
  run(ctx) {
    // create.go: without -f it says so, then runs DefaultSubCommandRun (its words are no subcommand it has).
    if (ctx.args.length && !flags(ctx, 'filename').length) throw new CmdError(`Error: must specify one of -f and -k\n\n${unknownSubcommand('kubectl create', ctx.args)}`);
    return applyOrCreate(ctx, 'create');
  },
};

export const createDeploymentCommand: Command = {
  name: 'create deployment',
  aliases: ['create deploy'],
  short: 'Create a deployment with the specified name',
  flags: [...CREATE_FLAGS, { name: 'image', repeat: true }, { name: 'replicas', short: 'r', int: true }, { name: 'port' }],
  run(ctx) {
    const name = needName(ctx, 'deployment');
    const images = flags(ctx, 'image');
    if (images.length === 0) throw new CmdError(`error: required flag(s) "image" not set`);
    // `-- COMMAND ARGS…` is the container's command (ENTRYPOINT), not its args as with kubectl run.
    const command = ctx.afterDash ?? [];
    if (images.length > 1 && command.length) throw new CmdError('error: cannot specify multiple --image options and command');
    const replicas = intFlag(ctx, 'replicas') ?? 1;
    const port = flag(ctx, 'port');
    const labels = { app: name };
    const containers = images.map((image) => {
      const c: Record<string, unknown> = { ...(command.length ? { command } : {}), image, name: containerNameFromImage(image), resources: {} };
      if (port !== undefined && port !== '-1') c.ports = [{ containerPort: Number(port) }];
      return c;
    });
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: namespace(ctx), labels: { ...labels } },
      spec: {
        replicas,
        selector: { matchLabels: { ...labels } },
        strategy: {},
        template: { metadata: { labels: { ...labels } }, spec: { containers } },
      },
      status: {},
    };
    return finish(ctx, d, 'deployment');
  },
};

export const createNamespaceCommand: Command = {
  name: 'create namespace',
  aliases: ['create ns'],
  short: 'Create a namespace with the specified name',
  flags: CREATE_FLAGS,
  run(ctx) {
    const name = needName(ctx, 'namespace');
    return finish(ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: {} });
  },
};

export const createConfigMapCommand: Command = {
  name: 'create configmap',
  aliases: ['create cm'],
  short: 'Create a config map from a local file, directory or literal value',
  flags: [...CREATE_FLAGS, { name: 'from-literal', repeat: true }, { name: 'from-file', repeat: true }, { name: 'from-env-file', repeat: true }],
  run(ctx) {
    const name = needName(ctx, 'configmap');
    const where = `in Data for ConfigMap ${JSON.stringify(name)}`;
    const data = fromEnvFiles(ctx, where) ?? literalsAndFiles(ctx, (key) => `cannot add key ${JSON.stringify(key)}, another key by that name already exists ${where}`);
    return finish(ctx, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: namespace(ctx) }, data });
  },
};

export const createSecretCommand: Command = {
  name: 'create secret',
  short: 'Create a secret using a specified subcommand (generic, docker-registry, tls)',
  flags: [
    ...CREATE_FLAGS,
    { name: 'from-literal', repeat: true },
    { name: 'from-file', repeat: true },
    { name: 'from-env-file', repeat: true },
    { name: 'type' },
    { name: 'cert' },
    { name: 'key' },
    { name: 'docker-server' },
    { name: 'docker-username' },
    { name: 'docker-password' },
    { name: 'docker-email' },
  ],
  run(ctx) {
    const sub = ctx.args[0];
    if (sub !== 'generic' && sub !== 'tls' && sub !== 'docker-registry') {
      throw new CmdError(
        sub
          ? unknownSubcommand('kubectl create secret', ctx.args)
          : 'Create a secret with specified type.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]',
      );
    }
    ctx.args = ctx.args.slice(1);
    const name = needName(ctx, `secret ${sub}`);
    const metadata = { name, namespace: namespace(ctx) };
    if (sub === 'tls') return finish(ctx, { apiVersion: 'v1', kind: 'Secret', metadata, type: 'kubernetes.io/tls', data: tlsData(ctx) });
    if (sub === 'docker-registry') {
      const files = Object.fromEntries(fileSources(ctx));
      const data = Object.keys(files).length ? mapValues(files, base64) : { '.dockerconfigjson': base64(dockerConfig(ctx)) };
      return finish(ctx, { apiVersion: 'v1', kind: 'Secret', metadata, type: 'kubernetes.io/dockerconfigjson', data });
    }
    const data = mapValues(fromEnvFiles(ctx, 'in data') ?? literalsAndFiles(ctx, (key) => `cannot add key ${key}, another key by that name already exists`), base64);
    return finish(ctx, { apiVersion: 'v1', kind: 'Secret', metadata, type: flag(ctx, 'type') ?? 'Opaque', data });
  },
};

/**
 * tlsData is create_secret_tls.go's: --cert and --key read from files and checked as a PEM key pair
 * (tls.X509KeyPair's first complaint), stored as tls.crt and tls.key.
 */
function tlsData(ctx: Ctx): Record<string, string> {
  const cert = flag(ctx, 'cert');
  const key = flag(ctx, 'key');
  if (!cert || !key) throw new CmdError('error: key and cert must be specified');
  const read = (path: string) => {
    const t = ctx.opts.files?.[path];
    if (t === undefined) throw new CmdError(`error: open ${path}: no such file or directory`);
    return t;
  };
  const [c, k] = [read(cert), read(key)];
  if (!/-----BEGIN [A-Z ]+-----/.test(c)) throw new CmdError('error: failed to load key pair tls: failed to find any PEM data in certificate input');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(k)) throw new CmdError('error: failed to load key pair tls: failed to find any PEM data in key input');
  return { 'tls.crt': base64(c), 'tls.key': base64(k) };
}

/** dockerConfig is create_secret_docker.go's .dockerconfigjson: one auths entry for the server, auth = base64(user:password). */
function dockerConfig(ctx: Ctx): string {
  const server = flag(ctx, 'docker-server') ?? 'https://index.docker.io/v1/';
  const username = flag(ctx, 'docker-username') ?? '';
  const password = flag(ctx, 'docker-password') ?? '';
  const email = flag(ctx, 'docker-email') ?? '';
  if (!username || !password || !server) throw new CmdError('error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
  const entry: Record<string, string> = { username, password };
  if (email) entry.email = email;
  entry.auth = base64(`${username}:${password}`);
  return JSON.stringify({ auths: { [server]: entry } });
}

/** fileSources reads --from-file=[key=]path (opts.files), keyed by the given key or the file's base name. */
function fileSources(ctx: Ctx): [key: string, text: string][] {
  return flags(ctx, 'from-file').map((f) => {
    const [key, file] = f.includes('=') ? [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] : [f.split('/').pop()!, f];
    const text = ctx.opts.files?.[file];
    if (text === undefined) throw new CmdError(`error: error reading ${file}: no such file or directory`);
    return [key, text];
  });
}

/**
 * fromEnvFiles reads --from-env-file as AddFromEnvFile does (undefined without one): KEY=VALUE lines,
 * blank lines and # comments skipped, leading blanks trimmed; a line without "=" takes the value from
 * kubectl's own environment, which the page does not have (empty). It cannot be combined with
 * --from-file or --from-literal, and a key twice is refused (`where` names the object's data).
 */
function fromEnvFiles(ctx: Ctx, where: string): Record<string, string> | undefined {
  const files = flags(ctx, 'from-env-file');
  if (files.length === 0) return undefined;
  if (flags(ctx, 'from-file').length || flags(ctx, 'from-literal').length) throw new CmdError('error: from-env-file cannot be combined with from-file or from-literal');
  const data: Record<string, string> = {};
  for (const file of files) {
    const text = ctx.opts.files?.[file];
    if (text === undefined) throw new CmdError(`error: open ${file}: no such file or directory`);
    text.split('\n').forEach((raw, i) => {
      const line = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r$/, '').trimStart();
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      const errs = isEnvVarName(key);
      if (errs.length) throw new CmdError(`error: ${JSON.stringify(key)} is not a valid key name: ${errs.join(';')}`);
      if (key in data) throw new CmdError(`error: cannot add key ${JSON.stringify(key)}, another key by that name already exists ${where}`);
      data[key] = eq < 0 ? '' : line.slice(eq + 1);
    });
  }
  return data;
}

const mapValues = (o: Record<string, string>, f: (v: string) => string) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** base64 encodes UTF-8 text without Buffer/btoa (the engine runs in a worker and in Node). */
export function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63] + (i + 1 < bytes.length ? abc[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? abc[n & 63] : '=');
  }
  return out;
}

/** container is the one container create job / create cronjob make: named after the object, its command after `--`. */
function jobContainer(ctx: Ctx, name: string, image: string): Record<string, unknown> {
  const c: Record<string, unknown> = { name, image, resources: {} };
  if (ctx.afterDash?.length) c.command = ctx.afterDash;
  return c;
}

/**
 * createJobCommand is `kubectl create job NAME --image=IMAGE [-- COMMAND …]` (restartPolicy Never) or
 * `--from=cronjob/NAME`: the CronJob's job template, owned by the CronJob and annotated
 * cronjob.kubernetes.io/instantiate: manual, as the CronJob controller would have made it.
 */
export const createJobCommand: Command = {
  name: 'create job',
  short: 'Create a job with the specified name',
  flags: [...CREATE_FLAGS, { name: 'image' }, { name: 'from' }],
  run(ctx) {
    const name = needName(ctx, 'job');
    const image = flag(ctx, 'image');
    const from = flag(ctx, 'from');
    if ((!image && !from) || (image && from)) throw new CmdError('error: either --image or --from must be specified');
    if (from && ctx.afterDash?.length) throw new CmdError('error: cannot specify --from and command');
    const ns = namespace(ctx);
    if (image) {
      const spec = { template: { metadata: {}, spec: { containers: [jobContainer(ctx, name, image)], restartPolicy: 'Never' } } };
      return finish(ctx, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns }, spec, status: {} }, 'job');
    }
    const [type, cjName] = from!.split('/');
    if (!cjName || !['cronjob', 'cronjobs', 'cj', 'cronjobs.batch'].includes(type.toLowerCase())) throw new CmdError(`error: from must be an existing cronjob: ${from}`);
    const cj = ctx.sim.store.get<KubeObject>('CronJob', ns, cjName);
    if (!cj) throw new CmdError(`Error from server (NotFound): cronjobs.batch "${cjName}" not found`);
    const tmpl = cj.spec?.jobTemplate ?? {};
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: ns,
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(tmpl.metadata?.annotations ?? {}) },
        ...(tmpl.metadata?.labels ? { labels: { ...tmpl.metadata.labels } } : {}),
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid!, controller: true }],
      },
      spec: structuredClone(tmpl.spec ?? {}),
      status: {},
    };
    return finish(ctx, job, 'job');
  },
};

/** createCronJobCommand is `kubectl create cronjob NAME --image=IMAGE --schedule=CRON [--restart=OnFailure] [-- COMMAND …]`. */
export const createCronJobCommand: Command = {
  name: 'create cronjob',
  aliases: ['create cj'],
  short: 'Create a cron job with the specified name',
  flags: [...CREATE_FLAGS, { name: 'image' }, { name: 'schedule' }, { name: 'restart' }],
  run(ctx) {
    const name = needName(ctx, 'cronjob');
    const image = flag(ctx, 'image');
    const schedule = flag(ctx, 'schedule');
    if (!image) throw new CmdError('error: --image must be specified');
    if (!schedule) throw new CmdError('error: --schedule must be specified');
    const restart = flag(ctx, 'restart') || 'OnFailure';
    const spec = {
      schedule,
      jobTemplate: { metadata: { name }, spec: { template: { metadata: {}, spec: { containers: [jobContainer(ctx, name, image)], restartPolicy: restart } } } },
    };
    return finish(ctx, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: namespace(ctx) }, spec, status: {} }, 'cronjob');
  },
};
