/**
 * exportForRealCluster turns what was tried in Kubeplay into files for a real cluster (kind, or any
 * cluster with Argo Rollouts installed): the scenario's manifests, and a bash script that applies
 * them and replays the timeline — the scenario's steps and the user's actions, in time order, with
 * `sleep`s between them. Commands only Kubeplay understands (`kubeplay node fail …`) are commented
 * out with what to do instead.
 *
 * The input may come from a stranger's share link, and people run scripts: every word of every
 * command is re-quoted for bash (a `;`, `$( )` or backtick inside a line stays a literal argument),
 * and applied manifests go in quoted heredocs whose delimiter does not occur in them.
 */
import { parseYamlDocuments } from '../../engine/scenario/yamlparse.ts';
import { tokenize } from '../../engine/kubectl/tokenize.ts';
import { pipelineProblem, splitPipeline } from '../../engine/kubectl/pipeline.ts';
import { isScenarioDocument } from '../../engine/scenario/validate.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import type { ShareAction } from '../../share/payload.ts';

export interface RealClusterExport {
  /** manifestsFile and scriptFile are suggested file names. */
  manifestsFile: string;
  manifests: string;
  scriptFile: string;
  script: string;
}

/** shellQuote quotes one word for bash: bare when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./=:,@%+^-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** KUBEPLAY_ONLY explains, per `kubeplay` subcommand, what to do on a real cluster instead. */
const KUBEPLAY_ONLY: Record<string, string> = {
  node: 'node faults are simulated; on kind, stop a node container instead (docker stop <cluster>-worker2) and start it again to recover',
  pod: 'pod faults are simulated; on a real cluster, kubectl delete pod or a chaos tool does this',
  image: 'image behaviour comes from the simulated registry; on a real cluster, build and push an image that behaves this way',
  traffic: 'traffic is simulated; send real requests with a load tool (hey, k6) or curl in a loop',
  curl: 'requests are simulated; use kubectl run -it --rm curl --image=curlimages/curl -- curl … instead',
  nslookup: 'DNS lookups are simulated; use kubectl run -it --rm dns --image=busybox -- nslookup … instead',
  promql: 'metrics are simulated; query your Prometheus instead',
  trace: 'scheduler traces are a Kubeplay feature; kubectl describe pod shows the scheduler\'s events',
};

interface Step {
  t: number;
  kind: 'run' | 'apply';
  text: string;
  source: 'scenario' | 'you';
}

/** commandLine renders a terminal line for bash, or a comment saying why it cannot be replayed. */
export function commandLine(line: string): string {
  // A pipeline into the terminal's filters (grep, wc …): each part quoted, joined by real pipes.
  const stages = splitPipeline(line);
  if (stages.length > 1) {
    const problem = pipelineProblem(stages);
    if (problem) return `# not replayable (${problem}): ${oneLine(line)}`;
    const first = commandLine(stages[0].trim());
    if (first.startsWith('#')) return first;
    return [first, ...stages.slice(1).map((st) => (tokenize(st.trim()) as string[]).map(shellQuote).join(' '))].join(' | ');
  }
  const words = tokenize(line);
  if ('error' in words) return `# not replayable (${words.error.replace(/^error: /, '')}): ${oneLine(line)}`;
  if (words.length === 0) return '';
  const [prog, ...rest] = words;
  if (prog === 'kubectl' || prog === 'k') return ['kubectl', ...rest].map(shellQuote).join(' ');
  if (prog === 'kubeplay') {
    const why = KUBEPLAY_ONLY[rest[0] ?? ''] ?? 'a Kubeplay playground command with no kubectl equivalent';
    return `# kubeplay-only, skipped: ${oneLine(line)}\n#   (${why})`;
  }
  return `# not a kubectl command, skipped: ${oneLine(line)}`;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').slice(0, 500);
}

/** heredocDelimiter picks a delimiter that no line of text equals. */
function heredocDelimiter(text: string): string {
  const lines = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  let d = 'KUBEPLAY_MANIFEST';
  for (let i = 1; lines.has(d); i++) d = `KUBEPLAY_MANIFEST_${i}`;
  return d;
}

