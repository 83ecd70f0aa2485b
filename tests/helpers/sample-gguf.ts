// A small GGUF that uses every metadata value type, nested arrays and a few tensor types: the seed for
// round-trip, hostile-input and fuzz tests.
import { type GgufMetadata, type GgufSpec, GgufType, gv, writeGgufToBuffer } from '../../engine/gguf/index.js';
import { GgmlType, quantizeToBytes } from '../../engine/quant/index.js';

export function sampleSpec(): GgufSpec {
  const md: GgufMetadata = new Map();
  md.set('general.architecture', gv.str('gemma3'));
  md.set('general.alignment', gv.u32(64));
  md.set('test.u8', gv.u8(200));
  md.set('test.i8', gv.i8(-100));
  md.set('test.u16', gv.u16(60000));
  md.set('test.i16', gv.i16(-30000));
  md.set('test.u32', gv.u32(4_000_000_000));
  md.set('test.i32', gv.i32(-2_000_000_000));
  md.set('test.f32', gv.f32(3.25));
  md.set('test.f64', gv.f64(Math.PI));
  md.set('test.u64', gv.u64(18_000_000_000_000_000_000n));
  md.set('test.i64', gv.i64(-9_000_000_000_000_000_000n));
  md.set('test.bool', gv.bool(true));
  md.set('test.string', gv.str('héllo ▁ wörld\n'));
  md.set('test.empty', gv.str(''));
  md.set('test.strings', gv.strings(['a', '', 'ünïcode', '<0x0A>']));
  md.set('test.f32s', gv.f32s(new Float32Array([1, -2.5, 1e-6])));
  md.set('test.bools', gv.array({ itemType: GgufType.BOOL, items: new Uint8Array([1, 0, 1]) }));
  md.set('test.u64s', gv.array({ itemType: GgufType.UINT64, items: new BigUint64Array([1n, 2n ** 63n]) }));
  md.set('test.nested', gv.array({
    itemType: GgufType.ARRAY,
    items: [
      { itemType: GgufType.INT16, items: new Int16Array([-1, 2]) },
      { itemType: GgufType.STRING, items: ['x', 'yz'] },
    ],
  }));
  const values = new Float32Array(64 * 4).map((_, i) => Math.sin(i));
  return {
    metadata: md,
    tensors: [
      { name: 'a.f32', type: GgmlType.F32, dims: [8, 2], data: quantizeToBytes(GgmlType.F32, values.subarray(0, 16)) },
      { name: 'b.q4_0', type: GgmlType.Q4_0, dims: [64, 4], data: quantizeToBytes(GgmlType.Q4_0, values) },
      { name: 'c.q8_0', type: GgmlType.Q8_0, dims: [32, 1, 1, 2], data: quantizeToBytes(GgmlType.Q8_0, values.subarray(0, 64)) },
      { name: 'd.f16', type: GgmlType.F16, dims: [3], data: quantizeToBytes(GgmlType.F16, values.subarray(0, 3)) },
    ],
  };
}

export function sampleGguf(): Uint8Array {
  return writeGgufToBuffer(sampleSpec());
}
