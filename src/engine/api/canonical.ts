/**
 * resource.Quantity's canonical form, for the API server's decoding (strict.ts) and describe's sums: apart
 * from quantity.ts, whose parsing the page's first download needs, so its BigInt arithmetic comes with
 * the engine only.
 */
import { BINARY, QUANTITY_RE } from './quantity.ts';

const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * canonicalQuantity is resource.Quantity's String(): what the API server stores and prints for a
 * quantity it decoded ("0.5" → "500m", "1.5Gi" → "1536Mi", "1024Mi" → "1Gi", "1000" → "1k",
 * "2e9" → "2e9"), or undefined when q is no quantity. The value is kept exactly (BigInt), as
 * inf.Dec keeps it, and only rounded up to nano-units, the smallest scale a Quantity has
 * (CanonicalizeBytes: BinarySI stays binary only for integers of at least 1024 in magnitude).
 */
export function canonicalQuantity(q: string | number): string | undefined {
  const m = QUANTITY_RE.exec(typeof q === 'number' ? String(q) : q.trim());
  if (!m) return undefined;
  const neg = m[1].startsWith('-');
  const [ip, fp = ''] = m[1].replace(/^[+-]/, '').split('.');
  let mant = BigInt((ip || '0') + fp);
  let e10 = -fp.length;
  if (mant === 0n) return '0';
  const sign = neg ? '-' : '';
  const binary = m[3] !== undefined && m[3] in BINARY;
  if (m[2]) e10 += parseInt(m[2].slice(1), 10);
  else if (binary) mant *= 2n ** BigInt(10 * (BINARY_SUFFIXES.indexOf(m[3]!)));
  else e10 += DECIMAL_EXPONENTS[m[3] ?? ''];
  if (binary) {
    // An integer of magnitude 1024 or more stays in base 1024, with the largest exact suffix.
    const whole = e10 >= 0 ? mant * 10n ** BigInt(e10) : mant % 10n ** BigInt(-e10) === 0n ? mant / 10n ** BigInt(-e10) : undefined;
    if (whole !== undefined && whole >= 1024n) {
      let v = whole;
      let k = 0;
      while (k < 6 && v % 1024n === 0n) {
        v /= 1024n;
        k++;
      }
      return `${sign}${v}${BINARY_SUFFIXES[k]}`;
    }
  }
  while (mant % 10n === 0n) {
    mant /= 10n;
    e10++;
  }
  if (e10 < -9) {
    // Below a nano-unit: rounded up (away from zero), as Quantity rounds to its smallest scale.
    const d = 10n ** BigInt(-9 - e10);
    mant = (mant + d - 1n) / d;
    e10 = -9;
    while (mant % 10n === 0n) {
      mant /= 10n;
      e10++;
    }
  }
  const e3 = Math.floor(e10 / 3) * 3;
  const digits = (mant * 10n ** BigInt(e10 - e3)).toString();
  if (m[2]) return `${sign}${digits}${e3 === 0 ? '' : `e${e3}`}`;
  const suffix = DECIMAL_SUFFIXES[e3];
  return suffix !== undefined ? `${sign}${digits}${suffix}` : `${sign}${digits}e${e3}`;
}

/** QUANTITY_FORMAT is resource.ErrFormatWrong's regular expression. */
const QUANTITY_FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/**
 * quantityProblem is why resource.ParseQuantity refuses a string, in its words (ErrFormatWrong,
 * ErrNumeric, ErrSuffix), or undefined when it is a quantity: "1Gb" does not have the quantity's
 * shape, "1.2.3Gi" has no number in front and "32MMi" has no suffix kubectl knows.
 */
export function quantityProblem(q: string): string | undefined {
  if (QUANTITY_RE.test(q.trim())) return undefined;
  const m = QUANTITY_FORMAT.exec(q);
  if (!m) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return 'unable to parse numeric part of quantity';
  return "unable to parse quantity's suffix";
}
