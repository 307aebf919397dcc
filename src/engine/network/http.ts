/**
 * http: what the simulated HTTP exchange looks like on the wire: a request's URL taken apart as curl
 * does, status reasons as nginx and Go's net/http write them, nginx's own error pages, the Date header.
 */
import type { HttpRequest, RequestResult } from './model.ts';

/** parseUrl takes a request's url (or host, port and path) apart, with curl's defaults. */
export function parseUrl(req: HttpRequest): { scheme: 'http' | 'https'; host: string; port: number; path: string } {
  let scheme: 'http' | 'https' = req.scheme ?? 'http';
  let host = req.host ?? '';
  let port = req.port;
  let path = req.path ?? '/';
  if (req.url) {
    let u = req.url;
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(u);
    if (m) {
      scheme = m[1].toLowerCase() === 'https' ? 'https' : 'http';
      u = u.slice(m[0].length);
    }
    const slash = u.search(/[/?#]/);
    const authority = slash < 0 ? u : u.slice(0, slash);
    path = slash < 0 ? '/' : u.slice(slash);
    const hp = /^(.*?)(?::(\d+))?$/.exec(authority)!;
    host = hp[1];
    if (hp[2]) port = Number(hp[2]);
  }
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q) || '/';
  if (!path.startsWith('/')) path = '/' + path;
  return { scheme, host, port: port ?? (scheme === 'https' ? 443 : 80), path };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** reasonPhrase is the status line's reason as nginx (and Go's net/http for the app) writes it. */
export function reasonPhrase(status: number, fromNginx: boolean): string {
  if (!fromNginx && status === 503) return 'Service Unavailable';
  if (!fromNginx && status === 504) return 'Gateway Timeout';
  return REASONS[status] ?? '';
}

/** NGINX_IMAGES: the nginx images whose default server serves NGINX_ROOT (the docs use nginx and nginx-slim). */
export const NGINX_IMAGES = new Set(['nginx', 'nginx-slim', 'nginx-unprivileged']);
export const NGINX_ROOT = '/usr/share/nginx/html';

/** contentType is nginx's mime.types answer for a served file's name (the common ones). */
export function contentType(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path.endsWith('/') ? 'index.html' : path)?.[1]?.toLowerCase();
  const types: Record<string, string> = { html: 'text/html', htm: 'text/html', txt: 'text/plain', css: 'text/css', js: 'application/javascript', json: 'application/json', xml: 'text/xml', svg: 'image/svg+xml' };
  return (ext && types[ext]) ?? 'application/octet-stream';
}

/**
 * nginxVersion is what an nginx image's error pages sign with (server_tokens on): nginx/VERSION for an
 * official image tagged with one, else plain nginx.
 */
export function nginxVersion(image: string): string {
  const tag = /:(\d+\.\d+\.\d+)(?:-[\w.]+)?$/.exec(image.replace(/@.*$/, ''))?.[1];
  return tag && /(^|\/)nginx(:|$)/.test(image.replace(/@.*$/, '')) ? `nginx/${tag}` : 'nginx';
}

/** nginxPage is the error page nginx itself serves (ingress-nginx's default server signs "nginx": server_tokens off). */
export function nginxPage(status: number, server = 'nginx'): Partial<RequestResult> {
  const reason = reasonPhrase(status, true);
  const body = `<html>\n<head><title>${status} ${reason}</title></head>\n<body>\n<center><h1>${status} ${reason}</h1></center>\n<hr><center>${server}</center>\n</body>\n</html>\n`;
  return { status, body, headers: { 'Content-Type': 'text/html', 'Content-Length': String(body.length), Connection: 'keep-alive' } };
}

/** httpDate formats the simulated time as an HTTP Date header (RFC 7231 IMF-fixdate). */
export function httpDate(ms: number): string {
  return new Date(Date.UTC(2025, 0, 1) + ms).toUTCString();
}
