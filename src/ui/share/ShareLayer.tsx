/**
 * ShareLayer is everything of share links, saved work, the scenario library and lessons that the
 * app shell needs, as one element: on mount it installs the recording client and
 * `window.kubeplay.share()`, opens the page's `#s=…` link (or else restores the saved workspace),
 * starts the autosave and the file drop target; it renders the message banner, a small toolbar
 * (Library, Workspaces, Share), the lesson panel and their dialogs.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { getClient } from '../state/client.ts';
import { useLesson } from '../lessons/lessonStore.ts';
import { WorkspaceMenu } from '../workspace/WorkspaceMenu.tsx';
import { restoreCurrent, saveNow, startAutosave, startNewWorkspace, workspaces } from '../workspace/pageWorkspace.ts';
import { installDropTarget } from '../workspace/files.ts';
import { cancelReplay, installShare, openShareLinkFromLocation, recorder, showMessage, useShare } from './pageShare.ts';
import { formatClock } from '../format.ts';
import { ShareButton } from './ShareButton.tsx';
import './share.css';

// The library lists every built-in scenario with its text parsed for the title: a chunk of its own.
// The lesson panel runs its checks with the engine's kubectl: only lessons download it.
const LessonPanel = lazy(() => import('../lessons/LessonPanel.tsx').then((m) => ({ default: m.LessonPanel })));
const ScenarioPicker = lazy(() => import('../library/ScenarioPicker.tsx').then((m) => ({ default: m.ScenarioPicker })));

let started = false;

/**
 * openFromHash opens the page's `#s=…` link, if any. The link's moment becomes a new workspace (the
 * viewer's own saved work is never overwritten), and the fragment is dropped so a reload restores
 * the work done since, not the link again.
 */
async function openFromHash(pasted = false, instead?: string): Promise<boolean> {
  // A link pasted into a running page leaves its cluster as it was when the link is bad.
  const hadLink = await openShareLinkFromLocation(window.location.hash, pasted ? 'The current scenario stays as it was.' : instead);
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
  // A bad link on a fresh page must not cost the viewer their saved work: the workspace they were in
  // is reopened (else the default scenario stays), so the autosave never replaces it as current.
  let saved: string | undefined;
  try {
    saved = workspaces().current();
  } catch {
    saved = undefined;
  }
  const hadLink = await openFromHash(false, saved ? 'Your saved workspace is reopened instead.' : undefined);
  const badLink = hadLink && useShare.getState().status === 'error' ? useShare.getState().message : undefined;
  if (!hadLink || badLink) {
    const restored = await restoreCurrent();
    // Reopening the workspace replaces the status line; the bad link's message must stay visible.
    if (restored && badLink) showMessage(badLink);
  }
  // A link pasted into this tab's address bar opens too (same-document navigation does not reload).
  window.addEventListener('hashchange', () => void openFromHash(true));
  startAutosave();
  if (useShare.getState().status === 'idle') document.documentElement.dataset.share = 'done';
}

export function ShareLayer() {
  const message = useShare((s) => s.message);
  const progress = useShare((s) => s.progress);
  const readOnly = useShare((s) => s.readOnly);
  const lesson = useLesson((s) => s.lesson);
  const [dialog, setDialog] = useState<'library' | 'workspaces' | undefined>();
  useEffect(() => {
    void startShareLayer();
  }, []);
  return (
    <>
      {progress && (
        <div className="kp-message" role="status" data-testid="replay-progress">
          <span>
            Replaying the {progress.what}: {formatClock(progress.t)} of {formatClock(progress.of)} simulated
            {progress.actions > 0 ? `, command ${progress.action} of ${progress.actions}` : ''}…
          </span>
          <button type="button" className="btn" onClick={() => cancelReplay()}>
            Cancel
          </button>
        </div>
      )}
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
      {lesson && (
        <Suspense fallback={null}>
          <LessonPanel />
        </Suspense>
      )}
      {dialog === 'library' && (
        <Suspense fallback={null}>
          <ScenarioPicker onClose={() => setDialog(undefined)} />
        </Suspense>
      )}
      {dialog === 'workspaces' && <WorkspaceMenu onClose={() => setDialog(undefined)} />}
    </>
  );
}
