import type { KubeObject } from '../../engine/api/types.ts';
import { useUi } from '../state/ui.ts';
import { editableManifest } from './manifest.ts';

/**
 * openInEditor puts obj's editable manifest in the Editor tab and shows it (kubectl edit, the Inspector's
 * Edit). Apart from the Inspector, which the page loads on first use, as the terminal needs it at once.
 */
export function openInEditor(obj: KubeObject): void {
  useUi.setState({ editorText: editableManifest(obj), tab: 'editor', panelCollapsed: false });
}
