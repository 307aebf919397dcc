/**
 * TopBar: the wordmark, the scenario's name, the simulated clock, play/pause, the two steps (to the
 * next thing the cluster does; one simulated second), the speed, and the theme and presenter toggles.
 */
import { useEffect, useState } from 'react';
import { SPEEDS } from '../../worker/protocol.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { getClient } from '../state/client.ts';
import { formatClock } from '../format.ts';
import { builtinNames, loadBuiltin } from '../state/scenarios.ts';
import { CompareButton } from '../compare/CompareButton.tsx';
import { releaseMouseFocus } from '../shortcuts.ts';


function Clock() {
  const t = useCluster((s) => Math.floor(s.clock.t / 1000));
  const behind = useCluster((s) => s.clock.behind);
  return (
    <span className={`clock${behind ? ' behind' : ''}`} data-testid="clock" aria-label={`Simulated time ${formatClock(t * 1000)}`} title={behind ? 'The simulation is busy and running slower than the chosen speed' : 'Simulated time'}>
      {formatClock(t * 1000)}
    </span>
  );
}

/**
 * ScenarioPicker lists the built-in scenarios by title (the Library dialog has the descriptions);
 * choosing one loads it (paused, at 00:00). Titles come with the library's chunk, a second after the first draw;
 * the loaded scenario's own title comes with it from the worker, so the first draw names it already.
 */
function ScenarioPicker({ current, currentTitle }: { current: string; currentTitle: string }) {
  const names = builtinNames();
  if (!names.includes(current) && current) names.unshift(current);
  const [titles, setTitles] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Parsing every bundled scenario for its title takes ~300 ms: not before the first cluster is drawn.
    void getClient().ready.then(() => {
      timer = setTimeout(() => {
        void import('../library/ScenarioPicker.tsx').then((m) => {
          const t: Record<string, string> = {};
          for (const e of m.builtinCatalog()) if (!e.lesson) t[e.file.replace(/\.ya?ml$/, '')] = e.title;
          if (live) setTitles(t);
        });
      }, 1000);
    });
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  return (
    <select
      className="scenario"
      aria-label="Scenario"
      // The picker is narrow: its whole title shows on hover.
      title={titles[current] ?? (currentTitle || current)}
      value={current}
      onChange={(e) => void loadBuiltin(e.target.value)}
      data-testid="scenario"
    >
      {!current && <option value="">loading…</option>}
      {names.map((n) => (
        <option key={n} value={n} title={titles[n] || (n === current && currentTitle) ? `${n}.yaml` : undefined}>
          {titles[n] ?? (n === current && currentTitle ? currentTitle : n)}
        </option>
      ))}
    </select>
  );
}

export function TopBar() {
  const scenario = useCluster((s) => s.scenario);
  const scenarioTitle = useCluster((s) => s.scenarioTitle);
  const playing = useCluster((s) => s.clock.playing);
  const speed = useCluster((s) => s.clock.speed);
  const theme = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  const focus = useUi((s) => s.focus);
  // Step's answer, shown while the clock stays where Step left it (play, +1s or a seek clears it).
  const [stepAnswer, setStepAnswer] = useState({ msg: '', at: -1 });
  const now = useCluster((s) => s.clock.t);
  const stepMsg = stepAnswer.at === now ? stepAnswer.msg : '';
  const client = getClient();
  // Presenter: Play stops at each timeline step the scenario explains, so the teacher can talk it through.
  useEffect(() => client.setPauseAtNotes(presenter), [client, presenter]);
  const step = async () => {
    const r = await client.step();
    // Why Step stopped where it did, when it is not at a change on screen (idle, or a quiet minute).
    setStepAnswer({ msg: r.out, at: useCluster.getState().clock.t });
  };
  const second = async () => {
    await client.advance(1000);
  };
  return (
    <header className="topbar" onClick={releaseMouseFocus}>
      <span className="wordmark">
        <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M16 2 29 9v14L16 30 3 23V9z" fill="#326ce5" />
          <path d="M12 10v12l10-6z" fill="#fff" />
        </svg>
        <span className="wordmark-text">Kubeplay</span>
      </span>
      <ScenarioPicker current={scenario} currentTitle={scenarioTitle} />
      <div className="controls" role="group" aria-label="Simulation controls">
        <Clock />
        <button type="button" className="btn btn-primary" onClick={() => (playing ? client.pause() : client.play())} aria-label={playing ? 'Pause' : 'Play'} title="Space" data-testid="play">
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            {playing ? (
              <>
                <rect x="2" y="1.5" width="3" height="9" fill="currentColor" />
                <rect x="7" y="1.5" width="3" height="9" fill="currentColor" />
              </>
            ) : (
              <path d="M2.5 1.5v9l8-4.5z" fill="currentColor" />
            )}
          </svg>{' '}
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="btn" onClick={step} disabled={playing} aria-label="Step to the next event" title="Jump to the next thing the cluster will do (.)">
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <path d="M1 1.5v9l6.5-4.5z" fill="currentColor" />
            <rect x="8.5" y="1.5" width="2" height="9" fill="currentColor" />
          </svg>{' '}
          Step
        </button>
        <button type="button" className="btn" onClick={second} disabled={playing} aria-label="+1s: step one simulated second" title="Run the cluster for one simulated second">
          +1s
        </button>
        {/* Seven speeds: a compact select keeps the bar within 1280 px (a segmented control did not fit). */}
        <select className="speed-select" aria-label="Speed" title="Simulated seconds per second" value={String(speed)} onChange={(e) => client.setSpeed(Number(e.target.value))} data-testid="speed">
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
        {stepMsg && (
          <span className="hint" title={stepMsg}>
            {stepMsg}
          </span>
        )}
      </div>
      <div className="spacer" />
      <CompareButton />
      <button type="button" className="btn btn-ghost" aria-pressed={focus} onClick={() => useUi.getState().toggleFocus()} title="Only the graph, as large as it fits: hide the side panel and the charts (F)">
        Focus
      </button>
      <button type="button" className="btn btn-ghost" aria-pressed={presenter} onClick={() => useUi.getState().togglePresenter()} title="Large type and high contrast for projectors; Play stops at each step the scenario explains">
        Presenter
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => useUi.getState().setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
