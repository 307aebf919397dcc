import { describe, expect, it } from 'vitest';
import { play, type Step } from './helpers/play.ts';

/** at finds the one step run at `t` whose command starts with `cmd`. */
function at(steps: Step[], t: number, cmd: string): Step {
  const found = steps.filter((s) => s.t === t && s.cmd.startsWith(cmd));
  expect(found, `${t}s ${cmd}`).toHaveLength(1);
  return found[0];
}

/** image: which hello-app answered a curl, from the version its body prints (main.go: "Version: 2.0.0"). */
const image = (curl: Step) => {
  const v = /^Version: (\d+\.\d+)\.0$/m.exec(curl.out)?.[1];
  return v && `gcr.io/google-samples/hello-app:${v}`;
};
const words = (s: Step) => s.out.trim().split(/\s+/).filter(Boolean).sort();

/** share is a version's SHARE column of `kubeplay traffic stats`, in percent. */
function share(stats: Step, tag: string): number {
  const line = stats.out.split('\n').find((l) => l.startsWith(`gcr.io/google-samples/hello-app:${tag} `));
  return line ? parseFloat(line.trim().split(/\s+/).pop()!) : 0;
}

describe('scenarios/bluegreen-plain.yaml', async () => {
  const steps = await play('bluegreen-plain.yaml');

  it('blue serves web until the selector switch; green is reachable only through web-preview', () => {
    expect(image(at(steps, 15, 'kubeplay curl http://web/'))).toBe('gcr.io/google-samples/hello-app:1.0');
    expect(at(steps, 40, 'kubectl wait')).toMatchObject({ exit: 0, out: 'deployment.apps/web-green condition met\n' });
    expect(image(at(steps, 40, 'kubeplay curl http://web-preview/'))).toBe('gcr.io/google-samples/hello-app:2.0');
    expect(image(at(steps, 40, 'kubeplay curl http://web/'))).toBe('gcr.io/google-samples/hello-app:1.0');
  });

  it('kubectl patch merges the selector: app stays, version becomes green', () => {
    expect(at(steps, 45, 'kubectl patch service web')).toMatchObject({ exit: 0, out: 'service/web patched\n' });
    expect(JSON.parse(at(steps, 46, 'kubectl get service web -o jsonpath').out)).toEqual({ app: 'web', version: 'green' });
    expect(at(steps, 46, 'kubectl patch service web')).toMatchObject({ exit: 0, out: 'service/web patched (no change)\n' });
  });

  it('after the patch the Endpoints of web are exactly the green pods, and curl answers from 2.0', () => {
    const endpoints = words(at(steps, 46, "kubectl get endpoints web -o jsonpath='{.subsets"));
    const green = words(at(steps, 46, 'kubectl get pods -l version=green'));
    expect(endpoints).toHaveLength(3);
    expect(endpoints).toEqual(green);
    expect(image(at(steps, 46, 'kubeplay curl http://web/'))).toBe('gcr.io/google-samples/hello-app:2.0');
  });

  it('blue is scaled to 0 afterwards while web keeps its green endpoints', () => {
    expect(at(steps, 80, 'kubectl get deployments').out).toMatch(/web-blue\s+0\/0\s+0\s+0/);
    expect(at(steps, 80, 'kubectl get endpoints web').out.split('\n')[1].split(/\s+/)[1].split(',').length).toBe(3);
  });
});

describe('scenarios/canary-plain.yaml', async () => {
  const steps = await play('canary-plain.yaml');

  it('before the canary every request is served by 1.0', () => {
    expect(share(at(steps, 20, 'kubeplay traffic stats'), '1.0')).toBe(100);
  });

  it('the canary pod joins the shared Service: four endpoints, one of them canary', () => {
    const names = words(at(steps, 50, "kubectl get endpoints canary-demo -o jsonpath='{.subsets"));
    expect(names).toHaveLength(4);
    expect(names.filter((n) => n.startsWith('canary-demo-canary-'))).toHaveLength(1);
  });

  it('the split follows the replica ratio: about 25% at 1:3, about 50% at 3:3, then all 2.0', () => {
    expect(Math.abs(share(at(steps, 90, 'kubeplay traffic stats'), '2.0') - 25)).toBeLessThanOrEqual(3);
    expect(at(steps, 95, 'kubectl scale')).toMatchObject({ exit: 0, out: 'deployment.apps/canary-demo-canary scaled\n' });
    expect(Math.abs(share(at(steps, 140, 'kubeplay traffic stats'), '2.0') - 50)).toBeLessThanOrEqual(3);
    expect(share(at(steps, 260, 'kubeplay traffic stats'), '2.0')).toBe(100);
  });
});

describe('scenarios/rolling-vs-recreate.yaml', async () => {
  const steps = await play('rolling-vs-recreate.yaml');

  it('two seconds into the update the rolling Service still answers and the Recreate one has no endpoints', () => {
    expect(at(steps, 32, 'kubectl get endpoints').out).toMatch(/\nweb-recreate\s+<none>\s/);
    expect(at(steps, 32, 'kubeplay curl http://web-rolling/').exit).toBe(0);
    expect(at(steps, 32, 'kubeplay curl http://web-recreate/')).toMatchObject({ exit: 7 });
    // Recreate scaled the old ReplicaSet to 0 before creating the new one.
    expect(at(steps, 32, 'kubectl get rs').out).toMatch(/\nweb-recreate-\w+\s+0\s+0\s+0\s/);
    expect(at(steps, 32, 'kubectl get rs').out.match(/\nweb-recreate-/g)).toHaveLength(1);
  });

  it('both end on 2.0', () => {
    expect(at(steps, 60, 'kubectl rollout status deployment/web-rolling').exit).toBe(0);
    expect(at(steps, 60, 'kubectl rollout status deployment/web-recreate').exit).toBe(0);
    expect(image(at(steps, 60, 'kubeplay curl http://web-rolling/'))).toBe('gcr.io/google-samples/hello-app:2.0');
    expect(image(at(steps, 60, 'kubeplay curl http://web-recreate/'))).toBe('gcr.io/google-samples/hello-app:2.0');
  });
});
