import { describe, expect, it } from 'vitest';
import { runScript } from './run.ts';
import type { ShellHost } from './proc.ts';

const host: ShellHost = { env: [['X', 'web-1']], startMs: 0, hostname: 'web-1' };

/** sh runs a script and returns `status: line|line`. */
function sh(script: string, stdin = ''): string {
  const o = runScript(script, host, { stdin });
  const text = o.lines.map((l) => l.text).join('|');
  return o.kind === 'exited' ? `${o.code}: ${text}` : `${o.kind}: ${text}`;
}

const ROW = 'web-1   1/1     Running   0          5m\n';

describe('tr translates, deletes and squeezes as busybox tr does', () => {
  it.each<[string, string, string]>([
    ['echo $X | tr a-z A-Z', '', '0: WEB-1'],
    ["tr '[:lower:]' '[:upper:]'", 'Hello\n', '0: HELLO'],
    ["tr '[:upper:]' '[:lower:]'", 'HeLLo\n', '0: hello'],
    ["tr -s ' '", ROW, '0: web-1 1/1 Running 0 5m'],
    ["tr -s ' ' | cut -d' ' -f1,3", ROW, '0: web-1 Running'],
    ["tr -s ' ' '\\t'", 'a   b c\n', '0: a\tb\tc'],
    ["tr ' ' '\\n'", 'a b c\n', '0: a|b|c'],
    ["tr '\\n' ','", 'a\nb\n', '0: a,b,'],
    ['tr -d 0-9', 'web-12-x3\n', '0: web--x'],
    ["tr -d '[:digit:]-'", 'web-12-x3\n', '0: webx'],
    ["tr -d '\\n'", 'a\nb\n', '0: ab'],
    ["tr -dc 'a-z\\n'", 'We b-1!\n', '0: eb'],
    ["tr -cd '[:alnum:]'", 'a-b c!\n', '0: abc'],
    ["tr -c 'a-z\\n' _", 'web-1 x\n', '0: web___x'],
    ["tr -cs '[:alpha:]' '\\n'", 'one, two  three\n', '0: one|two|three'],
    // SET2 shorter than SET1: its last character repeats.
    ['tr abc x', 'aabbcc\n', '0: xxxxxx'],
    ['tr abc xy', 'abc\n', '0: xyy'],
    ['tr a-c A-Z', 'abcd\n', '0: ABCd'],
    ["tr -s 'a-z'", 'aabbccdd\n', '0: abcd'],
    ["tr -s ab xy", 'aabbab\n', '0: xyxy'],
    ["tr '[:space:]' _", 'a b\tc\n', '0: a_b_c_'],
    ["tr '[:punct:]' .", 'a,b;c!\n', '0: a.b.c.'],
    ["tr '[:alpha:]' '*'", 'ab1\n', '0: **1'],
    ["tr '\\101' z", 'ABA\n', '0: zBz'],
    ["tr '\\\\' /", 'a\\b\n', '0: a/b'],
    ["tr 'a-z' '[x*]'", 'web-1\n', '0: xxx-1'],
    ["tr 'abcd' '[x*2]yz'", 'abcd\n', '0: xxyz'],
    ["tr 'z-a' x", 'az\n', '0: az'],
    ["tr '[:nope:]' x", 'n:\n', '0: xx'],
    // Errors.
    ['tr', '', '1: Usage: tr [-cds] STRING1 [STRING2]'],
    ['tr a b c', '', '1: Usage: tr [-cds] STRING1 [STRING2]'],
    ["tr a ''", '', '1: tr: STRING2 cannot be empty'],
    ['tr -x a b', '', "1: tr: invalid option -- 'x'|Usage: tr [-cds] STRING1 [STRING2]"],
  ])('%s', (script, stdin, want) => expect(sh(script, stdin)).toBe(want));
});
