/**
 * kubeSchema is the JSON Schema (draft-07) the editor checks manifests against: every kind the engine
 * simulates (api/kinds.ts) plus the VerticalPodAutoscaler add-on, with the fields the engine reads and the
 * common upstream ones, their types and enums, and short descriptions in the API reference's wording (hover).
 * One document of a multi-document file is checked at a time; `allOf` of `if kind … then` picks the
 * kind's schema (and for HorizontalPodAutoscaler the apiVersion picks v1 or v2), so messages stay specific
 * and completion offers the kind's own fields. An unknown kind (a custom resource) gets only the envelope.
 * Objects are closed (additionalProperties: false) as kubectl's default --validate=strict would reject an
 * unknown field (`strict decoding error: unknown field "spec.replica"`); open structures that Kubeplay does
 * not model field by field (CRD schemas, traffic routers, volume sources Kubeplay does not act on) accept any object.
 * The editor (ui/editor/monaco.ts, a lazily loaded chunk) and the API server's strict decoding
 * (strict.ts, kubectl's default --validate=strict) share it.
 */
/**
 * JSONSchema is the part of draft-07 these schemas use (the editor hands them to monaco-yaml; the API
 * server's strict decoding walks them: strict.ts).
 */
export interface JSONSchema {
  $schema?: string;
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JSONSchema>;
  additionalProperties?: boolean | JSONSchema;
  items?: JSONSchema;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
  allOf?: JSONSchema[];
  if?: JSONSchema;
  then?: JSONSchema;
  else?: JSONSchema;
  definitions?: Record<string, JSONSchema>;
  [k: string]: unknown;
}

type S = JSONSchema;
const str = (description?: string): S => ({ type: 'string', ...(description ? { description } : {}) });
const int = (description?: string, minimum?: number): S => ({ type: 'integer', ...(minimum !== undefined ? { minimum } : {}), ...(description ? { description } : {}) });
const bool = (description?: string): S => ({ type: 'boolean', ...(description ? { description } : {}) });
const oneOfStr = (values: string[], description?: string): S => ({ type: 'string', enum: values, ...(description ? { description } : {}) });
const strings = (description?: string): S => ({ type: 'array', items: { type: 'string' }, ...(description ? { description } : {}) });
const arr = (items: S, description?: string): S => ({ type: 'array', items, ...(description ? { description } : {}) });
const ref = (name: string, description?: string): S => ({ $ref: `#/definitions/${name}`, ...(description ? { description } : {}) });
/** open is an object Kubeplay does not model field by field: any content is accepted. */
const open = (description?: string): S => ({ type: 'object', ...(description ? { description } : {}) });
/** obj is a closed object: a field not listed is an error, as strict decoding makes it. */
function obj(properties: Record<string, S>, extra: Partial<S> = {}): S {
  return { type: 'object', properties, additionalProperties: false, ...extra };
}
const map = (description?: string): S => ({ type: 'object', additionalProperties: { type: 'string' }, ...(description ? { description } : {}) });
const quantities = (description: string): S => ({ type: 'object', additionalProperties: ref('Quantity'), description });
const localRef = (description: string): S => obj({ name: str('Name of the referent.') }, { description });
const keyRef = (description: string): S =>
  obj({ name: str('Name of the referent.'), key: str('The key to select.'), optional: bool('Specify whether the referent or its key must be defined') }, { required: ['key'], description });

/** ROLLOUT_ANALYSIS: the fields of an Argo Rollouts analysis reference (RolloutAnalysis). */
const ROLLOUT_ANALYSIS: Record<string, S> = {
  templates: arr(obj({ templateName: str(), clusterScope: bool() })),
  args: arr(obj({ name: str(), value: str(), valueFrom: open() }, { required: ['name'] })),
  dryRun: arr(open()),
  measurementRetention: arr(open()),
  analysisRunMetadata: open(),
};

