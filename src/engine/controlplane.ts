/**
 * The control plane as kubeadm (and kind, which uses it) lays it out, for a scenario that asks for it
 * (spec.cluster.controlPlane): a node of its own, labelled node-role.kubernetes.io/control-plane and
 * tainted NoSchedule so ordinary pods stay off it, running the four control-plane components as static
 * pods (their mirror pods in kube-system: etcd-NODE, kube-apiserver-NODE, kube-controller-manager-NODE,
 * kube-scheduler-NODE); kube-proxy as a DaemonSet on every node; CoreDNS as a Deployment behind the
 * kube-dns Service at 10.96.0.10. The simulation's own control plane does the work: these objects show
 * where a real cluster runs it, and behave as pods do (a failed node's mirror pods, the DaemonSet's
 * rollout, the Deployment's scheduling). Their processes are not simulated (their logs say so).
 *
 * Manifests follow kubeadm 1.32's (cmd/kubeadm/app/phases/controlplane/manifests.go, addons/dns and
 * addons/proxy), with the flags that name the cluster's addresses and the resources they request.
 */
import type { Sim } from './sim.ts';
import type { KubeObject, Node } from './api/types.ts';
import { KUBELET_VERSION, nodesState } from './kubelet/node.ts';
import { DNS_SERVICE_IP } from './network/dns.ts';
import { bootstrapUid, hashString } from './rng.ts';
import { hex64 } from './kubelet/images.ts';

/** CONTROL_PLANE_LABEL and its NoSchedule taint: kubeadm's for control-plane nodes (since 1.24). */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** controlPlaneNode is the NodeSpec of the control-plane node: labelled, tainted, kind's default size. */
export function controlPlaneNode(name: string): { name: string; labels: Record<string, string>; taints: { key: string; effect: 'NoSchedule' }[]; capacity: { cpu: string; memory: string; pods: string } } {
  return {
    name,
    labels: { [CONTROL_PLANE_LABEL]: '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
    taints: [{ key: CONTROL_PLANE_LABEL, effect: 'NoSchedule' }],
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  };
}

interface Api {
  create(obj: unknown): KubeObject;
}

const K8S = KUBELET_VERSION;

const MIRROR = 'kubernetes.io/config.mirror';
const DELETE_TIMER = 'controlplane/mirror-delete';
const CREATE_TIMER = 'controlplane/mirror-create';
/** MIRROR_RETRY_MS: a failed node's kubelet makes its mirror pods again once it is back; checked this often. */
const MIRROR_RETRY_MS = 10_000;

/** installControlPlane creates the kube-system objects of a kubeadm control plane on node `name`. */
export function installControlPlane(sim: Sim, name: string): void {
  const api = sim.service<Api>('api');
  const node = sim.store.get<Node>('Node', undefined, name);
  if (!node) return;
  for (const pod of staticPods(node)) api.create(pod);
  installMirrorPods(sim);
  addonObjects(sim);
  api.create(kubeProxyConfig());
  api.create(kubeProxy());
  api.create(corednsConfig());
  api.create(coredns());
  api.create(kubeDns());
}

/**
 * addonObjects are the ServiceAccounts kubeadm makes for its addons (kube-proxy, coredns) and CoreDNS's
 * RBAC (the system:coredns ClusterRole and its binding), stored with uids of their own (derived from
 * their names) so that adding them moved no later random draw: every pod name stays as it was.
 */
function addonObjects(sim: Sim): void {
  const make = (obj: KubeObject) => {
    const { namespace, name } = obj.metadata;
    if (!sim.store.get(obj.kind, namespace, name)) sim.store.create(obj, bootstrapUid(obj.kind, namespace ? `${namespace}/${name}` : name));
  };
  for (const name of ['kube-proxy', 'coredns']) make({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } });
  make({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'system:coredns' },
    rules: [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ],
  });
  make({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:coredns' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
    subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }],
  });
}

/**
 * installMirrorPods is the kubelet's keeping of mirror pods: the API does not own a static pod, so a
 * mirror pod deleted through it goes at once (the kubelet deletes it without a grace period, and the
 * static pod's containers are not stopped for it) and the kubelet makes it again: `kubectl delete pod
 * kube-apiserver-control-plane -n kube-system` gives a new mirror pod, not a cluster without an API
 * server, and the same containers, still running (the kubelet's run passes to the new mirror pod).
 */
