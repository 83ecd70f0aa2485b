// Pan & Scan crop boxes against cases worked by hand from Hugging Face's Gemma3ImageProcessor.pan_and_scan
// (the arithmetic of each case is in its comment), with HF's defaults unless a case says otherwise.
import { describe, expect, it } from 'vitest';
import { panAndScanCrops, panAndScanPrompt } from '../../engine/vision/pan-and-scan.js';

const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });

describe('Pan & Scan crop boxes', () => {
  const cases: [string, number, number, object, ReturnType<typeof box>[]][] = [
    ['square: ratio 1 < 1.2', 896, 896, {}, []],
    ['tiny square 20×20', 20, 20, {}, []],
    ['1000×850: ratio 1.18 < 1.2', 1000, 850, {}, []],
    ['1792×896: round(2) = 2 crops of 896', 1792, 896, {}, [box(0, 0, 896, 896), box(896, 0, 896, 896)]],
    ['3000×1000: round(3.5 floored) = 3', 3000, 1000, {}, [box(0, 0, 1000, 1000), box(1000, 0, 1000, 1000), box(2000, 0, 1000, 1000)]],
    ['5000×1000: 5 clamped to the maximum 4, crops 1250 wide', 5000, 1000, {},
      [box(0, 0, 1250, 1000), box(1250, 0, 1250, 1000), box(2500, 0, 1250, 1000), box(3750, 0, 1250, 1000)]],
    ['600×400: ratio 1.5 → 2 crops of 300 (≥ 256)', 600, 400, {}, [box(0, 0, 300, 400), box(300, 0, 300, 400)]],
    ['500×400: raised to 2 crops, but 250 < 256 → none', 500, 400, {}, []],
    ['1001×400: 3 crops of ceil(333.7) = 334, the last 333 wide', 1001, 400, {}, [box(0, 0, 334, 400), box(334, 0, 334, 400), box(668, 0, 333, 400)]],
    ['1200×1000: ratio exactly 1.2 activates; 1 raised to 2', 1200, 1000, {}, [box(0, 0, 600, 1000), box(600, 0, 600, 1000)]],
    ['4000×3000: ratio 1.33 → 2 crops of 2000', 4000, 3000, {}, [box(0, 0, 2000, 3000), box(2000, 0, 2000, 3000)]],
    ['100×40: ratio 2.5 but 100/256 floors to 0, raised to 2, 50 < 256 → none', 100, 40, {}, []],
    ['2048×512: ratio 4 → 4 crops of 512', 2048, 512, {}, [box(0, 0, 512, 512), box(512, 0, 512, 512), box(1024, 0, 512, 512), box(1536, 0, 512, 512)]],
    ['portrait 896×1792: 2 crops stacked', 896, 1792, {}, [box(0, 0, 896, 896), box(0, 896, 896, 896)]],
    ['portrait 400×1300: 3 crops of ceil(433.3) = 434, the last 432 tall', 400, 1300, {}, [box(0, 0, 400, 434), box(0, 434, 400, 434), box(0, 868, 400, 432)]],
    ['portrait 1000×1150: ratio 1.15 < 1.2', 1000, 1150, {}, []],
    ['options: at most 2 crops, min crop 100 — 900×200 → 2 of 450', 900, 200, { maxCrops: 2, minCropSize: 100 }, [box(0, 0, 450, 200), box(450, 0, 450, 200)]],
    ['options: activate from 1.1 — 1100×1000 → 2 of 550', 1100, 1000, { minRatioToActivate: 1.1 }, [box(0, 0, 550, 1000), box(550, 0, 550, 1000)]],
  ];
  for (const [name, width, height, options, expected] of cases) {
    it(name, () => {
      const crops = panAndScanCrops(width, height, options);
      expect(crops).toEqual(expected);
      // Crops never leave the image and cover it exactly.
      expect(crops.reduce((a, c) => a + c.width * c.height, 0)).toBe(crops.length ? width * height : 0);
    });
  }

  it('refuses sizes that are not positive whole pixels', () => {
    expect(() => panAndScanCrops(0, 10)).toThrow(/positive whole pixels/);
    expect(() => panAndScanCrops(10.5, 10)).toThrow(/positive whole pixels/);
  });
});

describe('Pan & Scan prompt wording', () => {
  it('puts the original first, then the crops separated by spaces', () => {
    expect(panAndScanPrompt(0)).toEqual([{ image: 0 }]);
    expect(panAndScanPrompt(2)).toEqual([
      { text: 'Here is the original image ' }, { image: 0 }, { text: ' and here are some crops to help you see better ' },
      { image: 1 }, { text: ' ' }, { image: 2 },
    ]);
  });
});
