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