export const definitions: Record<string, S> = {
  Quantity: {
    type: ['string', 'number'],
    // resource.Quantity's regular expression: a signed decimal, then a binary (Ki…Ei), decimal (n u m k M G T P E) or exponent suffix.
    pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?(\\d+(\\.\\d*)?|\\.\\d+))?$',
    description: 'A fixed-point representation of a number: "100m" (0.1 CPU), "0.5", "128Mi", "1Gi".',
  },
  IntOrString: { type: ['integer', 'string'], description: 'An integer or a string; a percentage such as "25%" where the field allows it.' },
  Time: { type: 'string', description: 'An RFC 3339 date and time, e.g. "2024-05-01T12:00:00Z".' },
  ObjectMeta: obj(
    {
      name: str('Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.'),
      generateName: str('An optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
      namespace: str('Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace.'),
      labels: map('Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services.'),
      annotations: map('Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable.'),
      uid: str('UID is the unique in time and space value for this object. Populated by the system. Read-only.'),
      resourceVersion: str('An opaque value that represents the internal version of this object. Populated by the system. Read-only.'),
      generation: int('A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.'),
      creationTimestamp: ref('Time', 'A timestamp representing the server time when this object was created. Populated by the system. Read-only.'),
      deletionTimestamp: ref('Time', 'RFC 3339 date and time at which this resource will be deleted. Set by the server when a graceful deletion is requested. Read-only.'),
      deletionGracePeriodSeconds: int('Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.'),
      ownerReferences: arr(
        obj(
          {
            apiVersion: str('API version of the referent.'),
            kind: str('Kind of the referent.'),
            name: str('Name of the referent.'),
            uid: str('UID of the referent.'),
            controller: bool('If true, this reference points to the managing controller.'),
            blockOwnerDeletion: bool('If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.'),
          },
          { required: ['apiVersion', 'kind', 'name', 'uid'] },
        ),
        'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.',
      ),
      finalizers: strings('Must be empty before the object is deleted from the registry.'),
      managedFields: arr(open(), 'Maps workflow-id and version to the set of fields that are managed by that workflow.'),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
    },
    { description: "Standard object's metadata." },
  ),
  LabelSelector: obj(
    {
      matchLabels: map('A map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.'),
      matchExpressions: arr(
        obj(
          {
            key: str('The label key that the selector applies to.'),
            operator: oneOfStr(['In', 'NotIn', 'Exists', 'DoesNotExist'], "Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."),
            values: strings('An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.'),
          },
          { required: ['key', 'operator'] },
        ),
        'A list of label selector requirements. The requirements are ANDed.',
      ),
    },
    { description: 'A label selector is a label query over a set of resources. An empty label selector matches all objects. A null label selector matches no objects.' },
  ),
  Probe: obj(
    {
      exec: obj({ command: strings('Command is the command line to execute inside the container.') }, { description: 'Exec specifies a command to execute in the container.' }),
      httpGet: obj(
        {
          path: str('Path to access on the HTTP server.'),
          port: ref('IntOrString', 'Name or number of the port to access on the container. Number must be in the range 1 to 65535.'),
          host: str('Host name to connect to, defaults to the pod IP.'),
          scheme: oneOfStr(['HTTP', 'HTTPS'], 'Scheme to use for connecting to the host. Defaults to HTTP.'),
          httpHeaders: arr(obj({ name: str(), value: str() }, { required: ['name', 'value'] }), 'Custom headers to set in the request. HTTP allows repeated headers.'),
        },
        { required: ['port'], description: 'HTTPGet specifies an HTTP GET request to perform.' },
      ),
      tcpSocket: obj({ port: ref('IntOrString', 'Number or name of the port to access on the container.'), host: str('Optional: Host name to connect to, defaults to the pod IP.') }, { required: ['port'], description: 'TCPSocket specifies a connection to a TCP port.' }),
      grpc: obj({ port: int('Port number of the gRPC service. Number must be in the range 1 to 65535.'), service: str('Service is the name of the service to place in the gRPC HealthCheckRequest.') }, { required: ['port'], description: 'GRPC specifies a GRPC HealthCheckRequest.' }),
      initialDelaySeconds: int('Number of seconds after the container has started before liveness probes are initiated.', 0),
      periodSeconds: int('How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.', 1),
      timeoutSeconds: int('Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.', 1),
      successThreshold: int('Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.', 1),
      failureThreshold: int('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.', 1),
      terminationGracePeriodSeconds: int('Optional duration in seconds the pod needs to terminate gracefully upon probe failure.', 1),
    },
    { description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.' },
  ),
  LifecycleHandler: obj({
    exec: obj({ command: strings() }),
    httpGet: obj({ path: str(), port: ref('IntOrString'), host: str(), scheme: oneOfStr(['HTTP', 'HTTPS']), httpHeaders: arr(obj({ name: str(), value: str() })) }),
    tcpSocket: obj({ port: ref('IntOrString'), host: str() }),
    sleep: obj({ seconds: int('Seconds is the number of seconds to sleep.') }, { required: ['seconds'] }),
  }),
  ResourceRequirements: obj(
    {
      requests: quantities('Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified.'),
      limits: quantities('Limits describes the maximum amount of compute resources allowed.'),
      claims: arr(obj({ name: str(), request: str() }, { required: ['name'] }), 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.'),
    },
    { description: 'Compute Resources required by this container.' },
  ),
  EnvVar: obj(
    {
      name: str('Name of the environment variable.'),
      value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.'),
      valueFrom: obj(
        {
          configMapKeyRef: keyRef('Selects a key of a ConfigMap.'),
          secretKeyRef: keyRef("Selects a key of a secret in the pod's namespace"),
          fieldRef: obj({ apiVersion: str(), fieldPath: str('Path of the field to select in the specified API version.') }, { required: ['fieldPath'], description: 'Selects a field of the pod: supports metadata.name, metadata.namespace, metadata.labels[\'<KEY>\'], spec.nodeName, status.podIP …' }),
          resourceFieldRef: obj({ containerName: str(), resource: str('Required: resource to select'), divisor: ref('Quantity') }, { required: ['resource'], description: 'Selects a resource of the container: only resources limits and requests are currently supported.' }),
          fileKeyRef: open(),
        },
        { description: "Source for the environment variable's value. Cannot be used if value is not empty." },
      ),
    },
    { required: ['name'] },
  ),
  Container: obj(
    {
      name: str('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
      image: str('Container image name. Kubeplay runs no image: the scenario says how each image behaves (startup, readiness, failures).'),
      command: strings("Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided."),
      args: strings("Arguments to the entrypoint. The container image's CMD is used if this is not provided."),
      workingDir: str("Container's working directory."),
      ports: arr(
        obj(
          {
            name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name.'),
            containerPort: int("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.", 1),
            hostPort: int('Number of port to expose on the host.'),
            hostIP: str('What host IP to bind the external port to.'),
            protocol: oneOfStr(['TCP', 'UDP', 'SCTP'], 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'),
          },
          { required: ['containerPort'] },
        ),
        'List of ports to expose from the container.',
      ),
      env: arr(ref('EnvVar'), 'List of environment variables to set in the container. Cannot be updated.'),
      envFrom: arr(
        obj({ prefix: str('An optional identifier to prepend to each key in the ConfigMap.'), configMapRef: obj({ name: str(), optional: bool() }), secretRef: obj({ name: str(), optional: bool() }) }),
        'List of sources to populate environment variables in the container.',
      ),
      resources: ref('ResourceRequirements', 'Compute Resources required by this container.'),
      resizePolicy: arr(obj({ resourceName: str(), restartPolicy: oneOfStr(['NotRequired', 'RestartContainer']) }), 'Resources resize policy for the container.'),
      restartPolicy: oneOfStr(['Always'], 'RestartPolicy defines the restart behavior of individual containers in a pod. "Always" on an init container makes it a sidecar: it keeps running beside the regular containers.'),
      restartPolicyRules: arr(open()),
      volumeMounts: arr(
        obj(
          {
            name: str('This must match the Name of a Volume.'),
            mountPath: str("Path within the container at which the volume should be mounted. Must not contain ':'."),
            subPath: str("Path within the volume from which the container's volume should be mounted. Defaults to \"\" (volume's root)."),
            subPathExpr: str(),
            readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
            recursiveReadOnly: str(),
            mountPropagation: oneOfStr(['None', 'HostToContainer', 'Bidirectional']),
          },
          { required: ['name', 'mountPath'] },
        ),
        "Pod volumes to mount into the container's filesystem. Cannot be updated.",
      ),
      volumeDevices: arr(obj({ name: str(), devicePath: str() }), 'volumeDevices is the list of block devices to be used by the container.'),
      livenessProbe: ref('Probe', 'Periodic probe of container liveness. Container will be restarted if the probe fails.'),
      readinessProbe: ref('Probe', 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.'),
      startupProbe: ref('Probe', 'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully.'),
      lifecycle: obj({ postStart: ref('LifecycleHandler'), preStop: ref('LifecycleHandler'), stopSignal: str() }, { description: 'Actions that the management system should take in response to container lifecycle events.' }),
      terminationMessagePath: str(),
      terminationMessagePolicy: oneOfStr(['File', 'FallbackToLogsOnError'], 'Indicate how the termination message should be populated.'),
      imagePullPolicy: oneOfStr(['Always', 'Never', 'IfNotPresent'], 'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.'),
      securityContext: ref('SecurityContext', 'SecurityContext defines the security options the container should be run with.'),
      stdin: bool(),
      stdinOnce: bool(),
      tty: bool(),
    },
    { required: ['name'], description: 'A single application container that you want to run within a pod.' },
  ),
  Volume: obj(
    {
      name: str("name of the volume. Must be a DNS_LABEL and unique within the pod."),
      configMap: obj(
        { name: str(), items: arr(obj({ key: str(), path: str(), mode: int() }, { required: ['key', 'path'] })), defaultMode: int(), optional: bool() },
        { description: 'configMap represents a configMap that should populate this volume' },
      ),
      secret: obj(
        { secretName: str("secretName is the name of the secret in the pod's namespace to use."), items: arr(obj({ key: str(), path: str(), mode: int() }, { required: ['key', 'path'] })), defaultMode: int(), optional: bool() },
        { description: 'secret represents a secret that should populate this volume.' },
      ),
      persistentVolumeClaim: obj(
        { claimName: str('claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.'), readOnly: bool() },
        { required: ['claimName'], description: 'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.' },
      ),
      emptyDir: obj({ medium: str('What type of storage medium should back this directory: "" (the node\'s default) or "Memory".'), sizeLimit: ref('Quantity') }, { description: "emptyDir represents a temporary directory that shares a pod's lifetime." }),
      hostPath: obj({ path: str(), type: str() }, { required: ['path'], description: 'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.' }),
      projected: open('projected items for all in one resources secrets, configmaps, and downward API'),
      downwardAPI: open('downwardAPI represents downward API about the pod that should populate this volume'),
      ephemeral: open('ephemeral represents a volume that is handled by a cluster storage driver.'),
      csi: open(),
      image: open(),
      nfs: open(),
      iscsi: open(),
      gitRepo: open(),
      gcePersistentDisk: open(),
      awsElasticBlockStore: open(),
      azureDisk: open(),
      azureFile: open(),
      cephfs: open(),
      cinder: open(),
      fc: open(),
      flexVolume: open(),
      flocker: open(),
      glusterfs: open(),
      photonPersistentDisk: open(),
      portworxVolume: open(),
      quobyte: open(),
      rbd: open(),
      scaleIO: open(),
      storageos: open(),
      vsphereVolume: open(),
    },
    { required: ['name'], description: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.' },
  ),
  Toleration: obj({
    key: str('Key is the taint key that the toleration applies to. Empty means match all taint keys.'),
    operator: oneOfStr(['Exists', 'Equal'], "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal."),
    value: str('Value is the taint value the toleration matches to.'),
    effect: oneOfStr(['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'], 'Effect indicates the taint effect to match. Empty means match all taint effects.'),
    tolerationSeconds: int('TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute) tolerates the taint.'),
  }),
  NodeSelectorRequirement: obj(
    {
      key: str('The label key that the selector applies to.'),
      operator: oneOfStr(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'], "Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt."),
      values: strings('An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. If the operator is Gt or Lt, the values array must have a single element, which will be interpreted as an integer.'),
    },
    { required: ['key', 'operator'] },
  ),
  NodeSelectorTerm: obj(
    {
      matchExpressions: arr(ref('NodeSelectorRequirement'), "A list of node selector requirements by node's labels."),
      matchFields: arr(ref('NodeSelectorRequirement'), "A list of node selector requirements by node's fields."),
    },
    { description: 'A null or empty node selector term matches no objects. The requirements of them are ANDed.' },
  ),
  NodeSelector: obj(
    { nodeSelectorTerms: arr(ref('NodeSelectorTerm'), 'Required. A list of node selector terms. The terms are ORed.') },
    { required: ['nodeSelectorTerms'], description: 'A node selector represents the union of the results of one or more label queries over a set of nodes.' },
  ),
  PreferredSchedulingTerm: obj(
    {
      weight: int('Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.'),
      preference: ref('NodeSelectorTerm', 'A node selector term, associated with the corresponding weight.'),
    },
    { required: ['weight', 'preference'] },
  ),
  NodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: ref('NodeSelector', 'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.'),
    preferredDuringSchedulingIgnoredDuringExecution: arr(ref('PreferredSchedulingTerm'), 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field.'),
  }),
  PodAffinityTerm: obj(
    {
      labelSelector: ref('LabelSelector', 'A label query over a set of resources, in this case pods.'),
      namespaceSelector: ref('LabelSelector', "A label query over the set of namespaces that the term applies to. null or empty namespaces list and null namespaceSelector means \"this pod's namespace\"."),
      namespaces: strings('namespaces specifies a static list of namespace names that the term applies to.'),
      topologyKey: str('This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.'),
      matchLabelKeys: strings(),
      mismatchLabelKeys: strings(),
    },
    { required: ['topologyKey'] },
  ),
  WeightedPodAffinityTerm: obj(
    {
      weight: int('weight associated with matching the corresponding podAffinityTerm, in the range 1-100.'),
      podAffinityTerm: ref('PodAffinityTerm', 'Required. A pod affinity term, associated with the corresponding weight.'),
    },
    { required: ['weight', 'podAffinityTerm'] },
  ),
  PodAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: arr(ref('PodAffinityTerm'), 'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.'),
    preferredDuringSchedulingIgnoredDuringExecution: arr(ref('WeightedPodAffinityTerm'), 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field.'),
  }),
  PodAntiAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: arr(ref('PodAffinityTerm'), 'If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.'),
    preferredDuringSchedulingIgnoredDuringExecution: arr(ref('WeightedPodAffinityTerm'), 'The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field.'),
  }),
  Affinity: obj({
    nodeAffinity: ref('NodeAffinity', 'Describes node affinity scheduling rules for the pod.'),
    podAffinity: ref('PodAffinity', 'Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).'),
    podAntiAffinity: ref('PodAntiAffinity', 'Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).'),
  }),
  SELinuxOptions: obj({ user: str(), role: str(), type: str(), level: str() }),
  WindowsSecurityContextOptions: obj({ gmsaCredentialSpecName: str(), gmsaCredentialSpec: str(), runAsUserName: str(), hostProcess: bool() }),
  SeccompProfile: obj({ type: oneOfStr(['Unconfined', 'RuntimeDefault', 'Localhost']), localhostProfile: str() }, { required: ['type'] }),
  AppArmorProfile: obj({ type: oneOfStr(['Unconfined', 'RuntimeDefault', 'Localhost']), localhostProfile: str() }, { required: ['type'] }),
  SecurityContext: obj({
    capabilities: obj({ add: strings('Added capabilities'), drop: strings('Removed capabilities') }),
    privileged: bool('Run container in privileged mode.'),
    seLinuxOptions: ref('SELinuxOptions'),
    windowsOptions: ref('WindowsSecurityContextOptions'),
    runAsUser: int('The UID to run the entrypoint of the container process.'),
    runAsGroup: int('The GID to run the entrypoint of the container process.'),
    runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
    readOnlyRootFilesystem: bool('Whether this container has a read-only root filesystem.'),
    allowPrivilegeEscalation: bool('Controls whether a process can gain more privileges than its parent process.'),
    procMount: str(),
    seccompProfile: ref('SeccompProfile'),
    appArmorProfile: ref('AppArmorProfile'),
  }),
  PodSecurityContext: obj({
    seLinuxOptions: ref('SELinuxOptions'),
    windowsOptions: ref('WindowsSecurityContextOptions'),
    runAsUser: int('The UID to run the entrypoint of the container process.'),
    runAsGroup: int('The GID to run the entrypoint of the container process.'),
    runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
    supplementalGroups: arr(int(), 'A list of groups applied to the first process run in each container, in addition to the container\'s primary GID.'),
    supplementalGroupsPolicy: oneOfStr(['Merge', 'Strict']),
    fsGroup: int('A special supplemental group that applies to all containers in a pod.'),
    fsGroupChangePolicy: oneOfStr(['OnRootMismatch', 'Always']),
    sysctls: arr(obj({ name: str(), value: str() }, { required: ['name', 'value'] })),
    seccompProfile: ref('SeccompProfile'),
    appArmorProfile: ref('AppArmorProfile'),
    seLinuxChangePolicy: str(),
  }),
  PodSpec: obj(
    {
      containers: { ...arr(ref('Container')), minItems: 1, description: 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod.' },
      initContainers: arr(ref('Container'), 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.'),
      ephemeralContainers: arr(open()),
      volumes: arr(ref('Volume'), 'List of volumes that can be mounted by containers belonging to the pod.'),
      restartPolicy: oneOfStr(['Always', 'OnFailure', 'Never'], 'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.'),
      terminationGracePeriodSeconds: int('Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.', 0),
      activeDeadlineSeconds: int('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.', 1),
      dnsPolicy: oneOfStr(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], "Set DNS policy for the pod. Defaults to \"ClusterFirst\"."),
      dnsConfig: obj({ nameservers: strings('A list of DNS name server IP addresses.'), searches: strings('A list of DNS search domains for host-name lookup.'), options: arr(obj({ name: str(), value: str() })) }, { description: 'Specifies the DNS parameters of a pod.' }),
      nodeSelector: map("NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
      nodeName: str('NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.'),
      affinity: ref('Affinity', "If specified, the pod's scheduling constraints (nodeAffinity, podAffinity, podAntiAffinity)."),
      tolerations: arr(ref('Toleration'), "If specified, the pod's tolerations."),
      topologySpreadConstraints: arr(
        obj(
          {
            maxSkew: int('MaxSkew describes the degree to which pods may be unevenly distributed.', 1),
            topologyKey: str('TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology.'),
            whenUnsatisfiable: oneOfStr(['DoNotSchedule', 'ScheduleAnyway'], "WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint."),
            labelSelector: ref('LabelSelector'),
            minDomains: int(),
            nodeAffinityPolicy: oneOfStr(['Honor', 'Ignore']),
            nodeTaintsPolicy: oneOfStr(['Honor', 'Ignore']),
            matchLabelKeys: strings(),
          },
          { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
        ),
        'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.',
      ),
      schedulerName: str('If specified, the pod will be dispatched by specified scheduler.'),
      priorityClassName: str('If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities.'),
      priority: int('The priority value. The higher the value, the higher the priority. Populated from PriorityClassName by the Priority admission controller.'),
      preemptionPolicy: oneOfStr(['PreemptLowerPriority', 'Never'], 'PreemptionPolicy is the Policy for preempting pods with lower priority. Defaults to PreemptLowerPriority if unset.'),
      serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
      serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.'),
      automountServiceAccountToken: bool(),
      securityContext: ref('PodSecurityContext', 'SecurityContext holds pod-level security attributes and common container settings.'),
      imagePullSecrets: arr(localRef('A reference to a secret in the same namespace to use for pulling any of the images used by this PodSpec.')),
      hostname: str(),
      subdomain: str('If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".'),
      setHostnameAsFQDN: bool(),
      hostNetwork: bool("Host networking requested for this pod. Use the host's network namespace."),
      hostPID: bool(),
      hostIPC: bool(),
      hostUsers: bool(),
      shareProcessNamespace: bool(),
      hostAliases: arr(obj({ ip: str(), hostnames: strings() })),
      enableServiceLinks: bool("EnableServiceLinks indicates whether information about services should be injected into pod's environment variables. Optional: Defaults to true."),
      readinessGates: arr(obj({ conditionType: str() }, { required: ['conditionType'] })),
      runtimeClassName: str(),
      overhead: quantities('Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.'),
      os: obj({ name: oneOfStr(['linux', 'windows']) }),
      schedulingGates: arr(obj({ name: str() }, { required: ['name'] })),
      resourceClaims: arr(open()),
      resources: ref('ResourceRequirements'),
      hostnameOverride: str(),
    },
    { required: ['containers'], description: 'PodSpec is a description of a pod.' },
  ),
  PodTemplateSpec: obj(
    {
      metadata: ref('ObjectMeta'),
      spec: ref('PodSpec', 'Specification of the desired behavior of the pod.'),
    },
    { description: 'Template describes the pods that will be created.' },
  ),
  TypedLocalObjectReference: obj({ apiGroup: str(), kind: str(), name: str(), namespace: str() }, { required: ['kind', 'name'] }),
  PersistentVolumeClaimSpec: obj(
    {
      accessModes: arr(oneOfStr(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']), 'accessModes contains the desired access modes the volume should have.'),
      resources: obj({ requests: quantities('The minimum amount of storage required.'), limits: quantities('The maximum amount of storage allowed.') }, { description: 'resources represents the minimum resources the volume should have.' }),
      storageClassName: str('storageClassName is the name of the StorageClass required by the claim.'),
      volumeMode: oneOfStr(['Filesystem', 'Block'], 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.'),
      volumeName: str('volumeName is the binding reference to the PersistentVolume backing this claim.'),
      selector: ref('LabelSelector', 'selector is a label query over volumes to consider for binding.'),
      dataSource: ref('TypedLocalObjectReference'),
      dataSourceRef: ref('TypedLocalObjectReference'),
      volumeAttributesClassName: str(),
    },
    { description: 'spec defines the desired characteristics of a volume requested by a pod author.' },
  ),
  JobSpec: obj(
    {
      parallelism: int('Specifies the maximum desired number of pods the job should run at any given time.', 0),
      completions: int('Specifies the desired number of successfully finished pods the job should be run with.', 0),
      activeDeadlineSeconds: int('Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.', 1),
      backoffLimit: int('Specifies the number of retries before marking this job failed. Defaults to 6.', 0),
      backoffLimitPerIndex: int(undefined, 0),
      maxFailedIndexes: int(undefined, 0),
      podFailurePolicy: obj(
        {
          rules: arr(
            obj(
              {
                action: oneOfStr(['FailJob', 'FailIndex', 'Ignore', 'Count'], 'Specifies the action taken on a pod failure when the requirements are satisfied.'),
                onExitCodes: obj({ containerName: str(), operator: oneOfStr(['In', 'NotIn']), values: arr(int()) }, { required: ['operator', 'values'] }),
                onPodConditions: arr(obj({ type: str(), status: str() }, { required: ['type'] })),
              },
              { required: ['action'] },
            ),
            'A list of pod failure policy rules. The rules are evaluated in order.',
          ),
        },
        { required: ['rules'], description: 'Specifies the policy of handling failed pods.' },
      ),
      successPolicy: open(),
      selector: ref('LabelSelector', 'A label query over pods that should match the pod count. Normally, the system sets this field for you.'),
      manualSelector: bool(),
      template: ref('PodTemplateSpec', 'Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure".'),
      ttlSecondsAfterFinished: int('ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed).', 0),
      completionMode: oneOfStr(['NonIndexed', 'Indexed'], 'completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.'),
      suspend: bool('suspend specifies whether the Job controller should create Pods or not.'),
      podReplacementPolicy: oneOfStr(['TerminatingOrFailed', 'Failed']),
      managedBy: str(),
    },
    { required: ['template'], description: 'Specification of the desired behavior of a job.' },
  ),
  ScaleTargetRef: obj(
    { apiVersion: str('apiVersion is the API version of the referent'), kind: str('kind is the kind of the referent; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'), name: str('name is the name of the referent') },
    { required: ['kind', 'name'] },
  ),
  MetricTarget: obj(
    {
      type: oneOfStr(['Utilization', 'Value', 'AverageValue'], 'type represents whether the metric type is Utilization, Value, or AverageValue'),
      value: ref('Quantity'),
      averageValue: ref('Quantity', 'averageValue is the target value of the average of the metric across all relevant pods (as a quantity)'),
      averageUtilization: int('averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.'),
    },
    { required: ['type'] },
  ),
  MetricIdentifier: obj({ name: str(), selector: ref('LabelSelector') }, { required: ['name'] }),
  HPAScalingRules: obj({
    stabilizationWindowSeconds: int('the number of seconds for which past recommendations should be considered while scaling up or scaling down.', 0),
    selectPolicy: oneOfStr(['Max', 'Min', 'Disabled'], 'selectPolicy is used to specify which policy should be used. If not set, the default value Max is used.'),
    policies: arr(obj({ type: oneOfStr(['Pods', 'Percent']), value: int(undefined, 1), periodSeconds: int(undefined, 1) }, { required: ['type', 'value', 'periodSeconds'] })),
    tolerance: ref('Quantity'),
  }),
  Subject: obj(
    { kind: oneOfStr(['User', 'Group', 'ServiceAccount'], 'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".'), apiGroup: str(), name: str('Name of the object being referenced.'), namespace: str() },
    { required: ['kind', 'name'] },
  ),
  PolicyRule: obj(
    {
      apiGroups: strings('APIGroups is the name of the APIGroup that contains the resources. "" represents the core API group and "*" represents all API groups.'),
      resources: strings("Resources is a list of resources this rule applies to. '*' represents all resources."),
      verbs: strings("Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."),
      resourceNames: strings('ResourceNames is an optional white list of names that the rule applies to.'),
      nonResourceURLs: strings(),
    },
    { required: ['verbs'] },
  ),
  RoleRef: obj({ apiGroup: str(), kind: oneOfStr(['Role', 'ClusterRole']), name: str() }, { required: ['apiGroup', 'kind', 'name'], description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.' }),
  // ---- Argo Rollouts ----
  RolloutAnalysis: obj(ROLLOUT_ANALYSIS, { description: 'Runs the named AnalysisTemplates; the rollout aborts when the AnalysisRun fails.' }),
  // RolloutAnalysisBackground: a canary's background analysis, which may wait for a step (analysis.md's startingStep).
  RolloutAnalysisBackground: obj(
    { ...ROLLOUT_ANALYSIS, startingStep: int('StartingStep indicates which step the background analysis should start on. If not listed, controller defaults to 0', 0) },
    { description: 'Runs the named AnalysisTemplates in the background from startingStep; the rollout aborts when the AnalysisRun fails.' },
  ),
  RolloutStep: obj({
    setWeight: int('Sets the ratio of canary ReplicaSet (traffic weight, with traffic routing) to the given percentage.', 0),
    pause: obj({ duration: ref('IntOrString', 'Seconds, or a duration string such as "30s", "5m". Omitted: paused until promoted.') }, { description: 'Pauses the rollout, for a duration or until promoted.' }),
    analysis: ref('RolloutAnalysis'),
    experiment: open(),
    setCanaryScale: obj({ replicas: int(), weight: int(), matchTrafficWeight: bool() }),
    setHeaderRoute: open(),
    setMirrorRoute: open(),
    plugin: open(),
  }),
  AnalysisMetric: obj(
    {
      name: str('Name is the name of the metric'),
      interval: str('Interval defines an interval string (e.g. 30s, 5m, 1h) between each measurement.'),
      initialDelay: str('InitialDelay how long the AnalysisRun should wait before starting this metric'),
      count: ref('IntOrString', 'Count is the number of times to run the measurement.'),
      successCondition: str('SuccessCondition is an expression which determines if a measurement is considered successful'),
      failureCondition: str('FailureCondition is an expression which determines if a measurement is considered failed'),
      failureLimit: ref('IntOrString', 'FailureLimit is the maximum number of times the measurement is allowed to fail, before the entire metric is considered Failed (default: 0)'),
      inconclusiveLimit: ref('IntOrString'),
      consecutiveErrorLimit: ref('IntOrString'),
      consecutiveSuccessLimit: ref('IntOrString'),
      provider: open('Provider configuration to the external system to use to verify the analysis (prometheus, job, web …).'),
    },
    { required: ['name', 'provider'] },
  ),
  AnalysisTemplateSpec: obj(
    {
      metrics: arr(ref('AnalysisMetric'), 'Metrics contains the list of metrics to query as part of an analysis run'),
      args: arr(obj({ name: str(), value: str(), valueFrom: open() }, { required: ['name'] }), 'Args are the list of arguments to the template'),
      dryRun: arr(open()),
      measurementRetention: arr(open()),
      terminate: bool('Terminate is used to prematurely stop the run (e.g. rollout completed and analysis is no longer desired)'),
    },
    { required: ['metrics'] },
  ),
};

const replicasDesc = 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.';
const minReadyDesc = 'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)';
const maxSurgeDesc = 'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%.';
const maxUnavailableDesc = 'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%.';

const podSelector = ref('LabelSelector', "Label selector for pods. It must match the pod template's labels.");

const specs: Record<string, Record<string, S>> = {
  Pod: { spec: ref('PodSpec', 'Specification of the desired behavior of the pod.') },
  Service: {
    spec: obj(
      {
        type: oneOfStr(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
        selector: map('Route service traffic to pods with label keys and values matching this selector.'),
        ports: arr(
          obj(
            {
              name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
              protocol: oneOfStr(['TCP', 'UDP', 'SCTP'], 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.'),
              appProtocol: str('The application protocol for this port.'),
              port: { ...int('The port that will be exposed by this service.', 1), maximum: 65535 },
              targetPort: ref('IntOrString', "Number or name of the port to access on the pods targeted by the service. If this is a string, it will be looked up as a named port in the target Pod's container ports. Defaults to the value of the 'port' field."),
              nodePort: { ...int('The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.', 1), maximum: 65535 },
            },
            { required: ['port'] },
          ),
          'The list of ports that are exposed by this service.',
        ),
        clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. "None" makes a headless service.'),
        clusterIPs: strings(),
        externalIPs: strings(),
        externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).'),
        sessionAffinity: oneOfStr(['None', 'ClientIP'], 'Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.'),
        sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int(undefined, 1) }) }),
        externalTrafficPolicy: oneOfStr(['Cluster', 'Local'], 'describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses.'),
        internalTrafficPolicy: oneOfStr(['Cluster', 'Local']),
        healthCheckNodePort: int(),
        loadBalancerIP: str(),
        loadBalancerSourceRanges: strings(),
        loadBalancerClass: str(),
        allocateLoadBalancerNodePorts: bool(),
        publishNotReadyAddresses: bool(),
        ipFamilies: arr(oneOfStr(['IPv4', 'IPv6'])),
        ipFamilyPolicy: oneOfStr(['SingleStack', 'PreferDualStack', 'RequireDualStack']),
        trafficDistribution: str(),
      },
      { description: 'Spec defines the behavior of a service.' },
    ),
  },
  ConfigMap: {
    data: map('Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.'),
    binaryData: map('BinaryData contains the binary data (base64).'),
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  },
  Secret: {
    data: map('Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.'),
    stringData: map('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.'),
    type: str('Used to facilitate programmatic handling of secret data: Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson …'),
    immutable: bool(),
  },
  Namespace: { spec: obj({ finalizers: strings() }) },
  Node: {
    spec: obj({
      unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
      taints: arr(obj({ key: str(), value: str(), effect: oneOfStr(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), timeAdded: ref('Time') }, { required: ['key', 'effect'] }), "If specified, the node's taints."),
      podCIDR: str(),
      podCIDRs: strings(),
      providerID: str(),
      configSource: open(),
      externalID: str(),
    }),
  },
  ServiceAccount: {
    secrets: arr(open()),
    imagePullSecrets: arr(localRef('A reference to a secret to use for pulling images.')),
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.'),
  },
  PersistentVolume: {
    spec: obj(
      {
        capacity: quantities("capacity is the description of the persistent volume's resources and capacity."),
        accessModes: arr(oneOfStr(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']), 'accessModes contains all ways the volume can be mounted.'),
        persistentVolumeReclaimPolicy: oneOfStr(['Retain', 'Delete', 'Recycle'], 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated).'),
        storageClassName: str('storageClassName is the name of StorageClass to which this persistent volume belongs.'),
        volumeMode: oneOfStr(['Filesystem', 'Block']),
        claimRef: open('claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
        mountOptions: strings(),
        nodeAffinity: open('nodeAffinity defines constraints that limit what nodes this volume can be accessed from.'),
        volumeAttributesClassName: str(),
        hostPath: obj({ path: str(), type: str() }, { required: ['path'] }),
        local: obj({ path: str(), fsType: str() }, { required: ['path'] }),
        nfs: open(),
        csi: open(),
        iscsi: open(),
        fc: open(),
        gcePersistentDisk: open(),
        awsElasticBlockStore: open(),
        azureDisk: open(),
        azureFile: open(),
        cephfs: open(),
        cinder: open(),
        flexVolume: open(),
        flocker: open(),
        glusterfs: open(),
        photonPersistentDisk: open(),
        portworxVolume: open(),
        quobyte: open(),
        rbd: open(),
        scaleIO: open(),
        storageos: open(),
        vsphereVolume: open(),
      },
      { description: 'spec defines a specification of a persistent volume owned by the cluster.' },
    ),
  },
  PersistentVolumeClaim: { spec: ref('PersistentVolumeClaimSpec') },
  ResourceQuota: {
    spec: obj({
      hard: quantities('hard is the set of desired hard limits for each named resource.'),
      scopes: arr(str(), 'A collection of filters that must match each object tracked by a quota.'),
      scopeSelector: open(),
    }),
  },
  LimitRange: {
    spec: obj(
      {
        limits: arr(
          obj(
            {
              type: oneOfStr(['Pod', 'Container', 'PersistentVolumeClaim'], 'Type of resource that this limit applies to.'),
              max: quantities('Max usage constraints on this kind by resource name.'),
              min: quantities('Min usage constraints on this kind by resource name.'),
              default: quantities('Default resource requirement limit value by resource name if resource limit is omitted.'),
              defaultRequest: quantities('DefaultRequest is the default resource requirement request value by resource name if resource request is omitted.'),
              maxLimitRequestRatio: quantities('MaxLimitRequestRatio if specified, the named resource must have a request and limit that are both non-zero where limit divided by request is less than or equal to the enumerated value.'),
            },
            { required: ['type'] },
          ),
          'Limits is the list of LimitRangeItem objects that are enforced.',
        ),
      },
      { required: ['limits'] },
    ),
  },
  Endpoints: { subsets: arr(open(), 'The set of all endpoints is the union of all subsets.') },
  EndpointSlice: { addressType: oneOfStr(['IPv4', 'IPv6', 'FQDN']), endpoints: arr(open()), ports: arr(open()) },
  Event: {
    involvedObject: open('The object that this event is about.'),
    reason: str('This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    message: str('A human-readable description of the status of this operation.'),
    type: oneOfStr(['Normal', 'Warning'], 'Type of this event (Normal, Warning), new types could be added in the future'),
    source: open(),
    count: int(),
    firstTimestamp: ref('Time'),
    lastTimestamp: ref('Time'),
    eventTime: str(),
    series: open(),
    action: str(),
    related: open(),
    reportingComponent: str(),
    reportingInstance: str(),
  },
  ControllerRevision: { data: open(), revision: int() },
  Deployment: {
    spec: obj(
      {
        replicas: int(replicasDesc, 0),
        selector: podSelector,
        template: ref('PodTemplateSpec', 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".'),
        strategy: obj(
          {
            type: oneOfStr(['RollingUpdate', 'Recreate'], 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.'),
            rollingUpdate: obj({ maxSurge: ref('IntOrString', maxSurgeDesc), maxUnavailable: ref('IntOrString', maxUnavailableDesc) }, { description: 'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.' }),
          },
          { description: 'The deployment strategy to use to replace existing pods with new ones.' },
        ),
        minReadySeconds: int(minReadyDesc, 0),
        revisionHistoryLimit: int('The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.', 0),
        progressDeadlineSeconds: int('The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Defaults to 600s.', 1),
        paused: bool('Indicates that the deployment is paused.'),
      },
      { required: ['selector', 'template'], description: 'Specification of the desired behavior of the Deployment.' },
    ),
  },
  ReplicaSet: {
    spec: obj(
      {
        replicas: int('Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.', 0),
        minReadySeconds: int(minReadyDesc, 0),
        selector: podSelector,
        template: ref('PodTemplateSpec', 'Template is the object that describes the pod that will be created if insufficient replicas are detected.'),
      },
      { required: ['selector'] },
    ),
  },
  ReplicationController: {
    spec: obj(
      {
        replicas: int('Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.', 0),
        minReadySeconds: int(minReadyDesc, 0),
        selector: map('Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template.'),
        template: ref('PodTemplateSpec', 'Template is the object that describes the pod that will be created if insufficient replicas are detected. This takes precedence over a TemplateRef.'),
      },
      { description: 'Spec defines the specification of the desired behavior of the replication controller.' },
    ),
  },
  StatefulSet: {
    spec: obj(
      {
        replicas: int('replicas is the desired number of replicas of the given Template. Defaults to 1.', 0),
        selector: podSelector,
        template: ref('PodTemplateSpec', 'template is the object that describes the pod that will be created if insufficient replicas are detected. Each pod stamped out by the StatefulSet will fulfill this Template, but have a unique identity from the rest of the StatefulSet.'),
        serviceName: str('serviceName is the name of the service that governs this StatefulSet. This service must exist before the StatefulSet, and is responsible for the network identity of the set.'),
        volumeClaimTemplates: arr(
          obj({ apiVersion: str(), kind: str(), metadata: ref('ObjectMeta'), spec: ref('PersistentVolumeClaimSpec'), status: open() }),
          'volumeClaimTemplates is a list of claims that pods are allowed to reference. Every claim in this list must have at least one matching (by name) volumeMount in one container in the template.',
        ),
        podManagementPolicy: oneOfStr(['OrderedReady', 'Parallel'], 'podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down. The default policy is `OrderedReady`.'),
        updateStrategy: obj(
          {
            type: oneOfStr(['RollingUpdate', 'OnDelete'], 'Type indicates the type of the StatefulSetUpdateStrategy. Default is RollingUpdate.'),
            rollingUpdate: obj({ partition: int('Partition indicates the ordinal at which the StatefulSet should be partitioned for updates.', 0), maxUnavailable: ref('IntOrString') }),
          },
          { description: 'updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.' },
        ),
        revisionHistoryLimit: int(undefined, 0),
        minReadySeconds: int(minReadyDesc, 0),
        persistentVolumeClaimRetentionPolicy: obj({ whenDeleted: oneOfStr(['Retain', 'Delete']), whenScaled: oneOfStr(['Retain', 'Delete']) }),
        ordinals: obj({ start: int(undefined, 0) }),
      },
      { required: ['selector', 'template'] },
    ),
  },
  DaemonSet: {
    spec: obj(
      {
        selector: ref('LabelSelector', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels.'),
        template: ref('PodTemplateSpec', 'An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template\'s node selector (or on every node if no node selector is specified).'),
        updateStrategy: obj(
          {
            type: oneOfStr(['RollingUpdate', 'OnDelete'], 'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.'),
            rollingUpdate: obj({ maxUnavailable: ref('IntOrString'), maxSurge: ref('IntOrString') }),
          },
          { description: 'An update strategy to replace existing DaemonSet pods with new pods.' },
        ),
        minReadySeconds: int(minReadyDesc, 0),
        revisionHistoryLimit: int(undefined, 0),
      },
      { required: ['selector', 'template'] },
    ),
  },
  Job: { spec: ref('JobSpec') },
  CronJob: {
    spec: obj(
      {
        schedule: str('The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
        timeZone: str('The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
        startingDeadlineSeconds: int('Optional deadline in seconds for starting the job if it misses scheduled time for any reason. Missed jobs executions will be counted as failed ones.', 0),
        concurrencyPolicy: oneOfStr(['Allow', 'Forbid', 'Replace'], 'Specifies how to treat concurrent executions of a Job. Valid values are: "Allow" (default): allows CronJobs to run concurrently; "Forbid": forbids concurrent runs, skipping next run if previous run hasn\'t finished yet; "Replace": cancels currently running job and replaces it with a new one'),
        suspend: bool('This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.'),
        jobTemplate: obj({ metadata: ref('ObjectMeta'), spec: ref('JobSpec') }, { required: ['spec'], description: 'Specifies the job that will be created when executing a CronJob.' }),
        successfulJobsHistoryLimit: int('The number of successful finished jobs to retain. Value must be non-negative integer. Defaults to 3.', 0),
        failedJobsHistoryLimit: int('The number of failed finished jobs to retain. Value must be non-negative integer. Defaults to 1.', 0),
      },
      { required: ['schedule', 'jobTemplate'] },
    ),
  },
  Ingress: {
    spec: obj({
      ingressClassName: str('ingressClassName is the name of an IngressClass cluster resource.'),
      defaultBackend: ref('IngressBackend', 'defaultBackend is the backend that should handle requests that don\'t match any rule.'),
      tls: arr(obj({ hosts: strings(), secretName: str() }), 'tls represents the TLS configuration.'),
      rules: arr(
        obj({
          host: str('host is the fully qualified domain name of a network host, as defined by RFC 3986.'),
          http: obj(
            {
              paths: arr(
                obj(
                  {
                    path: str("path is matched against the path of an incoming request. Must begin with a '/'."),
                    pathType: oneOfStr(['Exact', 'Prefix', 'ImplementationSpecific'], 'pathType determines the interpretation of the path matching. PathType can be one of: Exact, Prefix, ImplementationSpecific.'),
                    backend: ref('IngressBackend', 'backend defines the referenced service endpoint to which the traffic will be forwarded to.'),
                  },
                  { required: ['pathType', 'backend'] },
                ),
                'paths is a collection of paths that map requests to backends.',
              ),
            },
            { required: ['paths'] },
          ),
        }),
        'rules is a list of host rules used to configure the Ingress.',
      ),
    }),
  },
  IngressClass: {
    spec: obj({
      controller: str('controller refers to the name of the controller that should handle this class, e.g. "k8s.io/ingress-nginx".'),
      parameters: obj({ apiGroup: str(), kind: str(), name: str(), namespace: str(), scope: oneOfStr(['Cluster', 'Namespace']) }),
    }),
  },
  NetworkPolicy: {
    spec: obj({
      podSelector: ref('LabelSelector', 'podSelector selects the pods to which this NetworkPolicy object applies. An empty podSelector matches all pods in this namespace.'),
      policyTypes: arr(oneOfStr(['Ingress', 'Egress']), 'policyTypes is a list of rule types that the NetworkPolicy relates to. Valid options are ["Ingress"], ["Egress"], or ["Ingress", "Egress"].'),
      ingress: arr(obj({ from: arr(ref('NetworkPolicyPeer')), ports: arr(ref('NetworkPolicyPort')) }), 'ingress is a list of ingress rules to be applied to the selected pods.'),
      egress: arr(obj({ to: arr(ref('NetworkPolicyPeer')), ports: arr(ref('NetworkPolicyPort')) }), 'egress is a list of egress rules to be applied to the selected pods.'),
    }),
  },
  PodDisruptionBudget: {
    spec: obj({
      minAvailable: ref('IntOrString', 'An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction. So for example you can prevent all voluntary evictions by specifying "100%".'),
      maxUnavailable: ref('IntOrString', 'An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction.'),
      selector: ref('LabelSelector', 'Label query over pods whose evictions are managed by the disruption budget.'),
      unhealthyPodEvictionPolicy: oneOfStr(['IfHealthyBudget', 'AlwaysAllow'], 'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction.'),
    }),
  },
  StorageClass: {
    provisioner: str('provisioner indicates the type of the provisioner.'),
    parameters: map('parameters holds the parameters for the provisioner that should create volumes of this storage class.'),
    reclaimPolicy: oneOfStr(['Delete', 'Retain'], 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    mountOptions: strings(),
    allowVolumeExpansion: bool(),
    volumeBindingMode: oneOfStr(['Immediate', 'WaitForFirstConsumer'], 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used.'),
    allowedTopologies: arr(open()),
  },
  Lease: {
    spec: obj(
      {
        holderIdentity: str('holderIdentity contains the identity of the holder of a current lease.'),
        leaseDurationSeconds: int('leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it, measured against the time of last observed renewTime.'),
        acquireTime: str('acquireTime is a time when the current lease was acquired.'),
        renewTime: str('renewTime is a time when the current holder of a lease has last updated the lease.'),
        leaseTransitions: int('leaseTransitions is the number of transitions of a lease between holders.'),
        preferredHolder: str(),
        strategy: str(),
      },
      { description: 'LeaseSpec is a specification of a Lease.' },
    ),
  },
  PriorityClass: {
    value: int('value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    globalDefault: bool('globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    description: str('description is an arbitrary string that usually provides guidelines on when this priority class should be used.'),
    preemptionPolicy: oneOfStr(['PreemptLowerPriority', 'Never'], 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  },
  Role: { rules: arr(ref('PolicyRule'), 'Rules holds all the PolicyRules for this Role') },
  ClusterRole: { rules: arr(ref('PolicyRule'), 'Rules holds all the PolicyRules for this ClusterRole'), aggregationRule: obj({ clusterRoleSelectors: arr(ref('LabelSelector')) }) },
  RoleBinding: { subjects: arr(ref('Subject'), 'Subjects holds references to the objects the role applies to.'), roleRef: ref('RoleRef') },
  ClusterRoleBinding: { subjects: arr(ref('Subject'), 'Subjects holds references to the objects the role applies to.'), roleRef: ref('RoleRef') },
  CustomResourceDefinition: {
    spec: obj(
      {
        group: str('group is the API group of the defined custom resource.'),
        names: obj(
          { plural: str(), singular: str(), kind: str(), listKind: str(), shortNames: strings(), categories: strings() },
          { required: ['plural', 'kind'], description: 'names specify the resource and kind names for the custom resource.' },
        ),
        scope: oneOfStr(['Namespaced', 'Cluster'], 'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.'),
        versions: arr(
          obj(
            {
              name: str(),
              served: bool(),
              storage: bool(),
              schema: obj({ openAPIV3Schema: open('openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.') }),
              subresources: open(),
              additionalPrinterColumns: arr(open()),
              deprecated: bool(),
              deprecationWarning: str(),
              selectableFields: arr(open()),
            },
            { required: ['name', 'served', 'storage'] },
          ),
          'versions is the list of all API versions of the defined custom resource.',
        ),
        conversion: open(),
        preserveUnknownFields: bool(),
      },
      { required: ['group', 'names', 'scope', 'versions'] },
    ),
  },
  Rollout: {
    spec: obj(
      {
        replicas: int('Number of desired pods. Defaults to 1.', 0),
        selector: podSelector,
        template: ref('PodTemplateSpec'),
        workloadRef: obj({ apiVersion: str(), kind: str(), name: str(), scaleDown: oneOfStr(['never', 'onsuccess', 'progressively']) }, { description: 'WorkloadRef holds a references to a workload that provides Pod template' }),
        minReadySeconds: int(minReadyDesc, 0),
        revisionHistoryLimit: int('The number of old ReplicaSets to retain. Defaults to 10.', 0),
        paused: bool('Paused pauses the rollout at its current step.'),
        progressDeadlineSeconds: int('ProgressDeadlineSeconds The maximum time in seconds for a rollout to make progress before it is considered to be failed. Defaults to 600s.'),
        progressDeadlineAbort: bool('ProgressDeadlineAbort is whether to abort the update when ProgressDeadlineSeconds is exceeded.'),
        restartAt: ref('Time', 'RestartAt indicates when all the pods of a Rollout should be restarted'),
        rollbackWindow: obj({ revisions: int() }),
        analysis: obj({ successfulRunHistoryLimit: int(), unsuccessfulRunHistoryLimit: int() }),
        strategy: obj(
          {
            canary: obj({
              canaryService: str('CanaryService holds the name of a service which selects pods with canary version and don\'t select any pods with stable version.'),
              stableService: str('StableService holds the name of a service which selects pods with stable version and don\'t select any pods with canary version.'),
              steps: arr(ref('RolloutStep'), 'Steps define the order of phases to execute the canary deployment'),
              trafficRouting: open('TrafficRouting hosts all the supported service meshes supported to enable more fine-grained traffic routing (nginx, istio, alb, smi …).'),
              maxSurge: ref('IntOrString', maxSurgeDesc),
              maxUnavailable: ref('IntOrString', maxUnavailableDesc),
              analysis: ref('RolloutAnalysisBackground', 'Analysis runs a separate analysisRun while all the steps execute. This is intended to be a continuous validation of the new ReplicaSet'),
              antiAffinity: open(),
              canaryMetadata: open('CanaryMetadata specify labels and annotations which will be attached to the canary pods for the duration which they act as a canary.'),
              stableMetadata: open(),
              scaleDownDelaySeconds: int(),
              scaleDownDelayRevisionLimit: int(),
              abortScaleDownDelaySeconds: int(),
              dynamicStableScale: bool(),
              pingPong: obj({ pingService: str(), pongService: str() }),
              minPodsPerReplicaSet: int(),
              replicaProgressThreshold: open(),
            }, { description: 'Canary update strategy' }),
            blueGreen: obj(
              {
                activeService: str('Name of the service that the rollout modifies as the active service.'),
                previewService: str('Name of the service that the rollout modifies as the preview service.'),
                autoPromotionEnabled: bool('AutoPromotionEnabled indicates if the rollout should automatically promote the new ReplicaSet to the active service or enter a paused state. If not specified, the default value is true.'),
                autoPromotionSeconds: int('AutoPromotionSeconds is a duration in seconds in which to delay auto-promotion (default: 0).'),
                previewReplicaCount: int('PreviewReplicaCount is the number of replicas to run for the preview stack before the switchover.'),
                scaleDownDelaySeconds: int('ScaleDownDelaySeconds adds a delay before scaling down the previous replicaset. Defaults to 30 seconds.'),
                scaleDownDelayRevisionLimit: int(),
                abortScaleDownDelaySeconds: int(),
                prePromotionAnalysis: ref('RolloutAnalysis', 'PrePromotionAnalysis configuration to run analysis before a selector switch'),
                postPromotionAnalysis: ref('RolloutAnalysis', 'PostPromotionAnalysis configuration to run analysis after a selector switch'),
                antiAffinity: open(),
                previewMetadata: open(),
                activeMetadata: open(),
                maxUnavailable: ref('IntOrString'),
              },
              { required: ['activeService'], description: 'BlueGreen update strategy' },
            ),
          },
          { description: 'The deployment strategy to use to replace existing pods with new ones: canary or blueGreen.' },
        ),
      },
      { description: 'Argo Rollouts: a Deployment with canary and blue-green strategies.' },
    ),
  },
  AnalysisTemplate: { spec: ref('AnalysisTemplateSpec') },
  ClusterAnalysisTemplate: { spec: ref('AnalysisTemplateSpec') },
  AnalysisRun: { spec: ref('AnalysisTemplateSpec') },
  VerticalPodAutoscaler: {
    spec: obj(
      {
        targetRef: obj({ apiVersion: str(), kind: str(), name: str() }, { required: ['kind', 'name'], description: 'TargetRef points to the controller managing the set of pods for the autoscaler to control - e.g. Deployment, StatefulSet.' }),
        updatePolicy: obj(
          {
            updateMode: oneOfStr(['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto'], 'Controls when autoscaler applies changes to the pod resources. The default is \'Auto\'.'),
            minReplicas: int('Minimal number of replicas which need to be alive for Updater to attempt pod eviction.', 1),
            evictionRequirements: arr(open()),
          },
          { description: 'Describes the rules on how changes are applied to the pods. If not specified, all fields in the PodUpdatePolicy are set to their default values.' },
        ),
        resourcePolicy: obj({
          containerPolicies: arr(
            obj({
              containerName: str('Name of the container or DefaultContainerResourcePolicy, in which case the policy is used by the containers that don\'t have their own policy specified.'),
              mode: oneOfStr(['Auto', 'Off'], 'Whether autoscaler is enabled for the container. The default is "Auto".'),
              minAllowed: quantities('Specifies the minimal amount of resources that will be recommended for the container. The default is no minimum.'),
              maxAllowed: quantities('Specifies the maximum amount of resources that will be recommended for the container. The default is no maximum.'),
              controlledResources: arr(str(), 'Specifies the type of recommendations that will be computed (and possibly applied) by VPA. If not specified, the default of [ResourceCPU, ResourceMemory] will be used.'),
              controlledValues: oneOfStr(['RequestsAndLimits', 'RequestsOnly'], 'Specifies which resource values should be controlled. The default is "RequestsAndLimits".'),
            }),
          ),
        }),
        recommenders: arr(obj({ name: str() }, { required: ['name'] })),
      },
      { required: ['targetRef'] },
    ),
  },
};

definitions.IngressBackend = obj({
  service: obj(
    { name: str('name is the referenced service. The service must exist in the same namespace as the Ingress object.'), port: obj({ name: str(), number: int(undefined, 1) }, { description: 'port of the referenced service. A port name or port number is required for a IngressServiceBackend.' }) },
    { required: ['name'] },
  ),
  resource: ref('TypedLocalObjectReference'),
});
definitions.NetworkPolicyPeer = obj({ podSelector: ref('LabelSelector'), namespaceSelector: ref('LabelSelector'), ipBlock: obj({ cidr: str(), except: strings() }, { required: ['cidr'] }) });
definitions.NetworkPolicyPort = obj({ protocol: oneOfStr(['TCP', 'UDP', 'SCTP']), port: ref('IntOrString'), endPort: int() });

const hpaMetric = (desc: string, extra: Record<string, S>): S => obj({ ...extra, target: ref('MetricTarget') }, { required: ['target'], description: desc });
const hpaV2Spec = obj(
  {
    scaleTargetRef: ref('ScaleTargetRef', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    minReplicas: int('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.', 1),
    maxReplicas: int('maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.', 1),
    metrics: arr(
      obj(
        {
          type: oneOfStr(['ContainerResource', 'External', 'Object', 'Pods', 'Resource'], 'type is the type of metric source. It should be one of "ContainerResource", "External", "Object", "Pods" or "Resource".'),
          resource: hpaMetric('resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target.', { name: str('name is the name of the resource in question.') }),
          containerResource: hpaMetric('containerResource refers to a resource metric of a single container in each pod.', { name: str(), container: str() }),
          pods: hpaMetric('pods refers to a metric describing each pod in the current scale target.', { metric: ref('MetricIdentifier') }),
          object: hpaMetric('object refers to a metric describing a single kubernetes object.', { metric: ref('MetricIdentifier'), describedObject: ref('ScaleTargetRef') }),
          external: hpaMetric('external refers to a global metric that is not associated with any Kubernetes object.', { metric: ref('MetricIdentifier') }),
        },
        { required: ['type'] },
      ),
      'metrics contains the specifications for which to use to calculate the desired replica count. If not set, the default metric will be set to 80% average CPU utilization.',
    ),
    behavior: obj(
      { scaleUp: ref('HPAScalingRules', 'scaleUp is scaling policy for scaling Up.'), scaleDown: ref('HPAScalingRules', 'scaleDown is scaling policy for scaling Down.') },
      { description: 'behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).' },
    ),
  },
  { required: ['scaleTargetRef', 'maxReplicas'] },
);
const hpaV1Spec = obj(
  {
    scaleTargetRef: ref('ScaleTargetRef'),
    minReplicas: int('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.', 1),
    maxReplicas: int('maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.', 1),
    targetCPUUtilizationPercentage: int('targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.'),
  },
  { required: ['scaleTargetRef', 'maxReplicas'] },
);

/** API_VERSIONS: the apiVersion(s) the engine accepts for each kind (api/kinds.ts; VPA is the add-on's CRD). */
export const API_VERSIONS: Record<string, string[]> = {
  Pod: ['v1'], Service: ['v1'], ConfigMap: ['v1'], Secret: ['v1'], Namespace: ['v1'], Node: ['v1'], ServiceAccount: ['v1'],
  PersistentVolume: ['v1'], PersistentVolumeClaim: ['v1'], ResourceQuota: ['v1'], LimitRange: ['v1'], Endpoints: ['v1'], Event: ['v1'], ReplicationController: ['v1'],
  EndpointSlice: ['discovery.k8s.io/v1'], ControllerRevision: ['apps/v1'],
  Deployment: ['apps/v1'], ReplicaSet: ['apps/v1'], StatefulSet: ['apps/v1'], DaemonSet: ['apps/v1'],
  Job: ['batch/v1'], CronJob: ['batch/v1'],
  Ingress: ['networking.k8s.io/v1'], IngressClass: ['networking.k8s.io/v1'], NetworkPolicy: ['networking.k8s.io/v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2', 'autoscaling/v1'],
  PodDisruptionBudget: ['policy/v1'], StorageClass: ['storage.k8s.io/v1'], PriorityClass: ['scheduling.k8s.io/v1'], Lease: ['coordination.k8s.io/v1'],
  Role: ['rbac.authorization.k8s.io/v1'], ClusterRole: ['rbac.authorization.k8s.io/v1'], RoleBinding: ['rbac.authorization.k8s.io/v1'], ClusterRoleBinding: ['rbac.authorization.k8s.io/v1'],
  CustomResourceDefinition: ['apiextensions.k8s.io/v1'],
  Rollout: ['argoproj.io/v1alpha1'], AnalysisTemplate: ['argoproj.io/v1alpha1'], ClusterAnalysisTemplate: ['argoproj.io/v1alpha1'], AnalysisRun: ['argoproj.io/v1alpha1'],
  VerticalPodAutoscaler: ['autoscaling.k8s.io/v1'],
};

/** kindSchema is the closed envelope of one kind: apiVersion (its versions), kind, metadata, its own fields, status. */
function kindSchema(kind: string, fields: Record<string, S>): S {
  const versions = API_VERSIONS[kind];
  return obj(
    {
      apiVersion: { type: 'string', enum: versions, description: `APIVersion defines the versioned schema of this representation of an object. ${kind}: ${versions.join(' or ')}.` },
      // doNotSuggest (a yaml-language-server keyword): the document's own `kind` is suggested once, from the
      // root schema, not once per kind's branch.
      kind: { const: kind, description: 'Kind is a string value representing the REST resource this object represents.', doNotSuggest: true },
      metadata: ref('ObjectMeta', "Standard object's metadata."),
      ...fields,
      status: open('Most recently observed status, written by the system. Read-only.'),
    },
    { required: ['apiVersion', 'kind'] },
  );
}

const when = (cond: Record<string, string>, then: S): S => ({
  // The condition's fields are not suggested (completion would offer `kind` once per kind).
  if: { properties: Object.fromEntries(Object.entries(cond).map(([k, v]) => [k, { const: v, doNotSuggest: true }])), required: Object.keys(cond) },
  then,
});

for (const [kind, fields] of Object.entries(specs)) definitions[kind] = kindSchema(kind, fields);
// The v1 API has targetCPUUtilizationPercentage where v2 has metrics; the document's apiVersion picks.
definitions.HorizontalPodAutoscalerV1 = kindSchema('HorizontalPodAutoscaler', { spec: hpaV1Spec });
definitions.HorizontalPodAutoscaler = kindSchema('HorizontalPodAutoscaler', { spec: hpaV2Spec });

/** KINDS_COVERED lists the kinds with a schema (the tests check it against api/kinds.ts). */
export const KINDS_COVERED = Object.keys(API_VERSIONS);

export const kubeSchema: S = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object: "v1", "apps/v1", "argoproj.io/v1alpha1" …' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.', examples: KINDS_COVERED },
    metadata: ref('ObjectMeta'),
  },
  allOf: KINDS_COVERED.map((kind) =>
    kind === 'HorizontalPodAutoscaler'
      ? when({ kind }, { if: { properties: { apiVersion: { const: 'autoscaling/v1' } }, required: ['apiVersion'] }, then: ref('HorizontalPodAutoscalerV1'), else: ref('HorizontalPodAutoscaler') })
      : when({ kind }, ref(kind)),
  ),
  definitions,
};
