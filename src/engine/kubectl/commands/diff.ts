/**
 * kubectl diff (k8s.io/kubectl/pkg/cmd/diff): each object of -f as it is live (LIVE) against what
 * applying it would make (MERGED, a server-side dry run), printed to two directories as YAML and
 * compared by `diff -u -N`. The exit status is diff's: 0 no differences, 1 differences; kubectl's own
 * errors exit 2 (CheckDiffErr), and then no diff is printed.
 */
import { structuredPatch } from 'diff';
import { ApiError } from '../../api/errors.ts';
import { kindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/types.ts';
import { hashString } from '../../rng.ts';
import { boolFlag, F, flag, namespace, type CommandResult, type Command, type Ctx } from '../context.ts';
import { apiErrorMessage } from '../errors.ts';
import { checkManifest, readManifests } from '../manifests.ts';
import { toYaml } from '../output.ts';
import { selectorPredicate } from '../resources.ts';
import { api, CmdError } from '../services.ts';

/** The Masker's words for a Secret's data (diff.go): equal values, and a changed value's two sides. */
const MASK = '***';
const MASK_BEFORE = '*** (before)';
const MASK_AFTER = '*** (after)';

/** A file name in the two directories: InfoObject.Name(), "[group.]version.Kind.namespace.name". */
function fileName(obj: KubeObject): string {
  const info = kindInfo(obj.kind)!;
  const version = obj.apiVersion.slice(obj.apiVersion.lastIndexOf('/') + 1);
  return `${info.group ? `${info.group}.` : ''}${version}.${info.kind}.${obj.metadata.namespace ?? ''}.${obj.metadata.name}`;
}

/**
 * maskSecrets is the Masker: every value of a Secret's data becomes ***, and a key whose value differs
 * on the two sides *** (before) and *** (after), so a change shows without the values.
 */
function maskSecrets(live: KubeObject | undefined, merged: KubeObject): [KubeObject | undefined, KubeObject] {
  const from = live?.data as Record<string, unknown> | undefined;
  const to = merged.data as Record<string, unknown> | undefined;
  const f = from ? { ...from } : undefined;
  const t = to ? { ...to } : undefined;
  for (const k of Object.keys(f ?? {})) {
    if (t && k in t) {
      if (f![k] !== t[k]) {
        f![k] = MASK_BEFORE;
        t[k] = MASK_AFTER;
        continue;
      }
      t[k] = MASK;
    }
    f![k] = MASK;
  }
  for (const k of Object.keys(t ?? {})) if (!f || !(k in f)) t![k] = MASK;
  return [live && f ? { ...live, data: f } : live, t ? { ...merged, data: t } : merged];
}

/**
 * printed is the Printer: the object as sigs.k8s.io/yaml marshals it. The Printer leaves managedFields
 * out unless --show-managed-fields; the API server here keeps none, so the flag changes nothing.
 */
function printed(obj: KubeObject | undefined): string {
  return obj ? toYaml(obj) : '';
}

/** range is a unified hunk's "start,count" as GNU diff writes it: a count of 1 is left out. */
function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/**
 * MAX_EDITS bounds the search for the shortest diff (Myers' algorithm is O(N·D)): a change of more lines
 * than this (a 10,000-key ConfigMap rewritten) is shown as one hunk replacing the whole file instead of
 * freezing the worker for a minute. GNU diff finds a shorter one with its heuristics; both are valid.
 */
const MAX_EDITS = 2000;

/** wholeFile is the one-hunk patch that removes every line of a and adds every line of b. */
function wholeFile(aText: string, bText: string): { hunks: { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] }[] } {
  const lines = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const a = lines(aText);
  const b = lines(bText);
  return { hunks: [{ oldStart: 1, oldLines: a.length, newStart: 1, newLines: b.length, lines: [...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)] }] };
}

/** unified is `diff -u -N a b` of one file's two versions ('' when they are the same). */
function unified(a: string, b: string, aText: string, bText: string, stamp: string): string {
  if (aText === bText) return '';
  const patch = structuredPatch(a, b, aText, bText, undefined, undefined, { context: 3, maxEditLength: MAX_EDITS }) ?? wholeFile(aText, bText);
  let out = `diff -u -N ${a} ${b}\n--- ${a}\t${stamp}\n+++ ${b}\t${stamp}\n`;
  for (const h of patch.hunks) {
    // An empty side is numbered from the line before it (0 for an empty file), as GNU diff writes it.
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    out += `@@ -${range(oldStart, h.oldLines)} +${range(newStart, h.newLines)} @@\n`;
    for (const line of h.lines) out += `${line}\n`;
  }
  return out;
}

