import { chromium } from '@playwright/test';
import { preview } from 'vite';
import fs from 'fs';
const server = await preview({ preview: { port: 4393, host: '127.0.0.1', strictPort: true }, logLevel: 'silent' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
await page.goto('http://127.0.0.1:4393/');
await page.waitForFunction(() => document.querySelectorAll('[data-kind="Pod"]').length > 0);
for (const [file, t, name, extra] of JSON.parse(process.argv[2])) {
  await page.evaluate(() => window.kubeplay.pause());
  const errs = await page.evaluate((y) => window.kubeplay.load(y), fs.readFileSync(file, 'utf8'));
  if (errs.length) console.log('load errors', errs);
  await page.evaluate((t) => window.kubeplay.advance(t * 1000), t);
  if (extra) for (const c of extra) console.log((await page.evaluate((c) => window.kubeplay.exec(c), c)).out);
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `/tmp/shots/${name}.png` });
  const chips = await page.evaluate(() => [...document.querySelectorAll('[data-kind="Pod"]')].map((e) => `${e.getAttribute('data-name')}:${getComputedStyle(e).borderLeftColor || ''}:${e.getAttribute('data-revision-color') ?? ''}`));
  console.log(name, chips.slice(0, 12).join(' '));
}
console.log('console errors', errors);
await browser.close(); server.httpServer.close();
