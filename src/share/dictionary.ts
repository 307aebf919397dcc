/**
 * DICTIONARY_1 is the preset deflate dictionary of compression scheme 1 (`#s=1.…`): text that share
 * payloads repeat — the payload's own JSON keys, Scenario and manifest boilerplate, kubectl and
 * kubeplay commands, and words scenario descriptions use. Deflate can then refer back into it from
 * the first byte, which shortens a typical canary demo link by a quarter to a third (measured on
 * the built-ins: argo-canary.yaml, 2,957 bytes, deflates to 1,129 bytes without it and 742 with it;
 * canary-plain.yaml, 4,818 bytes, 1,652 → 1,270, so its link is ~1,770 characters instead of ~2,300).
 *
 * FROZEN: links in the wild were compressed with exactly these bytes. Never edit this string; a
 * better dictionary is a new scheme (DICTIONARY_2, `#s=2.…`) next to this one.
 * Deflate finds matches up to 32 KB back; the most common text comes last (nearest, cheapest).
 */
const DICTIONARY_1_TEXT = [
  'the cluster, the pods and the Service: requests reach the new version; when the canary is healthy, promote it. ',
  'Notice that the controller waits until each new pod is available before it removes an old one. ',
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: \n  annotations:\n    nginx.ingress.kubernetes.io/canary: "true"\n    nginx.ingress.kubernetes.io/canary-weight: \nspec:\n  ingressClassName: nginx\n  rules:\n    - host: \n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: \n                port:\n                  number: 80\n',
  'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: \nspec:\n  replicas: 5\n  strategy:\n    canary:\n      canaryService: \n      stableService: \n      trafficRouting:\n        nginx:\n          stableIngress: \n      analysis:\n        templates:\n          - templateName: \n      steps:\n        - setWeight: 20\n        - pause: {}\n        - setWeight: 40\n        - pause: {duration: 30s}\n        - setWeight: 60\n        - pause: {duration: 10s}\n        - setWeight: 80\n    blueGreen:\n      activeService: \n      previewService: \n      autoPromotionEnabled: false\n',
  'apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: success-rate\nspec:\n  metrics:\n    - name: success-rate\n      interval: 10s\n      successCondition: result[0] >= 0.95\n      failureLimit: 1\n      provider:\n        prometheus:\n          query: |\n            sum(rate(http_requests_total{status!~"5.."}[1m])) / sum(rate(http_requests_total[1m]))\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: \n  labels:\n    app: \nspec:\n  type: ClusterIP\n  selector:\n    app: \n  ports:\n    - port: 80\n      targetPort: 8080\n      protocol: TCP\n',
  'kubectl argo rollouts get rollout \nkubectl argo rollouts set image \nkubectl argo rollouts promote \nkubectl argo rollouts abort \nkubectl argo rollouts status \n',
  'kubeplay traffic set users --rps 50 --host \nkubeplay traffic stats --since 40s\nkubeplay node fail worker-\nkubeplay node recover worker-\n',
  'kubectl rollout status deployment/\nkubectl rollout undo deployment/\nkubectl rollout history deployment/\nkubectl scale deployment \nkubectl set image deployment/\nkubectl get endpoints \nkubectl get pods -o wide\nkubectl get pods -L track\nkubectl get rs\nkubectl describe pod \nkubectl delete pod \nkubectl get deployment \n',
  'apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: \nspec:\n  title: \n  description: >-\n    \n  concepts: [Deployment, ReplicaSet, Service, canary, rolling update]\n  level: intermediate\n  seed: 42\n  cluster:\n    nodes:\n      - count: 3\n        namePrefix: worker-\n  images:\n    : {startupSeconds: 2, pullSeconds: 2, latencyMs: 20}\n  traffic:\n    - {host: , path: /, rps: 20}\n  timeline:\n    - at: 30s\n      note: \n      run: kubectl \n    - at: 60s\n      apply: |\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \n  labels:\n    app: \n    track: stable\nspec:\n  replicas: 3\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n  selector:\n    matchLabels:\n      app: \n  template:\n    metadata:\n      labels:\n        app: \n    spec:\n      containers:\n        - name: \n          image: \n          ports:\n            - containerPort: 8080\n          resources:\n            requests:\n              cpu: 100m\n              memory: 64Mi\n---\n',
  '{"v":2,"s":"# ',
].join('');

/**
 * DICTIONARY_1 is the dictionary as bytes, JSON-escaped: the payload is JSON, so the scenario's
 * newlines and quotes appear as `\n` and `\"` in what is compressed, and the dictionary must match that.
 */
export const DICTIONARY_1: Uint8Array = new TextEncoder().encode(JSON.stringify(DICTIONARY_1_TEXT).slice(1, -1));
