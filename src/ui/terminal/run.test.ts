import { describe, expect, it } from 'vitest';
import { cutShort } from './run.ts';

describe('cutShort: a status command a timeline step could not let watch', () => {
  it.each([
    ['kubectl rollout status deployment/web', 1, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n', true],
    ['kubectl rollout status deployment/web', 1, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\nerror: timed out waiting for the condition\n', false],
    ['kubectl rollout status deployment/web', 0, 'deployment "web" successfully rolled out\n', false],
    ['kubectl rollout status deployment/nope', 1, 'Error from server (NotFound): deployments.apps "nope" not found\n', false],
    ['kubectl argo rollouts status shop', 1, 'Paused - CanaryPauseStep\n', true],
    ['kubectl argo rollouts status shop', 1, 'Degraded - RolloutAborted: Rollout aborted update to revision 2\nError: The rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2\n', false],
    ['kubectl argo rollouts status shop --timeout 10s', 1, 'Paused - CanaryPauseStep\nError: Rollout status watch exceeded timeout\n', false],
    ['kubectl argo rollouts status shop --watch=false', 1, 'Paused\n', false],
    ['kubectl get pods', 1, 'No resources found in default namespace.\n', false],
  ])('%s (exit %i)', (line, exit, out, want) => expect(cutShort({ line, exit, out })).toBe(want));
});
