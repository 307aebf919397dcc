/**
 * EditorTab: write or paste manifests and apply them (the Apply button or Ctrl/Cmd+Enter), as
 * `kubectl apply -f -`. Monaco and its YAML worker are loaded only when this tab is first opened.
 * The schema's problems are listed under the editor; the API server still has the final word.
 */
import { lazy, Suspense, useState } from 'react';
import { getClient, type CommandResult } from '../state/client.ts';
import { useUi } from '../state/ui.ts';
import type { Marker } from './MonacoEditor.tsx';

const MonacoEditor = lazy(() => import('./MonacoEditor.tsx'));

export default function EditorTab() {
  const [result, setResult] = useState<CommandResult | undefined>(undefined);
  const [markers, setMarkers] = useState<Marker[]>([]);
  const apply = async () => setResult(await getClient().apply(useUi.getState().editorText));
  const errors = markers.filter((m) => m.severity !== 'info');
  return (
    <div className="editor">
      <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
        <MonacoEditor onApply={() => void apply()} onMarkers={setMarkers} />
      </Suspense>
      {markers.length > 0 && (
        <ul className="problems-list" data-testid="editor-problems" aria-label="Problems">
          {markers.slice(0, 20).map((m, i) => (
            <li key={i} className={m.severity}>
              line {m.line}: {m.message}
            </li>
          ))}
        </ul>
      )}
      <div className="editor-bar">
        <button type="button" className="btn btn-primary" onClick={() => void apply()} data-testid="editor-apply">
          Apply
        </button>
        <span className="muted">Ctrl/⌘+Enter · kubectl apply -f -</span>
        {errors.length > 0 && <span className="bad-text">{errors.length === 1 ? '1 problem' : `${errors.length} problems`}</span>}
      </div>
      {result && (
        <pre className={`term-out${result.exit ? ' term-err' : ''}`} data-testid="editor-result">
          {result.out}
        </pre>
      )}
    </div>
  );
}
