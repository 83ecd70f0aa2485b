// Typed access to metadata values with errors that say which key was wrong and how.
import { GgufFormatError } from '../errors.js';
import { type GgufArray, type GgufMetadata, GgufType, type GgufValue, ggufTypeName } from './value.js';

function missing(key: string, expected: string): GgufFormatError {
  return new GgufFormatError('bad-metadata-type', `metadata "${key}" is missing`, expected, 'nothing', -1);
}

function wrongType(key: string, expected: string, v: GgufValue): GgufFormatError {
  return new GgufFormatError('bad-metadata-type', `metadata "${key}" has the wrong type`, expected, ggufTypeName(v.type), -1);
}

const INTEGER_TYPES = new Set([GgufType.UINT8, GgufType.INT8, GgufType.UINT16, GgufType.INT16, GgufType.UINT32, GgufType.INT32, GgufType.UINT64, GgufType.INT64]);

export function getString(md: GgufMetadata, key: string): string | undefined {
  const v = md.get(key);
  if (!v) return undefined;
  if (v.type !== GgufType.STRING) throw wrongType(key, 'string', v);
  return v.value;
}

/** Any integer type, returned as a number (GGUF writers disagree on u32 vs i32 vs u64 for counts). */
export function getInteger(md: GgufMetadata, key: string): number | undefined {
  const v = md.get(key);
  if (!v) return undefined;
  if (!INTEGER_TYPES.has(v.type)) throw wrongType(key, 'an integer', v);
  return Number(v.value);
}

export function getFloat(md: GgufMetadata, key: string): number | undefined {
  const v = md.get(key);
  if (!v) return undefined;
  if (v.type === GgufType.FLOAT32 || v.type === GgufType.FLOAT64) return v.value;
  if (INTEGER_TYPES.has(v.type)) return Number(v.value);
  throw wrongType(key, 'a number', v);
}

export function getBool(md: GgufMetadata, key: string): boolean | undefined {
  const v = md.get(key);
  if (!v) return undefined;
  if (v.type !== GgufType.BOOL) throw wrongType(key, 'bool', v);
  return v.value;
}

export function getArray(md: GgufMetadata, key: string): GgufArray | undefined {
  const v = md.get(key);
  if (!v) return undefined;
  if (v.type !== GgufType.ARRAY) throw wrongType(key, 'array', v);
  return v.value;
}

export function requireString(md: GgufMetadata, key: string): string {
  const v = getString(md, key);
  if (v === undefined) throw missing(key, 'a string');
  return v;
}

export function requireInteger(md: GgufMetadata, key: string): number {
  const v = getInteger(md, key);
  if (v === undefined) throw missing(key, 'an integer');
  return v;
}
