/**
 * EditorTab: write or paste manifests and apply them (Ctrl/Cmd+Enter). A plain text area for now;
 * loaded lazily so the first screen does not pay for it.
 */
import { useState } from 'react';
import { getClient, type CommandResult } from '../state/client.ts';

const STARTER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 2
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
        - name: hello
          image: nginx:1.27
          resources:
            requests: {cpu: 100m, memory: 64Mi}
`;

export default function EditorTab() {
  const [text, setText] = useState(STARTER);
  const [result, setResult] = useState<CommandResult | undefined>(undefined);
  const apply = async () => setResult(await getClient().apply(text));
  return (
    <div className="editor">
      <textarea
        className="editor-text"
        value={text}
        spellCheck={false}
        aria-label="Manifest"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void apply();
          }
        }}
      />
      <div className="editor-bar">
        <button type="button" className="btn btn-primary" onClick={() => void apply()}>
          Apply
        </button>
        <span className="muted">Ctrl/⌘+Enter</span>
      </div>
      {result && <pre className={`term-out${result.exit ? ' term-err' : ''}`}>{result.out}</pre>}
    </div>
  );
}
