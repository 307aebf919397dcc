import type { Document, LineCounter } from 'yaml';
import type { ImageBehavior, NetworkOptions } from '../sim.ts';
import type { KubeObject } from '../api/types.ts';
import type { NodeSpec } from '../kubelet/index.ts';
import type { Lesson } from './lesson.ts';
import type { AutoscalerSpec } from '../controllers/clusterautoscaler/types.ts';

/** SCENARIO_API_VERSION and SCENARIO_KIND identify the Scenario document in a multi-document file. */
export const SCENARIO_API_VERSION = 'kubeplay.dev/v1alpha1';
export const SCENARIO_KIND = 'Scenario';

/**
 * Diagnostic is one problem found in a scenario file. It renders as
 * `FILE:LINE:COL: message` (YAML syntax), `FILE:LINE: field: message` (the Scenario document) or
 * `FILE:LINE (document N, Kind "name"): message` (a manifest).
 */
export interface Diagnostic {
  file: string;
  line?: number;
  col?: number;
  /** doc is the 1-based position of the YAML document in the file, for manifest problems. */
  doc?: number;
  /** what names the object: `Deployment "web"`. */
  what?: string;
  message: string;
}

/** formatDiagnostic renders a Diagnostic as one line (or more, when the message has several). */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (d.line !== undefined) where += `:${d.line}`;
  if (d.col !== undefined) where += `:${d.col}`;
  if (d.doc !== undefined) where += d.what ? ` (document ${d.doc}, ${d.what})` : ` (document ${d.doc})`;
  return `${where}: ${d.message}`;
}

/** ManifestDoc is one Kubernetes manifest of the file (or of a timeline `apply` step), with where it came from. */
export interface ManifestDoc {
  /** doc is the 1-based position of the document in its YAML stream. */
  doc: number;
  /** line is the file line where the document's content starts. */
  line: number;
  object: KubeObject;
  /** what is `Kind "name"` for messages. */
  what: string;
  /** ast is the parsed YAML document, kept to turn an API server field path into a line. */
  ast: Document;
  /** lines maps the AST's offsets to lines of the text it was parsed from. */
  lines: LineCounter;
  /** lineOffset is added to the AST's own lines (non-zero for manifests inside a timeline `apply` block). */
  lineOffset: number;
}

/** TrafficSpec is one client population sending requests (stored for the networking module). */
export interface TrafficSpec {
  host?: string;
  path: string;
  rps: number;
  headers?: Record<string, string>;
  cookie?: string;
  clients?: number;
}

/** TimelineStep is one `at` entry: a command to run or manifests to apply at a simulated time. */
export interface TimelineStep {
  /** at is the simulated time in milliseconds. */
  at: number;
  /** line is the file line of the step (for messages). */
  line: number;
  run?: string;
  /** apply holds the manifests of an `apply` step, already parsed and checked. */
  apply?: ManifestDoc[];
  /** applyText is the `apply` string as written (for the UI's editor). */
  applyText?: string;
  note?: string;
}

export type ScenarioLevel = 'beginner' | 'intermediate' | 'advanced';

/** ScenarioSpec is the Scenario document's spec with defaults applied and node groups expanded. */
export interface ScenarioSpec {
  seed: number;
  title?: string;
  description?: string;
  concepts: string[];
  level?: ScenarioLevel;
  nodes: NodeSpec[];
  images: Record<string, ImageBehavior>;
  traffic: TrafficSpec[];
  /** network is spec.cluster.kubeProxy: the kube-proxy mode and IPVS scheduler. */
  network?: NetworkOptions;
  /** autoscaler is spec.cluster.autoscaler: the simulated cluster autoscaler's node groups and timings (off without it). */
  autoscaler?: AutoscalerSpec;
  /** controlPlane is spec.cluster.controlPlane: a kubeadm control-plane node and its kube-system pods (none without it). */
  controlPlane?: { name: string };
  /** lesson makes the scenario a lesson: steps with text, actions and checks (see lesson.ts). */
  lesson?: Lesson;
  /** timeline is sorted by `at`, stable (file order for equal times). */
  timeline: TimelineStep[];
}

/** ParsedScenario is a scenario file after parsing and validation. Run it only when errors is empty. */
export interface ParsedScenario {
  file: string;
  /** name is metadata.name of the Scenario document, or the file's base name without extension. */
  name: string;
  /** hasScenarioDocument is false for a plain manifest file (the defaults of DEFAULT_SCENARIO_SPEC apply). */
  hasScenarioDocument: boolean;
  spec: ScenarioSpec;
  manifests: ManifestDoc[];
  errors: Diagnostic[];
}

/** StepResult is what one timeline step printed: the runner's output unit (one JSON line with --json). */
export interface StepResult {
  /** t is the simulated time in seconds. */
  t: number;
  cmd: string;
  exit: number;
  out: string;
}
