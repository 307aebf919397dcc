import { expect, test } from 'vitest';
import { versionLabel } from './ServiceTraffic.tsx';

test.each([
  // distinct tags: the tag
  ['gcr.io/google-samples/hello-app:2.0', ['gcr.io/google-samples/hello-app:1.0', 'gcr.io/google-samples/hello-app:2.0'], '2.0'],
  // an image without a tag: its name, as the charts' legend names it (not "latest")
  ['registry.k8s.io/hpa-example', ['registry.k8s.io/hpa-example'], 'hpa-example'],
  // the same tag on two images: name and tag
  ['a/web:v1', ['a/web:v1', 'a/api:v1'], 'web:v1'],
  // nothing shorter tells them apart: the whole image
  ['r1.io/web:v1', ['r1.io/web:v1', 'r2.io/web:v1'], 'r1.io/web:v1'],
])('%s among %j → %s', (image, all, want) => expect(versionLabel(image, all)).toBe(want));
