/**
 * Service validation, as the API server's pkg/apis/core/validation ValidateService: type, ports, selector,
 * clusterIP(s) and the fields each type allows. The shared helpers and Kubeplay's LIMITS are validation.ts's.
 */
import { GoValue } from './errors.ts';
import { go } from './gofmt.ts';
import { isDNS1123Label, isDNS1123Subdomain, isIPv4, isIPv6, isValidPortName, isValidPortNum } from './names.ts';
import { headlessSelectorless } from './defaults.ts';
import type { KubeObject } from './types.ts';
import { duplicate, forbidden, inval, isInt, isObj, LIMITS, notSupported, required, tooMany, validateLabels, type Errs } from './validation.ts';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** MAX_CLIENT_IP_AFFINITY_SECONDS is core.MaxClientIPServiceAffinitySeconds (one day). */
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

/** validateService is ValidateService for the fields the simulation reads (allocation errors come from the allocator). */
export function validateService(svc: KubeObject): Errs {
  const errs: Errs = [];
  const spec = svc.spec;
  if (!isObj(spec)) return [required('spec')];
  const type = spec.type;
  if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(required('spec.externalName'));
    else for (const msg of isDNS1123Subdomain(String(spec.externalName).replace(/\.$/, ''))) errs.push(inval('spec.externalName', spec.externalName, msg));
  }
  const ports = spec.ports;
  if (ports !== undefined && ports !== null && !Array.isArray(ports)) errs.push(inval('spec.ports', ports, 'must be a list'));
  else if (!ports || ports.length === 0) {
    if (!headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  } else {
    if (ports.length > LIMITS.servicePorts) errs.push(tooMany('spec.ports', ports.length, LIMITS.servicePorts));
    const names = new Set<string>();
    const seen = new Set<string>();
    ports.forEach((sp: any, i: number) => {
      const p = `spec.ports[${i}]`;
      if (!isObj(sp)) return errs.push(inval(p, sp, 'must be a service port'));
      if (ports.length > 1 && !sp.name) errs.push(required(`${p}.name`));
      else if (sp.name) {
        for (const msg of isDNS1123Label(String(sp.name))) errs.push(inval(`${p}.name`, sp.name, msg));
        if (names.has(sp.name)) errs.push(duplicate(`${p}.name`, sp.name));
        names.add(sp.name);
      }
      if (sp.port === undefined) errs.push(required(`${p}.port`));
      else for (const msg of isValidPortNum(sp.port)) errs.push(inval(`${p}.port`, sp.port, msg));
      if (!['SCTP', 'TCP', 'UDP'].includes(sp.protocol)) errs.push(notSupported(`${p}.protocol`, sp.protocol, ['SCTP', 'TCP', 'UDP']));
      if (typeof sp.targetPort === 'number') for (const msg of isValidPortNum(sp.targetPort)) errs.push(inval(`${p}.targetPort`, sp.targetPort, msg));
      else if (typeof sp.targetPort === 'string') for (const msg of isValidPortName(sp.targetPort)) errs.push(inval(`${p}.targetPort`, sp.targetPort, msg));
      if (sp.nodePort !== undefined && sp.nodePort !== 0) {
        if (type === 'ClusterIP' || type === 'ExternalName') errs.push(forbidden(`${p}.nodePort`, `may not be used when \`type\` is '${type}'`));
        else for (const msg of isValidPortNum(sp.nodePort)) errs.push(inval(`${p}.nodePort`, sp.nodePort, msg));
      }
      const key = `${sp.port}/${sp.protocol}`;
      if (seen.has(key)) errs.push(duplicate(p, go.map({ port: String(sp.port), protocol: String(sp.protocol) })));
      seen.add(key);
    });
    // A node port serves one service port of a protocol (ValidateService's nodePorts set).
    const nodePorts = new Set<string>();
    ports.forEach((sp: any, i: number) => {
      if (!isObj(sp) || sp.nodePort === undefined || sp.nodePort === 0) return;
      const key = `${sp.nodePort}/${sp.protocol}`;
      if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, sp.nodePort));
      nodePorts.add(key);
    });
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) errs.push(inval('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  if (spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    // validateClientIPAffinityConfig
    if (spec.sessionAffinity !== 'ClientIP') errs.push(forbidden('spec.sessionAffinityConfig', `must not be set when session affinity is ${spec.sessionAffinity}`));
    else {
      const t = isObj(spec.sessionAffinityConfig) && isObj(spec.sessionAffinityConfig.clientIP) ? spec.sessionAffinityConfig.clientIP.timeoutSeconds : undefined;
      const f = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds';
      if (t === undefined || t === null) errs.push(required(f, 'when session affinity type is ClientIP'));
      else if (!isInt(t) || t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS) errs.push(inval(f, t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`));
    }
  }
  if (spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIP !== 'None') {
    if (type === 'ExternalName') errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    else if (typeof spec.clusterIP === 'string' && isIPv6(spec.clusterIP)) {
      // initIPFamilyFields infers the family from the address; this cluster has no IPv6 range.
      errs.push(inval('spec.clusterIPs[0]', new GoValue(`[]string{${JSON.stringify(spec.clusterIP)}}`), 'IPv6 is not configured on this cluster'));
    } else if (typeof spec.clusterIP !== 'string' || !isIPv4(spec.clusterIP)) {
      errs.push(inval('spec.clusterIPs[0]', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    }
  }
  if (spec.sessionAffinity !== undefined && !['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  if (spec.selector !== undefined) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  for (const f of ['internalTrafficPolicy', 'externalTrafficPolicy'] as const) {
    if (spec[f] !== undefined && !['Cluster', 'Local'].includes(spec[f])) errs.push(notSupported(`spec.${f}`, spec[f], ['Cluster', 'Local']));
  }
  // The IP allocator's initIPFamilyFields (registry/core/service/storage/alloc.go): Kubeplay's cluster is
  // single-stack IPv4, as kind and minikube make it by default.
  if (type !== 'ExternalName') {
    const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
    // ValidateService's checks of the list come first: known families, no repeats, at most two.
    const listErrs: Errs = [];
    families.forEach((f: unknown, i: number) => {
      if (f !== 'IPv4' && f !== 'IPv6') listErrs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
      else if (families.indexOf(f) < i) listErrs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    });
    if (families.length > 2) listErrs.push(inval('spec.ipFamilies', new GoValue(`[]core.IPFamily{${families.map((f: unknown) => JSON.stringify(String(f))).join(', ')}}`), 'may specify no more than one IP for each IP family'));
    if (listErrs.length) errs.push(...listErrs);
    else if (spec.ipFamilyPolicy === 'SingleStack' && families.length === 2) {
      errs.push(inval('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    } else if (!headlessSelectorless(spec)) {
      if (spec.ipFamilyPolicy === 'RequireDualStack') errs.push(inval('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
      families.forEach((f: unknown, i: number) => f !== 'IPv4' && errs.push(inval(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster')));
    }
  }
  return errs;
}