function installMirrorPods(sim: Sim): void {
  // Both are the kubelet's doing: while its node is down, a deleted mirror pod stays Terminating.
  const down = (name: string) => nodesState(sim).nodes[nodeOf(name)]?.failedAt !== undefined;
  sim.onTimer(DELETE_TIMER, (name) => {
    const pod = sim.store.get('Pod', 'kube-system', name);
    if (!pod?.metadata.deletionTimestamp) return;
    if (down(name)) return sim.at(sim.now() + MIRROR_RETRY_MS, DELETE_TIMER, name);
    sim.store.remove('Pod', 'kube-system', name);
  });
  sim.onTimer(CREATE_TIMER, (name) => {
    if (sim.store.get('Pod', 'kube-system', name)) return;
    const node = sim.store.get<Node>('Node', undefined, nodeOf(name));
    if (!node) return;
    if (down(name)) return sim.at(sim.now() + MIRROR_RETRY_MS, CREATE_TIMER, name);
    const pod = staticPods(node).find((p) => (p as KubeObject).metadata.name === name);
    if (pod) sim.service<Api>('api').create(pod);
  });
  sim.store.watch('Pod', (type, obj) => {
    if (obj.metadata.namespace !== 'kube-system' || !obj.metadata.annotations?.[MIRROR]) return;
    if (type === 'DELETED') sim.at(sim.now(), CREATE_TIMER, obj.metadata.name);
    else if (obj.metadata.deletionTimestamp) sim.at(sim.now(), DELETE_TIMER, obj.metadata.name);
  });
}

/** configAnnotations are the kubelet's annotations of a static pod's mirror (keys in the order kubectl prints them). */
function configAnnotations(hash: string, seen: string): Record<string, string> {
  return { 'kubernetes.io/config.hash': hash, [MIRROR]: hash, 'kubernetes.io/config.seen': seen, 'kubernetes.io/config.source': 'file' };
}

/** configHash is a static pod's config.hash: 32 hex digits from its manifest. */
function configHash(component: string, image: string, command: string[]): string {
  return hex64(JSON.stringify([component, image, command])).slice(0, 32);
}

/** nodeOf is the node a mirror pod's name ends with (COMPONENT-NODE). */
function nodeOf(mirrorName: string): string {
  return mirrorName.replace(/^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)-/, '');
}

/** staticPods are the mirror pods of kubeadm's four static pod manifests, owned by their node. */
function staticPods(node: Node): unknown[] {
  const name = node.metadata.name;
  const ip = node.status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  // The kubelet names a static pod by the hash of its manifest (config.hash, which the mirror pod's
  // config.mirror repeats) and stamps when it read the file (config.seen, RFC 3339 with nanoseconds).
  const seen = (node.metadata.creationTimestamp ?? '2025-01-01T00:00:00Z').replace('Z', `.${String(hashString(name) % 1e9).padStart(9, '0')}Z`);
  const component = (c: string, image: string, command: string[], cpu: string, memory?: string, extra: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${c}-${name}`,
      namespace: 'kube-system',
      labels: { component: c, tier: 'control-plane' },
      annotations: { ...extra, ...configAnnotations(configHash(c, image, command), seen) },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid, controller: true }],
    },
    spec: {
      nodeName: name,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [{ name: c, image, command, resources: { requests: { cpu, ...(memory ? { memory } : {}) } } }],
    },
  });
  return [
    component('etcd', 'registry.k8s.io/etcd:3.5.16-0', ['etcd', `--advertise-client-urls=https://${ip}:2379`, '--data-dir=/var/lib/etcd', `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, `--name=${name}`], '100m', '100Mi', {
      'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379`,
    }),
    component('kube-apiserver', `registry.k8s.io/kube-apiserver:${K8S}`, ['kube-apiserver', `--advertise-address=${ip}`, '--authorization-mode=Node,RBAC', '--etcd-servers=https://127.0.0.1:2379', '--secure-port=6443', '--service-cluster-ip-range=10.96.0.0/12'], '250m', undefined, {
      'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443`,
    }),
    component('kube-controller-manager', `registry.k8s.io/kube-controller-manager:${K8S}`, ['kube-controller-manager', '--allocate-node-cidrs=true', '--cluster-cidr=10.244.0.0/16', '--controllers=*,bootstrapsigner,tokencleaner', '--leader-elect=true', '--service-cluster-ip-range=10.96.0.0/12'], '200m'),
    component('kube-scheduler', `registry.k8s.io/kube-scheduler:${K8S}`, ['kube-scheduler', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'], '100m'),
  ];
}

function kubeProxyConfig(): unknown {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
    data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables\n' },
  };
}

/** kubeProxy is kubeadm's kube-proxy DaemonSet: on every node, the control plane's too. */
function kubeProxy(): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          priorityClassName: 'system-node-critical',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'kube-proxy',
              image: `registry.k8s.io/kube-proxy:${K8S}`,
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
              volumeMounts: [{ name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' }],
            },
          ],
          volumes: [{ name: 'kube-proxy', configMap: { name: 'kube-proxy' } }],
        },
      },
    },
  };
}

function corednsConfig(): unknown {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: {
      Corefile:
        '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n',
    },
  };
}

/** coredns is kubeadm's CoreDNS Deployment: two replicas, allowed on the control-plane node. */
function coredns(): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          // CoreDNS asks the node's resolver for names outside the cluster, not itself.
          dnsPolicy: 'Default',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: CONTROL_PLANE_LABEL, effect: 'NoSchedule' },
          ],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.3',
              args: ['-conf', '/etc/coredns/Corefile'],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
              // The Corefile's health (8080) and ready (8181) plugins answer these.
              livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            },
          ],
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

/** kubeDns is the kube-dns Service at the cluster DNS address the kubelet writes into every pod's resolv.conf. */
function kubeDns(): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      clusterIP: DNS_SERVICE_IP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
}
