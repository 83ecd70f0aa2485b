// GGUF metadata values, kept with their exact on-disk type so files round-trip bit for bit.
// ref: ENGINE-SPEC §3.1 (enum gguf_type)

export enum GgufType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

export type NumberType =
  | GgufType.UINT8 | GgufType.INT8 | GgufType.UINT16 | GgufType.INT16
  | GgufType.UINT32 | GgufType.INT32 | GgufType.FLOAT32 | GgufType.FLOAT64;
export type BigIntType = GgufType.UINT64 | GgufType.INT64;

export type GgufValue =
  | { type: NumberType; value: number }
  | { type: BigIntType; value: bigint }
  | { type: GgufType.BOOL; value: boolean }
  | { type: GgufType.STRING; value: string }
  | { type: GgufType.ARRAY; value: GgufArray };

export type NumericArray =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | Float32Array | Float64Array | BigUint64Array | BigInt64Array;

export type GgufArray =
  | { itemType: NumberType | BigIntType; items: NumericArray }
  | { itemType: GgufType.BOOL; items: Uint8Array }
  | { itemType: GgufType.STRING; items: string[] }
  | { itemType: GgufType.ARRAY; items: GgufArray[] };

export type GgufMetadata = Map<string, GgufValue>;

/** Bytes one element of a fixed-size type takes on disk (strings and arrays have no fixed size). */
export const FIXED_SIZE: Partial<Record<GgufType, number>> = {
  [GgufType.UINT8]: 1, [GgufType.INT8]: 1, [GgufType.BOOL]: 1,
  [GgufType.UINT16]: 2, [GgufType.INT16]: 2,
  [GgufType.UINT32]: 4, [GgufType.INT32]: 4, [GgufType.FLOAT32]: 4,
  [GgufType.UINT64]: 8, [GgufType.INT64]: 8, [GgufType.FLOAT64]: 8,
};

/** Smallest number of bytes an element of this type can occupy, used to reject absurd counts up front. */
export function minEncodedSize(type: GgufType): number {
  if (type === GgufType.STRING) return 8;
  if (type === GgufType.ARRAY) return 12;
  return FIXED_SIZE[type] ?? 1;
}

export function ggufTypeName(type: number): string {
  return GgufType[type]?.toLowerCase() ?? `unknown(${type})`;
}

/** Constructors that make metadata literals read well: `gv.u32(6)`, `gv.strings(tokens)`. */
export const gv = {
  u8: (value: number): GgufValue => ({ type: GgufType.UINT8, value }),
  i8: (value: number): GgufValue => ({ type: GgufType.INT8, value }),
  u16: (value: number): GgufValue => ({ type: GgufType.UINT16, value }),
  i16: (value: number): GgufValue => ({ type: GgufType.INT16, value }),
  u32: (value: number): GgufValue => ({ type: GgufType.UINT32, value }),
  i32: (value: number): GgufValue => ({ type: GgufType.INT32, value }),
  f32: (value: number): GgufValue => ({ type: GgufType.FLOAT32, value: Math.fround(value) }),
  f64: (value: number): GgufValue => ({ type: GgufType.FLOAT64, value }),
  u64: (value: bigint): GgufValue => ({ type: GgufType.UINT64, value }),
  i64: (value: bigint): GgufValue => ({ type: GgufType.INT64, value }),
  bool: (value: boolean): GgufValue => ({ type: GgufType.BOOL, value }),
  str: (value: string): GgufValue => ({ type: GgufType.STRING, value }),
  strings: (items: string[]): GgufValue => ({ type: GgufType.ARRAY, value: { itemType: GgufType.STRING, items } }),
  f32s: (items: Float32Array): GgufValue => ({ type: GgufType.ARRAY, value: { itemType: GgufType.FLOAT32, items } }),
  i32s: (items: Int32Array): GgufValue => ({ type: GgufType.ARRAY, value: { itemType: GgufType.INT32, items } }),
  u32s: (items: Uint32Array): GgufValue => ({ type: GgufType.ARRAY, value: { itemType: GgufType.UINT32, items } }),
  array: (value: GgufArray): GgufValue => ({ type: GgufType.ARRAY, value }),
};
