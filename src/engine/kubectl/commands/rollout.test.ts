import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import type { ApiServer } from '../../api/server.ts';
import { runCommand } from '../index.ts';

/** A StatefulSet of 3 and a DaemonSet on 2 nodes, with images that start in 2 s. */
function cluster() {
  const sim = createCluster({ seed: 3, images: { 'db:1': { startupSeconds: 2 }, 'db:2': { startupSeconds: 2 }, 'agent:1': { startupSeconds: 2 }, 'agent:2': { startupSeconds: 2 } }, nodes: [{ name: 'node-1' }, { name: 'node-2' }] });
  const api = sim.service<ApiServer>('api');
  const template = (app: string, image: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, image }] } });
  api.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db', 'db:1') } });
  api.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent', 'agent:1') } });
  sim.settle();
  const run = (line: string) => runCommand(sim, line);
  return { sim, run };
}

describe('kubectl rollout on StatefulSets and DaemonSets, with kubectl\'s status and history viewers', () => {
  it('status follows the pods, then the partitioned update', () => {
    const { sim, run } = cluster();
    expect(run('kubectl rollout status statefulset/db')).toEqual({ exit: 1, out: 'Waiting for 3 pods to be ready...\n' });
    expect(run('kubectl rollout status statefulset/db --timeout=3s')).toEqual({ exit: 1, out: 'Waiting for 3 pods to be ready...\nerror: timed out waiting for the condition\n' });
    expect(run('kubectl rollout status statefulset/db --timeout=0s')).toEqual({ exit: 1, out: 'Waiting for 3 pods to be ready...\n' });
    expect(run('kubectl rollout status statefulset/db --timeout=3s --watch=false')).toEqual({ exit: 0, out: 'Waiting for 3 pods to be ready...\n' });
    expect(run('kubectl rollout status ds/agent')).toEqual({ exit: 1, out: 'Waiting for daemon set "agent" rollout to finish: 0 of 2 updated pods are available...\n' });
    sim.runFor(60_000);
    // The API server defaults partition to 0, so a plain StatefulSet reports as a partitioned roll out.
    expect(run('kubectl rollout status statefulset/db')).toEqual({ exit: 0, out: 'partitioned roll out complete: 3 new pods have been updated...\n' });
    expect(run('kubectl rollout status daemonset/agent')).toEqual({ exit: 0, out: 'daemon set "agent" successfully rolled out\n' });
    run("kubectl patch statefulset db -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":1}}}}'");
    run('kubectl set image statefulset/db db=db:2');
    sim.runFor(60_000);
    expect(run('kubectl rollout status statefulset/db')).toEqual({ exit: 0, out: 'partitioned roll out complete: 2 new pods have been updated...\n' });
  });

  it('history lists the ControllerRevisions; --revision shows a template; undo goes back and says so', () => {
    const { sim, run } = cluster();
    sim.runFor(30_000);
    expect(run('kubectl rollout undo statefulset/db')).toEqual({ exit: 1, out: 'error: no last revision to roll back to\n' });
    run('kubectl set image statefulset/db db=db:2');
    run('kubectl set image daemonset/agent agent=agent:2');
    sim.runFor(60_000);
    expect(run('kubectl rollout history statefulset/db').out).toBe('statefulset.apps/db \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect(run('kubectl rollout history ds/agent --revision=1').out).toContain('daemonset.apps/agent with revision #1\nPod Template:\n  Labels:  app=agent\n  Containers:\n   agent:\n    Image:         agent:1\n');
    expect(run('kubectl rollout history ds/agent --revision=7')).toEqual({ exit: 1, out: 'error: unable to find the specified revision\n' });
    expect(run('kubectl rollout undo statefulset/db')).toEqual({ exit: 0, out: 'statefulset.apps/db rolled back\n' });
    expect(run('kubectl get statefulset db -o jsonpath={.spec.template.spec.containers[0].image}').out).toBe('db:1');
    expect(run('kubectl rollout undo daemonset/agent --to-revision=2')).toEqual({ exit: 0, out: 'daemonset.apps/agent skipped rollback (current template already matches revision 2)\n' });
    expect(run('kubectl rollout undo daemonset/agent --to-revision=9')).toEqual({ exit: 1, out: 'error: unable to find specified revision 9 in history\n' });
  });

  it('restart works on both; pause and resume, and kinds without viewers, are refused in kubectl\'s words', () => {
    const { sim, run } = cluster();
    sim.runFor(30_000);
    expect(run('kubectl rollout restart statefulset/db')).toEqual({ exit: 0, out: 'statefulset.apps/db restarted\n' });
    expect(run('kubectl rollout restart ds/agent')).toEqual({ exit: 0, out: 'daemonset.apps/agent restarted\n' });
    expect(run('kubectl rollout pause statefulset/db')).toEqual({ exit: 1, out: 'error: statefulsets.apps "db" pausing is not supported\n' });
    expect(run('kubectl rollout resume ds/agent')).toEqual({ exit: 1, out: 'error: daemonsets.apps "agent" resuming is not supported\n' });
    run('kubectl create deployment web --image=nginx');
    sim.settle();
    const rs = sim.store.list('ReplicaSet')[0].metadata.name;
    expect(run(`kubectl rollout status rs/${rs}`)).toEqual({ exit: 1, out: 'error: no status viewer has been implemented for ReplicaSet.apps\n' });
    expect(run(`kubectl rollout history rs/${rs}`)).toEqual({ exit: 1, out: 'error: no history viewer has been implemented for "ReplicaSet.apps"\n' });
    expect(run(`kubectl rollout undo rs/${rs}`)).toEqual({ exit: 1, out: 'error: no rollbacker has been implemented for "ReplicaSet.apps"\n' });
    expect(run(`kubectl rollout pause rs/${rs}`)).toEqual({ exit: 1, out: `error: replicasets.apps "${rs}" pausing is not supported\n` });
  });

  it("a Deployment's revision prints its ReplicaSet's template, pod-template-hash included; undo writes it back without", () => {
    const { sim, run } = cluster();
    run('kubectl create deployment web --image=nginx:1');
    sim.runFor(20_000);
    run('kubectl set image deployment/web nginx=nginx:2');
    sim.runFor(40_000);
    const hash = sim.store.list<any>('ReplicaSet').find((r) => r.metadata.annotations['deployment.kubernetes.io/revision'] === '1').metadata.labels['pod-template-hash'];
    expect(run('kubectl rollout history deployment/web --revision=1').out).toContain(`Pod Template:\n  Labels:  app=web\n           pod-template-hash=${hash}\n`);
    expect(run('kubectl rollout undo deployment/web').out).toBe('deployment.apps/web rolled back\n');
    expect(run('kubectl get deployment web -o jsonpath={.spec.template.metadata.labels}').out).toBe('{"app":"web"}');
  });
});

