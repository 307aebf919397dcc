/**
 * Terminal: type a kubectl or kubeplay line, Enter runs it; ↑/↓ walk the history; Tab completes commands,
 * kinds, names, flags and namespaces (the worker answers from the live cluster; a second Tab lists the
 * choices under the prompt, as bash does); `clear` empties the screen. Output is text in a <pre>
 * (kubectl's tables need a monospace font); nothing is rendered as HTML.
 */
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useUi, type TerminalEntry } from '../state/ui.ts';
import { getClient } from '../state/client.ts';
import { cutShort, interruptWatch, isGetWatch, isRolloutStatus, runLine, splitWarnings } from './run.ts';
import { applyCompletion } from './completion.ts';
import { formatClock } from '../format.ts';
import { useCluster } from '../state/cluster.ts';
import { isPureCommand } from '../../share/pure.ts';
import { useShare } from '../share/pageShare.ts';
import { useKeyboardScroll } from '../keyboardScroll.ts';
import './terminal.css';

/** MAX_LISTED bounds the candidates listed under the prompt. */
const MAX_LISTED = 120;

/**
 * outClass styles an entry's output: an error in red, and `rollout status` as sentences that wrap. A scenario
 * step's rollout status that found the rollout still going (it cannot wait, exit 1) is kubectl waiting, not
 * a failure: muted, not red.
 */
function outClass(e: TerminalEntry): string {
  if (cutShort(e)) return ' term-wrap term-waiting';
  if (!isRolloutStatus(e.line)) return e.exit !== 0 ? ' term-err' : '';
  return e.exit === 0 ? ' term-wrap' : ' term-wrap term-err';
}

/** OutPre is an output's <pre>: a table wider than the panel scrolls sideways, by keyboard too. */
function OutPre({ className, children }: { className: string; children: string }) {
  const ref = useKeyboardScroll<HTMLPreElement>();
  return (
    <pre ref={ref} className={className}>
      {children}
    </pre>
  );
}

/** Output is an entry's output: its warnings wrapped, the rest styled by cls. */
function Output({ out, cls }: { out: string; cls: string }) {
  const [warnings, rest] = splitWarnings(out);
  return (
    <>
      {warnings && <OutPre className="term-out term-wrap term-warn">{warnings}</OutPre>}
      {rest && <OutPre className={cls}>{rest}</OutPre>}
    </>
  );
}

/** ranAt is when an entry's command ran on the simulated clock (typed or a timeline step). */
const ranAt = (e: TerminalEntry) => e.at ?? e.t;

