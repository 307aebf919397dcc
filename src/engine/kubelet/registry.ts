/**
 * What the simulated registry knows of Docker Hub's official images (docker.io/library/…), the images
 * manifests name bare: which repositories exist, and, for the most pulled ones, what their tags look
 * like. A pull of a tag such an image has not (`nginx:doesnotexist`, `nginx:v2`), or of a misspelt
 * official name (`ngnix`, `busybx`), fails as it would on a real cluster: ErrImagePull, then
 * ImagePullBackOff. So does a tag the tutorials' sample images lack (`kubernetes-bootcamp:v10`).
 * Everything else, every other registry, repository and tag, is an image Kubeplay cannot check, and pulls.
 * A scenario's `images:` section decides for the images it lists.
 */

import { memoized } from '../memo.ts';

/** OFFICIAL_IMAGES: Docker Hub's official images (hub.docker.com/u/library). */
const OFFICIAL_IMAGES = new Set(
  (
    'adminer aerospike almalinux alpine alt amazoncorretto amazonlinux api-firewall arangodb archlinux backdrop bash bonita buildpack-deps busybox caddy cassandra chronograf cirros clearlinux clefos clickhouse clojure composer consul convertigo couchbase couchdb crate dart debian docker drupal eclipse-mosquitto eclipse-temurin eggdrop elasticsearch elixir emqx erlang fedora flink fluentd friendica gazebo gcc geonetwork ghost golang gradle groovy haproxy haskell haxe hello-world hitch homeassistant httpd hylang ibm-semeru-runtimes ibmjava influxdb irssi jetty joomla jruby julia kapacitor kibana kong krakend lightstreamer liquibase logstash mageia mariadb matomo maven mediawiki memcached mongo mongo-express monica mono mysql nats neo4j neurodebian nextcloud nginx node notary odoo open-liberty openjdk oraclelinux orientdb percona perl photon php php-zendserver phpmyadmin plone postfixadmin postgres pypy python r-base rabbitmq rakudo-star redis redmine registry rethinkdb rocket.chat rockylinux ruby rust sapmachine satosa silverpeas solr sonarqube spiped storm swift teamspeak telegraf tomcat tomee traefik ubuntu unit varnish websphere-liberty wordpress xwiki yourls znc zookeeper'
  ).split(' '),
);

/**
 * TAGS: the images whose tags Kubeplay checks, the ones learners pull most, each with the words its tags
 * are made of besides version numbers (distributions and their releases, variants, channels, codenames),
 * from their Docker Hub tag lists. Tags are dash-separated parts: a version (`1.27.3`, `3.13.0rc1`,
 * `8u412`), a dated build (`20240808`), one of these words, or a word and its version
 * (`alpine3.20`, `php8.2`). Every other official image is one Kubeplay cannot check, and any tag pulls.
 */
const DEBIAN = 'bookworm bullseye buster stretch jessie wheezy squeeze trixie sid slim';
const UBUNTU = 'noble jammy focal bionic xenial trusty precise oracular plucky mantic lunar kinetic impish hirsute groovy eoan disco cosmic artful zesty yakkety wily vivid utopic';
/** OLD: words of tags these images published for years and still keep (onbuild images, Windows 2016). */
const OLD = 'onbuild ltsc2016 windowsservercore nanoserver';
const TAGS: Record<string, Set<string>> = Object.fromEntries(
  Object.entries({
    nginx: `latest stable mainline alpine slim perl otel ${DEBIAN}`,
    busybox: 'latest stable unstable glibc musl uclibc buildroot ubuntu',
    alpine: 'latest edge',
    redis: `latest alpine ${DEBIAN} rc ${OLD}`,
    httpd: `latest alpine ${DEBIAN}`,
    memcached: `latest alpine ${DEBIAN}`,
    postgres: `latest alpine ${DEBIAN} beta rc`,
    mysql: `latest oracle debian innovation lts oraclelinux ${DEBIAN}`,
    python: `latest alpine ${DEBIAN} ${OLD} ltsc2019 ltsc2022 ltsc2025 1809 rc alpha beta`,
    node: `latest current lts alpine ${DEBIAN} ${OLD} chakracore argon boron carbon dubnium erbium fermium gallium hydrogen iron jod krypton`,
    golang: `latest alpine ${DEBIAN} ${OLD} cross ltsc2019 ltsc2022 ltsc2025 1809 rc tip`,
    ubuntu: `latest rolling devel ${UBUNTU}`,
    debian: `latest stable oldstable oldoldstable testing unstable experimental rc buggy backports ${DEBIAN}`,
  }).map(([repo, words]) => [repo, new Set(words.split(' '))]),
);

