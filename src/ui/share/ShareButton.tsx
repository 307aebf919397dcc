/**
 * ShareButton copies a link to this moment of the cluster. The popover sets what the link asks of
 * the viewer's page (presenter mode, read-only, playing, the open panel). A link too long for a URL
 * says so and offers the share as a file instead.
 */
import { useEffect, useRef, useState } from 'react';
import { encodeShareFile } from '../../share/codec.ts';
import type { Presentation } from '../../share/payload.ts';
import { useUi } from '../state/ui.ts';
import { download } from '../workspace/pageWorkspace.ts';
import { currentPayload, shareLink } from './pageShare.ts';

export function ShareButton() {
  const [open, setOpen] = useState(false);
  // What the sharer shows (the open panel, the Cluster or Traffic view) is asked for by default: a class
  // opening a teacher's link sees the same picture; the theme and presenter mode stay each viewer's own.
  const [opts, setOpts] = useState<Presentation>({ panel: 'terminal', view: 'cluster' });
  const [copied, setCopied] = useState<string | undefined>();
  const tab = useUi((s) => s.tab);
  const theme = useUi((s) => s.theme);
  const graphView = useUi((s) => s.graphView);
  // The theme and view options ask for the sharer's current ones (a projector demo in light, say).
  const presentation: Presentation = { ...opts, ...(opts.panel ? { panel: tab } : {}), ...(opts.theme ? { theme } : {}), ...(opts.view ? { view: graphView } : {}) };
  const link = open ? shareLink(presentation) : undefined;
  // Escape or a click anywhere else closes the popover, as it does a menu.
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: PointerEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied');
    } catch {
      setCopied('Copy failed: select the link and copy it');
    }
  };
  const toggle = (k: 'presenter' | 'readOnly' | 'playing') => setOpts((o) => ({ ...o, [k]: o[k] ? undefined : true }));

  return (
    <span className="kp-share" ref={root}>
      <button type="button" className="btn" onClick={() => (setOpen(!open), setCopied(undefined))} aria-expanded={open} data-testid="share">
        Share
      </button>
      {open && link && (
        <div className="kp-popover" role="dialog" aria-label="Share this moment">
          <p>A link that replays this cluster to this moment: same pods, same events, same traffic.</p>
          <fieldset>
            <label>
              <input type="checkbox" checked={!!opts.presenter} onChange={() => toggle('presenter')} /> open in presenter mode
            </label>
            <label>
              <input type="checkbox" checked={!!opts.readOnly} onChange={() => toggle('readOnly')} /> read-only
            </label>
            <label>
              <input type="checkbox" checked={!!opts.playing} onChange={() => toggle('playing')} /> start playing
            </label>
            <label>
              <input type="checkbox" checked={!!opts.panel} onChange={() => setOpts((o) => ({ ...o, panel: o.panel ? undefined : tab }))} /> open the {tab} panel
            </label>
            <label>
              <input type="checkbox" checked={!!opts.theme} onChange={() => setOpts((o) => ({ ...o, theme: o.theme ? undefined : theme }))} data-testid="share-theme" /> open in the {theme} theme
            </label>
            <label>
              <input type="checkbox" checked={!!opts.view} onChange={() => setOpts((o) => ({ ...o, view: o.view ? undefined : graphView }))} data-testid="share-view" /> open in the {graphView} view
            </label>
          </fieldset>
          {link.ok ? (
            <>
              <input className="kp-link" readOnly value={link.url} onFocus={(e) => e.target.select()} aria-label="Share link" data-testid="share-url" />
              <div className="kp-row">
                <button type="button" className="btn btn-primary" onClick={() => void copy(link.url!)}>
                  Copy link
                </button>
                <span className="kp-muted">{link.url!.length.toLocaleString()} characters</span>
              </div>
            </>
          ) : (
            <>
              <p className="kp-fail" role="alert">
                {link.message}
              </p>
              {link.tooLarge && (
                <button type="button" className="btn btn-primary" onClick={() => download('kubeplay-share.json', encodeShareFile(currentPayload(presentation)), 'application/json')}>
                  Download share file
                </button>
              )}
            </>
          )}
          {copied && <p className="kp-muted" role="status">{copied}</p>}
        </div>
      )}
    </span>
  );
}
