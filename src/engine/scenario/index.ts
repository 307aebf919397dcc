/**
 * The Scenario format (DESIGN.md, "The Scenario format"): parse and validate a scenario file, run it.
 * docs/scenario.md is the user-facing reference.
 */
export { parseScenario } from './parse.ts';
export { runScenario, startScenario, runTimelineStep, APPLY_STEP_COMMAND, type RunOptions, type RunResult } from './run.ts';
export { applyManifest, type ApiService, type ApplyOutcome } from './apply.ts';
export { formatStepText, formatStepJson, formatErrors } from './format.ts';
export { LIMITS } from './limits.ts';
export { DEFAULT_SEED, DEFAULT_NODE_CAPACITY, defaultNodes, defaultSpec } from './defaults.ts';
export { isScenarioDocument } from './validate.ts';
export * from './types.ts';
