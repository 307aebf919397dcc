/**
 * Terminal: type a kubectl or kubeplay line, Enter runs it; ↑/↓ walk the history; `clear` empties the
 * screen. Output is text in a <pre> (kubectl's tables need a monospace font); nothing is rendered as HTML.
 */
import { useEffect, useRef, useState } from 'react';
import { useUi, type TerminalEntry } from '../state/ui.ts';
import { runLine } from './run.ts';
import { formatClock } from '../format.ts';

function Entry({ e }: { e: TerminalEntry }) {
  return (
    <div className="term-entry" data-exit={e.exit ?? ''}>
      {e.line && (
        <div className="term-line">
          {e.t !== undefined && <span className="term-time">[{formatClock(e.t)}] </span>}
          <span className="term-prompt">$ </span>
          {e.line}
        </div>
      )}
      {e.exit === undefined ? <div className="term-running">…</div> : e.out && <pre className={`term-out${e.exit !== 0 ? ' term-err' : ''}`}>{e.out}</pre>}
    </div>
  );
}

export function Terminal() {
  const entries = useUi((s) => s.terminal);
  const [value, setValue] = useState('');
  const history = useUi((s) => s.history);
  // cursor indexes history; history.length means "the line being typed".
  const cursor = useRef(0);
  useEffect(() => {
    cursor.current = history.length;
  }, [history]);
  const input = useRef<HTMLInputElement>(null);
  const screen = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = screen.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);

  const submit = () => {
    const line = value;
    setValue('');
    void runLine(line);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    const h = history;
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (cursor.current > 0) cursor.current--;
      setValue(h[cursor.current] ?? '');
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (cursor.current < h.length) cursor.current++;
      setValue(h[cursor.current] ?? '');
    } else if (e.key === 'l' && e.ctrlKey) {
      e.preventDefault();
      useUi.getState().clearTerminal();
    }
  };

  return (
    <div className="terminal" onClick={() => input.current?.focus()}>
      <div className="term-screen" ref={screen} role="log" aria-live="polite" aria-label="Terminal output" data-testid="terminal-output">
        {entries.length === 0 && (
          <div className="term-hint">
            Try <code>kubectl get pods</code>, <code>kubectl scale deployment web --replicas=5</code> or <code>kubectl describe node</code>.
          </div>
        )}
        {entries.map((e) => (
          <Entry key={e.id} e={e} />
        ))}
      </div>
      <div className="term-input-row">
        <span className="term-prompt" aria-hidden="true">
          $
        </span>
        <input
          ref={input}
          className="term-input"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-label="Command"
          placeholder="kubectl get pods"
          data-testid="terminal-input"
        />
      </div>
    </div>
  );
}
