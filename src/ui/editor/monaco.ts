/**
 * The editor's Monaco, set up once: only the core editor and the YAML language (not all of Monaco's
 * languages), bundled with its workers (no CDN), and monaco-yaml checking manifests against kubeSchema.
 *
 * monaco-yaml 5.5 asks Monaco for its worker with the old createWebWorker({moduleId, label, createData})
 * form. Monaco 0.54's full entry (editor.main.js) translates that form; the core entry used here does not,
 * so createWebWorker is wrapped below exactly as editor.main.js does it. Monaco is pinned to 0.54.0 because
 * ≥ 0.55 also stopped resolving the worker import monaco-yaml's worker makes (see shared/STACK.md).
 * e2e/editor.spec.ts proves it: schema markers (a typo'd field, a wrong enum), hover docs, completion.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/edcore.main.js';
import { conf as yamlConf, language as yamlLanguage } from 'monaco-editor/esm/vs/basic-languages/yaml/yaml.js';
import { configureMonacoYaml, type JSONSchema } from 'monaco-yaml';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import YamlWorker from './yaml.worker.ts?worker';
import { kubeSchema } from '../../engine/api/schema.ts';

function getWorker(_moduleId: string, label: string): Worker {
  return label === 'yaml' ? new YamlWorker() : new EditorWorker();
}

(self as unknown as { MonacoEnvironment: object }).MonacoEnvironment = { getWorker };

// Monaco rejects its pending requests (hover, completion, validation) with its 'Canceled' error when their
// editor goes, e.g. on a tab switch right after typing: that is a cancellation, not a fault to report.
self.addEventListener('unhandledrejection', (e) => {
  const r = (e as PromiseRejectionEvent).reason as { name?: string; message?: string } | undefined;
  if (r?.name === 'Canceled' || r?.message === 'Canceled') e.preventDefault();
});

interface LegacyWorkerOptions {
  worker?: Worker | Promise<Worker>;
  moduleId?: string;
  label?: string;
  createData?: unknown;
  host?: unknown;
  keepIdleModels?: boolean;
}

const createWebWorker = monaco.editor.createWebWorker as (opts: LegacyWorkerOptions) => unknown;
(monaco.editor as { createWebWorker: unknown }).createWebWorker = (opts: LegacyWorkerOptions) => {
  if (opts.worker !== undefined) return createWebWorker(opts);
  const worker = Promise.resolve(getWorker(opts.moduleId ?? 'workerMain.js', opts.label ?? 'monaco-editor-worker')).then((w) => {
    w.postMessage('ignore');
    w.postMessage(opts.createData);
    return w;
  });
  return createWebWorker({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels });
};

configureMonacoYaml(monaco as never, {
  enableSchemaRequest: false,
  validate: true,
  hover: true,
  // No "Source: kubernetes.json" link under each hover: the schema's URI is a name, not a page to open.
  hoverSchemaSource: false,
  completion: true,
  format: {},
  schemas: [{ uri: 'https://kubeplay.dev/schemas/kubernetes.json', fileMatch: ['*'], schema: kubeSchema as JSONSchema }],
});

export { monaco };

/**
 * The YAML language, registered here with its tokens and configuration (rather than through its lazy
 * contribution, whose loader would set its own configuration over ours whenever it ran): one rule added.
 * Enter after a list item's first field (`- name: shop`) indents the next line under that field, where the
 * item's other fields go (`image:`), not under the dash, where a new key leaves the item (the schema then
 * says "Property image is not allowed" with no word of indentation).
 */
monaco.languages.register({ id: 'yaml', extensions: ['.yaml', '.yml'], aliases: ['YAML', 'yaml', 'YML', 'yml'], mimetypes: ['application/x-yaml', 'text/x-yaml'] });
monaco.languages.setMonarchTokensProvider('yaml', yamlLanguage);
monaco.languages.setLanguageConfiguration('yaml', {
  ...yamlConf,
  onEnterRules: [...(yamlConf.onEnterRules ?? []), { beforeText: /^\s*- +[^\s#][^#]*$/, action: { indentAction: monaco.languages.IndentAction.None, appendText: '  ' } }],
});
