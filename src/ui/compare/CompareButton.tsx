/**
 * CompareButton is the top bar's Compare button and the dialog it opens. The dialog (with its charts and
 * styles) is its own chunk, loaded on the first press: the first screen does not wait for it.
 */
import { lazy, Suspense, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

const CompareDialog = lazy(() => import('./CompareDialog.tsx').then((m) => ({ default: m.CompareDialog })));

export function CompareButton() {
  const [open, setOpen] = useState(false);
  const btn = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    btn.current?.focus();
  };
  return (
    <>
      <button ref={btn} type="button" className="btn btn-ghost" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen((o) => !o)} title="Run this scenario’s rollout with other strategies and compare them" data-testid="open-compare">
        Compare
      </button>
      {open &&
        createPortal(
          <Suspense fallback={null}>
            <CompareDialog onClose={close} />
          </Suspense>,
          document.body,
        )}
    </>
  );
}
