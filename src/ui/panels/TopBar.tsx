/**
 * TopBar: the wordmark, the scenario's name, the simulated clock, play/pause, step, speed, and the
 * theme and presenter toggles.
 */
import { useState } from 'react';
import { SPEEDS } from '../../worker/protocol.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { getClient } from '../state/client.ts';
import { formatClock } from '../format.ts';


function Clock() {
  const t = useCluster((s) => Math.floor(s.clock.t / 1000));
  const behind = useCluster((s) => s.clock.behind);
  return (
    <span className={`clock${behind ? ' behind' : ''}`} data-testid="clock" aria-label={`Simulated time ${formatClock(t * 1000)}`} title={behind ? 'The simulation is busy and running slower than the chosen speed' : 'Simulated time'}>
      {formatClock(t * 1000)}
    </span>
  );
}

export function TopBar() {
  const scenario = useCluster((s) => s.scenario);
  const playing = useCluster((s) => s.clock.playing);
  const speed = useCluster((s) => s.clock.speed);
  const theme = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  const [stepMsg, setStepMsg] = useState('');
  const client = getClient();
  const step = async () => {
    const r = await client.step();
    setStepMsg(r.exit === 0 ? '' : r.out);
  };
  return (
    <header className="topbar">
      <span className="wordmark" aria-label="Kubeplay">
        <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M16 2 29 9v14L16 30 3 23V9z" fill="#326ce5" />
          <path d="M12 10v12l10-6z" fill="#fff" />
        </svg>
        Kubeplay
      </span>
      <span className="scenario" title="Scenario">
        {scenario || 'loading…'}
      </span>
      <div className="controls" role="group" aria-label="Simulation controls">
        <Clock />
        <button type="button" className="btn btn-primary" onClick={() => (playing ? client.pause() : client.play())} aria-label={playing ? 'Pause' : 'Play'} data-testid="play">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" className="btn" onClick={step} disabled={playing} aria-label="Step to the next event" title="Jump to the next thing the cluster will do">
          ⏭ Step
        </button>
        <div className="seg" role="radiogroup" aria-label="Speed">
          {SPEEDS.map((s) => (
            <button key={s} type="button" role="radio" aria-checked={speed === s} className={speed === s ? 'on' : ''} onClick={() => client.setSpeed(s)}>
              {s}×
            </button>
          ))}
        </div>
        {stepMsg && <span className="hint">{stepMsg}</span>}
      </div>
      <div className="spacer" />
      <button type="button" className="btn btn-ghost" aria-pressed={presenter} onClick={() => useUi.getState().togglePresenter()} title="Large type and high contrast for projectors">
        Presenter
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => useUi.getState().setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
