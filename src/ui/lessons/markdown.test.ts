import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, runLinesIn, safeHref, withRunBlocks } from './markdown.ts';
import { Markdown } from './Markdown.tsx';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('renderMarkdown', () => {
  const cases: [string, string, string][] = [
    ['paragraphs and emphasis', 'A **bold** and *it* and _also_ `code`.\nsame paragraph\n\nnext', '<div class="lesson-md"><p>A <strong>bold</strong> and <em>it</em> and <em>also</em> <code>code</code>. same paragraph</p><p>next</p></div>'],
    ['headings one level down', '# T\n## U\n### V', '<div class="lesson-md"><h3>T</h3><h4>U</h4><h5>V</h5></div>'],
    ['code block keeps lines and markup as text', '```\nkubectl get pods\n<b>x</b> **y**\n```', '<div class="lesson-md"><pre><code>kubectl get pods\n&lt;b&gt;x&lt;/b&gt; **y**</code></pre></div>'],
    ['lists', '- a\n- b **c**\n  continued\n\n1. one\n2. two', '<div class="lesson-md"><ul><li>a</li><li>b <strong>c</strong> continued</li></ul><ol><li>one</li><li>two</li></ol></div>'],
    ['https link opens safely', '[docs](https://kubernetes.io/docs/)', '<div class="lesson-md"><p><a href="https://kubernetes.io/docs/" target="_blank" rel="noopener noreferrer">docs</a></p></div>'],
    ['same-origin and fragment links', '[a](/x) [b](#step-2)', '<div class="lesson-md"><p><a href="/x">a</a> <a href="#step-2">b</a></p></div>'],
    ['javascript: link is text', '[click](javascript:alert(1))', '<div class="lesson-md"><p>click)</p></div>'],
    ['data:, http: and protocol-relative links are text', '[a](data:text/html,x) [b](http://x.y) [c](//evil.com)', '<div class="lesson-md"><p>a b c</p></div>'],
    ['raw HTML is text', '<script>alert(1)</script><img src=x onerror=alert(1)>', '<div class="lesson-md"><p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p></div>'],
    ['snake_case is not emphasis', 'REDIS_PRIMARY_SERVICE_HOST and 2 * 3 * 4', '<div class="lesson-md"><p>REDIS_PRIMARY_SERVICE_HOST and 2 * 3 * 4</p></div>'],
    ['escapes', '\\*not\\* \\`x\\`', '<div class="lesson-md"><p>*not* `x`</p></div>'],
    ['unclosed markers are text', '**open `tick [link](', '<div class="lesson-md"><p>**open `tick [link](</p></div>'],
  ];
  it.each(cases)('%s', (_, text, want) => expect(html(text)).toBe(want));

  it('safeHref', () => {
    expect(safeHref(' https://a.b/c ')).toBe('https://a.b/c');
    expect(safeHref('HTTPS://a.b')).toBe('HTTPS://a.b');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:x', 'vbscript:x', 'data:x', 'http://a', '//a', '/\\a', 'https://', 'https://a b', '/\t/evil.example/phish', '/\n/evil.example', 'https://\ta.b', '#x\ty']) expect(safeHref(bad), JSON.stringify(bad)).toBeUndefined();
  });

  it('fuzz: never throws, never emits a tag it was not meant to, linear time', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: fc.constantFrom('*', '_', '`', '[', ']', '(', ')', '<', '>', '#', '-', '1', '.', ' ', '\n', 'a', 'h', 't', 'p', 's', ':', '/', 'j') }), (s) => {
        const out = html(s);
        const tags = out.match(/<\/?([a-z0-9]+)/g) ?? [];
        for (const t of tags) expect(['div', 'p', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5']).toContain(t.replace(/[</]/g, ''));
        expect(out).not.toMatch(/href="(?!https:|\/[^/\\]|#)/i);
      }),
      { numRuns: 300 },
    );
    const start = performance.now();
    parseMarkdown('*'.repeat(20_000) + '['.repeat(20_000));
    parseMarkdown('`a'.repeat(10_000));
    parseMarkdown('['.repeat(19_990) + '](x)');
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('withRunBlocks', () => {
  it("makes a code block that only repeats the step's run commands a run block, and keeps every other block", () => {
    const blocks = parseMarkdown('Look:\n\n```\nkubectl rollout history deployment/web\n```\n\n```\nkubectl get pods\nkubectl get rs\n```\n');
    const out = withRunBlocks(blocks, ['kubectl rollout history deployment/web', 'kubectl get pods']);
    expect(out.map((b) => (b.t === 'code' ? b.s : b.t === 'run' ? b.lines : b.t))).toEqual(['p', ['kubectl rollout history deployment/web'], 'kubectl get pods\nkubectl get rs']);
    expect([...runLinesIn(out)]).toEqual(['kubectl rollout history deployment/web']);
    expect(withRunBlocks(blocks, [])).toBe(blocks);
  });
});
