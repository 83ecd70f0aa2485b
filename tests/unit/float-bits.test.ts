import { describe, expect, it } from 'vitest';
import { F16_TO_F32, bf16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../../engine/quant/index.js';
import { nearestInt, roundAwayFromZero } from '../../engine/quant/f32-math.js';

describe('f16', () => {
  it('round-trips every non-NaN half exactly', () => {
    for (let h = 0; h < 65536; h++) {
      const v = F16_TO_F32[h]!;
      if (Number.isNaN(v)) expect(Number.isNaN(F16_TO_F32[f32ToF16Bits(v)]!)).toBe(true);
      else expect(f32ToF16Bits(v)).toBe(h);
    }
  });

  it('rounds to nearest, ties to even, at normal, subnormal and overflow edges', () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and next: even (1)
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, rounds up to even
    expect(f32ToF16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just past halfway
    expect(f32ToF16Bits(65504)).toBe(0x7bff);
    expect(f32ToF16Bits(65519)).toBe(0x7bff); // below the rounding boundary of the largest half
    expect(f32ToF16Bits(65520)).toBe(0x7c00); // rounds to infinity
    expect(f32ToF16Bits(2 ** -25)).toBe(0); // half of the smallest subnormal: ties to even (0)
    expect(f32ToF16Bits(2 ** -25 * 1.5)).toBe(1);
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(2); // 1.5 subnormal steps: ties to even (2)
    expect(f32ToF16Bits(2 ** -14 - 2 ** -25)).toBe(0x0400); // rounds up into the smallest normal
    expect(f32ToF16Bits(-0)).toBe(0x8000);
    expect(f32ToF16Bits(-Infinity)).toBe(0xfc00);
    expect(f32ToF16Bits(NaN) & 0x7c00).toBe(0x7c00);
  });
});

describe('bf16', () => {
  it('keeps the top 16 bits with round-to-nearest-even and quiet NaN', () => {
    expect(f32ToBf16Bits(1)).toBe(0x3f80);
    expect(bf16BitsToF32(f32ToBf16Bits(Math.PI))).toBe(3.140625);
    expect(f32ToBf16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(f32ToBf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie → even (up)
    expect(f32ToBf16Bits(NaN)).toBe(0x7fc0 | 64);
    for (let h = 0; h < 65536; h += 7) {
      const v = bf16BitsToF32(h);
      if (!Number.isNaN(v)) expect(f32ToBf16Bits(v)).toBe(h);
    }
  });
});

describe('rounding helpers', () => {
  it('nearestInt rounds half to even like ggml, roundAwayFromZero like C roundf', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 3.49].map(nearestInt)).toEqual([0, 2, 2, 0, -2, 3]);
    expect([0.5, 1.5, 2.5, -0.5, -2.5, 3.49].map(roundAwayFromZero)).toEqual([1, 2, 3, -1, -3, 3]);
  });
});
