/**
 * plainYamlProblem says a YAML syntax problem the editor's YAML worker reports (in the yaml library's
 * terms) as a learner can act on it, followed by the words kubectl would print on Apply (go-yaml's,
 * as kubectl/manifests.ts goYamlWords says them). undefined: not a YAML syntax message.
 */
const PLAIN: readonly [prefix: string, plain: string][] = [
  [
    'Nested mappings are not allowed in compact mappings',
    "a ':' where no new key can start: a second ':' on one line (quote the value), or a line indented further than the key above it (kubectl: mapping values are not allowed in this context)",
  ],
  ['Implicit keys need to be on a single line', "a key without its ':', or a line indented further than it should be (kubectl: could not find expected ':')"],
  ['Implicit map keys need to be followed by map values', "a key without its ':' (kubectl: could not find expected ':')"],
  ['All mapping items must start at the same column', 'this key is not lined up with the keys above it: indent it as they are (kubectl: did not find expected key)'],
  ['All sequence items must start at the same column', "this list item's '-' is not lined up with the ones above it (kubectl: did not find expected '-' indicator)"],
  ['Sequence item without - indicator', "a list item without its '-', or lined up wrongly (kubectl: did not find expected '-' indicator)"],
  ['Tabs are not allowed as indentation', 'a tab in the indentation: YAML indents with spaces only (kubectl: found character that cannot start any token)'],
  ['Missing closing', 'a quote that is never closed (kubectl: found unexpected end of stream)'],
  ['Flow map in block collection must be sufficiently indented and end with a }', "a '{' that is never closed with '}' (kubectl: did not find expected ',' or '}')"],
  ['Flow sequence in block collection must be sufficiently indented and end with a ]', "a '[' that is never closed with ']' (kubectl: did not find expected ',' or ']')"],
];

export function plainYamlProblem(message: string): string | undefined {
  for (const [prefix, plain] of PLAIN) if (message.startsWith(prefix)) return `${plain[0].toUpperCase()}${plain.slice(1)}`;
  return undefined;
}
