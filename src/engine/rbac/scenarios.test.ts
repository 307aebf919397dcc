import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { runScenario } from '../scenario/run.ts';

/** play runs a built-in scenario as `kubeplay run` does and returns its steps. */
function play(file: string): { cmd: string; out: string; exit: number }[] {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const res = runScenario(parseScenario(text, `scenarios/${file}`));
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  return res.steps.map((s) => ({ cmd: s.cmd, out: s.out, exit: s.exit }));
}

const SA = 'User "system:serviceaccount:team-a:deployer"';

describe('scenarios/rbac.yaml', () => {
  it('answers can-i, refuses with Forbidden, and a new RoleBinding takes effect', () => {
    const s = play('rbac.yaml');
    expect(s.map((x) => x.exit)).toEqual([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0]);
    expect(s[0].out).toMatch(/\nrolebinding\.rbac\.authorization\.k8s\.io\/deployer-reads-pods +Role\/pod-reader +5s\n/);
    expect(s.slice(1, 4).map((x) => x.out)).toEqual(['yes\n', 'no\n', 'no\n']);
    expect(s[4].out.match(/\nweb-/g)).toHaveLength(2);
    expect(s[5].out).toBe(`Error from server (Forbidden): secrets is forbidden: ${SA} cannot list resource "secrets" in API group "" in the namespace "team-a"\n`);
    expect(s[6].out).toBe(`Error from server (Forbidden): deployments.apps "web" is forbidden: ${SA} cannot patch resource "deployments/scale" in API group "apps" in the namespace "team-a"\n`);
    expect(s[7].out).toMatch(new RegExp(`^Error from server \\(Forbidden\\): pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: ${SA.replace(/[()]/g, '\\$&')} cannot delete resource "pods" in API group "" in the namespace "team-a"\\n$`));
    expect(s[8].out).toBe('no\n');
    expect(s[9].out).toBe('Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope\n');
    expect(s[10].out).toBe('rolebinding.rbac.authorization.k8s.io/jane-view created\n');
    expect(s.slice(11, 13).map((x) => x.out)).toEqual(['yes\n', 'no\n']);
    expect(s[13].out).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\nweb +2\/2 +2 +2 +9s\n$/);
  });
});

describe('scenarios/crd.yaml', () => {
  it('registers Backup, validates, prunes, defaults, prints columns and deletes with the CRD', () => {
    const s = play('crd.yaml');
    expect(s.map((x) => x.exit)).toEqual([0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
    expect(s[1].out).toBe('NAME      SHORTNAMES   APIVERSION       NAMESPACED   KIND\nbackups   bk           example.com/v1   true         Backup\n');
    // kubectl's default strict validation refuses a field the schema does not know.
    expect(s[2].out).toBe('Error from server (BadRequest): error when creating "STDIN": Backup in version "v1" cannot be handled as a Backup: strict decoding error: unknown field "spec.colour"\n');
    expect(s[3].out).toBe('backup.example.com/nightly created\n');
    expect(s[4].out).toBe(
      'The Backup "broken" is invalid: \n* spec.retentionDays: Invalid value: "string": spec.retentionDays in body must be of type integer: "string"\n* spec.storage: Unsupported value: "tape": supported values: "disk", "s3"\n',
    );
    expect(s[5].out).toBe('The Backup "unscheduled" is invalid: spec.schedule: Required value\n');
    // A patch is validated with a warning only: colour is pruned, the object unchanged.
    expect(s[6].out).toBe('Warning: unknown field "spec.colour"\nbackup.example.com/nightly patched (no change)\n');
    expect(s[7].out).toBe('NAME      SCHEDULE    RETENTION   STORAGE   AGE\nnightly   0 3 * * *   7           disk      7s\n');
    expect(s[8].out).toBe('disk');
    expect(s[9].out).toMatch(/\nspec:\n {2}retentionDays: 7\n {2}schedule: 0 3 \* \* \*\n {2}storage: disk\n$/);
    expect(s[10].out).toBe('customresourcedefinition.apiextensions.k8s.io "backups.example.com" deleted\n');
    expect(s[11].out).toBe('error: the server doesn\'t have a resource type "backups"\n');
  });

  it.each(['rbac.yaml', 'crd.yaml'])('%s prints the same bytes twice', (file) => {
    expect(play(file)).toEqual(play(file));
  });
});
