/**
 * crd.ts: the CustomResourceDefinition the add-on installs, as the VPA's own manifests
 * (deploy/vpa-v1-crd-gen.yaml) do: verticalpodautoscalers.autoscaling.k8s.io, short name vpa, with
 * upstream's printer columns (MODE, CPU, MEM, PROVIDED, AGE) and a schema for the fields the
 * simulation reads (status is kept as written, x-kubernetes-preserve-unknown-fields).
 */
import type { KubeObject } from '../../api/types.ts';
import { VPA_GROUP, VPA_KIND } from './types.ts';
import type { KindInfo } from '../../api/kinds.ts';
import { establish, kindInfoOf } from '../../apiextensions/crd.ts';

export const VPA_CRD_NAME = `verticalpodautoscalers.${VPA_GROUP}`;

/** QUANTITY is the apimachinery quantity pattern a ResourceList value must match. */
const QUANTITY = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

const resourceList = { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true, pattern: QUANTITY } };

/** vpaCrd builds the CRD object (a fresh copy each time). */
export function vpaCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: VPA_CRD_NAME,
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/kubernetes/pull/63797', 'kubeplay.dev/addon': 'vertical-pod-autoscaler (simulated)' },
    },
    spec: {
      group: VPA_GROUP,
      names: { kind: VPA_KIND, listKind: `${VPA_KIND}List`, plural: 'verticalpodautoscalers', singular: 'verticalpodautoscaler', shortNames: ['vpa'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { jsonPath: '.spec.updatePolicy.updateMode', name: 'Mode', type: 'string' },
            { jsonPath: '.status.recommendation.containerRecommendations[0].target.cpu', name: 'CPU', type: 'string' },
            { jsonPath: '.status.recommendation.containerRecommendations[0].target.memory', name: 'Mem', type: 'string' },
            { jsonPath: ".status.conditions[?(@.type=='RecommendationProvided')].status", name: 'Provided', type: 'string' },
            { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['targetRef'],
                  properties: {
                    targetRef: {
                      type: 'object',
                      required: ['kind', 'name'],
                      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } },
                    },
                    updatePolicy: {
                      type: 'object',
                      properties: {
                        updateMode: { type: 'string', enum: ['Off', 'Initial', 'Recreate', 'Auto'] },
                        minReplicas: { type: 'integer', minimum: 1 },
                      },
                    },
                    resourcePolicy: {
                      type: 'object',
                      properties: {
                        containerPolicies: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: {
                              containerName: { type: 'string' },
                              mode: { type: 'string', enum: ['Auto', 'Off'] },
                              minAllowed: resourceList,
                              maxAllowed: resourceList,
                              controlledResources: { type: 'array', items: { type: 'string', enum: ['cpu', 'memory'] } },
                              controlledValues: { type: 'string', enum: ['RequestsAndLimits', 'RequestsOnly'] },
                            },
                          },
                        },
                      },
                    },
                    recommenders: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
                  },
                },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  };
}
/**
 * addonKinds are the kinds the simulated add-ons can register (their CRDs' discovery entries): a
 * scenario's timeline may apply such objects after `kubeplay addons enable …`, so its file check
 * knows them; applying one while the add-on is off still fails with "no matches for kind", as it
 * would on a cluster without the add-on.
 */
export function addonKinds(): KindInfo[] {
  const crd = vpaCrd();
  establish(crd, '');
  return [kindInfoOf(crd)];
}

