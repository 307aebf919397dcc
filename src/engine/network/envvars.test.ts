import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Service } from '../api/types.ts';
import { fromServices, makeEnvironmentVariables, serviceEnvServices, expand } from './envvars.ts';

const oracle = JSON.parse(readFileSync(new URL('../../../test/fixtures/oracles/service-env.json', import.meta.url), 'utf8'));

function svc(s: any, ns = 'default'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace ?? ns }, spec: { clusterIP: s.clusterIP, ports: s.ports } };
}

const toPairs = (env: { name: string; value: string }[]) => env.map((e) => [e.name, e.value]);

describe('service environment variables (oracle)', () => {
  test.each<any>(oracle.cases.filter((c: any) => c.input.service))('$name', (c: any) => {
    expect(fromServices([svc(c.input.service)])).toEqual(toPairs(c.expect.env));
  });

  test.each<any>(oracle.cases.filter((c: any) => c.input.clusterServices))('$name', (c: any) => {
    const all = c.input.kubeletHasNoServiceInformer ? [] : c.input.clusterServices.map((s: any) => svc(s));
    const services = serviceEnvServices(all, c.input.podNamespace, c.input.enableServiceLinks);
    const env = makeEnvironmentVariables({ env: c.input.containerEnv }, fromServices(services));
    const got = c.expect.order === 'unordered' ? [...env].sort() : env;
    const want = toPairs(c.expect.env);
    expect(got).toEqual(c.expect.order === 'unordered' ? [...want].sort() : want);
    // Every name appears once.
    expect(new Set(env.map(([n]) => n)).size).toBe(env.length);
  });
});

describe('makeEnvironmentVariables', () => {
  test('container env first in order, overriding service variables; $(VAR) expansion', () => {
    const svcEnv = fromServices([svc({ name: 'db', clusterIP: '10.96.0.5', ports: [{ port: 5432, protocol: 'TCP' }] })]);
    const env = makeEnvironmentVariables({ env: [{ name: 'DB_SERVICE_PORT', value: '1' }, { name: 'URL', value: 'pg://$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)/$$(X)' }] }, svcEnv);
    expect(env.slice(0, 2)).toEqual([['DB_SERVICE_PORT', '1'], ['URL', 'pg://10.96.0.5:1/$(X)']]);
    expect(env.filter(([n]) => n === 'DB_SERVICE_PORT')).toHaveLength(1);
    expect(expand('$(MISSING) $', () => undefined)).toBe('$(MISSING) $');
  });
});
