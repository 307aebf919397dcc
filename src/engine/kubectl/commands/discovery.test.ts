import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../index.ts';
import { complete } from '../complete.ts';

/**
 * Discovery as a v1.32 kubeadm cluster with Argo Rollouts installed serves it (kinds.ts): the table,
 * its filters, and what each resource Kubeplay does not store answers to get, apply and delete.
 */
const cluster = () => {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
  sim.runUntil(5_000);
  return sim;
};
const run = (line: string, stdin?: string) => runCommand(cluster(), line, stdin === undefined ? {} : { stdin });

/**
 * API_RESOURCES is `kubectl api-resources` on a default cluster: a real 1.32 kubeadm cluster's listing
 * (sorted by group, then name), plus Argo Rollouts' CRDs (argoproj.io, short names from its manifests/crds).
 */
const API_RESOURCES = [
    'NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND',
    'bindings                                         v1                                true         Binding',
    'componentstatuses                   cs           v1                                false        ComponentStatus',
    'configmaps                          cm           v1                                true         ConfigMap',
    'endpoints                           ep           v1                                true         Endpoints',
    'events                              ev           v1                                true         Event',
    'limitranges                         limits       v1                                true         LimitRange',
    'namespaces                          ns           v1                                false        Namespace',
    'nodes                               no           v1                                false        Node',
    'persistentvolumeclaims              pvc          v1                                true         PersistentVolumeClaim',
    'persistentvolumes                   pv           v1                                false        PersistentVolume',
    'pods                                po           v1                                true         Pod',
    'podtemplates                                     v1                                true         PodTemplate',
    'replicationcontrollers              rc           v1                                true         ReplicationController',
    'resourcequotas                      quota        v1                                true         ResourceQuota',
    'secrets                                          v1                                true         Secret',
    'serviceaccounts                     sa           v1                                true         ServiceAccount',
    'services                            svc          v1                                true         Service',
    'mutatingwebhookconfigurations                    admissionregistration.k8s.io/v1   false        MutatingWebhookConfiguration',
    'validatingadmissionpolicies                      admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicy',
    'validatingadmissionpolicybindings                admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicyBinding',
    'validatingwebhookconfigurations                  admissionregistration.k8s.io/v1   false        ValidatingWebhookConfiguration',
    'customresourcedefinitions           crd,crds     apiextensions.k8s.io/v1           false        CustomResourceDefinition',
    'apiservices                                      apiregistration.k8s.io/v1         false        APIService',
    'controllerrevisions                              apps/v1                           true         ControllerRevision',
    'daemonsets                          ds           apps/v1                           true         DaemonSet',
    'deployments                         deploy       apps/v1                           true         Deployment',
    'replicasets                         rs           apps/v1                           true         ReplicaSet',
    'statefulsets                        sts          apps/v1                           true         StatefulSet',
    'analysisruns                        ar           argoproj.io/v1alpha1              true         AnalysisRun',
    'analysistemplates                   at           argoproj.io/v1alpha1              true         AnalysisTemplate',
    'clusteranalysistemplates            cat          argoproj.io/v1alpha1              false        ClusterAnalysisTemplate',
    'experiments                         exp          argoproj.io/v1alpha1              true         Experiment',
    'rollouts                            ro           argoproj.io/v1alpha1              true         Rollout',
    'selfsubjectreviews                               authentication.k8s.io/v1          false        SelfSubjectReview',
    'tokenreviews                                     authentication.k8s.io/v1          false        TokenReview',
    'localsubjectaccessreviews                        authorization.k8s.io/v1           true         LocalSubjectAccessReview',
    'selfsubjectaccessreviews                         authorization.k8s.io/v1           false        SelfSubjectAccessReview',
    'selfsubjectrulesreviews                          authorization.k8s.io/v1           false        SelfSubjectRulesReview',
    'subjectaccessreviews                             authorization.k8s.io/v1           false        SubjectAccessReview',
    'horizontalpodautoscalers            hpa          autoscaling/v2                    true         HorizontalPodAutoscaler',
    'cronjobs                            cj           batch/v1                          true         CronJob',
    'jobs                                             batch/v1                          true         Job',
    'certificatesigningrequests          csr          certificates.k8s.io/v1            false        CertificateSigningRequest',
    'leases                                           coordination.k8s.io/v1            true         Lease',
    'endpointslices                                   discovery.k8s.io/v1               true         EndpointSlice',
    'events                              ev           events.k8s.io/v1                  true         Event',
    'flowschemas                                      flowcontrol.apiserver.k8s.io/v1   false        FlowSchema',
    'prioritylevelconfigurations                      flowcontrol.apiserver.k8s.io/v1   false        PriorityLevelConfiguration',
    'ingressclasses                                   networking.k8s.io/v1              false        IngressClass',
    'ingresses                           ing          networking.k8s.io/v1              true         Ingress',
    'networkpolicies                     netpol       networking.k8s.io/v1              true         NetworkPolicy',
    'runtimeclasses                                   node.k8s.io/v1                    false        RuntimeClass',
    'poddisruptionbudgets                pdb          policy/v1                         true         PodDisruptionBudget',
    'clusterrolebindings                              rbac.authorization.k8s.io/v1      false        ClusterRoleBinding',
    'clusterroles                                     rbac.authorization.k8s.io/v1      false        ClusterRole',
    'rolebindings                                     rbac.authorization.k8s.io/v1      true         RoleBinding',
    'roles                                            rbac.authorization.k8s.io/v1      true         Role',
    'priorityclasses                     pc           scheduling.k8s.io/v1              false        PriorityClass',
    'csidrivers                                       storage.k8s.io/v1                 false        CSIDriver',
    'csinodes                                         storage.k8s.io/v1                 false        CSINode',
    'csistoragecapacities                             storage.k8s.io/v1                 true         CSIStorageCapacity',
    'storageclasses                      sc           storage.k8s.io/v1                 false        StorageClass',
    'volumeattachments                                storage.k8s.io/v1                 false        VolumeAttachment',
];

