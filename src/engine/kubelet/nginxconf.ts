/**
 * What an nginx container listens on when its configuration is mounted over the image's: nginx reads
 * /etc/nginx/nginx.conf as it starts, which (in the official image) includes /etc/nginx/conf.d/*.conf,
 * whose default.conf says `listen 80`. A ConfigMap mounted at /etc/nginx/conf.d (or a subPath mount of
 * nginx.conf or one file) replaces those: the ports are then the `listen` directives of the server
 * blocks nginx reads, and a server block without one listens on 80 (nginx's default as root).
 */
import type { FileLookup } from './volumes.ts';

export const NGINX_CONF = '/etc/nginx/nginx.conf';
export const NGINX_CONF_D = '/etc/nginx/conf.d';
/** The image's own conf.d/default.conf listens on 80 (and [::]:80). */
const IMAGE_DEFAULT_PORTS = [80];

/**
 * nginxListenPorts is what nginx listens on given what its config paths hold in the container
 * (lookup: a mounted file or directory, or 'missing' where the image's own file is), or undefined when
 * nothing of its configuration is mounted (the image's default: 80). A config it cannot read a port
 * from (no server block) listens nowhere.
 */
export function nginxListenPorts(lookup: (path: string) => FileLookup): number[] | undefined {
  const main = lookup(NGINX_CONF);
  const confD = lookup(NGINX_CONF_D);
  const mountedConfD = confD.kind === 'dir' && confD.entries.length > 0 ? confD.entries : undefined;
  // A single file mounted into conf.d (subPath) shows as that file beside the image's default.conf.
  const oneFile = !mountedConfD ? lookup(`${NGINX_CONF_D}/default.conf`) : undefined;
  if (main.kind !== 'file' && !mountedConfD && oneFile?.kind !== 'file') return undefined;
  const ports = new Set<number>();
  let includesConfD = true;
  if (main.kind === 'file') {
    const text = stripComments(main.data);
    for (const p of listenPorts(text)) ports.add(p);
    includesConfD = /\binclude\s+\/etc\/nginx\/conf\.d\/\*(?:\.conf)?\s*;/.test(text);
  }
  if (includesConfD) {
    if (mountedConfD) {
      for (const name of mountedConfD) {
        if (!name.endsWith('.conf')) continue;
        const f = lookup(`${NGINX_CONF_D}/${name}`);
        if (f.kind === 'file') for (const p of listenPorts(stripComments(f.data))) ports.add(p);
      }
    } else if (oneFile?.kind === 'file') {
      for (const p of listenPorts(stripComments(oneFile.data))) ports.add(p);
    } else for (const p of IMAGE_DEFAULT_PORTS) ports.add(p);
  }
  return [...ports].sort((a, b) => a - b);
}

function stripComments(text: string): string {
  return text.replace(/#[^\n]*/g, '');
}

/**
 * listenPorts reads the ports of a config's server blocks: each `listen` directive's port (an address
 * alone means 80; a unix socket is no port), and 80 for a server block with no `listen`.
 */
function listenPorts(text: string): number[] {
  const out: number[] = [];
  const servers = [...text.matchAll(/\bserver\s*\{/g)].map((m) => m.index);
  for (let i = 0; i < servers.length; i++) {
    const block = blockAt(text, servers[i]);
    let found = false;
    for (const m of block.matchAll(/(?:^|[;{}\s])listen\s+([^\s;]+)[^;]*;/g)) {
      found = true;
      const port = listenPort(m[1]);
      if (port !== undefined) out.push(port);
    }
    if (!found) out.push(80);
  }
  return out;
}

/** blockAt is the text of the brace block that starts at from (its nested blocks included). */
function blockAt(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** listenPort is the port of one listen address: 8080, *:8080, 0.0.0.0:8080, [::]:8080, localhost (80). */
function listenPort(addr: string): number | undefined {
  if (addr.startsWith('unix:')) return undefined;
  // [ADDRESS:]PORT, ADDRESS an IPv4 address, a name, * or [IPv6]; an address alone listens on 80.
  const m = /^(?:(?:\[[^\]]*\]|[^:[\]]*):)?(\d+)$/.exec(addr);
  if (!m) return 80;
  const n = Number(m[1]);
  // A bare number is a port; so is the part after an address's colon.
  return n > 0 && n < 65536 ? n : undefined;
}
