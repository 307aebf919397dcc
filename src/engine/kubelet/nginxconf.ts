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
 * NginxConfig is what nginx makes of its mounted configuration as it starts: the ports it listens on,
 * the first syntax error it stops at (`directive "listen" is not terminated by ";" in FILE:LINE`), and
 * what the image's entrypoint found at conf.d/default.conf (its 10-listen-on-ipv6-by-default.sh script
 * edits that file unless it is missing or read-only, as every ConfigMap mount is).
 */
export interface NginxConfig {
  ports: number[];
  error?: string;
  defaultConf: 'image' | 'mounted' | 'missing';
}

/**
 * nginxConfig reads nginx's configuration as the container sees it (lookup: a mounted file or
 * directory, or 'missing' where the image's own file is), or undefined when nothing of it is mounted
 * (the image's default: 80). Files are read in nginx's order: nginx.conf, then conf.d/*.conf by name.
 */
export function nginxConfig(lookup: (path: string) => FileLookup): NginxConfig | undefined {
  const main = lookup(NGINX_CONF);
  const confD = lookup(NGINX_CONF_D);
  const mountedConfD = confD.kind === 'dir' && confD.entries.length > 0 ? confD.entries : undefined;
  // A single file mounted into conf.d (subPath) shows as that file beside the image's default.conf.
  const oneFile = !mountedConfD ? lookup(`${NGINX_CONF_D}/default.conf`) : undefined;
  if (main.kind !== 'file' && !mountedConfD && oneFile?.kind !== 'file') return undefined;
  const out: NginxConfig = { ports: [], defaultConf: mountedConfD ? (mountedConfD.includes('default.conf') ? 'mounted' : 'missing') : oneFile?.kind === 'file' ? 'mounted' : 'image' };
  const ports = new Set<number>();
  const read = (file: string, data: string): boolean => {
    const error = syntaxError(data);
    if (error) out.error = `${error.message} in ${file}:${error.line}`;
    else for (const port of listenPorts(stripComments(data))) ports.add(port);
    return !error;
  };
  let includesConfD = true;
  if (main.kind === 'file') {
    if (!read(NGINX_CONF, main.data)) return out;
    includesConfD = /\binclude\s+\/etc\/nginx\/conf\.d\/\*(?:\.conf)?\s*;/.test(stripComments(main.data));
  }
  if (includesConfD) {
    if (mountedConfD) {
      for (const name of [...mountedConfD].sort()) {
        if (!name.endsWith('.conf')) continue;
        const f = lookup(`${NGINX_CONF_D}/${name}`);
        if (f.kind === 'file' && !read(`${NGINX_CONF_D}/${name}`, f.data)) return out;
      }
    } else if (oneFile?.kind === 'file') {
      if (!read(`${NGINX_CONF_D}/default.conf`, oneFile.data)) return out;
    } else for (const port of IMAGE_DEFAULT_PORTS) ports.add(port);
  }
  out.ports = [...ports].sort((a, b) => a - b);
  return out;
}

/** BLOCK_DIRECTIVES take a { block }; every other directive ends with ";". */
const BLOCK_DIRECTIVES = new Set(['http', 'server', 'location', 'events', 'upstream', 'if', 'map', 'types', 'limit_except', 'geo', 'split_clients', 'stream', 'mail', 'match']);

/**
 * syntaxError is where nginx's parser (ngx_conf_parse, ngx_conf_handler) stops on a file's braces,
 * semicolons and quotes, in its words and at its line, or undefined when it reads through.
 * Directive names and their arguments are not checked.
 */
function syntaxError(text: string): { message: string; line: number } | undefined {
  let line = 1;
  let depth = 0;
  let args: string[] = [];
  let i = 0;
  const at = (message: string) => ({ message, line });
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === ';') {
      if (args.length === 0) return at('unexpected ";"');
      if (BLOCK_DIRECTIVES.has(args[0])) return at(`directive "${args[0]}" has no opening "{"`);
      args = [];
      i++;
    } else if (ch === '{') {
      if (args.length === 0) return at('unexpected "{"');
      if (!BLOCK_DIRECTIVES.has(args[0])) return at(`directive "${args[0]}" is not terminated by ";"`);
      depth++;
      args = [];
      i++;
    } else if (ch === '}') {
      if (args.length > 0 || depth === 0) return at('unexpected "}"');
      depth--;
      i++;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') line++;
        j++;
      }
      if (j >= text.length) return at('unexpected end of file, expecting ";" or "}"');
      args.push(text.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s;{}]/.test(text[j])) j++;
      args.push(text.slice(i, j));
      i = j;
    }
  }
  if (args.length > 0) return at('unexpected end of file, expecting ";" or "}"');
  if (depth > 0) return at('unexpected end of file, expecting "}"');
  return undefined;
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
