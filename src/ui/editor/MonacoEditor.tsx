/**
 * MonacoEditor mounts Monaco on a YAML model whose text lives in the page's store (switching tabs keeps
 * it). Ctrl/Cmd+Enter applies. The markers (schema problems) are reported to the parent.
 */
import { useEffect, useRef } from 'react';
import { monaco } from './monaco.ts';
import { useUi } from '../state/ui.ts';

export interface Marker {
  line: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

const MODEL_URI = monaco.Uri.parse('file:///manifest.yaml');

/** markersNow returns the editor model's current markers (for the problems list and tests). */
export function markersNow(): Marker[] {
  return monaco.editor.getModelMarkers({ resource: MODEL_URI }).map((m) => ({
    line: m.startLineNumber,
    message: m.message,
    severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : m.severity === monaco.MarkerSeverity.Warning ? 'warning' : 'info',
  }));
}

export default function MonacoEditor({ onApply, onMarkers }: { onApply: () => void; onMarkers: (m: Marker[]) => void }) {
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
    const editor = monaco.editor.create(host.current!, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderWhitespace: 'boundary',
      fixedOverflowWidgets: true,
      ariaLabel: 'Manifest editor',
    });
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => applyRef.current());
    const sub = model.onDidChangeContent(() => useUi.getState().setEditorText(model.getValue()));
    const markerSub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === MODEL_URI.toString())) markersRef.current(markersNow());
    });
    markersRef.current(markersNow());
    return () => {
      sub.dispose();
      markerSub.dispose();
      editor.dispose();
      editorRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);
  useEffect(() => {
    editorRef.current?.updateOptions({ fontSize: presenter ? 17 : 13 });
  }, [presenter]);

  return <div className="monaco-host" ref={host} data-testid="monaco" />;
}
