// The GGML tensor types a GGUF file may name, with their block geometry.
// ref: ENGINE-SPEC §3.1, §4 (ids and byte layouts follow ggml/include/ggml.h and ggml-common.h).

export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  IQ2_XXS = 16,
  IQ2_XS = 17,
  IQ3_XXS = 18,
  IQ1_S = 19,
  IQ4_NL = 20,
  IQ3_S = 21,
  IQ2_S = 22,
  IQ4_XS = 23,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  IQ1_M = 29,
  BF16 = 30,
  TQ1_0 = 34,
  TQ2_0 = 35,
  MXFP4 = 39,
}

export interface GgmlTypeInfo {
  readonly type: GgmlType;
  readonly name: string;
  /** Elements per block; a row length must be a multiple of it. */
  readonly blockSize: number;
  /** Bytes per block. */
  readonly typeSize: number;
}

const table: GgmlTypeInfo[] = [
  { type: GgmlType.F32, name: 'F32', blockSize: 1, typeSize: 4 },
  { type: GgmlType.F16, name: 'F16', blockSize: 1, typeSize: 2 },
  { type: GgmlType.Q4_0, name: 'Q4_0', blockSize: 32, typeSize: 18 },
  { type: GgmlType.Q4_1, name: 'Q4_1', blockSize: 32, typeSize: 20 },
  { type: GgmlType.Q5_0, name: 'Q5_0', blockSize: 32, typeSize: 22 },
  { type: GgmlType.Q5_1, name: 'Q5_1', blockSize: 32, typeSize: 24 },
  { type: GgmlType.Q8_0, name: 'Q8_0', blockSize: 32, typeSize: 34 },
  { type: GgmlType.Q8_1, name: 'Q8_1', blockSize: 32, typeSize: 36 },
  { type: GgmlType.Q2_K, name: 'Q2_K', blockSize: 256, typeSize: 84 },
  { type: GgmlType.Q3_K, name: 'Q3_K', blockSize: 256, typeSize: 110 },
  { type: GgmlType.Q4_K, name: 'Q4_K', blockSize: 256, typeSize: 144 },
  { type: GgmlType.Q5_K, name: 'Q5_K', blockSize: 256, typeSize: 176 },
  { type: GgmlType.Q6_K, name: 'Q6_K', blockSize: 256, typeSize: 210 },
  { type: GgmlType.Q8_K, name: 'Q8_K', blockSize: 256, typeSize: 292 },
  { type: GgmlType.IQ2_XXS, name: 'IQ2_XXS', blockSize: 256, typeSize: 66 },
  { type: GgmlType.IQ2_XS, name: 'IQ2_XS', blockSize: 256, typeSize: 74 },
  { type: GgmlType.IQ3_XXS, name: 'IQ3_XXS', blockSize: 256, typeSize: 98 },
  { type: GgmlType.IQ1_S, name: 'IQ1_S', blockSize: 256, typeSize: 50 },
  { type: GgmlType.IQ4_NL, name: 'IQ4_NL', blockSize: 32, typeSize: 18 },
  { type: GgmlType.IQ3_S, name: 'IQ3_S', blockSize: 256, typeSize: 110 },
  { type: GgmlType.IQ2_S, name: 'IQ2_S', blockSize: 256, typeSize: 82 },
  { type: GgmlType.IQ4_XS, name: 'IQ4_XS', blockSize: 256, typeSize: 136 },
  { type: GgmlType.I8, name: 'I8', blockSize: 1, typeSize: 1 },
  { type: GgmlType.I16, name: 'I16', blockSize: 1, typeSize: 2 },
  { type: GgmlType.I32, name: 'I32', blockSize: 1, typeSize: 4 },
  { type: GgmlType.I64, name: 'I64', blockSize: 1, typeSize: 8 },
  { type: GgmlType.F64, name: 'F64', blockSize: 1, typeSize: 8 },
  { type: GgmlType.IQ1_M, name: 'IQ1_M', blockSize: 256, typeSize: 56 },
  { type: GgmlType.BF16, name: 'BF16', blockSize: 1, typeSize: 2 },
  { type: GgmlType.TQ1_0, name: 'TQ1_0', blockSize: 256, typeSize: 54 },
  { type: GgmlType.TQ2_0, name: 'TQ2_0', blockSize: 256, typeSize: 66 },
  { type: GgmlType.MXFP4, name: 'MXFP4', blockSize: 32, typeSize: 17 },
];

const byId = new Map<number, GgmlTypeInfo>(table.map((info) => [info.type, info]));
const byName = new Map<string, GgmlTypeInfo>(table.map((info) => [info.name.toLowerCase(), info]));

/** Geometry of a type id, or undefined when the id is not a GGML type this build knows. */
export function ggmlTypeInfo(type: number): GgmlTypeInfo | undefined {
  return byId.get(type);
}

export function ggmlTypeByName(name: string): GgmlTypeInfo | undefined {
  return byName.get(name.toLowerCase());
}

export function ggmlTypeName(type: number): string {
  return byId.get(type)?.name ?? `unknown(${type})`;
}

export function allGgmlTypes(): readonly GgmlTypeInfo[] {
  return table;
}

/** Bytes taken by one row of `rowLength` elements (rowLength must be a multiple of the block size). */
export function rowBytes(type: GgmlType, rowLength: number): number {
  const info = byId.get(type);
  if (!info) throw new RangeError(`unknown GGML type ${type}`);
  if (rowLength % info.blockSize !== 0) {
    throw new RangeError(`${info.name} rows must be a multiple of ${info.blockSize} elements, got ${rowLength}`);
  }
  return (rowLength / info.blockSize) * info.typeSize;
}
