/**
 * WorkspaceMenu: the saved workspaces (open, rename, duplicate, delete, save as new), scenario
 * import/export as .yaml, and "export for a real cluster" (manifests + a replay script).
 */
import { useEffect, useRef, useState } from 'react';
import { recorder, showMessage } from '../share/pageShare.ts';
import { currentWorkspaceId, download, openWorkspace, saveNow, startNewWorkspace, workspaces } from './pageWorkspace.ts';
import { openFile } from './files.ts';
import type { WorkspaceMeta } from './storage.ts';

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

export function WorkspaceMenu({ onClose }: { onClose: () => void }) {
  const [rev, setRev] = useState(0);
  const refresh = () => setRev(rev + 1);
  const fileInput = useRef<HTMLInputElement>(null);
  // Escape closes the dialog, as it does any dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const list = workspaces().list();
  const items: WorkspaceMeta[] = list.ok ? list.value : [];
  const current = currentWorkspaceId();
  const report = (r: { ok: boolean; message?: string }) => {
    if (!r.ok) showMessage(r.message);
    refresh();
  };

  return (
    <div className="kp-dialog" role="dialog" aria-label="Workspaces" data-testid="workspaces">
      <header>
        <h2>Workspaces</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      {!list.ok && <p className="kp-fail">{list.message}</p>}
      <ul className="kp-workspaces">
        {items.map((w) => (
          <li key={w.id} className={w.id === current ? 'kp-current' : ''}>
            <span className="kp-ws-name">{w.name}</span>
            <span className="kp-ws-meta">
              {ago(w.updatedAt)} · {Math.ceil(w.bytes / 1024)} KB
            </span>
            <span className="kp-ws-actions">
              <button type="button" className="btn" disabled={w.id === current} onClick={() => void openWorkspace(w.id).then(onClose)}>
                Open
              </button>
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => {
                  const name = window.prompt('Rename workspace', w.name);
                  if (name !== null) report(workspaces().rename(w.id, name));
                }}
              >
                Rename
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => report(workspaces().duplicate(w.id))}>
                Duplicate
              </button>
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => {
                  if (window.confirm(`Delete the workspace "${w.name}"? This cannot be undone.`)) report(workspaces().delete(w.id));
                }}
              >
                Delete
              </button>
            </span>
          </li>
        ))}
        {items.length === 0 && list.ok && <li className="kp-empty">Nothing saved yet: your work is saved here as you go.</li>}
      </ul>
      <div className="kp-row">
        <button
          type="button"
          className="btn"
          onClick={() => {
            const name = window.prompt('Save a copy of this workspace as', `${recorder.name.replace(/\.ya?ml$/i, '')} copy`);
            if (name === null) return;
            startNewWorkspace(name);
            report(saveNow(true));
          }}
        >
          Save as new…
        </button>
        <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
          Import .yaml…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".yaml,.yml,.json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            // The menu closes either way: a refusal's message is shown over the graph, where the menu would hide it.
            if (f) void openFile(f).then(() => onClose());
          }}
        />
        <button type="button" className="btn" onClick={() => download(recorder.name.match(/\.ya?ml$/i) ? recorder.name : `${recorder.name}.yaml`, recorder.scenario)}>
          Export .yaml
        </button>
        <button
          type="button"
          className="btn"
          title="The manifests plus a bash script of the timeline's kubectl commands, for kind or any cluster"
          onClick={() => {
            // Loaded on first use: the first screen's JavaScript has a budget (issue #5).
            void import('./realcluster.ts').then(({ exportForRealCluster }) => {
              const e = exportForRealCluster(recorder.name, recorder.scenario, recorder.actions);
              download(e.manifestsFile, e.manifests);
              download(e.scriptFile, e.script, 'text/x-shellscript');
            });
          }}
        >
          Export for a real cluster
        </button>
      </div>
    </div>
  );
}