describe('kubectl api-resources', () => {
  it('lists every resource of a default cluster, sorted by group then name', () => {
    expect(run('kubectl api-resources')).toEqual({ exit: 0, out: API_RESOURCES.join('\n') + '\n' });
  });

  const names = (line: string) => run(line).out.split('\n').filter(Boolean);
  const cases: [string, string[]][] = [
    ['kubectl api-resources --api-group=storage.k8s.io -o name', ['csidrivers.storage.k8s.io', 'csinodes.storage.k8s.io', 'csistoragecapacities.storage.k8s.io', 'storageclasses.storage.k8s.io', 'volumeattachments.storage.k8s.io']],
    ['kubectl api-resources --api-group=authorization.k8s.io -o name', ['localsubjectaccessreviews.authorization.k8s.io', 'selfsubjectaccessreviews.authorization.k8s.io', 'selfsubjectrulesreviews.authorization.k8s.io', 'subjectaccessreviews.authorization.k8s.io']],
    ['kubectl api-resources --api-group=events.k8s.io -o name', ['events.events.k8s.io']],
    ['kubectl api-resources --api-group= --namespaced=false -o name', ['componentstatuses', 'namespaces', 'nodes', 'persistentvolumes']],
    ['kubectl api-resources --namespaced=true --api-group=storage.k8s.io -o name', ['csistoragecapacities.storage.k8s.io']],
    ['kubectl api-resources --verbs=get --api-group= -o name', ['componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'podtemplates', 'replicationcontrollers', 'resourcequotas', 'secrets', 'serviceaccounts', 'services']],
    ['kubectl api-resources --categories=api-extensions -o name', ['mutatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingadmissionpolicies.admissionregistration.k8s.io', 'validatingadmissionpolicybindings.admissionregistration.k8s.io', 'validatingwebhookconfigurations.admissionregistration.k8s.io', 'customresourcedefinitions.apiextensions.k8s.io', 'apiservices.apiregistration.k8s.io']],
  ];
  for (const [line, want] of cases) it(line, () => expect(names(line)).toEqual(want));

  // -o wide: discovery's verbs (sorted for built-in resources, the apiextensions-apiserver's order for CRDs) and categories.
  const wide: [string, RegExp][] = [
    ['bindings', /^bindings +v1 +true +Binding +create +$/],
    ['componentstatuses', /^componentstatuses +cs +v1 +false +ComponentStatus +get,list +$/],
    ['namespaces', /^namespaces +ns +v1 +false +Namespace +create,delete,get,list,patch,update,watch +$/],
    ['pods', /^pods +po +v1 +true +Pod +create,delete,deletecollection,get,list,patch,update,watch +all$/],
    ['apiservices', /^apiservices +apiregistration\.k8s\.io\/v1 +false +APIService +create,delete,deletecollection,get,list,patch,update,watch +api-extensions$/],
    ['tokenreviews', /^tokenreviews +authentication\.k8s\.io\/v1 +false +TokenReview +create +$/],
    ['rollouts', /^rollouts +ro +argoproj\.io\/v1alpha1 +true +Rollout +delete,deletecollection,get,list,patch,create,update,watch +$/],
    ['certificatesigningrequests', /^certificatesigningrequests +csr +certificates\.k8s\.io\/v1 +false +CertificateSigningRequest +create,delete,deletecollection,get,list,patch,update,watch +$/],
  ];
  const table = run('kubectl api-resources -o wide').out.split('\n');
  for (const [name, row] of wide) it(`-o wide: ${name}`, () => expect(table.filter((l) => row.test(l))).toHaveLength(1));

  it('api-versions lists the group/versions of the same table', () => {
    expect(run('kubectl api-versions').out).toBe(
      [
        'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'apps/v1', 'argoproj.io/v1alpha1', 'authentication.k8s.io/v1',
        'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1',
        'events.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1', 'networking.k8s.io/v1', 'node.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1',
        'scheduling.k8s.io/v1', 'storage.k8s.io/v1', 'v1',
      ].join('\n') + '\n',
    );
  });
});

const WARNING = 'Warning: v1 ComponentStatus is deprecated in v1.19+\n';
const NOT_ALLOWED = 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n';

describe('componentstatuses: computed on each request (componentstatus/rest.go), never stored', () => {
  const cases: [string, number, string][] = [
    ['kubectl get cs', 0, `${WARNING}NAME                 STATUS    MESSAGE   ERROR\ncontroller-manager   Healthy   ok        \nscheduler            Healthy   ok        \netcd-0               Healthy   ok        \n`],
    ['kubectl get componentstatus scheduler', 0, `${WARNING}NAME        STATUS    MESSAGE   ERROR\nscheduler   Healthy   ok        \n`],
    ['kubectl get cs scheduler -o yaml', 0, `${WARNING}apiVersion: v1\nconditions:\n- message: ok\n  status: "True"\n  type: Healthy\nkind: ComponentStatus\nmetadata:\n  creationTimestamp: null\n  name: scheduler\n`],
    ['kubectl get cs -o name', 0, `${WARNING}componentstatus/controller-manager\ncomponentstatus/scheduler\ncomponentstatus/etcd-0\n`],
    ['kubectl get cs etcd-0 -o jsonpath={.conditions[0].status}', 0, `${WARNING}True`],
    // The REST's Get returns a plain error: a 500 with no reason, printed without one.
    ['kubectl get cs nope', 1, `${WARNING}Error from server: Component not found: nope\n`],
    ['kubectl get cs -l tier=control-plane', 0, `${WARNING}No resources found\n`],
    ['kubectl delete cs scheduler', 1, NOT_ALLOWED],
    ['kubectl label cs scheduler a=b', 1, NOT_ALLOWED],
    ['kubectl create -f -', 1, 'Error from server (MethodNotAllowed): error when creating "STDIN": the server does not allow this method on the requested resource\n'],
  ];
  const manifest = 'apiVersion: v1\nkind: ComponentStatus\nmetadata:\n  name: scheduler\n';
  for (const [line, exit, out] of cases) it(line, () => expect(run(line, manifest)).toEqual({ exit, out }));

  it('describe uses the generic describer', () => {
    expect(run('kubectl describe cs scheduler').out).toBe(
      'Name:         scheduler\nNamespace:    \nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  v1\nConditions:\n  Message:  ok\n  Status:   True\n  Type:     Healthy\nKind:       ComponentStatus\nMetadata:\n  Creation Timestamp:  <nil>\nEvents:                <none>\n',
    );
  });
});

describe('create-only resources: a get, list or delete is the server\'s 405', () => {
  const cases: [string, number, string][] = [
    ['kubectl get bindings', 1, NOT_ALLOWED],
    ['kubectl get tokenreviews', 1, NOT_ALLOWED],
    ['kubectl get selfsubjectaccessreviews.authorization.k8s.io x', 1, NOT_ALLOWED],
    ['kubectl get localsubjectaccessreviews -A', 1, NOT_ALLOWED],
    ['kubectl delete selfsubjectreviews me', 1, NOT_ALLOWED],
    // The other types print before the 405 (kubectl aggregates the builder's errors after the output).
    ['kubectl get ns,bindings -o name', 1, `namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n${NOT_ALLOWED}`],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(run(line)).toEqual({ exit, out }));

  const review = 'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nmetadata:\n  name: t\nspec:\n  token: abc\n';
  it('apply reads the live object first, and that get is a 405', () => {
    expect(run('kubectl apply -f -', review)).toEqual({
      exit: 1,
      out: 'Error from server (MethodNotAllowed): error when retrieving current configuration of:\nResource: "authentication.k8s.io/v1, Resource=tokenreviews", GroupVersionKind: "authentication.k8s.io/v1, Kind=TokenReview"\nName: "t", Namespace: ""\nfrom server for: "STDIN": the server does not allow this method on the requested resource\n',
    });
  });
  it('create is refused as not simulated (the server would answer it)', () => {
    expect(run('kubectl create -f -', review)).toEqual({ exit: 1, out: 'error: TokenReview (authentication.k8s.io/v1) is not simulated by Kubeplay yet: its create is answered, not stored\n' });
  });
  it('kubectl auth can-i and whoami still answer', () => {
    expect(run('kubectl auth can-i create selfsubjectaccessreviews')).toEqual({ exit: 0, out: 'Warning: resource \'selfsubjectaccessreviews\' is not namespace scoped in group \'authorization.k8s.io\'\n\nyes\n' });
    expect(run('kubectl auth whoami').out).toContain('kubernetes-admin');
  });
});

describe('list-able kinds Kubeplay does not create: none, stored as data when applied', () => {
  const cases: [string, number, string][] = [
    ['kubectl get csr', 0, 'No resources found\n'],
    ['kubectl get runtimeclasses', 0, 'No resources found\n'],
    ['kubectl get csidrivers,csinodes,volumeattachments', 0, 'No resources found\n'],
    ['kubectl get csistoragecapacities', 0, 'No resources found in default namespace.\n'],
    ['kubectl get flowschemas,prioritylevelconfigurations', 0, 'No resources found\n'],
    ['kubectl get apiservices', 0, 'No resources found\n'],
  ];
  for (const [line, exit, out] of cases) it(line, () => expect(run(line)).toEqual({ exit, out }));

  it('kubectl apply stores a RuntimeClass with the not-simulated warning; delete removes it', () => {
    const sim = cluster();
    const rc = 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: gvisor\nhandler: runsc\n';
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: rc })).toEqual({
      exit: 0,
      out: 'Warning: RuntimeClass (node.k8s.io/v1) is stored but not simulated by Kubeplay yet: no controller acts on it\nruntimeclass.node.k8s.io/gvisor created\n',
    });
    expect(runCommand(sim, 'kubectl get runtimeclass gvisor -o jsonpath={.handler}').out).toBe('runsc');
    expect(runCommand(sim, 'kubectl delete runtimeclass gvisor')).toEqual({ exit: 0, out: 'runtimeclass.node.k8s.io "gvisor" deleted\n' });
  });
});

