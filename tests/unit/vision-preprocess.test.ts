// Letterboxing and resizing as llama.cpp's mtmd does them (checked end to end against it in
// tests/golden/vision-model.test.ts); here the exact, hand-checkable parts.
import { describe, expect, it } from 'vitest';
import { letterboxGeometry, preprocessImage, resizeBilinear } from '../../engine/vision/index.js';
import type { VisionConfig } from '../../engine/vision/index.js';

const config = { imageSize: 896, imageMean: [0.5, 0.5, 0.5], imageStd: [0.5, 0.5, 0.5] } as unknown as VisionConfig;

describe('vision preprocessing', () => {
  it('fits the image inside the square keeping its aspect ratio, centred with integer offsets', () => {
    expect(letterboxGeometry(1200, 400, 896)).toEqual({ width: 896, height: 299, x: 0, y: 298 });   // ceil(400·0.7467)
    expect(letterboxGeometry(300, 900, 896)).toEqual({ width: 299, height: 896, x: 298, y: 0 });
    expect(letterboxGeometry(20, 20, 896)).toEqual({ width: 896, height: 896, x: 0, y: 0 });
    expect(letterboxGeometry(4000, 3000, 896)).toEqual({ width: 896, height: 672, x: 0, y: 112 });
  });

  it('resizes with align-corners bilinear interpolation, truncating', () => {
    // One row 0 → 255 stretched to 4 pixels: positions 0, 1/3, 2/3, 1 → 0, 85, 170, 255.
    const out = resizeBilinear({ width: 2, height: 1, rgb: Uint8Array.of(0, 0, 0, 255, 255, 255) }, 4, 1);
    expect(Array.from(out.rgb.filter((_, i) => i % 3 === 0))).toEqual([0, 85, 170, 255]);
    // Corners are kept exactly when shrinking.
    const big = { width: 3, height: 3, rgb: Uint8Array.from({ length: 27 }, (_, i) => i * 9) };
    const small = resizeBilinear(big, 2, 2);
    expect(small.rgb[0]).toBe(big.rgb[0]);
    expect(small.rgb[small.rgb.length - 1]).toBe(big.rgb[big.rgb.length - 1]);
  });

  it('pads with black (−1 after normalization), lays channels out planar, and leaves an exact 896×896 untouched', () => {
    const wide = { width: 1792, height: 896, rgb: new Uint8Array(1792 * 896 * 3).fill(255) };
    const px = preprocessImage(wide, config);
    expect(px).toHaveLength(3 * 896 * 896);
    expect(px[0]).toBe(-1);                                   // top padding row, channel 0
    expect(px[2 * 896 * 896 + 448 * 896 + 448]).toBe(1);      // centre of channel 2: white
    const exact = { width: 896, height: 896, rgb: Uint8Array.from({ length: 896 * 896 * 3 }, (_, i) => i % 251) };
    const e = preprocessImage(exact, config);
    expect(e[896 * 896 + 5]).toBeCloseTo((exact.rgb[5 * 3 + 1]! / 255 - 0.5) / 0.5, 6);
    expect(() => preprocessImage({ width: 2, height: 2, rgb: new Uint8Array(5) }, config)).toThrow(/needs 12 bytes/);
  });
});
