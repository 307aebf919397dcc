/**
 * kubeSchema is the JSON Schema the editor checks manifests against: the fields of the kinds Kubeplay
 * simulates, with their types (replicas is an integer, ports are integers, enums as the API defines
 * them). It is deliberately partial: unknown fields are allowed (the API server is the final judge),
 * so the editor only flags what is certainly wrong.
 */
import type { JSONSchema } from 'monaco-yaml';

const quantity: JSONSchema = { type: ['string', 'number'], description: 'A resource quantity: "100m", "0.5", "128Mi", "1Gi".' };
const labels: JSONSchema = { type: 'object', additionalProperties: { type: 'string' } };
const intOrString: JSONSchema = { type: ['integer', 'string'] };

const metadata: JSONSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Unique within the namespace (DNS-1123 subdomain).' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels,
    annotations: labels,
  },
};

const selector: JSONSchema = {
  type: 'object',
  properties: {
    matchLabels: labels,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: { type: 'string' }, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

const probe: JSONSchema = {
  type: 'object',
  properties: {
    httpGet: { type: 'object', properties: { path: { type: 'string' }, port: intOrString } },
    tcpSocket: { type: 'object', properties: { port: intOrString } },
    exec: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } },
    initialDelaySeconds: { type: 'integer', minimum: 0 },
    periodSeconds: { type: 'integer', minimum: 1 },
    timeoutSeconds: { type: 'integer', minimum: 1 },
    successThreshold: { type: 'integer', minimum: 1 },
    failureThreshold: { type: 'integer', minimum: 1 },
  },
};

const container: JSONSchema = {
  type: 'object',
  required: ['name', 'image'],
  properties: {
    name: { type: 'string' },
    image: { type: 'string', description: 'The image; scenarios describe how each image behaves.' },
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['containerPort'],
        properties: { name: { type: 'string' }, containerPort: { type: 'integer', minimum: 1, maximum: 65535 }, protocol: { enum: ['TCP', 'UDP', 'SCTP'] } },
      },
    },
    env: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } } },
    resources: {
      type: 'object',
      properties: {
        requests: { type: 'object', additionalProperties: quantity },
        limits: { type: 'object', additionalProperties: quantity },
      },
    },
    readinessProbe: probe,
    livenessProbe: probe,
    startupProbe: probe,
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
  },
};

const podSpec: JSONSchema = {
  type: 'object',
  required: ['containers'],
  properties: {
    containers: { type: 'array', minItems: 1, items: container },
    initContainers: { type: 'array', items: container },
    nodeName: { type: 'string' },
    nodeSelector: labels,
    restartPolicy: { enum: ['Always', 'OnFailure', 'Never'] },
    terminationGracePeriodSeconds: { type: 'integer', minimum: 0 },
    tolerations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          operator: { enum: ['Exists', 'Equal'] },
          value: { type: 'string' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
          tolerationSeconds: { type: 'integer' },
        },
      },
    },
  },
};

const template: JSONSchema = { type: 'object', properties: { metadata, spec: podSpec } };

const deploymentSpec: JSONSchema = {
  type: 'object',
  required: ['selector', 'template'],
  properties: {
    replicas: { type: 'integer', minimum: 0, description: 'Desired number of pods.' },
    selector,
    template,
    minReadySeconds: { type: 'integer', minimum: 0 },
    revisionHistoryLimit: { type: 'integer', minimum: 0 },
    progressDeadlineSeconds: { type: 'integer', minimum: 1 },
    paused: { type: 'boolean' },
    strategy: {
      type: 'object',
      properties: {
        type: { enum: ['RollingUpdate', 'Recreate'] },
        rollingUpdate: { type: 'object', properties: { maxSurge: intOrString, maxUnavailable: intOrString } },
      },
    },
  },
};

const serviceSpec: JSONSchema = {
  type: 'object',
  properties: {
    type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
    selector: labels,
    clusterIP: { type: 'string' },
    sessionAffinity: { enum: ['None', 'ClientIP'] },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['port'],
        properties: {
          name: { type: 'string' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          targetPort: intOrString,
          nodePort: { type: 'integer', minimum: 1, maximum: 65535 },
          protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
        },
      },
    },
  },
};

/** kind picks the spec schema by the document's kind (if/then keeps messages specific). */
function kind(name: string, props: Record<string, JSONSchema>): JSONSchema {
  return { if: { properties: { kind: { const: name } }, required: ['kind'] }, then: { properties: props } };
}

export const kubeSchema: JSONSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata,
  },
  allOf: [
    kind('Deployment', { spec: deploymentSpec }),
    kind('ReplicaSet', { spec: deploymentSpec }),
    kind('Pod', { spec: podSpec }),
    kind('Service', { spec: serviceSpec }),
    kind('ConfigMap', { data: labels }),
  ],
};
