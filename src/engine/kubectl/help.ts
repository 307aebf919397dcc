import type { Command } from './context.ts';

/** kubectlHelp lists the commands this simulator implements, in kubectl's help layout. */
export function kubectlHelp(commands: Command[], argoRollouts = false): string {
  const seen = new Set<string>();
  const lines = ['kubectl controls the Kubernetes cluster manager (simulated by Kubeplay).', '', 'Commands:'];
  const width = Math.max(...commands.map((c) => c.name.split(' ')[0].length)) + 2;
  for (const c of commands) {
    const name = c.name.split(' ')[0];
    if (seen.has(name)) continue;
    seen.add(name);
    const base = commands.find((x) => x.name === name);
    const short = base ? base.short : subcommandSummary(commands, name);
    lines.push(`  ${name.padEnd(width)}${short}`);
  }
  // Plugins are separate binaries (kubectl-argo-rollouts); listed only when the module answers.
  if (argoRollouts) lines.push('', 'Plugins:', `  ${'argo rollouts'.padEnd(width)}Manage Argo Rollouts (see "kubectl argo rollouts help")`);
  lines.push('', 'Playground commands (what kubectl cannot express): see "kubeplay help".', '', 'Usage:', '  kubectl [flags] [options]');
  return lines.join('\n') + '\n';
}

function subcommandSummary(commands: Command[], name: string): string {
  const subs = commands.filter((c) => c.name.startsWith(name + ' ')).map((c) => c.name.slice(name.length + 1));
  return `${name[0].toUpperCase()}${name.slice(1)}: ${subs.join(', ')}`;
}
