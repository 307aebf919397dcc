import { describe, expect, test } from 'vitest';
import { BOX_W, boxHeight, gridColumns, placeNodes } from './layout.ts';

describe('layout', () => {
  test.each([
    { n: 1, h: 200, cols: 1 },
    { n: 3, h: 200, cols: 3 },
    { n: 4, h: 1000, cols: 4 },
    { n: 63, h: 1250, cols: 18 },
    { n: 500, h: 160, cols: 20 },
  ])('gridColumns($n boxes of height $h) = $cols', ({ n, h, cols }) => {
    expect(gridColumns(n, h)).toBe(cols);
  });

  test('boxes do not overlap and keep their places when heights are equal', () => {
    const h = boxHeight(6, false);
    const { boxes } = placeNodes(7, h);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    expect(boxes[0]).toEqual({ x: 0, y: 0, width: BOX_W, height: h });
    expect(placeNodes(7, h).boxes).toEqual(boxes);
  });
});
