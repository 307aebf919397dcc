import { describe, expect, it } from 'vitest';
import { runCommand } from '../index.ts';
import { deployment, fakeSim, node, pod } from '../testutil/fixtures.ts';
import type { Container } from '../../api/types.ts';

/** A pod (and a Deployment with the same template) with one volume of each kind and the env sources describe shows. */
function cluster() {
  const sim = fakeSim();
  sim.store.create(node('worker-1'));
  const container: Partial<Container> = {
    resources: { requests: { cpu: '250m' }, limits: { memory: '128Mi' } },
    envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'creds', optional: true }, prefix: 'DB_' }],
    env: [
      { name: 'MODE', value: 'prod' },
      { name: 'BANNER', value: 'one\ntwo' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
      { name: 'MEM_MB', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password', optional: true } } },
    ],
    volumeMounts: [
      { name: 'data', mountPath: '/var/lib/data' },
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'config', mountPath: '/etc/app.conf', subPath: 'app.conf' },
    ],
  };
  const volumes = [
    { name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } },
    { name: 'config', configMap: { name: 'settings' } },
    { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    { name: 'scratch', emptyDir: {} },
    { name: 'certs', secret: { secretName: 'tls', optional: false } },
    { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'web', resource: 'limits.memory' } }] } },
    { name: 'token', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }, { downwardAPI: { items: [] } }] } },
    { name: 'csi', csi: { driver: 'inline.storage.kubernetes.io', volumeAttributes: { foo: 'bar', a: 'b' } } },
  ];
  const d = deployment('web');
  d.spec.template.spec.containers[0] = { ...d.spec.template.spec.containers[0], ...container } as Container;
  d.spec.template.spec.volumes = volumes;
  sim.store.create(d);
  const p = pod('web-x1', { node: 'worker-1', ip: '10.244.1.2', owner: d });
  p.spec.containers[0] = { ...p.spec.containers[0], ...container } as Container;
  p.spec.volumes = volumes;
  sim.store.create(p);
  return sim;
}

describe('describe shows volumes, mounts and where the environment comes from', () => {
  it('pod', () => {
    const out = runCommand(cluster(), 'kubectl describe pod web-x1').out;
    expect(out.slice(out.indexOf('    Limits:'), out.indexOf('Conditions:'))).toBe(`    Limits:
      memory:  128Mi
    Requests:
      cpu:  250m
    Environment Variables from:
      settings  ConfigMap                 Optional: false
      creds     Secret with prefix 'DB_'  Optional: true
    Environment:
      MODE:       prod
      BANNER:     one
                  two
      POD_NAME:   web-x1 (v1:metadata.name)
      POD_IP:      (v1:status.podIP)
      MEM_MB:     128 (limits.memory)
      CPU_LIMIT:  node allocatable (limits.cpu)
      LEVEL:      <set to the key 'level' of config map 'settings'>  Optional: false
      PASSWORD:   <set to the key 'password' in secret 'creds'>      Optional: true
    Mounts:
      /etc/app from config (ro)
      /etc/app.conf from config (rw,path="app.conf")
      /var/lib/data from data (rw)
`);
    expect(out.slice(out.indexOf('Volumes:'), out.indexOf('QoS Class:'))).toBe(`Volumes:
  data:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  data-web-0
    ReadOnly:   false
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      settings
    Optional:  false
  cache:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     Memory
    SizeLimit:  64Mi
  scratch:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  certs:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  tls
    Optional:    false
  host:
    Type:          HostPath (bare host directory volume)
    Path:          /var/log
    HostPathType:  Directory
  info:
    Type:  DownwardAPI (a volume populated by information about the pod)
    Items:
      metadata.labels -> labels
      limits.memory -> mem
  token:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
  csi:
    Type:              CSI (a Container Storage Interface (CSI) volume source)
    Driver:            inline.storage.kubernetes.io
    FSType:            
    ReadOnly:          false
    VolumeAttributes:      a=b
                           foo=bar
`);
  });

  it('pod template: the same sections, one level in, without resolving the pod fields', () => {
    const out = runCommand(cluster(), 'kubectl describe deployment web').out;
    expect(out).toContain('      POD_NAME:    (v1:metadata.name)\n');
    expect(out).toContain('  Volumes:\n   data:\n    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n');
    expect(out).toContain('    Mounts:\n      /etc/app from config (ro)\n');
  });

  it('a gitRepo volume as printGitRepoVolumeSource prints it', () => {
    const sim = fakeSim();
    sim.store.create(node('worker-1'));
    const p = pod('git', { node: 'worker-1', ip: '10.244.1.3' });
    p.spec.volumes = [{ name: 'src', gitRepo: { repository: 'https://github.com/kubernetes/examples.git', revision: 'main' } }];
    sim.store.create(p);
    const out = runCommand(sim, 'kubectl describe pod git').out;
    expect(out).toContain('  src:\n    Type:        GitRepo (a volume that is pulled from git when the pod is created)\n    Repository:  https://github.com/kubernetes/examples.git\n    Revision:    main\n');
  });
});