function seconds(ms: number): string {
  return (Math.round(ms) / 1000).toString();
}

/**
 * exportForRealCluster builds the two files. `name` is the scenario's file name (`canary.yaml`).
 * Steps after `until` (ms, default: everything) are left out, as the share link's replay leaves them.
 */
export function exportForRealCluster(name: string, scenarioText: string, actions: ShareAction[], until = Infinity): RealClusterExport {
  const base = name.replace(/\.(ya?ml)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'scenario';
  const manifestsFile = `${base}-manifests.yaml`;
  const scriptFile = `${base}-replay.sh`;

  const docs = parseYamlDocuments(scenarioText.slice(0, 2 * 1024 * 1024));
  const list = Array.isArray(docs) ? docs : [docs];
  const kept = list.filter((d) => {
    if (d.errors.length) return false;
    const v = d.toJS({ maxAliasCount: 100 }) as unknown;
    return v !== null && v !== undefined && !isScenarioDocument(v);
  });
  const manifests = kept.map((d) => String(d).replace(/^---\n/, '').trimEnd() + '\n').join('---\n');

  const parsed = parseScenario(scenarioText, name);
  const steps: Step[] = [
    ...parsed.spec.timeline.map((s): Step => (s.run !== undefined ? { t: s.at, kind: 'run', text: s.run, source: 'scenario' } : { t: s.at, kind: 'apply', text: s.applyText ?? '', source: 'scenario' })),
    ...actions.map((a): Step => ({ ...a, source: 'you' })),
  ]
    .map((s, i) => ({ s, i }))
    // Scenario steps first at equal times: the page runs the timeline's due steps before what was typed.
    .sort((a, b) => a.s.t - b.s.t || (a.s.source === b.s.source ? a.i - b.i : a.s.source === 'scenario' ? -1 : 1))
    .map((x) => x.s)
    .filter((s) => s.t <= until);

  const out: string[] = [
    '#!/usr/bin/env bash',
    `# Replays the Kubeplay scenario "${oneLine(parsed.name)}" on a real cluster: kind, or any cluster`,
    '# (with Argo Rollouts installed, for `kubectl argo rollouts` steps). Generated by Kubeplay.',
    '#',
    `# Usage: bash ${scriptFile}   (kubectl must point at the cluster; ${manifestsFile} next to this script)`,
    '#',
    '# Kubeplay simulates what a real cluster cannot be told to do: image behaviour (start-up time,',
    '# errors, crashes), simulated traffic and node faults. Those steps are commented out below.',
  ];
  if (parsed.spec.nodes.length) {
    out.push(`# The scenario's cluster has ${parsed.spec.nodes.length} node(s): ${parsed.spec.nodes.slice(0, 10).map((n) => oneLine(n.name)).join(', ')}${parsed.spec.nodes.length > 10 ? ', …' : ''}.`);
    out.push(`# On kind: a config with ${parsed.spec.nodes.length} "- role: worker" entries (kind create cluster --config kind.yaml).`);
  }
  out.push('set -euo pipefail', 'cd "$(dirname "$0")"', '', `# t=0s: the scenario's manifests`, `kubectl apply -f ${shellQuote(manifestsFile)}`);
  let now = 0;
  for (const s of steps) {
    if (s.t > now) {
      out.push('', `sleep ${seconds(s.t - now)}   # t=${seconds(s.t)}s`);
      now = s.t;
    }
    const who = s.source === 'you' ? '' : '   # (scenario timeline)';
    if (s.kind === 'run') {
      const line = commandLine(s.text);
      if (line) out.push(line.includes('\n') || line.startsWith('#') ? line : line + who);
    } else {
      const d = heredocDelimiter(s.text);
      out.push(`kubectl apply -f - <<'${d}'${who}`, s.text.replace(/\n$/, ''), d);
    }
  }
  out.push('');
  return { manifestsFile, manifests, scriptFile, script: out.join('\n') };
}
