import { describe, expect, it } from 'vitest';
import { api, rollout, rolloutCluster, run, service } from './testutil.ts';

/** paused: a 4-replica canary at its first pause (setWeight 25 → 1 canary pod, 3 stable). */
function paused() {
  const sim = rolloutCluster({ 'shop:v1': { startupSeconds: 1, pullSeconds: 1 }, 'shop:v2': { startupSeconds: 1, pullSeconds: 1 } });
  api(sim).create(service('shop', 'shop'));
  api(sim).create(rollout('shop', 4, { canary: { canaryService: 'shop', steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: { duration: '30s' } }] } }));
  sim.runFor(30_000);
  expect(run(sim, 'kubectl argo rollouts set image shop app=shop:v2')).toEqual({ exit: 0, out: 'rollout "shop" image updated\n' });
  sim.runFor(30_000);
  return sim;
}

const ro = (sim: ReturnType<typeof paused>) => sim.store.get('Rollout', 'default', 'shop')!;

describe('kubectl argo rollouts', () => {
  it('get rollout prints the summary and the tree as the plugin does (--no-color)', () => {
    const sim = paused();
    // Golden output (seed 3): tabwriter padding 2, Go's trailing padding on tab-terminated cells.
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toBe(
      [
        'Name:            shop',
        'Namespace:       default',
        'Status:          ॥ Paused',
        'Message:         CanaryPauseStep',
        'Strategy:        Canary',
        '  Step:          1/4',
        '  SetWeight:     25',
        '  ActualWeight:  25',
        'Images:          shop:v1 (stable)',
        '                 shop:v2 (canary)',
        'Replicas:',
        '  Desired:       4',
        '  Current:       4',
        '  Updated:       1',
        '  Ready:         4',
        '  Available:     4',
        '',
        'NAME                              KIND        STATUS     AGE  INFO',
        '⟳ shop                            Rollout     ॥ Paused   60s  ',
        '├──# revision:2                                               ',
        '│  └──⧉ shop-794dcb9d94           ReplicaSet  ✔ Healthy  30s  canary',
        '│     └──□ shop-794dcb9d94-h8847  Pod         ✔ Running  30s  ready:1/1',
        '└──# revision:1                                               ',
        '   └──⧉ shop-8d4d9f649            ReplicaSet  ✔ Healthy  60s  stable',
        '      ├──□ shop-8d4d9f649-l5sgs   Pod         ✔ Running  60s  ready:1/1',
        '      ├──□ shop-8d4d9f649-lsxbs   Pod         ✔ Running  60s  ready:1/1',
        '      └──□ shop-8d4d9f649-wwzbz   Pod         ✔ Running  60s  ready:1/1',
        '',
      ].join('\n'),
    );
  });

  it('status and list rollouts', () => {
    const sim = paused();
    // status.go: it watches by default; the engine answers at one instant, so an unfinished watch exits 1 with
    // its line (the terminal keeps watching), and a --timeout adds the timeout's error.
    expect(run(sim, 'kubectl argo rollouts status shop')).toEqual({ exit: 1, out: 'Paused - CanaryPauseStep\n' });
    expect(run(sim, 'kubectl argo rollouts status shop --timeout 10s')).toEqual({ exit: 1, out: 'Paused - CanaryPauseStep\nError: Rollout status watch exceeded timeout\n' });
    expect(run(sim, 'kubectl argo rollouts status shop --watch=false')).toEqual({ exit: 0, out: 'Paused - CanaryPauseStep\n' });
    expect(run(sim, 'kubectl argo rollouts list rollouts').out).toBe(
      'NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n' +
        'shop        Canary     Paused        1/4   25          4/4    4        1           4        \n',
    );
  });

  it('abort scales the canary away and degrades; retry starts the steps again', () => {
    const sim = paused();
    expect(run(sim, 'kubectl argo rollouts abort shop')).toEqual({ exit: 0, out: "rollout 'shop' aborted\n" });
    sim.runFor(30_000);
    expect(ro(sim).status.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
    expect(run(sim, 'kubectl argo rollouts status shop')).toEqual({
      exit: 1,
      out: 'Degraded - RolloutAborted: Rollout aborted update to revision 2\nError: The rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2\n',
    });
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain('• ScaledDown');
    // The aborted status carries no pause conditions (CalculatePauseStatus): the step's pause is gone.
    expect(ro(sim).status.pauseConditions).toBeUndefined();
    expect(ro(sim).status.controllerPause).toBeUndefined();
    expect(run(sim, 'kubectl argo rollouts retry rollout shop')).toEqual({ exit: 0, out: "rollout 'shop' retried\n" });
    // Retried, it starts its steps again, progressing: not paused by the old pause step's condition.
    sim.settle();
    expect(ro(sim).status).toMatchObject({ phase: 'Progressing', currentStepIndex: 0 });
    expect(ro(sim).status.pauseConditions).toBeUndefined();
    sim.runFor(30_000);
    expect(ro(sim).status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
  });

  it('promote skips a pause; promote --full goes straight to the end', () => {
    const sim = paused();
    expect(run(sim, 'kubectl argo rollouts promote shop')).toEqual({ exit: 0, out: "rollout 'shop' promoted\n" });
    sim.runFor(20_000);
    expect(ro(sim).status).toMatchObject({ currentStepIndex: 3, phase: 'Paused' });
    expect(run(sim, 'kubectl argo rollouts promote shop --full')).toEqual({ exit: 0, out: "rollout 'shop' fully promoted\n" });
    sim.runFor(30_000);
    expect(ro(sim).status).toMatchObject({ currentStepIndex: 4, phase: 'Healthy' });
    expect(ro(sim).status.stableRS).toBe(ro(sim).status.currentPodHash);
  });

  it('promote --full takes an aborted rollout to the new revision (the controller clears the abort)', () => {
    const sim = paused();
    run(sim, 'kubectl argo rollouts abort shop');
    sim.runFor(30_000);
    expect(run(sim, 'kubectl argo rollouts promote shop --full')).toEqual({ exit: 0, out: "rollout 'shop' fully promoted\n" });
    sim.runFor(30_000);
    expect(ro(sim).status.abort).toBeUndefined();
    expect(ro(sim).status).toMatchObject({ phase: 'Healthy' });
    expect(ro(sim).status.stableRS).toBe(ro(sim).status.currentPodHash);
  });

  it("undo's words: nothing to go back to, a template that already matches (undo.go)", () => {
    const sim = paused();
    run(sim, 'kubectl argo rollouts promote shop --full');
    sim.runFor(30_000);
    // Revision 2 is the current template: nothing to do, said as RunUndoRollout says it (no newline).
    expect(run(sim, 'kubectl argo rollouts undo shop --to-revision=2')).toEqual({ exit: 0, out: 'skipped rollback (current template already matches revision 2)' });
    expect(run(sim, 'kubectl argo rollouts list rollouts -n nope')).toEqual({ exit: 0, out: 'No resources found.\n' });
  });

  it('pause holds a timed pause; promote unpauses', () => {
    const sim = paused();
    run(sim, 'kubectl argo rollouts pause shop');
    expect(ro(sim).spec.paused).toBe(true);
    expect(ro(sim).status.message).toBe('manually paused');
    run(sim, 'kubectl argo rollouts promote shop');
    expect(ro(sim).spec.paused).toBe(false);
  });

  it('undo goes back to the previous revision as a new revision', () => {
    const sim = paused();
    run(sim, 'kubectl argo rollouts promote shop --full');
    sim.runFor(30_000);
    expect(run(sim, 'kubectl argo rollouts undo shop')).toEqual({ exit: 0, out: "rollout 'shop' undo\n" });
    expect(ro(sim).spec.template.spec.containers[0].image).toBe('shop:v1');
    sim.runFor(5_000);
    expect(ro(sim).metadata.annotations!['rollout.argoproj.io/revision']).toBe('3');
    expect(run(sim, 'kubectl argo rollouts undo shop --to-revision=9')).toEqual({ exit: 1, out: 'Error: unable to find specified revision 9 in history\n' });
  });

  it('restart replaces pods created before restartAt, then records restartedAt', () => {
    const sim = paused();
    run(sim, 'kubectl argo rollouts promote shop --full');
    sim.runFor(30_000);
    const before = new Set(sim.store.list('Pod').map((p) => p.metadata.name));
    expect(run(sim, 'kubectl argo rollouts restart shop')).toEqual({ exit: 0, out: "rollout 'shop' restarts in 0s\n" });
    sim.runFor(60_000);
    const after = sim.store.list('Pod').map((p) => p.metadata.name);
    expect(after).toHaveLength(4);
    expect(after.some((n) => before.has(n))).toBe(false);
    expect(ro(sim).status.restartedAt).toBe(ro(sim).spec.restartAt);
  });

  it.each([
    ['kubectl argo rollouts get rollout nope', 'Error: rollouts.argoproj.io "nope" not found\n'],
    ['kubectl argo rollouts frob', 'Error: unknown command "frob" for "kubectl-argo-rollouts"\n'],
    ['kubectl argo rollouts promote', 'Error: accepts 1 arg(s), received 0\n'],
    ['kubectl argo rollouts set image shop nocontainer', "Error: invalid format of image, use 'container=image'\n"],
    ['kubectl argo rollouts set image shop web=x:1', 'Error: unable to find container named "web"\n'],
    ['kubectl argo rollouts promote shop --bogus', 'Error: unknown flag: --bogus\n'],
  ])('%s', (line, out) => {
    const sim = paused();
    expect(run(sim, line)).toEqual({ exit: 1, out });
  });
});

describe('strange manifests get a clear InvalidSpec, never a throw', () => {
  const strategies: [string, any, any, string][] = [
    ['no strategy', {}, undefined, "InvalidSpec: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'"],
    ['negative replicas', { canary: {} }, { replicas: -2 }, 'InvalidSpec: The Rollout "shop" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0'],
    ['huge replicas', { canary: {} }, { replicas: 1e9 }, 'InvalidSpec: The Rollout "shop" is invalid: spec.replicas: Invalid value: 1000000000: must be less than or equal to 100000 (Kubeplay\'s simulation limit)'],
    ['selector mismatch', { canary: {} }, { selector: { matchLabels: { app: 'other' } } }, 'InvalidSpec: The Rollout "shop" is invalid: spec.selector: Invalid value: selector does not match template labels'],
    ['experiment step', { canary: { steps: [{ experiment: { templates: [] } }] } }, undefined, 'InvalidSpec: spec.strategy.canary.steps[0].experiment is not supported by Kubeplay yet'],
    ['missing service', { blueGreen: { activeService: 'nope' } }, undefined, 'InvalidSpec: service "nope" not found'],
    ['weird steps', { canary: { steps: 'x' } }, undefined, 'InvalidSpec: spec.strategy.canary.steps: must be a list'],
    ['setWeight out of range', { canary: { steps: [{ setWeight: 120 }] } }, undefined, 'InvalidSpec: spec.strategy.canary.steps[0].setWeight: Invalid value: 120: must be between 0 and 100'],
    ['setCanaryScale without a traffic router', { canary: { steps: [{ setCanaryScale: { replicas: 1 } }] } }, undefined, 'InvalidSpec: The Rollout "shop" is invalid: spec.strategy.steps[0].setCanaryScale: Invalid value: &v1alpha1.SetCanaryScale{...}: SetCanaryScale requires TrafficRouting to be set'],
    ['no surge and no unavailability', { canary: { maxSurge: 0, maxUnavailable: '0%' } }, undefined, 'InvalidSpec: The Rollout "shop" is invalid: spec.strategy.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: MaxSurge and MaxUnavailable both can not be zero'],
  ];
  it.each(strategies)('%s', (_n, strategy, extra, message) => {
    const sim = rolloutCluster();
    const obj = rollout('shop', 2, strategy);
    Object.assign(obj.spec, extra ?? {});
    api(sim).create(obj);
    sim.runFor(5_000);
    expect(ro(sim).status.message).toBe(message);
    // The plugin shows the phase the controller wrote (GetRolloutPhase): Degraded, the InvalidSpec in the message.
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain(`Status:          ✖ Degraded\nMessage:         ${message}\n`);
  });
});

describe('workloadRef', () => {
  it('takes the template from the Deployment and rolls out when it changes', () => {
    const sim = rolloutCluster();
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tpl', namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'app', image: 'shop:v1' }] } } } };
    api(sim).create(d);
    const obj = rollout('shop', 2, { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } });
    delete obj.spec.template;
    obj.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tpl' };
    api(sim).create(obj);
    sim.runFor(20_000);
    expect(ro(sim).status.phase).toBe('Healthy');
    const live = api(sim).get('Deployment', 'default', 'tpl');
    live.spec.template.spec.containers[0].image = 'shop:v2';
    api(sim).update(live);
    sim.runFor(20_000);
    expect(ro(sim).status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
  });

  it("without a selector of its own takes the Deployment's (templateref.go Resolve), leaving its spec as written", () => {
    const sim = rolloutCluster();
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tpl', namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'app', image: 'shop:v1' }] } } } };
    api(sim).create(d);
    const obj = rollout('shop', 3, { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } });
    delete obj.spec.template;
    delete obj.spec.selector;
    obj.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tpl' };
    api(sim).create(obj);
    sim.runFor(20_000);
    expect(ro(sim).status).toMatchObject({ phase: 'Healthy', readyReplicas: 3, selector: 'app=shop' });
    expect(ro(sim).spec.selector).toBeUndefined();
    const rs = api(sim).list('ReplicaSet', 'default').find((r: { metadata: { name: string } }) => r.metadata.name.startsWith('shop-'));
    expect(rs!.spec.selector.matchLabels).toMatchObject({ app: 'shop' });
  });
});

describe('kubectl argo rollouts: the flags and commands the plugin reference documents', () => {
  it('uses the kubeconfig context namespace when -n is not given (o.Namespace())', () => {
    const sim = paused();
    run(sim, 'kubectl create namespace demo');
    run(sim, 'kubectl config set-context --current --namespace=demo');
    expect(run(sim, 'kubectl argo rollouts get rollout shop')).toEqual({ exit: 1, out: 'Error: rollouts.argoproj.io "shop" not found\n' });
    expect(run(sim, 'kubectl argo rollouts list rollouts').out).toBe('No resources found.\n');
    expect(run(sim, 'kubectl argo rollouts status shop -n default --watch=false').out).toBe('Paused - CanaryPauseStep\n');
  });
  it('--help, version, status -t, list --name, restart --in; dashboard and lint say what to use instead', () => {
    const sim = paused();
    expect(run(sim, 'kubectl argo rollouts promote --help')).toEqual({ exit: 0, out: 'Promote a rollout\n\nUsage:\n  kubectl argo rollouts promote ROLLOUT_NAME [flags]\n' });
    expect(run(sim, 'kubectl argo rollouts -h').out).toMatch(/^Manage argo rollouts\n/);
    expect(run(sim, 'kubectl argo rollouts version --short')).toEqual({ exit: 0, out: 'kubectl-argo-rollouts: v1.7.2\n' });
    expect(run(sim, 'kubectl argo rollouts status shop -t 1s')).toEqual({ exit: 1, out: 'Paused - CanaryPauseStep\nError: Rollout status watch exceeded timeout\n' });
    expect(run(sim, 'kubectl argo rollouts list rollouts --name nope').out).toBe('No resources found.\n');
    expect(run(sim, 'kubectl argo rollouts list rollouts --name shop').out).toMatch(/^NAME +STRATEGY .*\nshop +Canary /);
    expect(run(sim, 'kubectl argo rollouts restart shop --in 90s')).toEqual({ exit: 0, out: "rollout 'shop' restarts in 90s\n" });
    expect(run(sim, 'kubectl argo rollouts restart shop -i 30')).toEqual({ exit: 0, out: "rollout 'shop' restarts in 30\n" });
    expect(run(sim, 'kubectl argo rollouts help promote').out).toMatch(/^Promote a rollout\n/);
    expect(run(sim, 'kubectl argo rollouts dashboard').out).toMatch(/^Error: kubectl argo rollouts dashboard is not simulated in Kubeplay: the Rollout tab/);
    expect(run(sim, 'kubectl argo rollouts lint -f ro.yaml').exit).toBe(1);
  });
  it('promote --skip-all-steps jumps to the end with cobra\'s deprecation notice; -c skips one step; a blue-green refuses', () => {
    const sim = paused();
    expect(run(sim, 'kubectl argo rollouts promote shop -c')).toEqual({
      exit: 0,
      out: "Flag shorthand -c has been deprecated, use without the flag instead ex: promote ROLLOUT_NAME\nFlag --skip-current-step has been deprecated, use without the flag instead ex: promote ROLLOUT_NAME\nrollout 'shop' promoted\n",
    });
    expect(ro(sim).status.currentStepIndex).toBe(2);
    expect(run(sim, 'kubectl argo rollouts promote shop --skip-all-steps')).toEqual({ exit: 0, out: "Flag --skip-all-steps has been deprecated, use --full instead\nrollout 'shop' promoted\n" });
    sim.runFor(60_000);
    expect(run(sim, 'kubectl argo rollouts status shop --watch=false').out).toBe('Healthy\n');
    expect(run(sim, 'kubectl argo rollouts promote shop -a -c').out).toContain('Error: Cannot use skip-current-step and skip-all-steps flags at the same time\n');
  });
});
