import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { main, nodeIo, type CliIo } from '../src/cli/main.ts';

const root = process.cwd();
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

/** runInProcess runs `kubeplay run` through the CLI's own code path, capturing what it prints. */
async function runInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (s) => void (out += s), err: (s) => void (err += s) };
  const code = await main(['run', ...args], io);
  return { code, out, err };
}

describe('built-in scenarios are deterministic', () => {
  it('there are built-in scenarios', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['default.yaml', 'rolling-update.yaml', 'node-failure.yaml', 'unschedulable.yaml']));
  });

  for (const file of scenarios) {
    for (const format of [[], ['--json']]) {
      it(`${file} ${format.join(' ') || 'text'}: two runs print the same bytes`, async () => {
        const path = join('scenarios', file);
        const a = await runInProcess([path, ...format]);
        const b = await runInProcess([path, ...format]);
        // Nothing on stderr but, in text, the closing lines naming the steps that failed (on purpose …) and those
        // still watching (rollout status mid-rollout).
        const closing = /^kubeplay: (?:\d+ of \d+ steps exited non-zero \(the run goes on; a step may fail on purpose\)|\d+ steps? (?:was|were) still watching when (?:it|they) printed \(a timeline step runs once; kubectl would go on waiting\)): .*\n/gm;
        expect(a.err.replace(closing, '')).toBe('');
        if (format.length) expect(a.err).toBe('');
        expect(a.code).toBe(0);
        expect(a.out.length).toBeGreaterThan(0);
        expect(b).toEqual(a);
      });
    }
  }
});

describe('the kubeplay binary', () => {
  const exec = promisify(execFile);
  const bin = resolve(root, 'bin/kubeplay.mjs');

  it('node bin/kubeplay.mjs run scenarios/rolling-update.yaml --json prints JSON lines and exits 0', async () => {
    const { stdout, stderr } = await exec(process.execPath, [bin, 'run', 'scenarios/rolling-update.yaml', '--json'], { cwd: root });
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) {
      // watching: a status command cut short by its step (see the README's runner section)
      expect(Object.keys(l)).toEqual(l.watching ? ['t', 'cmd', 'exit', 'out', 'watching'] : ['t', 'cmd', 'exit', 'out']);
      expect(typeof l.t).toBe('number');
      expect(typeof l.exit).toBe('number');
      expect(typeof l.out).toBe('string');
    }
    expect(lines.find((l) => l.cmd.startsWith('kubectl set image'))).toMatchObject({ t: 30, exit: 0 });
    expect(lines.find((l) => l.cmd.startsWith('kubectl rollout status'))).toMatchObject({ t: 31, exit: 1, watching: true });
    // The same output as in-process: the binary is only a shell around main().
    expect(stdout).toBe((await runInProcess(['scenarios/rolling-update.yaml', '--json'])).out);
  });

  it('works from another directory and exits 1 with file:line messages for a broken scenario', async () => {
    const err = await exec(process.execPath, [bin, 'run', resolve(root, 'test/fixtures/scenario/bad-duration.yaml')], { cwd: tmpdir() }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stdout).toBe('');
    expect(err.stderr).toBe(`${resolve(root, 'test/fixtures/scenario/bad-duration.yaml')}:9: spec.timeline[1].at: Invalid value: "3x": must be a duration like 30s, 2m or 1h30m\n`);
  });
});
