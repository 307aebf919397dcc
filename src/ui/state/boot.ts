/**
 * boot starts the engine and the default scenario. main.tsx imports it FIRST, so it runs before React and
 * the app's modules are evaluated (~0.5 s on a laptop): the worker builds the first cluster while the page
 * renders its first frame, instead of after. In a build, index.html has already started the worker itself,
 * on the default scenario (see earlyWorker in vite.config.ts); the Client adopts it and nothing is sent.
 */
import { getClient } from './client.ts';
import { defaultScenario } from './scenarios.ts';

const client = getClient();
const { name, text } = defaultScenario();
if (client.preloaded !== name) client.load(name, text);
