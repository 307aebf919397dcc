import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { runScenario } from '../scenario/run.ts';

function play(file: string) {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const res = runScenario(parseScenario(text, `scenarios/${file}`));
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  const steps = res.steps.map((s) => ({ t: s.t, cmd: s.cmd, out: s.out, exit: s.exit }));
  const at = (t: number, cmd: string) => {
    const s = steps.find((x) => x.t === t && x.cmd.startsWith(cmd));
    if (!s) throw new Error(`no step ${cmd} at ${t}s`);
    return s;
  };
  return { steps, at };
}

describe('scenarios/config-volumes.yaml', () => {
  it('mounts keys as files, follows edits at the 1-minute sync except subPath and env, waits for a missing ConfigMap', () => {
    const { at } = play('config-volumes.yaml');
    expect(at(10, 'kubectl get pods').out).toMatch(/\nflags +0\/1 +ContainerCreating +0 +10s\nweb +1\/1 +Running /);
    expect(at(10, 'kubectl exec web -- ls').out).toBe('app.properties\ngreeting\n');
    expect(at(10, 'kubectl exec web -- cat /etc/secrets/password').out).toBe('s3cr3t');
    expect(at(10, 'kubectl events').out).toContain('(x5 over 10s)   Warning   FailedMount   Pod/flags   MountVolume.SetUp failed for volume "flags" : configmap "feature-flags" not found');
    expect(at(30, 'kubectl exec web -- cat /etc/app/greeting').out).toBe('hello from v1');
    expect(at(70, 'kubectl exec web -- cat /etc/app/greeting').out).toBe('hello from v2');
    expect(at(70, 'kubectl exec web -- cat /etc/nginx/greeting.txt').out).toBe('hello from v1');
    expect(at(70, 'kubectl exec web -- printenv GREETING').out).toBe('hello from v1\n');
    expect(at(150, 'kubectl get pods').out).toMatch(/\nflags +1\/1 +Running /);
    expect(at(150, 'kubectl exec flags -- cat').out).toBe('true');
    const immutable = at(151, 'kubectl patch configmap release');
    expect(immutable.exit).toBe(1);
    expect(immutable.out).toBe('The ConfigMap "release" is invalid: data: Forbidden: field is immutable when `immutable` is set\n');
  });

  it('prints the same bytes twice', () => {
    expect(play('config-volumes.yaml').steps).toEqual(play('config-volumes.yaml').steps);
  });
});

describe('scenarios/sidecars.yaml', () => {
  it('starts sidecars in order, counts them in READY, completes the Job, stops the app before the sidecars', () => {
    const { at } = play('sidecars.yaml');
    expect(at(4, 'kubectl get pod web').out).toMatch(/\nweb +0\/3 +Init:0\/3 /);
    expect(at(30, 'kubectl get pods').out).toMatch(/\nreport-[a-z0-9]{5} +0\/2 +Completed +0 /);
    expect(at(30, 'kubectl get pods').out).toMatch(/\nweb +3\/3 +Running +0 /);
    expect(at(30, 'kubectl get pod web -o jsonpath').out).toBe('proxy started=true ready=true\nmigrate started=false ready=true\nlog-shipper started=true ready=true\n');
    expect(at(30, 'kubectl exec web -c log-shipper').out).toBe('web\n');
    const started = at(31, 'kubectl get events').out.split('\n').slice(1, -1).map((l) => l.split(/ +/).at(-1));
    expect(started).toEqual(['proxy', 'migrate', 'log-shipper', 'web']);
    expect(at(60, 'kubectl get jobs').out).toMatch(/\nreport +Complete +1\/1 /);
    const killing = at(75, 'kubectl get events').out.split('\n').slice(1, -1).map((l) => l.split(/ +/).at(-1));
    expect(killing).toEqual(['web', 'log-shipper', 'proxy']);
  });

  it('prints the same bytes twice', () => {
    expect(play('sidecars.yaml').steps).toEqual(play('sidecars.yaml').steps);
  });
});