describe('events.events.k8s.io: the core/v1 Events through events.k8s.io/v1', () => {
  it('prints the same table as kubectl get events', () => {
    const sim = cluster();
    const core = runCommand(sim, 'kubectl get events -A');
    expect(core.out).toContain('Starting kubelet.');
    expect(runCommand(sim, 'kubectl get events.events.k8s.io -A')).toEqual(core);
    expect(runCommand(sim, 'kubectl get ev -A')).toEqual(core);
  });
  it('-o yaml shows the events.k8s.io/v1 fields (conversion.go)', () => {
    const out = run('kubectl get events.events.k8s.io --field-selector reason=Starting -o yaml').out;
    for (const line of ['- apiVersion: events.k8s.io/v1', '  note: Starting kubelet.', '  regarding:', '  reportingController: kubelet', '  deprecatedSource:', '  eventTime: null', '  deprecatedCount: 1']) {
      expect(out.split('\n')).toContain(line);
    }
    expect(out).not.toContain('involvedObject');
  });
  it('-o name names the group', () => {
    expect(run('kubectl get events.events.k8s.io --field-selector reason=Starting -o name').out).toMatch(/^event\.events\.k8s\.io\/worker-1\.[0-9a-f]+\n$/);
  });
  it('a write through events.k8s.io/v1 is refused as not simulated', () => {
    expect(run('kubectl apply -f -', 'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: e\nnote: hi\n')).toEqual({
      exit: 1,
      out: 'error: Event (events.k8s.io/v1) is not simulated by Kubeplay yet: its Events are the core/v1 ones, written as apiVersion: v1\n',
    });
  });
});

describe('completion knows the new resources', () => {
  const candidates = (line: string) => complete(cluster(), line).candidates;
  it('offers componentstatuses and its computed names', () => {
    expect(candidates('kubectl get compon')).toEqual(['componentstatuses']);
    expect(candidates('kubectl get cs ')).toEqual(['controller-manager', 'etcd-0', 'scheduler']);
  });
  it('offers events once', () => {
    expect(candidates('kubectl get even')).toEqual(['events']);
  });
});
