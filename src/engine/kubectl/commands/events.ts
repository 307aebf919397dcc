import type { EventObject } from '../../api/types.ts';
import { boolFlag, F, flag, flags, namespace, type Command } from '../context.ts';
import { eventInterval, sortEvents } from '../printers/eventtime.ts';
import { resolveKind } from '../resources.ts';
import { CmdError } from '../services.ts';
import { table } from '../tabwriter.ts';
import { parseOutput, printObjects } from './get.ts';

/**
 * eventsCommand is `kubectl events` (pkg/cmd/events): the namespace's Events (or all of them with -A, or
 * those about one object with --for TYPE/NAME), only --types Normal/Warning if given, oldest first by
 * last seen; LAST SEEN is "5m (x3 over 10m)" for a repeated event and OBJECT keeps the kind as written
 * (`Pod/web-1`, where `get events` lower-cases it).
 */
export const eventsCommand: Command = {
  name: 'events',
  short: 'List events',
  flags: [F.allNamespaces, F.output, F.noHeaders, F.watch, { name: 'for' }, { name: 'types', repeat: true }, { name: 'chunk-size' }],
  run(ctx) {
    const types = flags(ctx, 'types').flatMap((t) => t.split(','));
    for (const t of types) if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning') throw new CmdError('error: valid --types are Normal or Warning');
    let forKind: string | undefined;
    let forName: string | undefined;
    const forArg = flag(ctx, 'for');
    if (forArg) {
      const seg = forArg.split('/');
      if (seg.length === 1) throw new CmdError('error: --for must be in resource/name form');
      if (seg.length > 2) throw new CmdError('error: arguments in resource/name form may not have more than one slash');
      forKind = resolveKind(seg[0]).kind;
      forName = seg[1];
    }
    const all = boolFlag(ctx, 'all-namespaces');
    const ns = namespace(ctx);
    const events = ctx.sim.store
      .list<EventObject>('Event', all ? undefined : ns)
      .filter((e) => (!forKind || (e.involvedObject.kind === forKind && e.involvedObject.name === forName)) && (types.length === 0 || types.some((t) => t.toLowerCase() === (e.type ?? '').toLowerCase())));
    if (events.length === 0) return all ? 'No events found.\n' : `No events found in ${ns} namespace.\n`;
    sortEvents(events);
    const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
    if (fmt.kind) return printObjects(events, fmt, false);
    const now = ctx.sim.now();
    const rows = events.map((e) => {
      const interval = eventInterval(e, now);
      const cells = [interval, e.type ?? '', e.reason ?? '', `${e.involvedObject.kind}/${e.involvedObject.name}`, (e.message ?? '').trim()];
      return all ? [e.metadata.namespace ?? '', ...cells] : cells;
    });
    const header = [...(all ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
    return table(boolFlag(ctx, 'no-headers') ? rows : [header, ...rows]);
  },
};
