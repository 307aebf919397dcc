/**
 * awkformat.ts: what awk's printf, sprintf and number-to-string conversions print, as C's printf does
 * (awk hands them to snprintf), and the C library's random() that rand() draws from. Pure: no
 * wall clock, no Math.random.
 */

/** FormatArg is one printf argument: its value as a number and as a string, and whether it is numeric (for %c). */
export interface FormatArg {
  num(): number;
  str(): string;
  numeric: boolean;
}

/** FormatError is a format awk refuses (busybox: `%*x formats are not supported`, `Invalid format specifier`). */
export class FormatError extends Error {}

const SPEC = /%([-+ #0]*)(\d*)(?:\.(\d*))?([a-zA-Z%]?)/g;

/**
 * awkSprintf formats as awk's printf: each `%` conversion takes the next argument (a missing one is
 * the uninitialised value, "" and 0); `%c` of a number is the character with that code, of a string its
 * first character. Integer conversions take the value's integer part (busybox casts to a C int and
 * wraps past 2^31; this keeps all 53 bits, as gawk does).
 */
export function awkSprintf(format: string, args: FormatArg[]): string {
  let next = 0;
  const missing: FormatArg = { num: () => 0, str: () => '', numeric: false };
  return format.replace(SPEC, (whole, flags: string, width: string, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (conv === '') return whole;
    const arg = args[next++] ?? missing;
    return formatOne(flags, width === '' ? 0 : Math.min(Number(width), 4096), prec === undefined ? undefined : Math.min(Number(prec || 0), 4096), conv, arg);
  });
}

/** checkFormat throws what busybox says of a conversion it cannot print (before anything runs, so nothing prints half). */
export function checkFormat(format: string): void {
  if (/%[-+ #0-9.]*\*/.test(format)) throw new FormatError('%*x formats are not supported');
}

function formatOne(flags: string, width: number, prec: number | undefined, conv: string, arg: FormatArg): string {
  if (conv === 's' || conv === 'c') {
    let s: string;
    if (conv === 'c') s = arg.numeric ? String.fromCharCode(Math.trunc(arg.num()) & 0xff) : arg.str().slice(0, 1);
    else s = prec !== undefined ? arg.str().slice(0, prec) : arg.str();
    return pad(s, '', width, flags.includes('-'), false);
  }
  const n = arg.num();
  if ('diouxX'.includes(conv)) return formatInt(n, flags, width, prec, conv);
  if ('eEfFgG'.includes(conv)) return formatFloat(n, flags, width, prec ?? 6, conv);
  throw new FormatError('Invalid format specifier');
}

/** pad widens body (after its sign or prefix) to width: spaces on the left or right, or zeros after the sign. */
function pad(body: string, sign: string, width: number, left: boolean, zeros: boolean): string {
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (left) return (sign + body).padEnd(width);
  if (zeros) return sign + body.padStart(width - sign.length, '0');
  return (sign + body).padStart(width);
}

function signOf(negative: boolean, flags: string): string {
  return negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

function formatInt(n: number, flags: string, width: number, prec: number | undefined, conv: string): string {
  if (!Number.isFinite(n)) return formatFloat(n, flags, width, 6, 'f');
  const t = BigInt(Math.trunc(n));
  const signed = conv === 'd' || conv === 'i';
  // Unsigned conversions print a negative number's 64-bit two's complement, as C does with a long.
  const u = signed ? (t < 0n ? -t : t) : BigInt.asUintN(64, t);
  let digits = conv === 'o' ? u.toString(8) : conv === 'x' ? u.toString(16) : conv === 'X' ? u.toString(16).toUpperCase() : u.toString();
  if (prec !== undefined) digits = prec === 0 && u === 0n ? '' : digits.padStart(prec, '0');
  let prefix = signed ? signOf(t < 0n, flags) : '';
  if (flags.includes('#') && u !== 0n) {
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if (conv === 'x' || conv === 'X') prefix = conv === 'x' ? '0x' : '0X';
  }
  return pad(digits, prefix, width, flags.includes('-'), flags.includes('0') && prec === undefined);
}

/** exponential is n's %e digits in C's form: at least two exponent digits (1.5e+00). */
function exponential(n: number, prec: number): string {
  return n.toExponential(Math.min(prec, 100)).replace(/e([+-])(\d)$/, 'e$10$2');
}

function fixed(n: number, prec: number): string {
  // toFixed switches to exponents from 1e21; such a double is an integer, which BigInt writes out.
  if (n >= 1e21) return BigInt(n).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  return n.toFixed(Math.min(prec, 100));
}

function formatFloat(n: number, flags: string, width: number, prec: number, conv: string): string {
  const upper = conv === 'E' || conv === 'G' || conv === 'F';
  const negative = n < 0 || Object.is(n, -0);
  const sign = signOf(negative, flags);
  const a = Math.abs(n);
  let body: string;
  if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'nan' : 'inf';
  else if (conv === 'f' || conv === 'F') body = fixed(a, prec);
  else if (conv === 'e' || conv === 'E') body = exponential(a, prec);
  else {
    // %g (C99 7.19.6.1): with P significant digits (6 by default, 1 for 0) and X the exponent %e would
    // print, use %f with P-1-X decimals when P > X >= -4, else %e with P-1; then drop trailing zeros.
    const p = prec === 0 ? 1 : prec;
    const x = a === 0 ? 0 : Number(exponential(a, p - 1).split('e')[1]);
    body = p > x && x >= -4 ? fixed(a, p - 1 - x) : exponential(a, p - 1);
    if (!flags.includes('#')) body = withoutTrailingZeros(body);
  }
  if (upper) body = body.toUpperCase();
  return pad(body, sign, width, flags.includes('-'), flags.includes('0') && Number.isFinite(a));
}

/** withoutTrailingZeros drops the zeros after a decimal point (and a bare point) from a mantissa: %g's default. */
function withoutTrailingZeros(body: string): string {
  const [m, e] = body.split('e');
  if (!m.includes('.')) return body;
  const s = m.replace(/0+$/, '').replace(/\.$/, '');
  return e === undefined ? s : `${s}e${e}`;
}

/**
 * numberToString is how awk writes a number as a string (CONVFMT) or prints it (OFMT): an integral
 * value as an integer (busybox fmt_num: `n == (long long)n` prints with %lld, so 2^53 is
 * 9007199254740992 and 1e6 is 1000000), any other with the format ("%.6g": 0.1+0.2 is 0.3).
 */
export function numberToString(n: number, format: string): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return Math.abs(n) < 2 ** 53 ? String(n) : BigInt(n).toString();
  // The format's last character picks the conversion; busybox refuses any other.
  const conv = format[format.length - 1] ?? '';
  if (!'diouxXeEfgG'.includes(conv) || conv === '') throw new FormatError('Invalid format specifier');
  return awkSprintf(format, [{ num: () => n, str: () => String(n), numeric: true }]);
}

/**
 * GlibcRandom is the C library's random() as busybox's rand() calls it (glibc's TYPE_3 additive
 * feedback generator: 31 words seeded by a Park-Miller step, r[i] = r[i-3] + r[i-31], the first 310
 * outputs discarded, each output r >> 1). Unseeded, it is seeded with 1, as glibc's is: busybox's first
 * rand() prints 0.840188 (1804289383 / RAND_MAX).
 */
export class GlibcRandom {
  private r: number[] = [];

  constructor(seed: number) {
    this.seed(seed);
  }

  /** seed restarts the sequence (glibc's srandom: a seed of 0 is taken as 1). */
  seed(seed: number): void {
    const r = [(seed >>> 0 || 1) | 0];
    for (let i = 1; i < 31; i++) {
      // Schrage's method for 16807 * r mod (2^31 - 1) without overflow, as glibc computes it.
      const hi = Math.trunc(r[i - 1] / 127773);
      const lo = r[i - 1] % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r.push(word);
    }
    for (let i = 31; i < 34; i++) r.push(r[i - 31]);
    this.r = r;
    for (let i = 34; i < 344; i++) this.step();
  }

  private step(): number {
    const r = this.r;
    const v = (r[r.length - 31] + r[r.length - 3]) | 0;
    r.push(v);
    if (r.length > 64) r.splice(0, r.length - 34);
    return v >>> 1;
  }

  /** next is random(): 0 to RAND_MAX (2^31 - 1). */
  next(): number {
    return this.step();
  }
}

/** RAND_MAX is glibc's. */
export const RAND_MAX = 2147483647;
