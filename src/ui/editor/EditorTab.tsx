/**
 * EditorTab: write or paste manifests and apply them (the Apply button or Ctrl/Cmd+Enter), as
 * `kubectl apply -f -`, or first see what applying them would change (Diff, `kubectl diff -f -`).
 * Monaco and its YAML worker are loaded only when this tab is first opened.
 * The schema's problems are listed under the editor; the API server still has the final word, and its
 * validation errors are marked on the lines they are about (engineMarkers).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { getClient, type CommandResult } from '../state/client.ts';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';
import { markBranch } from '../terminal/run.ts';
import type { Marker } from './MonacoEditor.tsx';
import { engineMarkers, type EngineMarker } from './engineMarkers.ts';
import { parseYamlDocuments } from '../../engine/scenario/yamlparse.ts';
import { LIMITS } from '../../engine/scenario/limits.ts';
import { openScenarioText } from '../workspace/files.ts';
import { READ_ONLY_TITLE, useShare } from '../share/pageShare.ts';
import { useKeyboardScroll } from '../keyboardScroll.ts';

const MonacoEditor = lazy(() => import('./MonacoEditor.tsx'));

/** scenarioNote: why a Scenario document is not applied (or diffed) to the running cluster, and what to do instead. */
const scenarioNote = (diff: boolean) =>
  `This text is a Kubeplay scenario (kind: Scenario): ${diff ? 'Diff compares Kubernetes objects with' : 'Apply sends Kubernetes objects to'} the cluster that is running, and a scenario is a cluster of its own. Open it as a scenario to load it (Workspaces → Import does the same with a file).`;

/** NO_DIFFERENCES: kubectl diff prints nothing when applying would change nothing; the panel says so. */
const NO_DIFFERENCES = 'No differences: applying this text would change nothing (kubectl diff printed nothing and exited 0).';

/** DiffLines colours a unified diff's lines: added, removed, hunk headers (the text itself as React text, never HTML). */
function DiffLines({ out }: { out: string }) {
  return (
    <>
      {out.split(/(?<=\n)/).map((line, i) => {
        const cls = /^(\+\+\+|---) /.test(line) || line.startsWith('diff ') ? 'diff-file' : line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : undefined;
        return cls ? (
          <span key={i} className={cls}>
            {line}
          </span>
        ) : (
          line
        );
      })}
    </>
  );
}

/** isScenarioText: one of the text's documents is a kubeplay.dev Scenario. */
function isScenarioText(text: string): boolean {
  try {
    return parseYamlDocuments(text).some((d) => {
      const v = d.toJS({ maxAliasCount: LIMITS.aliases }) as { apiVersion?: unknown; kind?: unknown } | null;
      return v?.kind === 'Scenario' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('kubeplay.dev/');
    });
  } catch {
    return false;
  }
}

