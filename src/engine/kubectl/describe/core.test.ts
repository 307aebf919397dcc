import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../index.ts';

describe('describe shows the events of this object, not of one that had its name before', () => {
  it('a pod made again under an old name starts with no events of the deleted one', () => {
    const sim = createCluster({ seed: 3, nodes: [{ name: 'worker-1' }] });
    const run = (line: string) => runCommand(sim, line);
    run('kubectl run p --image=nginx:1.27');
    sim.runUntil(20_000);
    run('kubectl delete pod p --wait=false');
    sim.runUntil(60_000);
    run('kubectl run p --image=busybox:1.36 -- sleep 3600');
    sim.runUntil(61_000);
    const events = run('kubectl describe pod p').out.split('Events:')[1];
    expect(events).toContain('Successfully assigned default/p to worker-1');
    expect(events).not.toContain('nginx');
    expect(events).not.toContain('Killing');
  });
});

describe('describe service: a port’s Endpoints line', () => {
  it('counts only the Endpoints ports of that name (kubectl formatEndpoints with the port set)', () => {
    const sim = createCluster({ seed: 3, nodes: [{ name: 'worker-1' }] });
    const files = {
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{name: http, port: 80}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: db}\nsubsets:\n- addresses: [{ip: 10.244.0.9}]\n  ports: [{port: 80}]\n',
    };
    const run = (line: string) => runCommand(sim, line, { files });
    expect(run('kubectl apply -f svc.yaml').exit).toBe(0);
    expect(run('kubectl describe service db').out).toMatch(/\nEndpoints: *\n/);
  });
});
