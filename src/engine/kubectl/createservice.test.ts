import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from './index.ts';

const run = (sim: ReturnType<typeof createCluster>, line: string) => runCommand(sim, line);

describe('kubectl create service (create_service.go)', () => {
  it('builds each type: app=NAME labels and selector, ports named "<port>-<target>", node ports, headless, external names', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    for (const line of [
      'kubectl create service clusterip my-cs --tcp=5678:8080',
      'kubectl create service clusterip headless --clusterip=None',
      'kubectl create service nodeport my-ns --tcp=80:http --node-port=30080',
      'kubectl create svc loadbalancer my-lb --tcp=80,443',
      'kubectl create service externalname my-en --external-name bar.com',
    ]) {
      expect(run(sim, line)).toEqual({ exit: 0, out: `service/${line.split(' ')[4]} created\n` });
    }
    const svc = (n: string) => sim.store.get('Service', 'default', n)!;
    expect(svc('my-cs').metadata.labels).toEqual({ app: 'my-cs' });
    expect(svc('my-cs').spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'my-cs' }, ports: [{ name: '5678-8080', port: 5678, protocol: 'TCP', targetPort: 8080 }] });
    expect(svc('headless').spec).toMatchObject({ clusterIP: 'None', type: 'ClusterIP' });
    expect(svc('headless').spec.ports).toBeUndefined();
    expect(svc('my-ns').spec.ports).toEqual([{ name: '80-http', port: 80, protocol: 'TCP', targetPort: 'http', nodePort: 30080 }]);
    expect(svc('my-lb').spec.ports.map((p: { name: string; port: number }) => [p.name, p.port])).toEqual([
      ['80', 80],
      ['443', 443],
    ]);
    expect(svc('my-en').spec).toMatchObject({ type: 'ExternalName', externalName: 'bar.com' });
  });

  it.each([
    ['kubectl create service clusterip x', 'error: at least one tcp port specifier must be provided\n'],
    ['kubectl create service clusterip x --tcp=abc', 'error: strconv.ParseUint: parsing "abc": invalid syntax\n'],
    ['kubectl create service clusterip x --tcp=80:0', 'error: must be between 1 and 65535, inclusive\n'],
    ['kubectl create service loadbalancer x --tcp=80 --clusterip=None', "error: unknown flag: --clusterip\nSee 'kubectl create service loadbalancer --help' for usage.\n"],
    ['kubectl create service externalname x', 'error: required flag(s) "external-name" not set\n'],
    ['kubectl create service externalname x --external-name "bad name"', 'error: invalid service external name bad name\n'],
    ['kubectl create service clusterip', "error: exactly one NAME is required, got 0\nSee 'kubectl create service clusterip -h' for help and examples\n"],
    ['kubectl create service foo x', "error: unknown command \"foo\"\nSee 'kubectl create service -h' for help and examples\n"],
    ['kubectl create service clusterip kubernetes --tcp=443', 'error: failed to create ClusterIP service: services "kubernetes" already exists\n'],
  ])('%s', (line, out) => {
    expect(run(createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] }), line)).toEqual({ exit: 1, out });
  });
});

describe('kubectl create deployment, job, cronjob: what the server refuses', () => {
  it.each([
    ['kubectl create deployment x --image=nginx --replicas=-1', 'error: failed to create deployment: Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'],
    ['kubectl create deployment web --image=nginx', 'error: failed to create deployment: deployments.apps "web" already exists\n'],
    ['kubectl create job web --image=nginx', 'error: failed to create job: jobs.batch "web" already exists\n'],
    ["kubectl create cronjob c --image=busybox --schedule='61 * * * *'", 'error: failed to create cronjob: CronJob.batch "c" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n'],
  ])('%s', (line, out) => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    run(sim, 'kubectl create deployment web --image=nginx');
    run(sim, 'kubectl create job web --image=nginx');
    expect(run(sim, line)).toEqual({ exit: 1, out });
  });
});

describe('kubectl create job and cronjob --dry-run=client -o yaml print what kubectl sends', () => {
  it('every ObjectMeta with creationTimestamp: null, and an empty status', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    expect(run(sim, "kubectl create cronjob x --image=busybox --schedule='*/1 * * * *' --dry-run=client -o yaml").out).toBe(
      [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata:',
        '  creationTimestamp: null',
        '  name: x',
        'spec:',
        '  jobTemplate:',
        '    metadata:',
        '      creationTimestamp: null',
        '      name: x',
        '    spec:',
        '      template:',
        '        metadata:',
        '          creationTimestamp: null',
        '        spec:',
        '          containers:',
        '          - image: busybox',
        '            name: x',
        '            resources: {}',
        '          restartPolicy: OnFailure',
        "  schedule: '*/1 * * * *'",
        'status: {}',
        '',
      ].join('\n'),
    );
    expect(run(sim, 'kubectl create job j --image=busybox --dry-run=client -o yaml').out).toMatch(/restartPolicy: Never\nstatus: \{\}\n$/);
  });
});
