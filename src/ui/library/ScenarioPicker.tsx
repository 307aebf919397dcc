/**
 * ScenarioPicker is the library of built-in scenarios and lessons: a dialog listing each with its
 * title, one-line description, concepts and level. Choosing one loads it (paused, at 00:00); a
 * lesson also opens the lesson panel.
 */
import { useEffect, useMemo, useState } from 'react';
import { getClient } from '../state/client.ts';
import { useUi } from '../state/ui.ts';
import { showMessage } from '../share/pageShare.ts';
import { buildCatalog, type CatalogEntry } from './catalog.ts';
import { beginScenario } from '../workspace/pageWorkspace.ts';
import { restartLesson } from '../lessons/lessonStore.ts';

const files = import.meta.glob<string>('/scenarios/**/*.yaml', { query: '?raw', import: 'default', eager: true });

let catalog: CatalogEntry[] | undefined;

/** builtinCatalog is every bundled scenario, lessons first (parsed once: the lesson card asks on each render). */
export function builtinCatalog(): CatalogEntry[] {
  catalog ??= buildCatalog(files);
  return catalog;
}

/**
 * loadEntry loads a catalog entry through the (recording) client and reports its problems. The work in
 * the current scenario is kept in its workspace; a lesson starts again at its first step, as its
 * cluster does.
 */
export async function loadEntry(e: CatalogEntry): Promise<string[]> {
  beginScenario(e.file);
  const errors = await getClient().load(e.file, e.text);
  if (e.lesson) restartLesson();
  if (errors.length) showMessage(`${e.file} loaded with problems:\n${errors.slice(0, 5).join('\n')}`);
  useUi.getState().select(undefined);
  useUi.getState().clearTerminal();
  return errors;
}

export function ScenarioPicker({ onClose }: { onClose: () => void }) {
  const catalog = useMemo(builtinCatalog, []);
  const [filter, setFilter] = useState('');
  // Escape closes the dialog, as it does any dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const f = filter.trim().toLowerCase();
  const shown = f ? catalog.filter((e) => [e.title, e.summary, ...e.concepts].some((s) => s.toLowerCase().includes(f))) : catalog;
  return (
    <div className="kp-dialog" role="dialog" aria-label="Scenario library" data-testid="scenario-library">
      <header>
        <h2>Scenarios and lessons</h2>
        <input type="search" autoFocus placeholder="Filter by title or concept" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter scenarios" />
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <ul className="kp-catalog">
        {shown.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              className="kp-catalog-item"
              data-testid={`scenario-${e.path}`}
              onClick={() => {
                onClose();
                void loadEntry(e);
              }}
            >
              <span className="kp-catalog-title">
                {e.lesson && <span className="kp-badge">lesson</span>}
                {e.title}
                {e.level && <span className={`kp-level kp-level-${e.level}`}>{e.level}</span>}
              </span>
              {e.summary && <span className="kp-catalog-summary">{e.summary}</span>}
              {e.concepts.length > 0 && <span className="kp-catalog-concepts">{e.concepts.join(' · ')}</span>}
            </button>
          </li>
        ))}
        {shown.length === 0 && <li className="kp-empty">No scenario matches “{filter}”.</li>}
      </ul>
    </div>
  );
}
