/**
 * crd: CustomResourceDefinition defaulting and validation (apiextensions validation.go, the
 * checks a learner meets), the Established status the apiextensions controllers write, and the
 * discovery entries (KindInfo) of a sim's established CRDs.
 */
import type { Sim } from '../sim.ts';
import type { FieldError } from '../api/errors.ts';
import { CRD_VERBS, KINDS, type KindInfo, type PrinterColumn } from '../api/kinds.ts';
import type { KubeObject } from '../api/types.ts';
import type { JSONSchemaProps } from './schema.ts';

export const CRD_KIND = 'CustomResourceDefinition';
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * versionPriority orders versions as kube-aware sorting does (version.CompareKubeAwareVersionStrings):
 * GA before beta before alpha, higher numbers first, then anything else alphabetically.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), stage: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.stage !== pb.stage) return pb.stage - pa.stage;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}

/** isEstablished tells whether a CRD's Established condition is True. */
export function isEstablished(crd: KubeObject): boolean {
  return Array.isArray(crd.status?.conditions) && crd.status.conditions.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
}

/** kindInfoOf is the discovery entry of a CRD: served versions by priority, names, scope, printer columns of the preferred version. */
export function kindInfoOf(crd: KubeObject): KindInfo {
  const spec = crd.spec;
  const served = (spec.versions as { name: string; served?: boolean }[]).filter((v) => v.served !== false).map((v) => v.name).sort(compareVersions);
  const preferred = (spec.versions as { name: string; additionalPrinterColumns?: PrinterColumn[] }[]).find((v) => v.name === served[0]);
  return {
    kind: spec.names.kind,
    group: spec.group,
    versions: served,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    shortNames: Array.isArray(spec.names.shortNames) ? [...spec.names.shortNames] : [],
    namespaced: spec.scope === 'Namespaced',
    simulated: true,
    verbs: CRD_VERBS,
    ...(Array.isArray(spec.names.categories) && spec.names.categories.length ? { categories: [...spec.names.categories] } : {}),
    ...(preferred?.additionalPrinterColumns ? { printerColumns: preferred.additionalPrinterColumns } : {}),
  };
}

/** customKinds lists the kinds of a sim's established CRDs, in CRD creation order. */
export function customKinds(sim: Sim): KindInfo[] {
  const out: KindInfo[] = [];
  for (const crd of sim.store.list(CRD_KIND)) if (isEstablished(crd) && Array.isArray(crd.spec?.versions)) out.push(kindInfoOf(crd));
  return out;
}

/** crdForKind finds the CRD serving a kind in a group. */
export function crdForKind(sim: Sim, group: string, kind: string): KubeObject | undefined {
  return sim.store.list(CRD_KIND).find((c) => c.spec?.group === group && c.spec?.names?.kind === kind);
}

/** schemaFor returns the openAPIV3Schema of a CRD version. */
export function schemaFor(crd: KubeObject, version: string): JSONSchemaProps | undefined {
  const v = (crd.spec.versions as { name: string; schema?: { openAPIV3Schema?: JSONSchemaProps } }[]).find((x) => x.name === version);
  return v?.schema?.openAPIV3Schema;
}

