/**
 * What the simulated registry knows of Docker Hub's official images (docker.io/library/…), the images
 * manifests name bare: which repositories exist, and what their tags look like. A pull of a tag no
 * official image has (`nginx:doesnotexist`, `nginx:v2`), or of a misspelt official name (`ngnix`,
 * `busybx`), fails as it would on a real cluster: ErrImagePull, then ImagePullBackOff. Everything
 * else, including every other registry and repository, is an image Kubeplay cannot check, and pulls.
 * A scenario's `images:` section decides for the images it lists.
 */

/** OFFICIAL_IMAGES: Docker Hub's official images (hub.docker.com/u/library). */
const OFFICIAL_IMAGES = new Set(
  (
    'adminer aerospike almalinux alpine alt amazoncorretto amazonlinux api-firewall arangodb archlinux backdrop bash bonita buildpack-deps busybox caddy cassandra chronograf cirros clearlinux clefos clickhouse clojure composer consul convertigo couchbase couchdb crate dart debian docker drupal eclipse-mosquitto eclipse-temurin eggdrop elasticsearch elixir emqx erlang fedora flink fluentd friendica gazebo gcc geonetwork ghost golang gradle groovy haproxy haskell haxe hello-world hitch homeassistant httpd hylang ibm-semeru-runtimes ibmjava influxdb irssi jetty joomla jruby julia kapacitor kibana kong krakend lightstreamer liquibase logstash mageia mariadb matomo maven mediawiki memcached mongo mongo-express monica mono mysql nats neo4j neurodebian nextcloud nginx node notary odoo open-liberty openjdk oraclelinux orientdb percona perl photon php php-zendserver phpmyadmin plone postfixadmin postgres pypy python r-base rabbitmq rakudo-star redis redmine registry rethinkdb rocket.chat rockylinux ruby rust sapmachine satosa silverpeas solr sonarqube spiped storm swift teamspeak telegraf tomcat tomee traefik ubuntu unit varnish websphere-liberty wordpress xwiki yourls znc zookeeper'
  ).split(' '),
);

/**
 * TAG_WORDS: the words official images' tags are made of besides version numbers: distributions and
 * their releases, variants, channels (`nginx:stable-alpine-slim`, `python:3.12-slim-bookworm`,
 * `wordpress:6-php8.2-fpm-alpine`, `node:lts`).
 */
const TAG_WORDS = new Set(
  (
    'latest stable mainline edge rc beta alpha lts current testing unstable sid experimental rolling devel ' +
    'alpine slim perl otel glibc musl uclibc full minimal base bare ' +
    'bookworm bullseye buster stretch trixie jessie jammy noble focal bionic xenial oracular plucky ' +
    'ubi ubi8 ubi9 centos7 oraclelinux7 oraclelinux8 oraclelinux9 amazonlinux nanoserver windowsservercore ltsc2019 ltsc2022 ltsc2025 1809 ' +
    'jdk jre jdk8 jdk11 jdk17 jdk21 temurin corretto openj9 graalvm focal ' +
    'apache fpm cli zts fpm-alpine management enterprise community oss ubuntu debian rocky ' +
    'dind rootless git windowsservercore-ltsc2022 nanoserver-ltsc2022 onbuild'
  ).split(' '),
);

/** tagPart: one dash-separated part of an official tag: a version (`1.25.3`, `3.12.0rc1`, `8u412`), a known word, or a word and its version (`alpine3.19`, `php8.2`, `jdk17`). */
function tagPart(p: string): boolean {
  if (/^\d+(\.\d+)*([a-z]+\d*(\.\d+)*)?$/.test(p)) return true;
  if (TAG_WORDS.has(p)) return true;
  const m = /^([a-z]+)(\d+(\.\d+)*)$/.exec(p);
  return !!m && (TAG_WORDS.has(m[1]) || m[1] === 'php' || m[1] === 'python' || m[1] === 'node' || m[1] === 'java' || m[1] === 'dotnet' || m[1] === 'go');
}

/** levenshtein1: a and b differ by at most one edit (insert, delete, substitute, or swap of neighbours). */
function closeTo(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    // One substitution, or one swap of neighbours (ngnix / nginx).
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

export type RegistryProblem = 'no-such-repository' | 'no-such-tag';

/**
 * registryProblem is why the simulated registry has no such image, or undefined when it has it (or
 * cannot tell: any image outside Docker Hub's library, or a repository too unlike any official one).
 * `image` is a reference as written in a manifest.
 */
export function registryProblem(image: string): RegistryProblem | undefined {
  // Asked at every sync of every container: one answer per image.
  if (answers.has(image)) return answers.get(image);
  const problem = problemOf(image);
  if (answers.size >= 1024) answers.clear();
  answers.set(image, problem);
  return problem;
}

const answers = new Map<string, RegistryProblem | undefined>();

function problemOf(image: string): RegistryProblem | undefined {
  if (/@/.test(image)) return undefined;
  const m = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:library\/)?([a-z0-9][a-z0-9._-]*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]*))?$/.exec(image);
  if (!m) return undefined;
  const [, repo, tag = 'latest'] = m;
  if (!OFFICIAL_IMAGES.has(repo)) {
    // A misspelt official name (of five letters or more, one edit away: "ngnix", "busybx"; "init" is no typo of "unit").
    for (const name of OFFICIAL_IMAGES) if (name.length >= 5 && closeTo(repo, name)) return 'no-such-repository';
    return undefined;
  }
  return tag.split('-').every(tagPart) ? undefined : 'no-such-tag';
}
