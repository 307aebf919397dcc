/**
 * MonacoEditor mounts Monaco on a YAML model whose text lives in the page's store (switching tabs keeps
 * it). Ctrl/Cmd+Enter applies. The markers (schema problems) are reported to the parent.
 */
import { useEffect, useRef } from 'react';
import { monaco } from './monaco.ts';
import { useUi } from '../state/ui.ts';
import type { EngineMarker } from './engineMarkers.ts';
import { plainYamlProblem } from './yamlWords.ts';

export interface Marker {
  line: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** server: the API server's validation error (engineMarkers), not the schema's */
  server?: boolean;
  /** syntax: a YAML syntax problem (said in plain words, see yamlWords.ts): the schema's problems follow from it */
  syntax?: boolean;
}

const MODEL_URI = monaco.Uri.parse('file:///manifest.yaml');
/** ENGINE_OWNER owns the markers of the API server's validation errors (the YAML worker owns the schema's). */
const ENGINE_OWNER = 'kubeplay-engine';

/** markersNow returns the editor model's current markers (for the problems list and tests). */
export function markersNow(): Marker[] {
  return monaco.editor.getModelMarkers({ resource: MODEL_URI }).map((m) => {
    const plain = m.owner === ENGINE_OWNER ? undefined : plainYamlProblem(m.message);
    return {
      line: m.startLineNumber,
      message: plain ?? m.message,
      severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : m.severity === monaco.MarkerSeverity.Warning ? 'warning' : 'info',
      ...(m.owner === ENGINE_OWNER ? { server: true } : {}),
      ...(plain ? { syntax: true } : {}),
    };
  });
}

export default function MonacoEditor({ onApply, onMarkers, engineMarkers = [] }: { onApply: () => void; onMarkers: (m: Marker[]) => void; engineMarkers?: EngineMarker[] }) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  const applyRef = useRef(onApply);
  applyRef.current = onApply;
  const markersRef = useRef(onMarkers);
  markersRef.current = onMarkers;
  const editorRef = useRef<ReturnType<typeof monaco.editor.create> | undefined>(undefined);

  useEffect(() => {
    const model = monaco.editor.getModel(MODEL_URI) ?? monaco.editor.createModel(useUi.getState().editorText, 'yaml', MODEL_URI);
    // The model outlives the editor: text set while the tab was closed (Inspector → Edit) is taken up here,
    // as an edit, so Ctrl+Z brings back the draft it replaced.
    if (model.getValue() !== useUi.getState().editorText) replaceAll(model, useUi.getState().editorText);
    const editor = monaco.editor.create(host.current!, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderWhitespace: 'boundary',
      // The last line's number in the line numbers' colour: Monaco's dimmed one was 1.75:1 on white.
      renderFinalNewline: 'on',
      fixedOverflowWidgets: true,
      ariaLabel: 'Manifest editor',
    });
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => applyRef.current());
    const sub = model.onDidChangeContent(() => {
      useUi.getState().setEditorText(model.getValue());
      // The server's verdict was about the text as applied: an edit makes it stale.
      if (monaco.editor.getModelMarkers({ owner: ENGINE_OWNER, resource: MODEL_URI }).length) monaco.editor.setModelMarkers(model, ENGINE_OWNER, []);
    });
    // Text put in the store from outside (Inspector → Edit) replaces the buffer, as one undoable edit.
    const unsubscribe = useUi.subscribe((st) => {
      if (st.editorText !== model.getValue()) {
        replaceAll(model, st.editorText);
        editor.setPosition({ lineNumber: 1, column: 1 });
        editor.revealLine(1);
      }
    });
    const markerSub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === MODEL_URI.toString())) markersRef.current(markersNow());
    });
    markersRef.current(markersNow());
    return () => {
      sub.dispose();
      unsubscribe();
      markerSub.dispose();
      editor.dispose();
      editorRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    const model = monaco.editor.getModel(MODEL_URI);
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      ENGINE_OWNER,
      engineMarkers.map((m) => ({ severity: monaco.MarkerSeverity.Error, message: m.message, source: 'API server', startLineNumber: m.line, startColumn: m.column, endLineNumber: m.endLine, endColumn: m.endColumn })),
    );
  }, [engineMarkers]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);
  useEffect(() => {
    editorRef.current?.updateOptions({ fontSize: presenter ? 17 : 13 });
  }, [presenter]);

  return <div className="monaco-host" ref={host} data-testid="monaco" />;
}

/** replaceAll puts text in the model as one edit of its own (undo stops around it): one Ctrl+Z brings back what was there. */
function replaceAll(model: monaco.editor.ITextModel, text: string): void {
  model.pushStackElement();
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
  model.pushStackElement();
}
