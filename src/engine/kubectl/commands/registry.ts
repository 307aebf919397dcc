import type { Command } from '../context.ts';
import { describeCommand } from '../describe/index.ts';
import { applyCommand } from './apply.ts';
import { diffCommand } from './diff.ts';
import { eventsCommand } from './events.ts';
import { autoscaleCommand } from './autoscale.ts';
import { createCommand, createConfigMapCommand, createCronJobCommand, createDeploymentCommand, createJobCommand, createNamespaceCommand, createSecretCommand } from './create.ts';
import { deleteCommand } from './delete.ts';
import { exposeCommand } from './expose.ts';
import { getCommand } from './get.ts';
import { apiResourcesCommand, apiVersionsCommand, clusterInfoCommand, versionCommand } from './info.ts';
import { canICommand, whoamiCommand } from '../auth.ts';
import { configCommand } from '../config.ts';
import { RBAC_CREATE_COMMANDS } from '../createrbac.ts';
import { SERVICE_CREATE_COMMANDS } from '../createservice.ts';
import { MORE_CREATE_COMMANDS } from '../createmore.ts';
import { annotateCommand, labelCommand } from './label.ts';
import { cordonCommand, drainCommand, taintCommand, uncordonCommand } from './node.ts';
import { execCommand, logsCommand } from './pods.ts';
import { patchCommand } from './patch.ts';
import { editCommand, replaceCommand } from './replace.ts';
import { rolloutHistoryCommand, rolloutPauseCommand, rolloutRestartCommand, rolloutResumeCommand, rolloutStatusCommand, rolloutUndoCommand } from './rollout.ts';
import { runPodCommand } from './run.ts';
import { scaleCommand } from './scale.ts';
import { setEnvCommand, setImageCommand, setResourcesCommand, setSelectorCommand, setServiceAccountCommand, setSubjectCommand } from './set.ts';
import { topNodeCommand, topPodCommand } from './top.ts';
import { waitCommand } from './wait.ts';

/** COMMANDS is every kubectl command kubeplay implements, in `kubectl help` order. */
export const COMMANDS: Command[] = [
  createCommand,
  createDeploymentCommand,
  createNamespaceCommand,
  createConfigMapCommand,
  createSecretCommand,
  createJobCommand,
  createCronJobCommand,
  ...RBAC_CREATE_COMMANDS,
  ...SERVICE_CREATE_COMMANDS,
  ...MORE_CREATE_COMMANDS,
  exposeCommand,
  runPodCommand,
  getCommand,
  setImageCommand,
  setEnvCommand,
  setResourcesCommand,
  setSelectorCommand,
  setServiceAccountCommand,
  setSubjectCommand,
  deleteCommand,
  rolloutStatusCommand,
  rolloutHistoryCommand,
  rolloutUndoCommand,
  rolloutPauseCommand,
  rolloutResumeCommand,
  rolloutRestartCommand,
  scaleCommand,
  autoscaleCommand,
  cordonCommand,
  uncordonCommand,
  drainCommand,
  taintCommand,
  describeCommand,
  eventsCommand,
  logsCommand,
  execCommand,
  topNodeCommand,
  topPodCommand,
  diffCommand,
  applyCommand,
  patchCommand,
  replaceCommand,
  editCommand,
  waitCommand,
  labelCommand,
  annotateCommand,
  apiResourcesCommand,
  apiVersionsCommand,
  clusterInfoCommand,
  versionCommand,
  configCommand,
  canICommand,
  whoamiCommand,
];
