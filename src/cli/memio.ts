/**
 * memIo is a CliIo over an in-memory file system, capturing what main prints (for the CLI's tests).
 */
import type { CliIo } from './main.ts';

export function memIo(files: Record<string, string>) {
  const io = {
    stdout: '',
    stderr: '',
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
    readFile: (p: string) => {
      if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[p];
    },
    fileSize: (p: string) => {
      if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[p].length;
    },
  } satisfies CliIo & { stdout: string; stderr: string };
  return io;
}
