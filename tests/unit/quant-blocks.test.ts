// Blocks assembled byte by byte from the layouts in ENGINE-SPEC §4, with expected values worked out by hand.
import { describe, expect, it } from 'vitest';
import { GgmlType, dequantizeToFloats } from '../../engine/quant/index.js';

const le16 = (v: number): number[] => [v & 0xff, v >> 8];
const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const nibbles = range(16, (j) => j | ((15 - j) << 4)); // low nibble j, high nibble 15 − j

/** The 12 packed Q4_K/Q5_K scale bytes for 6-bit scales sc[0..7] and mins m[0..7] (ENGINE-SPEC §4.3). */
function packScalesK4(sc: number[], m: number[]): number[] {
  const out = new Array<number>(12).fill(0);
  for (let j = 0; j < 4; j++) {
    out[j] = sc[j]! | ((sc[j + 4]! >> 4) << 6);
    out[j + 4] = m[j]! | ((m[j + 4]! >> 4) << 6);
    out[j + 8] = (sc[j + 4]! & 0xf) | ((m[j + 4]! & 0xf) << 4);
  }
  return out;
}
const SC = [1, 2, 3, 4, 17, 33, 50, 63];
const MINS = [0, 5, 10, 63, 16, 20, 40, 7];

describe('hand-built blocks', () => {
  it('packs the Q4_K scales as worked out by hand', () => {
    expect(packScalesK4(SC, MINS)).toEqual([65, 130, 195, 196, 64, 69, 138, 63, 1, 65, 130, 127]);
  });

  it('F16 and BF16', () => {
    const f16 = new Uint8Array([...le16(0x3c00), ...le16(0xc000), ...le16(0x7bff), ...le16(0x0001), ...le16(0x7c00), ...le16(0x8000)]);
    expect(Array.from(dequantizeToFloats(GgmlType.F16, f16, 6))).toEqual([1, -2, 65504, 2 ** -24, Infinity, -0]);
    const bf16 = new Uint8Array([...le16(0x3f80), ...le16(0xc049), ...le16(0x7f80)]);
    expect(Array.from(dequantizeToFloats(GgmlType.BF16, bf16, 3))).toEqual([1, -3.140625, Infinity]);
  });

  it('Q4_0: d = 0.5, (nibble − 8)·d, low nibbles first', () => {
    const y = dequantizeToFloats(GgmlType.Q4_0, new Uint8Array([...le16(0x3800), ...nibbles]), 32);
    expect(y[0]).toBe(-4); // (0 − 8)·0.5
    expect(y[15]).toBe(3.5); // (15 − 8)·0.5
    expect(y[16]).toBe(3.5); // high nibble of qs[0] is 15
    expect(y[31]).toBe(-4);
    expect(Array.from(y)).toEqual([...range(16, (j) => (j - 8) * 0.5), ...range(16, (j) => (7 - j) * 0.5)]);
  });

  it('Q4_1: d = 0.25, m = −1, nibble·d + m', () => {
    const y = dequantizeToFloats(GgmlType.Q4_1, new Uint8Array([...le16(0x3400), ...le16(0xbc00), ...nibbles]), 32);
    expect(y[0]).toBe(-1);
    expect(y[16]).toBe(2.75); // 15·0.25 − 1
    expect(Array.from(y)).toEqual([...range(16, (j) => j * 0.25 - 1), ...range(16, (j) => (15 - j) * 0.25 - 1)]);
  });

  it('Q5_0: fifth bits from qh (element 24 and 0–15 set), (q − 16)·d', () => {
    const qs = range(16, (j) => j | (j << 4));
    const y = dequantizeToFloats(GgmlType.Q5_0, new Uint8Array([...le16(0x3c00), 0xff, 0xff, 0x00, 0x01, ...qs]), 32);
    expect(y[3]).toBe(3); // (3 | 16) − 16
    expect(y[19]).toBe(-13); // 3 − 16
    expect(y[24]).toBe(8); // (8 | 16) − 16: bit 24 of qh
    expect(Array.from(y)).toEqual([...range(16, (j) => j), ...range(16, (j) => (j === 8 ? 8 : j - 16))]);
  });

  it('Q5_1: d = 0.5, m = 2, fifth bits for elements 0 and 31', () => {
    const y = dequantizeToFloats(GgmlType.Q5_1, new Uint8Array([...le16(0x3800), ...le16(0x4000), 0x01, 0, 0, 0x80, ...nibbles]), 32);
    expect(y[0]).toBe(10); // 16·0.5 + 2
    expect(y[1]).toBe(2.5);
    expect(y[16]).toBe(9.5); // 15·0.5 + 2
    expect(y[31]).toBe(10); // (0 | 16)·0.5 + 2
  });

  it('Q8_0: d = 0.125, signed bytes', () => {
    const qs = range(32, (j) => (j - 16) & 0xff);
    qs[0] = 0x80; // −128
    const y = dequantizeToFloats(GgmlType.Q8_0, new Uint8Array([...le16(0x3000), ...qs]), 32);
    expect(y[0]).toBe(-16);
    expect(y[1]).toBe(-1.875);
    expect(y[16]).toBe(0);
    expect(y[31]).toBe(1.875);
  });

  it('Q4_K: d = 2, dmin = 1, packed 6-bit scales and mins, y = d·sc·q − dmin·m', () => {
    const qs = range(128, (i) => (i % 16) | ((15 - (i % 16)) << 4));
    const y = dequantizeToFloats(GgmlType.Q4_K, new Uint8Array([...le16(0x4000), ...le16(0x3c00), ...packScalesK4(SC, MINS), ...qs]), 256);
    expect(y[0]).toBe(0); // sub-block 0, q 0
    expect(y[5]).toBe(10); // 2·1·5 − 0
    expect(y[40]).toBe(23); // sub-block 1 (high nibbles of chunk 0), q = 15 − 8: 2·2·7 − 5
    expect(y[100]).toBe(25); // sub-block 3, q = 11: 2·4·11 − 63
    expect(y[130]).toBe(52); // sub-block 4 (scale 17 uses the packed high bits): 2·17·2 − 16
    expect(y[200]).toBe(760); // sub-block 6: 2·50·8 − 40
    expect(y[255]).toBe(-7); // sub-block 7, q 0: −7
  });

  it('Q5_K: qh adds 16 to the low sub-blocks of chunks 0 and 1', () => {
    const qs = range(128, (i) => (i % 16) | ((15 - (i % 16)) << 4));
    const qh = range(32, () => 0x05);
    const y = dequantizeToFloats(GgmlType.Q5_K, new Uint8Array([...le16(0x3c00), ...le16(0x3800), ...packScalesK4(SC, MINS), ...qh, ...qs]), 256);
    expect(y[0]).toBe(16); // (0 + 16)·1 − 0
    expect(y[40]).toBe(11.5); // 2·7 − 0.5·5
    expect(y[70]).toBe(61); // 3·(6 + 16) − 0.5·10
    expect(y[200]).toBe(380); // 50·8 − 0.5·40
  });

  it('Q6_K: d last, signed scales, ql low nibbles + qh pairs of bits', () => {
    const ql = range(128, (i) => i);
    const qh = range(64, () => 0xe4); // bit pairs 0, 1, 2, 3
    const scales = range(16, (i) => (i - 8) & 0xff);
    const y = dequantizeToFloats(GgmlType.Q6_K, new Uint8Array([...ql, ...qh, ...scales, ...le16(0x3800)]), 256);
    expect(y[0]).toBe(128); // q1 = 0 − 32, sc −8: 0.5·−8·−32
    expect(y[33]).toBe(45); // q2 = (1 | 16) − 32 = −15, sc[2] = −6
    expect(y[70]).toBe(-0); // q3 = (0 | 32) − 32 = 0
    expect(y[127]).toBe(-9.5); // q4 = (3 | 48) − 32 = 19, sc[7] = −1
    expect(y[145]).toBe(-15.5); // second half: q1 = (81 & 15) − 32 = −31, sc[9] = 1
    expect(y[228]).toBe(66); // second half: q4 = (100 >> 4 | 48) − 32 = 22, sc[14] = 6
  });

  it('Q8_K: f32 d, signed bytes', () => {
    const block = new Uint8Array(292);
    new DataView(block.buffer).setFloat32(0, 0.25, true);
    for (let j = 0; j < 256; j++) block[4 + j] = (j - 128) & 0xff;
    const y = dequantizeToFloats(GgmlType.Q8_K, block, 256);
    expect(y[0]).toBe(-32);
    expect(y[128]).toBe(0);
    expect(y[255]).toBe(31.75);
  });
});
