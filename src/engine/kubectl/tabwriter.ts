/**
 * tabwriter is Go's text/tabwriter (AlignLeft, padchar ' ') as kubectl uses it: cells end with a tab,
 * the text after a line's last tab is not part of any column, and a column is aligned only over the
 * block of consecutive lines that have a cell in it. That block rule is why `kubectl describe`
 * sections line up independently of each other.
 *
 * kubectl get uses minwidth 6, padding 3 (printers.GetNewTabWriter); describe uses minwidth 0, padding 2.
 */
export function tabwrite(text: string, minwidth: number, padding: number): string {
  const trailingNewline = text.endsWith('\n');
  const rawLines = (trailingNewline ? text.slice(0, -1) : text).split('\n');
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];
  formatGo(lines, minwidth, padding, widths, out);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}

function formatGo(lines: string[][], minwidth: number, padding: number, widths: number[], out: string[]): void {
  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        s += cells[j];
        if (j < widths.length && j < cells.length - 1) s += ' '.repeat(Math.max(0, widths[j] - cells[j].length));
      }
      out.push(s);
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let t = line0;
    while (t < line1) {
      if (column >= lines[t].length - 1) {
        t++;
        continue;
      }
      writeLines(line0, t);
      line0 = t;
      let width = minwidth;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        const w = line[column].length + padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
}

/**
 * table renders rows of cells as `kubectl get` does (each row ends after its last cell). When every row
 * has the same number of cells — always, for get — all rows form one block per column, so the widths are
 * simply max(len + 3, 6); a 10,000-pod listing then costs one pass. Ragged rows take the general path.
 */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const n = rows[0].length;
  if (!rows.every((r) => r.length === n)) return tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', 6, 3);
  const widths = new Array<number>(n - 1).fill(6);
  for (const r of rows) for (let j = 0; j < n - 1; j++) if (r[j].length + 3 > widths[j]) widths[j] = r[j].length + 3;
  const out: string[] = [];
  for (const r of rows) {
    let line = '';
    for (let j = 0; j < n - 1; j++) line += r[j] + ' '.repeat(widths[j] - r[j].length);
    out.push(line + r[n - 1]);
  }
  return out.join('\n') + '\n';
}
