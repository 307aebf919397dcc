/**
 * Markdown renders lesson text (the subset parseMarkdown reads) as React elements. Text is always a
 * React text child (escaped by React); there is no innerHTML anywhere. Links are limited to
 * same-origin paths, fragments and https, and external ones open with rel="noopener noreferrer".
 */
import { createElement, Fragment, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from './markdown.ts';

function inline(nodes: Inline[], key = ''): ReactNode[] {
  return nodes.map((n, i) => {
    const k = `${key}${i}`;
    switch (n.t) {
      case 'text':
        return createElement(Fragment, { key: k }, n.s);
      case 'code':
        return createElement('code', { key: k }, n.s);
      case 'strong':
        return createElement('strong', { key: k }, inline(n.c, `${k}.`));
      case 'em':
        return createElement('em', { key: k }, inline(n.c, `${k}.`));
      case 'link': {
        const external = n.href.startsWith('https:');
        return createElement('a', { key: k, href: n.href, ...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {}) }, inline(n.c, `${k}.`));
      }
    }
  });
}

/** RunButton renders one offered command as the button that runs it. */
export type RunButton = (line: string, key: number) => ReactNode;

function block(b: Block, i: number, runButton?: RunButton): ReactNode {
  switch (b.t) {
    case 'run':
      return runButton ? createElement('div', { key: i, className: 'kp-lesson-run' }, b.lines.map((l, j) => runButton(l, j))) : createElement('pre', { key: i }, createElement('code', null, b.lines.join('\n')));
    case 'h':
      return createElement(`h${b.level + 2}`, { key: i }, inline(b.c));
    case 'p':
      return createElement('p', { key: i }, inline(b.c));
    case 'code':
      return createElement('pre', { key: i }, createElement('code', null, b.s));
    case 'list':
      return createElement(b.ordered ? 'ol' : 'ul', { key: i }, b.items.map((it, j) => createElement('li', { key: j }, inline(it))));
  }
}

/**
 * renderMarkdown turns markdown blocks into React elements (headings render one level down: h3…h5, inside
 * a panel); a run block (withRunBlocks) is its commands' buttons.
 */
export function renderMarkdown(blocks: Block[], runButton?: RunButton): ReactNode[] {
  return blocks.map((b, i) => block(b, i, runButton));
}

export function Markdown({ text, blocks, runButton }: { text?: string; blocks?: Block[]; runButton?: RunButton }) {
  return <div className="lesson-md">{renderMarkdown(blocks ?? parseMarkdown(text ?? ''), runButton)}</div>;
}
