// Pillow's bilinear resize (used for Pan & Scan, as Hugging Face's processor does), checked on cases worked by hand
// from its algorithm (Pillow itself is not installed here), and cropping.
import { describe, expect, it } from 'vitest';
import { cropImage, resizePillowBilinear } from '../../engine/vision/index.js';

const row = (values: number[]) => ({ width: values.length, height: 1, rgb: Uint8Array.from(values.flatMap((v) => [v, v, v])) });
const red = (image: { rgb: Uint8Array }) => Array.from(image.rgb.filter((_, i) => i % 3 === 0));

describe('Pillow bilinear resize', () => {
  it('shrinks with a widened triangle filter (antialiasing)', () => {
    // 4 → 2: output 0 weighs inputs 0, 1, 2 by 0.75, 0.75, 0.25 (normalized): 100·3/7 + 200/7 = 71.4 → 71.
    expect(red(resizePillowBilinear(row([0, 100, 200, 255]), 2, 1))).toEqual([71, 209]);
  });

  it('enlarges with the plain triangle filter, edges clamped', () => {
    // 2 → 4: centres at 0.25, 0.75, 1.25, 1.75 input pixels.
    expect(red(resizePillowBilinear(row([0, 200]), 4, 1))).toEqual([0, 50, 150, 200]);
  });

  it('keeps a flat image flat at any size, in both directions', () => {
    const flat = { width: 37, height: 23, rgb: new Uint8Array(37 * 23 * 3).fill(133) };
    for (const [w, h] of [[896, 896], [5, 3], [37, 100]] as const) {
      const out = resizePillowBilinear(flat, w, h);
      expect(out.rgb.length).toBe(w * h * 3);
      expect(out.rgb.every((v) => v === 133)).toBe(true);
    }
  });

  it('crops a rectangle of pixels', () => {
    const image = { width: 4, height: 3, rgb: Uint8Array.from({ length: 36 }, (_, i) => i) };
    const crop = cropImage(image, { x: 1, y: 1, width: 2, height: 2 });
    expect(Array.from(crop.rgb)).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
  });
});
