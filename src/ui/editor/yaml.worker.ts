// The YAML language worker, imported through a local file so Vite bundles it as a module worker.
import 'monaco-yaml/yaml.worker.js';
