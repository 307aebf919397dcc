/**
 * Opening files: a scenario `.yaml` (import) or a share file (`.kubeplay.json`, the download offered
 * when a link is too long), from a file picker or dropped on the page. Sizes are checked before
 * reading, and every problem is shown.
 */
import { decodeShareFile, isShareFile } from '../../share/codec.ts';
import { LIMITS } from '../../engine/scenario/limits.ts';
import { parseLessonScenario } from '../../engine/scenario/lessonparse.ts';
import { formatDiagnostic } from '../../engine/scenario/types.ts';
import { getClient } from '../state/client.ts';
import { openPayload, showMessage } from '../share/pageShare.ts';
import { startNewWorkspace } from './pageWorkspace.ts';

/** MAX_SHARE_FILE: a share file holds at most the link's inflated limit (4 MiB). */
const MAX_SHARE_FILE = 4 * 1024 * 1024;

/** openFile imports one file; resolves with whether it was opened. */
export async function openFile(file: File): Promise<boolean> {
  const isJson = /\.json$/i.test(file.name);
  const isYaml = /\.ya?ml$/i.test(file.name);
  if (!isJson && !isYaml) {
    showMessage(`${file.name}: only scenario files (.yaml, .yml) and Kubeplay share files (.json) can be opened`);
    return false;
  }
  const limit = isJson ? MAX_SHARE_FILE : LIMITS.bytes;
  if (file.size > limit) {
    showMessage(`${file.name} is ${file.size} bytes; the limit is ${limit} bytes`);
    return false;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    showMessage(`${file.name} could not be read: ${(e as Error).message}`);
    return false;
  }
  if (isJson || isShareFile(text)) {
    const d = decodeShareFile(text);
    if (!d.ok) {
      showMessage(`${file.name}: ${d.message}`);
      return false;
    }
    startNewWorkspace(`Shared: ${(d.payload.name ?? file.name).replace(/\.ya?ml$/i, '')}`);
    return openPayload(d.payload, 'share file');
  }
  return openScenarioText(file.name, text);
}

/**
 * openScenarioText loads a scenario's text as a new workspace (Import, or the Editor's "Open as a
 * scenario"). A scenario with mistakes is refused before it becomes a workspace: the current work stays
 * as it is, and the mistakes are listed in line order, each with its file and line.
 */
export async function openScenarioText(name: string, text: string): Promise<boolean> {
  const checked = parseLessonScenario(text, name);
  if (checked.errors.length) {
    const sorted = [...checked.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    showMessage(sorted.slice(0, 10).map(formatDiagnostic).join('\n'));
    return false;
  }
  const client = getClient();
  const errors = await client.load(name, text);
  // A file the worker refused (what only it checks: its command lines) leaves the current workspace as it is.
  if (!client.lastLoadKept) startNewWorkspace(name.replace(/\.ya?ml$/i, ''));
  showMessage(errors.length ? errors.slice(0, 10).map((e) => (e.startsWith(name) ? e : `${name}: ${e}`)).join('\n') : undefined);
  return errors.length === 0;
}

/** installDropTarget opens files dropped anywhere on the page; returns the uninstaller. */
export function installDropTarget(target: HTMLElement | Window = window): () => void {
  const over = (e: Event) => {
    const de = e as DragEvent;
    if (de.dataTransfer?.types.includes('Files')) {
      de.preventDefault();
      de.dataTransfer.dropEffect = 'copy';
    }
  };
  const drop = (e: Event) => {
    const de = e as DragEvent;
    const f = de.dataTransfer?.files?.[0];
    if (!f) return;
    de.preventDefault();
    void openFile(f);
  };
  target.addEventListener('dragover', over);
  target.addEventListener('drop', drop);
  return () => {
    target.removeEventListener('dragover', over);
    target.removeEventListener('drop', drop);
  };
}