export default function EditorTab() {
  // result: the last Apply's answer, with the text it was about (it is shown as past once the text changes).
  const readOnly = useShare((s) => s.readOnly);
  const [result, setResult] = useState<(CommandResult & { text: string; scenario?: boolean; diff?: boolean }) | undefined>(undefined);
  const text = useUi((s) => s.editorText);
  const [markers, setMarkers] = useState<Marker[]>([]);
  const [serverMarkers, setServerMarkers] = useState<EngineMarker[]>([]);
  // Another scenario: the last Apply's answer was about the old cluster, so it goes (the draft stays: it is
  // the learner's work).
  const scenario = useCluster((s) => s.scenario);
  useEffect(() => {
    setResult(undefined);
    setServerMarkers([]);
  }, [scenario]);
  // Apply runs `kubectl apply -f -`; Diff runs `kubectl diff -f -`, which changes nothing, so a read-only
  // link may use it and nothing is recorded (its exit 1 means differences were found; 2 is kubectl's error).
  const send = async (diff: boolean) => {
    const text = useUi.getState().editorText;
    // A Kubeplay scenario pasted here is not manifests for the running cluster: offer to open it instead
    // of applying its manifests to this cluster and refusing its Scenario document.
    if (isScenarioText(text)) {
      setResult({ exit: 1, out: scenarioNote(diff), text, scenario: true, diff });
      setServerMarkers([]);
      return;
    }
    if (!diff) markBranch(useCluster.getState().clock.t);
    const r = await (diff ? getClient().diff(text) : getClient().apply(text));
    setResult({ ...r, text, diff });
    setServerMarkers(r.exit > (diff ? 1 : 0) ? engineMarkers(text, r.out) : []);
  };
  const apply = () => send(false);
  // A scenario refused is a note, whichever button asked.
  const failed = result && (result.diff && !result.scenario ? result.exit > 1 : result.exit !== 0);
  // The API server has the final word: where it refused a line, the schema's view of that line (the
  // same mistake in other words, "Value is below the minimum of 0") is not listed again.
  const serverLines = new Set(markers.filter((m) => m.server).map((m) => m.line));
  // A YAML syntax problem comes first: the schema's complaints around it ("Missing property selector")
  // follow from the text not reading as the intended structure, and go once the syntax is fixed.
  // One per line: the YAML worker names one mistake twice ("nested mappings" and "implicit keys" at one spot).
  const syntax = markers.filter((m, i) => m.syntax && markers.findIndex((o) => o.syntax && o.line === m.line) === i);
  const listed = syntax.length ? syntax : serverLines.size ? markers.filter((m) => m.server || !serverLines.has(m.line)) : markers;
  const errors = listed.filter((m) => m.severity !== 'info');
  const resultRef = useKeyboardScroll<HTMLPreElement>();
  return (
    <div className="editor">
      <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
        <MonacoEditor onApply={() => void apply()} onMarkers={setMarkers} engineMarkers={serverMarkers} />
      </Suspense>
      {listed.length > 0 && (
        <ul className="problems-list" data-testid="editor-problems" aria-label="Problems">
          {[...listed].sort((a, b) => a.line - b.line).slice(0, 20).map((m, i) => (
            <li key={i} className={m.severity}>
              line {m.line}: {m.message}
            </li>
          ))}
        </ul>
      )}
      <div className="editor-bar">
        <button type="button" className="btn btn-primary" onClick={() => void apply()} data-testid="editor-apply" disabled={readOnly} title={readOnly ? READ_ONLY_TITLE : 'Apply the manifests, as kubectl apply -f -'}>
          Apply
        </button>
        <button type="button" className="btn" onClick={() => void send(true)} data-testid="editor-diff" title="Show what Apply would change, as kubectl diff -f - (changes nothing)">
          Diff
        </button>
        <span className="muted" title="Ctrl/⌘+Enter applies · Ctrl+Space suggests">
          Ctrl/⌘+Enter applies · Ctrl+Space suggests
        </span>
        {errors.length > 0 && <span className="bad-text">{errors.length === 1 ? '1 problem' : `${errors.length} problems`}</span>}
      </div>
      {result && (
        <pre ref={resultRef} className={`term-out${failed ? ' term-err' : ''}${result.diff && !failed && result.out ? ' diff-out' : ''}${result.text !== text ? ' stale' : ''}`} data-testid="editor-result">
          {result.text !== text && <span className="stale-note">The last {result.diff ? 'Diff' : 'Apply'}, before the text changed:{'\n'}</span>}
          {result.diff && !failed ? result.exit === 0 && result.out === '' ? <span className="diff-none">{NO_DIFFERENCES}</span> : <DiffLines out={result.out} /> : result.out}
          {result.scenario && result.text === text && (
            <>
              {'\n'}
              <button type="button" className="btn" onClick={() => void openScenarioText('editor.yaml', text)} data-testid="editor-open-scenario">
                Open it as a scenario
              </button>
            </>
          )}
        </pre>
      )}
    </div>
  );
}
