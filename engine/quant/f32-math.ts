// Helpers that make JavaScript doubles behave like the C `float` arithmetic of ggml's reference code.

export const f32 = Math.fround;

const MAGIC = 12582912; // 1.5 · 2^23: adding it in f32 rounds to an integer, ties to even

/** ggml's nearest_int: round half to even via the 1.5·2^23 trick (valid for |x| ≤ 4194303). */
export function nearestInt(x: number): number {
  return Math.fround(Math.fround(x) + MAGIC) - MAGIC;
}

/** C roundf: ties away from zero. */
export function roundAwayFromZero(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}
