import { expect, test } from 'vitest';
import { objectYaml } from './objectYaml.ts';

test('a part shared by two places is written out twice, as kubectl prints it, not as an anchor and an alias', () => {
  const resources = { requests: { cpu: '100m' } };
  const pod = { spec: { containers: [{ name: 'web', resources }] }, status: { containerStatuses: [{ name: 'web', resources }] } };
  const yaml = objectYaml(pod);
  expect(yaml).not.toMatch(/[&*]a1/);
  expect(yaml.match(/cpu: 100m/g)).toHaveLength(2);
});
