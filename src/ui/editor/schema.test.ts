/**
 * kubeSchema against real manifests: every manifest of scenarios/*.yaml and every document of the external
 * corpus (../shared/corpus) that the engine accepts validates with no error (Ajv, draft-07, as
 * yaml-language-server reads the same schema), and wrong documents give the expected error.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { kubeSchema, KINDS_COVERED } from '../../engine/api/schema.ts';
import { KINDS } from '../../engine/api/kinds.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { startScenario } from '../../engine/scenario/run.ts';
import type { ManifestDoc } from '../../engine/scenario/types.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(kubeSchema);

/** problems lists a document's schema errors as "path: message" (empty when it is valid). */
function problems(doc: unknown): string[] {
  if (validate(doc)) return [];
  // if/then adds a wrapper error ('must match "then" schema') for each failing kind: the real ones are enough.
  return (validate.errors ?? []).filter((e: ErrorObject) => e.keyword !== 'if').map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

/** raw is a manifest as written (the parser's object may already be normalised). */
const raw = (m: ManifestDoc): unknown => m.ast.toJS();

describe('kubeSchema', () => {
  it('covers every kind the engine simulates', () => {
    const simulated = KINDS.filter((k) => k.simulated).map((k) => k.kind);
    expect(simulated.filter((k) => !KINDS_COVERED.includes(k))).toEqual([]);
    expect(KINDS_COVERED).toContain('VerticalPodAutoscaler');
  });

  const dir = resolve(process.cwd(), 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  it.each(files)('scenarios/%s: every manifest validates', (file) => {
    const parsed = parseScenario(readFileSync(join(dir, file), 'utf8'), file);
    expect(parsed.errors).toEqual([]);
    const docs = [...parsed.manifests, ...parsed.spec.timeline.flatMap((s) => s.apply ?? [])];
    const bad = docs.flatMap((m) => problems(raw(m)).map((p) => `${m.what} ${p}`));
    expect(bad).toEqual([]);
  });

  const corpus = resolve(process.cwd(), '../shared/corpus');
  const present = existsSync(join(corpus, 'INDEX.tsv'));
  if (!present) console.warn('../shared/corpus not found: the corpus half of schema.test.ts is skipped');
  it.skipIf(!present)('every corpus document the engine accepts validates', () => {
    const paths = readFileSync(join(corpus, 'INDEX.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')[0]);
    let checked = 0;
    const bad: string[] = [];
    for (const path of paths) {
      const parsed = parseScenario(readFileSync(join(corpus, path), 'utf8'), path);
      if (parsed.errors.length) continue;
      const { errors } = startScenario(parsed);
      const refused = new Set(errors.map((e) => e.doc));
      for (const m of parsed.manifests) {
        if (refused.has(m.doc)) continue;
        checked++;
        for (const p of problems(raw(m))) bad.push(`${path} #${m.doc} ${m.what} ${p}`);
      }
    }
    console.log(`schema: ${checked} accepted corpus documents validated`);
    expect(checked).toBeGreaterThan(200);
    // The engine refuses what the schema flags, as the API server does: annotations written as a list
    // (mysecretname.yaml) and spec.ipFamily, removed in 1.20 (strict decoding: unknown field), both
    // once accepted here, are refused now, so every document the engine accepts validates.
    expect(bad).toEqual([]);
  });

  const deployment = (spec: string) => parse(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.25"}]}
${spec}`);
  it.each([
    ['a typo in a field name', deployment('  replica: 3'), ['/spec: must NOT have additional properties (replica)']],
    ['a wrong enum', deployment('  strategy: {type: Rolling}'), ['/spec/strategy/type: must be equal to one of the allowed values']],
    ['a string for an integer', deployment('  replicas: "3"'), ['/spec/replicas: must be integer']],
    ['a negative replica count', deployment('  replicas: -1'), ['/spec/replicas: must be >= 0']],
    ['a bad quantity', parse('{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 1 core}}}]}}'), ['/spec/containers/0/resources/requests/cpu: must match pattern "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?(\\d+(\\.\\d*)?|\\.\\d+))?$"']],
    ['a pod without containers', parse('{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {}}'), ["/spec: must have required property 'containers'"]],
    ['a wrong apiVersion for the kind', parse('{apiVersion: apps/v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 80}]}}'), ['/apiVersion: must be equal to one of the allowed values']],
    ['a pathType typo', parse('{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i}, spec: {rules: [{http: {paths: [{path: /, pathType: prefix, backend: {service: {name: s, port: {number: 80}}}}]}}]}}'), ['/spec/rules/0/http/paths/0/pathType: must be equal to one of the allowed values']],
    ['a Rollout step typo', parse('{apiVersion: argoproj.io/v1alpha1, kind: Rollout, metadata: {name: r}, spec: {strategy: {canary: {steps: [{setWieght: 20}]}}}}'), ['/spec/strategy/canary/steps/0: must NOT have additional properties (setWieght)']],
    ['v1 HPA fields under autoscaling/v2', parse('{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: h}, spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 5, targetCPUUtilizationPercentage: 50}}'), ['/spec: must NOT have additional properties (targetCPUUtilizationPercentage)']],
    ['a VPA updateMode typo', parse('{apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: v}, spec: {targetRef: {kind: Deployment, name: web}, updatePolicy: {updateMode: "off"}}}'), ['/spec/updatePolicy/updateMode: must be equal to one of the allowed values']],
    ['a CronJob concurrencyPolicy typo', parse('{apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: "* * * * *", concurrencyPolicy: Never, jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}], restartPolicy: Never}}}}}}'), ['/spec/concurrencyPolicy: must be equal to one of the allowed values']],
  ])('%s is flagged', (_what, doc, expected) => {
    expect(problems(doc)).toEqual(expected);
  });

  it.each([
    ['autoscaling/v1 HPA', '{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: h}, spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 5, targetCPUUtilizationPercentage: 50}}'],
    ['a custom resource (unknown kind)', '{apiVersion: example.com/v1, kind: CronTab, metadata: {name: c}, spec: {anything: goes}}'],
    ['quantities as numbers and strings', '{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 0.5, memory: 128Mi}, limits: {cpu: "1", memory: 1e9}}}]}}'],
  ])('%s is accepted', (_what, text) => {
    expect(problems(parse(text))).toEqual([]);
  });
});
