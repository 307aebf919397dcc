/**
 * ShareLayer is everything of share links, saved work, the scenario library and lessons that the
 * app shell needs, as one element: on mount it installs the recording client and
 * `window.kubeplay.share()`, opens the page's `#s=…` link (or else restores the saved workspace),
 * starts the autosave and the file drop target; it renders the message banner, a small toolbar
 * (Library, Workspaces, Share), the lesson panel and their dialogs.
 */
import { useEffect, useState } from 'react';
import { getClient } from '../state/client.ts';
import { LessonPanel } from '../lessons/LessonPanel.tsx';
import { useLesson } from '../lessons/lessonStore.ts';
import { ScenarioPicker } from '../library/ScenarioPicker.tsx';
import { WorkspaceMenu } from '../workspace/WorkspaceMenu.tsx';
import { restoreCurrent, saveNow, startAutosave, startNewWorkspace } from '../workspace/pageWorkspace.ts';
import { installDropTarget } from '../workspace/files.ts';
import { installShare, openShareLinkFromLocation, recorder, showMessage, useShare } from './pageShare.ts';
import { ShareButton } from './ShareButton.tsx';
import './share.css';

let started = false;

/**
 * openFromHash opens the page's `#s=…` link, if any. The link's moment becomes a new workspace (the
 * viewer's own saved work is never overwritten), and the fragment is dropped so a reload restores
 * the work done since, not the link again.
 */
async function openFromHash(): Promise<boolean> {
  const hadLink = await openShareLinkFromLocation();
  if (!hadLink) return false;
  if (useShare.getState().status === 'done') {
    startNewWorkspace(`Shared: ${recorder.name.replace(/\.ya?ml$/i, '')}`);
    saveNow(true);
  }
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return true;
}

/** startShareLayer runs once per page (React StrictMode mounts effects twice in development). */
async function startShareLayer(): Promise<void> {
  if (started) return;
  started = true;
  installShare();
  installDropTarget();
  await getClient().ready;
  if (!(await openFromHash())) await restoreCurrent();
  // A link pasted into this tab's address bar opens too (same-document navigation does not reload).
  window.addEventListener('hashchange', () => void openFromHash());
  startAutosave();
  if (useShare.getState().status === 'idle') document.documentElement.dataset.share = 'done';
}

export function ShareLayer() {
  const message = useShare((s) => s.message);
  const readOnly = useShare((s) => s.readOnly);
  const lesson = useLesson((s) => s.lesson);
  const [dialog, setDialog] = useState<'library' | 'workspaces' | undefined>();
  useEffect(() => {
    void startShareLayer();
  }, []);
  return (
    <>
      {message && (
        <div className="kp-message" role="alert" data-testid="share-message">
          <pre>{message}</pre>
          <button type="button" className="btn btn-ghost" onClick={() => showMessage(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="kp-toolbar" role="toolbar" aria-label="Scenarios, workspaces and sharing">
        <button type="button" className="btn" onClick={() => setDialog(dialog === 'library' ? undefined : 'library')} data-testid="open-library">
          Library
        </button>
        <button type="button" className="btn" onClick={() => setDialog(dialog === 'workspaces' ? undefined : 'workspaces')} data-testid="open-workspaces">
          Workspaces
        </button>
        <ShareButton />
        {readOnly && (
          <span className="kp-badge" title="This shared link is read-only: commands that change the cluster are refused">
            read-only
          </span>
        )}
      </div>
      {lesson && <LessonPanel />}
      {dialog === 'library' && <ScenarioPicker onClose={() => setDialog(undefined)} />}
      {dialog === 'workspaces' && <WorkspaceMenu onClose={() => setDialog(undefined)} />}
    </>
  );
}