function Entry({ e, future }: { e: TerminalEntry; future: boolean }) {
  const marked = future || !!e.dropped;
  return (
    <div className={marked ? 'term-entry term-future' : 'term-entry'} data-exit={e.exit ?? ''} data-future={marked ? (e.dropped ? 'dropped' : 'later') : undefined}>
      {e.dropped ? (
        <div className="term-future-note" title="The clock was moved back to before this command, and a command typed after that replaced what followed">
          ran at {formatClock(ranAt(e)!)} on an earlier branch of the timeline: not in this cluster's history{e.at === undefined ? ' (the scenario runs it again when the clock gets there)' : ''}
        </div>
      ) : (
        future && (
          <div className="term-future-note" title="The clock was moved back to before this command">
            ran at {formatClock(ranAt(e)!)}, after the moment shown{isPureCommand(e.line) ? '' : ': it runs again when the clock gets there'}
          </div>
        )
      )}
      {e.note && <div className="term-note"># {e.note}</div>}
      {e.line && (
        <div className="term-line">
          {e.t !== undefined && <span className="term-time">[{formatClock(e.t)}] </span>}
          <span className="term-prompt">$ </span>
          {e.line}
        </div>
      )}
      {e.exit === undefined ? (
        <>
          {/* A watching `rollout status` shows its lines while it runs. */}
          {e.out && <OutPre className={isGetWatch(e.line) ? 'term-out' : 'term-out term-wrap'}>{e.out}</OutPre>}
          <div className="term-running">…</div>
        </>
      ) : (
        e.out && <Output out={e.out} cls={`term-out${outClass(e)}`} />
      )}
      {e.hint && <div className="term-note" data-testid="term-hint"># {e.hint}</div>}
    </div>
  );
}


/**
 * HintCommand is a command in the terminal's first hint: it moves to the next line whole, and one longer
 * than the line breaks only between its words (each word is kept whole: "--replicas=3" is not split
 * after its dashes).
 */
function HintCommand({ line }: { line: string }) {
  const words = line.split(' ');
  return (
    <code>
      {words.map((w, i) => (
        // The space is outside the word's nowrap span: the line may break there.
        <Fragment key={i}>
          <span className="term-hint-word">{w}</span>
          {i < words.length - 1 ? ' ' : ''}
        </Fragment>
      ))}
    </code>
  );
}

export function Terminal() {
  const entries = useUi((s) => s.terminal);
  // After a rewind, commands that ran later than the moment shown are marked (the ids, as one string:
  // the terminal re-renders when that set changes, not on every tick of the clock).
  // The selector runs on every cluster update while playing: past the latest entry's time it is one comparison.
  const latest = useMemo(() => entries.reduce((m, e) => Math.max(m, ranAt(e) ?? -1), -1), [entries]);
  const future = useCluster((s) =>
    s.clock.t >= latest
      ? ''
      : entries
          .filter((e) => (ranAt(e) ?? -1) > s.clock.t)
          .map((e) => e.id)
          .join(','),
  );
  const futureIds = new Set(future ? future.split(',').map(Number) : []);
  const [value, setValue] = useState('');
  const history = useUi((s) => s.history);
  // cursor indexes history; history.length means "the line being typed".
  const cursor = useRef(0);
  useEffect(() => {
    cursor.current = history.length;
  }, [history]);
  const input = useRef<HTMLInputElement>(null);
  // valueRef: the line as last typed, to drop a completion that arrives after more typing.
  const valueRef = useRef('');
  valueRef.current = value;
  const [choices, setChoices] = useState<string[] | undefined>(undefined);
  const lastTab = useRef<{ line: string; cursor: number } | undefined>(undefined);
  const caret = useRef<number | undefined>(undefined);
  useLayoutEffect(() => {
    if (caret.current !== undefined && input.current) {
      input.current.setSelectionRange(caret.current, caret.current);
      caret.current = undefined;
    }
  });

  const edit = (line: string) => {
    setValue(line);
    setChoices(undefined);
    lastTab.current = undefined;
  };

  // Tab presses are handled in order: a second Tab pressed while the first one's completion is still on
  // its way from the worker must see what the first did, or it never lists the choices.
  const tabQueue = useRef<Promise<void>>(Promise.resolve());
  const tab = () => (tabQueue.current = tabQueue.current.then(tabOnce, tabOnce));
  const tabOnce = async () => {
    const line = valueRef.current;
    const cursor = input.current?.selectionStart ?? line.length;
    const second = lastTab.current?.line === line && lastTab.current.cursor === cursor;
    const c = await getClient().complete(line, cursor);
    if (valueRef.current !== line) return;
    const r = applyCompletion(line, cursor, c, second);
    lastTab.current = { line: r.line, cursor: r.cursor };
    if (r.line !== line) {
      setValue(r.line);
      setChoices(undefined);
      caret.current = r.cursor;
    } else if (r.list) setChoices(r.list);
  };

  const submit = () => {
    const line = value;
    edit('');
    void runLine(line);
  };

  const selecting = (el: HTMLInputElement) => el.selectionStart !== el.selectionEnd || (window.getSelection()?.toString() ?? '') !== '';

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    const h = history;
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      // On an empty line there is nothing to complete: Tab moves on, so the keyboard can leave the terminal.
      if (value.trim() === '') return;
      e.preventDefault();
      void tab();
    } else if (e.key === 'c' && e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey && !selecting(e.currentTarget)) {
      // Ctrl+C (with nothing selected to copy) ends a running watch, and drops the line being typed, as a shell does.
      e.preventDefault();
      interruptWatch();
      edit('');
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (cursor.current > 0) cursor.current--;
      edit(h[cursor.current] ?? '');
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (cursor.current < h.length) cursor.current++;
      edit(h[cursor.current] ?? '');
    } else if (e.key === 'Escape' && choices) {
      setChoices(undefined);
    } else if (e.key === 'l' && e.ctrlKey) {
      e.preventDefault();
      useUi.getState().clearTerminal();
    }
  };

  // The hint names a Deployment this cluster has (the first in the default namespace, else any outside
  // kube-system: CoreDNS is the cluster's, not the learner's to scale), not one it may lack; an Argo
  // Rollouts scenario without one is offered its Rollout's status.
  const readOnly = useShare((s) => s.readOnly);
  const scaleHint = useCluster((s) => {
    const first = (kind: string) => {
      const all = [...(s.objects[kind]?.values() ?? [])].filter((x) => x.metadata.namespace !== 'kube-system');
      return all.find((x) => (x.metadata.namespace ?? 'default') === 'default') ?? all[0];
    };
    const d = first('Deployment');
    const ro = d ? undefined : first('Rollout');
    if (ro) return `kubectl argo rollouts get rollout ${ro.metadata.name}${(ro.metadata.namespace ?? 'default') === 'default' ? '' : ` -n ${ro.metadata.namespace}`}`;
    if (!d) return readOnly ? 'kubectl get events' : 'kubectl create deployment web --image=nginx:1.27 --replicas=3';
    const ns = (d.metadata.namespace ?? 'default') === 'default' ? '' : ` -n ${d.metadata.namespace}`;
    // A read-only link refuses a scale: it is offered the Deployment's history instead.
    if (readOnly) return `kubectl rollout history deployment ${d.metadata.name}${ns}`;
    return `kubectl scale deployment ${d.metadata.name}${ns} --replicas=${Math.max(2, (d.spec?.replicas ?? 1) + 2)}`;
  });

  return (
    <div className="terminal" onClick={() => input.current?.focus()}>
      {/* The screen stays scrolled to its newest output by CSS (see .term-screen), not by reading its height. */}
      <div className="term-screen" role="log" aria-live="polite" aria-label="Terminal output" data-testid="terminal-output">
        <div className="term-lines">
          {entries.length === 0 && (
            <div className="term-hint">
              Try <HintCommand line="kubectl get pods" />, <HintCommand line={scaleHint} /> or <HintCommand line="kubectl describe node" />.
            </div>
          )}
          {entries.map((e) => (
            <Entry key={e.id} e={e} future={futureIds.has(e.id)} />
          ))}
        </div>
      </div>
      <div className="term-input-row">
        <span className="term-prompt" aria-hidden="true">
          $
        </span>
        <input
          ref={input}
          className="term-input"
          value={value}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-label="Command"
          placeholder="kubectl get pods"
          data-testid="terminal-input"
        />
      </div>
      {choices && (
        <div className="term-choices" data-testid="terminal-choices" aria-live="polite" aria-label="Completions">
          {choices.slice(0, MAX_LISTED).join('  ')}
          {choices.length > MAX_LISTED ? `  … ${choices.length - MAX_LISTED} more` : ''}
        </div>
      )}
    </div>
  );
}
