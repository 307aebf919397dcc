/**
 * response: what an application's answer looks like to the client: its body and headers, or, for an
 * nginx image, the file it serves from its document root (or nginx's own 403/404 page when that file
 * is missing). Whether the application answers, and with which status, is backend.ts's.
 */
import type { Pod } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { imageRepo } from '../kubelet/command.ts';
import { contentType, httpDate, NGINX_IMAGES, NGINX_ROOT, nginxPage, nginxVersion } from './http.ts';
import type { RequestResult, RtEp } from './model.ts';

/** Server is the container that answered a request: its pod, its name and image. */
export interface Server {
  namespace: string;
  pod: string;
  container: string | undefined;
  image: string;
}

export function serverOf(ep: RtEp): Server {
  return { namespace: ep.podNs, pod: ep.podName, container: ep.container, image: ep.image };
}

/**
 * staticFile is what an nginx image run as is serves from its document root (/usr/share/nginx/html,
 * index.html for a directory) when the simulation knows that file: one a neighbour container, kubectl
 * exec or an earlier pod on the same claim wrote, or a ConfigMap's (the docs' shared-volume and
 * StatefulSet examples). Otherwise the generic answer stands (the image's own pages are not simulated).
 */
function staticFile(sim: Sim, server: Server, path: string): { kind: 'file'; data: string } | { kind: 'missing' } | undefined {
  if (!server.container || !NGINX_IMAGES.has(imageRepo(server.image))) return undefined;
  const pod = sim.store.get<Pod>('Pod', server.namespace, server.pod);
  const c = pod?.spec.containers.find((x) => x.name === server.container);
  if (!pod || !c || c.command?.length || c.args?.length) return undefined;
  const k = sim.services.get('kubelet') as { servedFile?(pod: Pod, container: string, path: string): { kind: 'file'; data: string } | { kind: 'missing' } | undefined } | undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(path.split('?')[0]);
  } catch {
    return undefined;
  }
  if (rel.split('/').includes('..')) return undefined;
  return k?.servedFile?.(pod, c.name, `${NGINX_ROOT}${rel.endsWith('/') ? `${rel}index.html` : rel}`);
}

/** imageTag: the tag of an image reference ('latest' when it has none). */
function imageTag(image: string): string {
  const last = image.replace(/@.*$/, '').slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? 'latest' : last.slice(colon + 1);
}

/**
 * SAMPLE_APPS: what the tutorials' sample applications answer, by repository: Learn Kubernetes Basics'
 * kubernetes-bootcamp (its server.js: the pod's hostname and the image's version, "v=2" after the
 * rolling-update module), the GKE hello-app (main.go: version and hostname), and the HPA walkthrough's
 * php-apache (hpa-example, whose index.php computes square roots and prints OK!).
 */
const SAMPLE_APPS: Record<string, (tag: string, pod: string) => { body: string; type: string }> = {
  'kubernetes-bootcamp': (tag, pod) => ({ body: `Hello Kubernetes bootcamp! | Running on: ${pod} | v=${tag.replace(/^v/, '')}\n`, type: 'text/plain' }),
  'hello-app': (tag, pod) => ({ body: `Hello, world!\nVersion: ${/^\d+\.\d+$/.test(tag) ? `${tag}.0` : tag}\nHostname: ${pod}\n`, type: 'text/plain; charset=utf-8' }),
  'hpa-example': () => ({ body: 'OK!', type: 'text/html; charset=UTF-8' }),
};

/** appResponse is res completed with the answer server gave: status, latency, headers and body. */
export function appResponse(sim: Sim, res: RequestResult, status: number, latencyMs: number, service: string | undefined, server: Server, method: string, path: string, host: string): RequestResult {
  const { pod, image } = server;
  const served = status === 200 && (method === 'GET' || method === 'HEAD') ? staticFile(sim, server, path) : undefined;
  if (served?.kind === 'missing') {
    // nginx's own pages: no index.html in a directory is 403 (autoindex is off), another missing file 404.
    const page = nginxPage(path.split('?')[0].endsWith('/') ? 403 : 404, nginxVersion(image));
    return { ...res, status: page.status!, latencyMs, headers: { Date: httpDate(sim.now()), ...page.headers! }, body: page.body! };
  }
  const sample = !served && status === 200 ? SAMPLE_APPS[imageRepo(image)]?.(imageTag(image), pod) : undefined;
  const body = served ? served.data : sample ? sample.body : status === 200 ? `${method} ${path} served by ${pod} (${image || 'unknown image'}) for ${host}\n` : 'Internal Server Error\n';
  const headers: Record<string, string> = {
    Date: httpDate(sim.now()),
    'Content-Type': served ? contentType(path) : sample ? sample.type : 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
  };
  if (service) headers['x-kubeplay-service'] = service;
  headers['x-kubeplay-pod'] = pod;
  return { ...res, status, latencyMs, headers, body };
}
