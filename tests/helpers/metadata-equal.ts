// Exact comparison of GGUF metadata that stays fast on 262,144-entry vocabularies (vitest's deep equality
// takes seconds there) and names the first differing key and element.
import { type GgufArray, type GgufMetadata, GgufType } from '../../engine/gguf/index.js';

function arrayDifference(a: GgufArray, b: GgufArray, path: string): string | undefined {
  if (a.itemType !== b.itemType) return `${path}: element type ${a.itemType} ≠ ${b.itemType}`;
  if (a.items.length !== b.items.length) return `${path}: length ${a.items.length} ≠ ${b.items.length}`;
  for (let i = 0; i < a.items.length; i++) {
    const x = a.items[i]!;
    const y = b.items[i]!;
    if (a.itemType === GgufType.ARRAY) {
      const d = arrayDifference(x as GgufArray, y as GgufArray, `${path}[${i}]`);
      if (d) return d;
    } else if (!Object.is(x, y)) {
      return `${path}[${i}]: ${JSON.stringify(String(x))} ≠ ${JSON.stringify(String(y))}`;
    }
  }
  return undefined;
}

/** undefined when equal, else a description of the first difference. */
export function metadataDifference(actual: GgufMetadata, expected: GgufMetadata): string | undefined {
  const keysA = [...actual.keys()];
  const keysB = [...expected.keys()];
  if (keysA.join('\n') !== keysB.join('\n')) return `keys differ: [${keysA.join(', ')}] ≠ [${keysB.join(', ')}]`;
  for (const key of keysA) {
    const a = actual.get(key)!;
    const b = expected.get(key)!;
    if (a.type !== b.type) return `${key}: type ${a.type} ≠ ${b.type}`;
    if (a.type === GgufType.ARRAY) {
      const d = arrayDifference(a.value, b.value as GgufArray, key);
      if (d) return d;
    } else if (!Object.is(a.value, b.value)) {
      return `${key}: ${String(a.value)} ≠ ${String(b.value)}`;
    }
  }
  return undefined;
}
