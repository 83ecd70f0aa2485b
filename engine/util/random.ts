// Deterministic pseudo-random numbers for synthetic weights: sfc32, seeded from a number and a label, so each
// tensor's values depend only on (seed, tensor name) and not on the order tensors are generated in.

export function hashLabel(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0; // FNV-1a over the label, mixed with the seed
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, label = '') {
    this.a = hashLabel(seed, label);
    this.b = hashLabel(seed ^ 0x9e3779b9, label);
    this.c = hashLabel(seed ^ 0x85ebca6b, label);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [−1, 1). */
  nextSigned(): number {
    return this.nextUint32() / 2147483648 - 1;
  }

  /** Fills `out` with uniform values in [−amplitude, amplitude) plus `center` (the same stream as nextSigned). */
  fillUniform(out: Float32Array, amplitude: number, center = 0): void {
    // The generator is inlined on local variables: this loop makes every synthetic weight, so it must be fast.
    let a = this.a, b = this.b, c = this.c, d = this.d;
    const scale = amplitude / 2147483648;
    const offset = center - amplitude;
    for (let i = 0; i < out.length; i++) {
      const t = (a + b + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = (((c << 21) | (c >>> 11)) + t) >>> 0;
      out[i] = offset + scale * t;
    }
    this.a = a; this.b = b; this.c = c; this.d = d;
  }
}