/**
 * VERSIONS: the version numbers a checked image has published, where the docs lean on one it has not:
 * nginx has only ever been 1.x, with minor versions up to the 1.29 mainline (the Deployments page's
 * rollback example sets `nginx:1.161`, "a typo … the rollout gets stuck").
 */
const VERSIONS: Record<string, RegExp> = {
  nginx: /^1(\.([0-9]|[12][0-9]|3[01])(\.\d{1,2})?)?$/,
};

/**
 * SAMPLE_TAGS: images outside Docker Hub's library that the Kubernetes tutorials pull, with every tag
 * they have. Learn Kubernetes Basics' rolling-update module sets `kubernetes-bootcamp:v10`, an image
 * that does not exist, to show ImagePullBackOff and a rollback; the other tags pull.
 */
const SAMPLE_TAGS: Record<string, ReadonlySet<string>> = {
  'gcr.io/google-samples/kubernetes-bootcamp': new Set(['v1', 'v2']),
  'docker.io/jocatalin/kubernetes-bootcamp': new Set(['v1', 'v2']),
  'gcr.io/google-samples/hello-app': new Set(['1.0', '2.0']),
};

/** tagPart: one dash-separated part of a checked image's tag is a version, a date, a known word, or a word and its version. */
function tagPart(p: string, words: Set<string>, versions?: RegExp): boolean {
  // A version, with a pre-release suffix (3.13.0rc1, 8u412) or a milestone (redis 8.0-M01).
  if (/^\d+(\.\d+)*$/.test(p)) return !versions || versions.test(p);
  if (/^\d+(\.\d+)*([a-z]+\d*(\.\d+)*)?$/.test(p) || /^M\d+$/.test(p)) return true;
  if (words.has(p)) return true;
  const m = /^([a-z]+)(\d+(\.\d+)*)$/.exec(p);
  return !!m && words.has(m[1]);
}

/** closeTo: a and b differ by at most one edit (insert, delete, substitute, or swap of neighbours). */
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
export const registryProblem: (image: string) => RegistryProblem | undefined = memoized(1024, problemOf);

function problemOf(image: string): RegistryProblem | undefined {
  if (/@/.test(image)) return undefined;
  const sample = /^(?:docker\.io\/)?([a-z0-9.-]+\/[a-z0-9/._-]+):([A-Za-z0-9_][A-Za-z0-9_.-]*)$/.exec(image);
  if (sample) {
    const repo = sample[1].includes('.') && sample[1].indexOf('.') < sample[1].indexOf('/') ? sample[1] : `docker.io/${sample[1]}`;
    const tags = SAMPLE_TAGS[repo];
    if (tags) return tags.has(sample[2]) ? undefined : 'no-such-tag';
  }
  const m = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:library\/)?([a-z0-9][a-z0-9._-]*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]*))?$/.exec(image);
  if (!m) return undefined;
  const [, repo, tag = 'latest'] = m;
  if (!OFFICIAL_IMAGES.has(repo)) {
    // A misspelt official name (of five letters or more, one edit away: "ngnix", "busybx"; "init" is no typo of "unit").
    for (const name of OFFICIAL_IMAGES) if (name.length >= 5 && closeTo(repo, name)) return 'no-such-repository';
    return undefined;
  }
  const words = TAGS[repo];
  return !words || tag.split('-').every((p) => tagPart(p, words, VERSIONS[repo])) ? undefined : 'no-such-tag';
}
