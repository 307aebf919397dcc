/** The page's entry: start the engine worker, load the default scenario, render the app. */
// First: the engine starts on the default scenario before React and the app's modules are evaluated.
import './ui/state/boot.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { installHandle } from './ui/state/handle.ts';
import { getClient } from './ui/state/client.ts';
import './ui/styles.css';

installHandle();

/**
 * FIRST_RENDER_WAIT_MS: the first render waits this long at most for the first cluster, so the page is
 * drawn once with it rather than empty and then again (~300 ms of main thread the worker's first diff
 * queued behind on a first load).
 */
const FIRST_RENDER_WAIT_MS = 1200;

const root = createRoot(document.getElementById('root')!);
let rendered = false;
const render = () => {
  if (rendered) return;
  rendered = true;
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
};
void getClient().ready.then(render);
setTimeout(render, FIRST_RENDER_WAIT_MS);
