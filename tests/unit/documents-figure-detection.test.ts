// Figure detection as a pure function of the page's graphic elements and text runs.
import { describe, expect, it } from 'vitest';
import { detectFigures, MAX_PATHS_UNPOOLED } from '../../src-main/documents/figure-detection.js';
import type { GraphicElement } from '../../src-main/documents/page-graphics.js';
import type { Box, TextRun } from '../../src-main/store/records.js';

const page = { width: 612, height: 792 };
const path = (box: Box, segments = 2): GraphicElement => ({ kind: 'path', box, segments });
const run = (text: string, box: Box): TextRun => ({ text, box, origin: [box[0], box[3] - 2], fontSize: 8 });

describe('detectFigures', () => {
  it('a dense drawing of many thousands of overlapping paths is one figure', () => {
    const dots: GraphicElement[] = [];
    for (let i = 0; i < 3 * MAX_PATHS_UNPOOLED; i++) {
      const x = 100 + (i % 100) * 3;
      const y = 200 + Math.floor(i / 100) * 3;
      dots.push(path([x, y, x + 4, y + 4], 5));
    }
    // Plus every path spanning the whole drawing: the worst case for pairwise clustering.
    for (let i = 0; i < MAX_PATHS_UNPOOLED; i++) dots.push(path([100, 200, 400, 290], 2));
    const figures = detectFigures(dots, [], page);
    // 100 columns × 120 rows of 4-point dots, 3 points apart.
    expect(figures).toEqual([{ kind: 'vector', box: [100, 200, 401, 561] }]);
  });

  it('takes in short labels beside a drawing, but not a paragraph line', () => {
    const axes = [path([100, 100, 101, 200]), path([100, 199, 300, 200]), path([150, 150, 170, 199], 5), path([200, 120, 220, 199], 5)];
    const tick = run('100', [84, 96, 97, 104]);
    const paragraph = run('This is a long line of body text just above the chart, not a label.', [72, 80, 540, 91]);
    const [figure] = detectFigures(axes, [tick, paragraph], page);
    expect(figure!.box).toEqual([84, 96, 300, 200]);
  });

  it('ignores tiny decorations, page-sized backgrounds and frames', () => {
    const bullet = [path([72, 100, 80, 108], 5), path([72, 120, 80, 128], 5), path([72, 140, 80, 148], 5)];
    const background = path([0, 0, 612, 792], 5);
    const frame = [path([50, 300, 300, 301]), path([50, 400, 300, 401]), path([50, 300, 51, 401]), path([299, 300, 300, 401])];
    expect(detectFigures([...bullet, background, ...frame], [], page)).toEqual([]);
  });

  it('merges vector marks drawn over a raster image into that raster figure', () => {
    const image: GraphicElement = { kind: 'image', box: [100, 100, 300, 250], segments: 0 };
    const overlay = [path([95, 100, 96, 255]), path([95, 254, 300, 255]), path([120, 150, 140, 254], 5)];
    expect(detectFigures([image, ...overlay], [], page)).toEqual([{ kind: 'raster', box: [95, 100, 300, 255] }]);
  });
});
