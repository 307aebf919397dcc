/**
 * ActionBar: the Rollout tab's buttons. Each sends its command through the terminal's runLine, so the
 * line and its output appear in the terminal and go into share links; the last one is echoed here.
 */
import { useState } from 'react';
import { runLine } from '../terminal/run.ts';
import { READ_ONLY_TITLE, useMayRun } from '../share/pageShare.ts';
import type { Action } from './actions.ts';

interface Last {
  line: string;
  out: string;
  exit: number | undefined;
}

export function ActionBar({ actions }: { actions: Action[] }) {
  const [last, setLast] = useState<Last | undefined>(undefined);
  const run = async (a: Action) => {
    setLast({ line: a.command, out: '', exit: undefined });
    const r = await runLine(a.command);
    setLast({ line: a.command, out: r.out.trimEnd(), exit: r.exit });
  };
  const busy = last !== undefined && last.exit === undefined;
  const mayRun = useMayRun();
  return (
    <div className="ro-actions">
      <div className="ro-buttons" role="toolbar" aria-label="Rollout actions">
        {actions.map((a) => {
          const refused = !mayRun(a.command);
          return (
            <button
              key={a.id}
              type="button"
              className={`btn${a.id === 'promote' && a.enabled ? ' btn-primary' : ''}`}
              disabled={!a.enabled || busy || refused}
              title={refused ? READ_ONLY_TITLE : a.title}
              aria-label={refused ? `${a.label} (read-only link)` : a.enabled ? `${a.label}: ${a.command}` : `${a.label} (not now: ${a.title.replace(/^Not now: /, '')})`}
              data-testid={`ro-action-${a.id}`}
              data-command={a.command}
              onClick={() => void run(a)}
            >
              {a.label}
            </button>
          );
        })}
      </div>
      {last && (
        <div className={`ro-last${last.exit ? ' bad' : ''}`} data-testid="ro-last" aria-live="polite">
          <code>$ {last.line}</code>
          {last.exit === undefined ? <span className="muted"> …</span> : last.out && <pre>{last.out}</pre>}
        </div>
      )}
    </div>
  );
}