/** defaultCrd applies SetDefaults_CustomResourceDefinition: singular, listKind, conversion strategy None. */
export function defaultCrd(crd: KubeObject): void {
  const spec = crd.spec;
  if (!isObj(spec)) return;
  if (isObj(spec.names)) {
    if (typeof spec.names.kind === 'string') {
      spec.names.singular ??= spec.names.kind.toLowerCase();
      spec.names.listKind ??= `${spec.names.kind}List`;
    }
  }
  spec.conversion ??= { strategy: 'None' };
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** validateCrd is the part of ValidateCustomResourceDefinition a learner meets, worded as upstream. */
export function validateCrd(crd: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  if (!isObj(spec)) return [{ field: 'spec', type: 'Required value' }];
  const names = isObj(spec.names) ? spec.names : {};
  if (!spec.group) errs.push({ field: 'spec.group', type: 'Required value' });
  else if (!String(spec.group).includes('.')) errs.push({ field: 'spec.group', type: 'Invalid value', value: spec.group, detail: 'should be a domain with at least one dot' });
  if (crd.metadata.name !== `${names.plural}.${spec.group}`) {
    errs.push({ field: 'metadata.name', type: 'Invalid value', value: crd.metadata.name, detail: 'must be spec.names.plural+"."+spec.group' });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errs.push(spec.scope ? { field: 'spec.scope', type: 'Unsupported value', value: spec.scope, detail: 'supported values: "Cluster", "Namespaced"' } : { field: 'spec.scope', type: 'Required value' });
  }
  if (!names.plural) errs.push({ field: 'spec.names.plural', type: 'Required value' });
  else if (!DNS1123_LABEL.test(names.plural)) errs.push({ field: 'spec.names.plural', type: 'Invalid value', value: names.plural, detail: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')` });
  if (!names.kind) errs.push({ field: 'spec.names.kind', type: 'Required value' });
  else if (KINDS.some((k) => k.kind === names.kind)) {
    // Kubeplay's store keys objects by kind name, so a custom kind may not reuse a built-in kind's name.
    errs.push({ field: 'spec.names.kind', type: 'Invalid value', value: names.kind, detail: `Kubeplay cannot serve a custom kind with the name of the built-in kind ${names.kind}` });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) errs.push({ field: 'spec.versions', type: 'Invalid value', value: null, detail: 'must have exactly one version marked as storage version' });
  else {
    const storage = versions.filter((v: { storage?: boolean }) => v?.storage === true).length;
    if (storage !== 1) errs.push({ field: 'spec.versions', type: 'Invalid value', value: versions, detail: 'must have exactly one version marked as storage version' });
    versions.forEach((v: { name?: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }, i: number) => {
      if (!v?.name) errs.push({ field: `spec.versions[${i}].name`, type: 'Required value' });
      if (typeof v?.served !== 'boolean') errs.push({ field: `spec.versions[${i}].served`, type: 'Required value' });
      if (!isObj(v?.schema?.openAPIV3Schema)) errs.push({ field: `spec.versions[${i}].schema.openAPIV3Schema`, type: 'Required value', detail: 'schemas are required' });
    });
  }
  return errs;
}

/** establish writes the status the naming and establishing controllers write once the names are accepted. */
export function establish(crd: KubeObject, nowIso: string): boolean {
  if (isEstablished(crd)) return false;
  const n = crd.spec.names;
  crd.status = {
    acceptedNames: { kind: n.kind, listKind: n.listKind ?? `${n.kind}List`, plural: n.plural, ...(n.shortNames ? { shortNames: [...n.shortNames] } : {}), singular: n.singular ?? n.kind.toLowerCase() },
    conditions: [
      { lastTransitionTime: nowIso, message: 'no conflicts found', reason: 'NoConflicts', status: 'True', type: 'NamesAccepted' },
      { lastTransitionTime: nowIso, message: 'the initial names have been accepted', reason: 'InitialNamesAccepted', status: 'True', type: 'Established' },
    ],
    storedVersions: (crd.spec.versions as { name: string; storage?: boolean }[]).filter((v) => v.storage).map((v) => v.name),
  };
  return true;
}

/**
 * declaredKinds are the kinds the valid CustomResourceDefinitions among a file's manifests would
 * register: a scenario's timeline may apply objects of them once the CRD is in the cluster, so
 * checking the file binds them (kinds.ts withKinds) while it checks the timeline's manifests.
 */
export function declaredKinds(values: unknown[]): KindInfo[] {
  const out: KindInfo[] = [];
  for (const v of values) {
    if (!isObj(v) || v.kind !== CRD_KIND || !isObj(v.metadata)) continue;
    const crd = structuredClone(v) as KubeObject;
    defaultCrd(crd);
    if (validateCrd(crd).length === 0) out.push(kindInfoOf(crd));
  }
  return out;
}
