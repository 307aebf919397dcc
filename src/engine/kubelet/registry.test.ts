import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import { registryProblem } from './registry.ts';

describe('registryProblem: what the simulated Docker Hub has', () => {
  it.each([
    // Official images and the tags they publish.
    ['nginx', undefined],
    ['nginx:1.14.2', undefined],
    ['nginx:1.25-alpine', undefined],
    ['nginx:stable-alpine-slim', undefined],
    ['nginx:mainline-bookworm-perl', undefined],
    ['docker.io/library/nginx:latest', undefined],
    ['busybox:1.36', undefined],
    ['busybox:1.36.1-musl', undefined],
    ['python:3.12-slim-bookworm', undefined],
    ['python:3.13.0rc1-alpine3.20', undefined],
    ['wordpress:6-php8.2-fpm-alpine', undefined],
    ['node:lts', undefined],
    ['eclipse-temurin:21-jdk-jammy', undefined],
    ['openjdk:8u342-jre', undefined],
    ['postgres:16', undefined],
    ['node:iron-alpine', undefined],
    ['mysql:8.0-oracle', undefined],
    ['debian:bookworm-20240904-slim', undefined],
    ['ubuntu:jammy-20240808', undefined],
    ['redis:7.4-rc2-alpine', undefined],
    ['redis:8.0-M02-alpine', undefined],
    ['mysql:8.0-bookworm', undefined],
    ['ubuntu:trusty-20191217', undefined],
    ['node:8-onbuild', undefined],
    // Images whose tags Kubeplay does not check: any tag pulls.
    ['traefik:v3.0', undefined],
    ['maven:3.9-eclipse-temurin-21', undefined],
    ['eclipse-temurin:21.0.4_7-jre-jammy', undefined],
    ['amazoncorretto:21-al2023', undefined],
    ['fluentd:v1.16-1', undefined],
    // A tag no official image has, a misspelt official name.
    ['nginx:doesnotexist', 'no-such-tag'],
    ['nginx:v2', 'no-such-tag'],
    ['nginx:1.25-typo', 'no-such-tag'],
    ['nginx:latset', 'no-such-tag'],
    ['ubuntu:jammmy', 'no-such-tag'],
    ['ngnix', 'no-such-repository'],
    ['nginx1:1.25', 'no-such-repository'],
    ['busybx:1.36', 'no-such-repository'],
    ['redsi:7', 'no-such-repository'],
    // What Kubeplay cannot check: other repositories and registries, digests, short names.
    ['shop:v1', undefined],
    ['init:1', undefined],
    ['bitnami/redis:7.2', undefined],
    ['registry.k8s.io/pause:3.9', undefined],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', undefined],
    // nginx has only been 1.x, minor versions up to the 1.29 mainline: the Deployments page's `nginx:1.161` typo.
    ['nginx:1.161', 'no-such-tag'],
    ['nginx:2.0', 'no-such-tag'],
    ['nginx:1.7.9', undefined],
    ['nginx:1', undefined],
    ['nginx:1.27.3-alpine-slim', undefined],
    // The tutorials' sample images, with the tags they have (Learn Kubernetes Basics' deliberate v10 does not exist).
    ['gcr.io/google-samples/kubernetes-bootcamp:v1', undefined],
    ['gcr.io/google-samples/kubernetes-bootcamp:v2', undefined],
    ['gcr.io/google-samples/kubernetes-bootcamp:v10', 'no-such-tag'],
    ['jocatalin/kubernetes-bootcamp:v2', undefined],
    ['docker.io/jocatalin/kubernetes-bootcamp:v3', 'no-such-tag'],
    ['gcr.io/google-samples/hello-app:2.0', undefined],
    ['gcr.io/google-samples/hello-app:3.0', 'no-such-tag'],
  ])('%s', (image, want) => expect(registryProblem(image)).toBe(want));
});

describe('a typo in an image is ErrImagePull, then ImagePullBackOff, as on a real cluster', () => {
  it('a tag the image lacks stops a rolling update', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx:1.25 --replicas=2');
    sim.runUntil(30_000);
    runCommand(sim, 'kubectl set image deployment/web nginx=nginx:doesnotexist');
    sim.runUntil(90_000);
    const pods = runCommand(sim, 'kubectl get pods').out;
    expect(pods).toMatch(/0\/1 {5}(ErrImagePull|ImagePullBackOff)/);
    expect(pods.match(/1\/1 {5}Running/g)).toHaveLength(2);
    const events = runCommand(sim, 'kubectl get events --field-selector=reason=Failed -o jsonpath={.items[0].message}').out;
    expect(events).toBe('Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found');
  });
  it('a misspelt repository is refused by the registry', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl run web --image=ngnix');
    sim.runUntil(20_000);
    expect(runCommand(sim, 'kubectl describe pod web').out).toContain(
      'Failed to pull image "ngnix": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });
  it("a scenario's images section decides for the images it lists", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }], images: { 'nginx:custom': {} } });
    runCommand(sim, 'kubectl run web --image=nginx:custom');
    sim.runUntil(20_000);
    expect(runCommand(sim, 'kubectl get pod web -o jsonpath={.status.phase}').out).toBe('Running');
  });
});
