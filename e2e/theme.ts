/** setTheme switches the page to a theme with the top bar's theme button (if it is not on it already) and waits for it. */
import { expect, type Page } from '@playwright/test';

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
    await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}
