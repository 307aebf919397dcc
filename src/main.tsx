/** The page's entry: start the engine worker, load the default scenario, render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { getClient } from './ui/state/client.ts';
import { installHandle } from './ui/state/handle.ts';
import { defaultScenario } from './ui/state/scenarios.ts';
import './ui/styles.css';

const client = getClient();
installHandle();
const { name, text } = defaultScenario();
client.load(name, text);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
