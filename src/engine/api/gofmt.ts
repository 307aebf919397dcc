/**
 * Go `%#v` renderings of the few API values that field errors print as structs, so messages read
 * exactly as the API server's (field.Error falls back to %#v for values without a String method).
 */
import { GoValue } from './errors.ts';
import type { LabelSelector } from './types.ts';

const q = (s: string) => JSON.stringify(s);

/** goStringMap renders map[string]string{"a":"b", "c":"d"} (Go sorts map keys); nil as map[string]string(nil). */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(String(m[k]))}`).join(', ')}}`;
}

/** goIntOrString renders intstr.IntOrString{Type:0, IntVal:1, StrVal:""} (Type 1 for strings). */
export function goIntOrString(v: number | string | undefined | null): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

/** goLabelSelector renders v1.LabelSelector{MatchLabels:…, MatchExpressions:…}. */
export function goLabelSelector(s: LabelSelector | undefined | null): string {
  if (!s) return 'null';
  const exprs = s.matchExpressions?.length
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((r) => `v1.LabelSelectorRequirement{Key:${q(r.key)}, Operator:${q(r.operator)}, Values:${r.values ? `[]string{${r.values.map(q).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

export const go = {
  map: (m: Record<string, string> | undefined | null) => new GoValue(goStringMap(m)),
  intOrString: (v: number | string | undefined | null) => new GoValue(goIntOrString(v)),
  selector: (s: LabelSelector | undefined | null) => new GoValue(goLabelSelector(s)),
};