/**
 * tempDir is a directory name as os.MkdirTemp makes one ("/tmp/LIVE-" and a random 32-bit number),
 * drawn here from the command's own input and the clock, so a replayed scenario prints the same
 * names without taking numbers from the cluster's generator.
 */
function tempDir(prefix: string, seed: string): string {
  return `/tmp/${prefix}-${hashString(`${prefix}\n${seed}`)}`;
}

/** stamp is a file's modification time as `diff -u` prints it: the virtual clock, in UTC, to the nanosecond. */
function stamp(iso: string): string {
  const [date, time] = iso.replace(/Z$/, '').split('T');
  const [hms, frac = ''] = time.split('.');
  return `${date} ${hms}.${frac.padEnd(9, '0')} +0000`;
}

function runDiff(ctx: Ctx): CommandResult {
  if (ctx.args.length) throw new CmdError(`error: Unexpected args: [${ctx.args.join(' ')}]\nSee 'kubectl diff -h' for help and examples`);
  if (boolFlag(ctx, 'prune')) throw new CmdError('error: kubectl diff --prune is not simulated in Kubeplay: list what a label selects with kubectl get -l');
  if (boolFlag(ctx, 'force-conflicts') && !boolFlag(ctx, 'server-side')) throw new CmdError('error: --force-conflicts only works with --server-side');
  const manifests = readManifests(ctx);
  const selected = selectorPredicate(flag(ctx, 'selector'));
  let warnings = '';
  const files: { name: string; live: string; merged: string }[] = [];
  for (const m of manifests) {
    checkManifest(m, namespace(ctx), flag(ctx, 'namespace'));
    if (!selected(m.obj)) continue;
    // info.Get() of an object without a name (or with only generateName) fails before any dry run.
    if (!m.obj.metadata.name) throw new CmdError('error: resource name may not be empty');
    const local = structuredClone(m.obj);
    const live = ctx.sim.store.get(local.kind, local.metadata.namespace, local.metadata.name);
    // With no --validate flag, the request leaves field validation to the server, which warns.
    const opts = { dryRun: true, fieldValidation: 'Warn' as const, warn: (w: string) => (warnings += `Warning: ${w}\n`) };
    let merged: KubeObject;
    try {
      // InfoObject.Merged: a dry-run create of the manifest as it is, or apply's three-way patch
      // without recording it (GetModifiedConfiguration with annotate false).
      merged = live ? api(ctx.sim).apply(local, { ...opts, annotate: false }).obj : api(ctx.sim).create(local, opts);
    } catch (e) {
      if (e instanceof ApiError) throw new CmdError(warnings + (live ? apiErrorMessage(e, 'applying patch', m.source) : apiErrorMessage(e)));
      throw e;
    }
    // apply.WarnIfDeleting
    if (live?.metadata.deletionTimestamp) warnings += `Warning: Detected changes to resource ${live.metadata.name} which is currently being deleted.\n`;
    let from: KubeObject | undefined = live;
    let to = merged;
    if (merged.apiVersion === 'v1' && merged.kind === 'Secret') [from, to] = maskSecrets(live, merged);
    files.push({ name: fileName(merged), live: printed(from), merged: printed(to) });
  }
  const input = `${ctx.sim.now()}\n${ctx.opts.stdin ?? ''}\n${manifests.map((m) => m.source).join('\n')}`;
  const liveDir = tempDir('LIVE', input);
  const mergedDir = tempDir('MERGED', input);
  const when = stamp(ctx.sim.nowIso());
  let out = '';
  // diff compares the two directories' files in name order; a later file of the same name replaces the earlier.
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const name of [...byName.keys()].sort()) {
    const f = byName.get(name)!;
    out += unified(`${liveDir}/${name}`, `${mergedDir}/${name}`, f.live, f.merged, when);
  }
  return { exit: out ? 1 : 0, out: warnings + out };
}

export const diffCommand: Command = {
  name: 'diff',
  short: 'Diff the live version against a would-be applied version',
  flags: [
    F.filename,
    F.recursive,
    F.selector,
    { name: 'server-side', bool: true },
    { name: 'force-conflicts', bool: true },
    { name: 'field-manager' },
    { name: 'show-managed-fields', bool: true },
    { name: 'prune', bool: true },
    { name: 'prune-allowlist', repeat: true },
    { name: 'concurrency', int: true },
  ],
  run: (ctx) => {
    try {
      return runDiff(ctx);
    } catch (e) {
      // CheckDiffErr: kubectl's own errors exit 2, as 1 means differences were found.
      if (e instanceof CmdError) return { exit: 2, out: `${e.message}\n` };
      throw e;
    }
  },
};
