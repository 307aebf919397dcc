/**
 * watchPage records what a spec asserts never happens: console errors, uncaught exceptions, and
 * requests that leave the page's origin (data: and blob: URLs stay on the page).
 */
import type { Page } from '@playwright/test';

export function watchPage(page: Page, origin: string | undefined): { errors: string[]; foreign: string[] } {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  return { errors, foreign };
}
