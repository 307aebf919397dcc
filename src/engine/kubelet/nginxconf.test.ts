import { describe, expect, it } from 'vitest';
import { nginxConfig } from './nginxconf.ts';
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

describe('nginxConfig: the ports nginx listens on', () => {
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
    expect(nginxConfig(mounted(paths))?.ports).toEqual(ports);
  });
});

describe('nginxConfig: where nginx stops at a syntax error (ngx_conf_parse), and what the entrypoint found', () => {
  const confD = (text: string) => mounted({ '/etc/nginx/conf.d': ['default.conf'], '/etc/nginx/conf.d/default.conf': text });
  it.each([
    { what: 'a missing semicolon before a block', text: 'server {\n  listen 8082\n  location / { return 200; }\n}\n', error: 'directive "listen" is not terminated by ";" in /etc/nginx/conf.d/default.conf:3' },
    { what: 'a missing closing brace', text: 'server {\n  listen 80;\n', error: 'unexpected end of file, expecting "}" in /etc/nginx/conf.d/default.conf:3' },
    { what: 'a missing semicolon at the end', text: 'server {\n  listen 80;\n}\nlisten 81', error: 'unexpected end of file, expecting ";" or "}" in /etc/nginx/conf.d/default.conf:4' },
    { what: 'one closing brace too many', text: 'server {\n  listen 80;\n}\n}\n', error: 'unexpected "}" in /etc/nginx/conf.d/default.conf:4' },
    { what: 'a block directive without its block', text: 'server;\n', error: 'directive "server" has no opening "{" in /etc/nginx/conf.d/default.conf:1' },
    { what: 'a stray semicolon', text: 'server {\n  ;\n}\n', error: 'unexpected ";" in /etc/nginx/conf.d/default.conf:2' },
    { what: 'an unterminated quote', text: 'server {\n  return 200 "hi;\n}\n', error: 'unexpected end of file, expecting ";" or "}" in /etc/nginx/conf.d/default.conf:4' },
    { what: 'quotes, comments and a # inside a word are fine', text: 'server { # a comment {\n  listen 80;\n  return 200 "a { b } c;";\n  rewrite ^/a#b /c;\n}\n', error: undefined },
  ])('$what', ({ text, error }) => {
    expect(nginxConfig(confD(text))?.error).toBe(error);
  });

  it.each<{ what: string; paths: Record<string, string | string[]>; defaultConf: string }>([
    { what: 'the image’s own default.conf', paths: { '/etc/nginx/nginx.conf': 'events {}\nhttp { include /etc/nginx/conf.d/*.conf; }\n' }, defaultConf: 'image' },
    { what: 'default.conf from a ConfigMap (read-only)', paths: { '/etc/nginx/conf.d': ['default.conf'], '/etc/nginx/conf.d/default.conf': 'server {}' }, defaultConf: 'mounted' },
    { what: 'a conf.d without default.conf', paths: { '/etc/nginx/conf.d': ['site.conf'], '/etc/nginx/conf.d/site.conf': 'server {}' }, defaultConf: 'missing' },
  ])('$what: $defaultConf', ({ paths, defaultConf }) => {
    expect(nginxConfig(mounted(paths))?.defaultConf).toBe(defaultConf);
  });
});