describe('kubectl rollout undo of a Deployment', () => {
  it("takes the revision's annotations back with its template, so a change-cause follows (rollback.go annotationsToSkip)", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const at = (s: number, line: string) => {
      sim.runUntil(s * 1000);
      return runCommand(sim, line).out;
    };
    at(0, 'kubectl create deployment web --image=nginx:1.25 --replicas=2');
    at(20, 'kubectl set image deployment/web nginx=nginx:1.26');
    at(21, 'kubectl annotate deployment/web kubernetes.io/change-cause="image updated to 1.26"');
    expect(at(40, 'kubectl rollout undo deployment/web')).toBe('deployment.apps/web rolled back\n');
    expect(at(60, 'kubectl rollout history deployment/web')).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         image updated to 1.26\n3         <none>\n\n');
    expect(at(61, 'kubectl get deploy web -o jsonpath={.metadata.annotations}')).toBe('{"deployment.kubernetes.io/revision":"3"}');
    at(62, 'kubectl rollout undo deployment/web');
    expect(at(80, 'kubectl rollout history deployment/web')).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n3         <none>\n4         image updated to 1.26\n\n');
  });
});

describe('the deprecated --record flag (RecordFlags)', () => {
  it('records the command line as the change cause; without the flag an existing one is brought up to date; --record=false leaves it', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const at = (s: number, line: string) => {
      sim.runUntil(s * 1000);
      return runCommand(sim, line).out;
    };
    const history = (...causes: string[]) => `deployment.apps/web \nREVISION  CHANGE-CAUSE\n${causes.map((c, i) => `${String(i + 1).padEnd(10)}${c}`).join('\n')}\n\n`;
    at(0, 'kubectl create deployment web --image=nginx:1.25 --replicas=2');
    expect(at(20, 'kubectl set image deploy/web nginx=nginx:1.27 --record')).toBe('Flag --record has been deprecated, --record will be removed in the future\ndeployment.apps/web image updated\n');
    expect(at(60, 'kubectl rollout history deploy/web')).toBe(history('<none>', 'kubectl set image deploy/web nginx=nginx:1.27 --record=true'));
    // ChangeCauseUpdateRecorder: the annotation is there, so the next command replaces it, flag or not.
    at(61, 'kubectl set image deploy/web nginx=nginx:1.28');
    expect(at(120, 'kubectl rollout history deploy/web')).toBe(history('<none>', 'kubectl set image deploy/web nginx=nginx:1.27 --record=true', 'kubectl set image deploy/web nginx=nginx:1.28'));
    // --record=false does not touch it: the new revision carries the Deployment's annotation as it was.
    at(121, 'kubectl set image deploy/web nginx=nginx:1.29 --record=false');
    expect(at(180, 'kubectl rollout history deploy/web').split('\n')[5]).toBe('4         kubectl set image deploy/web nginx=nginx:1.28');
    // Flags as --name=value in the order typed, global ones included.
    at(181, 'kubectl -n default scale deploy web --replicas=1 --record');
    expect(at(182, "kubectl get deploy web -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'")).toBe('kubectl scale deploy web --namespace=default --replicas=1 --record=true');
    // annotate records first and then applies what it was asked to: an explicit change cause wins.
    at(183, 'kubectl annotate deploy web kubernetes.io/change-cause="scaled down for the night" --overwrite');
    expect(at(184, "kubectl get deploy web -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'")).toBe('scaled down for the night');
  });
});

describe('kubectl rollout history of a Deployment', () => {
  it("--revision shows the ReplicaSet's change-cause among its template's annotations, as the history viewer copies it there", () => {
    const sim = createCluster({ seed: 3, images: { 'web:1': { startupSeconds: 1 }, 'web:2': { startupSeconds: 1 } }, nodes: [{ name: 'node-1' }] });
    const run = (line: string) => runCommand(sim, line);
    run('kubectl create deployment web --image=web:1');
    sim.runFor(10_000);
    run('kubectl set image deployment/web web=web:2');
    run('kubectl annotate deployment/web kubernetes.io/change-cause="image 2"');
    sim.runFor(10_000);
    expect(run('kubectl rollout history deployment/web').out).toMatch(/REVISION {2}CHANGE-CAUSE\n1 {9}<none>\n2 {9}image 2\n/);
    expect(run('kubectl rollout history deployment/web --revision=2').out).toMatch(/^deployment\.apps\/web with revision #2\nPod Template:\n {2}Labels: {7}app=web\n {16}pod-template-hash=\w+\n {2}Annotations: {2}kubernetes\.io\/change-cause: image 2\n/);
    expect(run('kubectl rollout history deployment/web --revision=1').out).not.toContain('Annotations');
  });
});
