import { describe, expect, it } from 'vitest';
import { nginxListenPorts } from './nginxconf.ts';
import type { FileLookup } from './volumes.ts';

/** mounted is a container's view of the paths given (a file's text, or a directory's entries); the rest is the image's. */
function mounted(paths: Record<string, string | string[]>): (path: string) => FileLookup {
  return (path) => {
    const v = paths[path];
    if (v === undefined) return { kind: 'missing' };
    return typeof v === 'string' ? { kind: 'file', data: v, mode: 0o644 } : { kind: 'dir', entries: v };
  };
}

const INCLUDE = 'http {\n  include /etc/nginx/conf.d/*.conf;\n}\n';

describe('nginxListenPorts', () => {
  it.each<{ what: string; paths: Record<string, string | string[]>; ports: number[] | undefined }>([
    { what: 'nothing mounted: the image default', paths: {}, ports: undefined },
    { what: 'conf.d with listen 8080', paths: { '/etc/nginx/conf.d': ['default.conf'], '/etc/nginx/conf.d/default.conf': 'server {\n  listen 8080;\n}\n' }, ports: [8080] },
    { what: 'IPv4 and IPv6 forms of one port', paths: { '/etc/nginx/conf.d': ['a.conf'], '/etc/nginx/conf.d/a.conf': 'server { listen 0.0.0.0:9000; listen [::]:9000 default_server; }' }, ports: [9000] },
    { what: 'an address alone listens on 80', paths: { '/etc/nginx/conf.d': ['a.conf'], '/etc/nginx/conf.d/a.conf': 'server { listen 127.0.0.1; }' }, ports: [80] },
    { what: 'a server block without listen: 80', paths: { '/etc/nginx/conf.d': ['a.conf'], '/etc/nginx/conf.d/a.conf': 'server { server_name x; }' }, ports: [80] },
    { what: 'two files, two ports; a commented listen does not count', paths: { '/etc/nginx/conf.d': ['a.conf', 'b.conf', 'README'], '/etc/nginx/conf.d/a.conf': 'server { listen 8080; }', '/etc/nginx/conf.d/b.conf': 'server {\n  # listen 7000;\n  listen *:8443 ssl;\n}', '/etc/nginx/conf.d/README': 'server { listen 1; }' }, ports: [8080, 8443] },
    { what: 'a unix socket is no port', paths: { '/etc/nginx/conf.d': ['a.conf'], '/etc/nginx/conf.d/a.conf': 'server { listen unix:/var/run/nginx.sock; }' }, ports: [] },
    { what: 'nginx.conf (subPath) with its own server, not including conf.d', paths: { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  server { listen 8000; }\n}\n' }, ports: [8000] },
    { what: 'nginx.conf including conf.d: the image default.conf too', paths: { '/etc/nginx/nginx.conf': INCLUDE }, ports: [80] },
    { what: 'one file mounted over default.conf (subPath)', paths: { '/etc/nginx/conf.d/default.conf': 'server { listen 3000; }' }, ports: [3000] },
  ])('$what: $ports', ({ paths, ports }) => {
    expect(nginxListenPorts(mounted(paths))).toEqual(ports);
  });
});
