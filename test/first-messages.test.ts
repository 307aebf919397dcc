import { describe, expect, it } from 'vitest';
import { firstMessages, inlineJson } from '../scripts/first-messages.ts';

describe('firstMessages', () => {
  it('returns what a worker module posts while it runs, started as index.html starts it', async () => {
    const code = `
      postMessage({ type: 'ready' });
      if (new URLSearchParams(self.location.search).get('load') === 'default') postMessage({ type: 'loaded', name: 'default' });
      self.onmessage = () => {};
    `;
    expect(await firstMessages(code)).toEqual({ messages: ['{"type":"ready"}', '{"type":"loaded","name":"default"}'] });
  });

  it('reports a worker that throws instead of failing the build', async () => {
    const r = await firstMessages(`throw new Error('boom');`);
    expect(r.messages).toBeUndefined();
    expect(r.error).toMatch(/boom/);
  });
});

describe('inlineJson', () => {
  it.each([
    ['{"a":"</script><script>alert(1)</script>"}', '{"a":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}'],
    ['{"a":"<!--"}', '{"a":"\\u003c!--"}'],
    ['{"a":"x\u2028y\u2029z"}', '{"a":"x\\u2028y\\u2029z"}'],
  ])('%s is safe in an inline script and parses back the same', (json, safe) => {
    expect(inlineJson(json)).toBe(safe);
    expect(JSON.parse(inlineJson(json))).toEqual(JSON.parse(json));
  });
});
