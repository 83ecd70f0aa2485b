// Elementwise and row operations, in the f32 arithmetic order of ggml-cpu (ENGINE-SPEC §2.3, §2.4, §2.6).
import { F16_TO_F32, f32ToF16Bits } from '../../quant/index.js';

const f32 = Math.fround;

/** ggml rms_norm then mul: sum of squares in double, scale = 1/sqrtf(mean + eps) in f32, y = (x·scale)·w. */
export function rmsNorm(x: Float32Array, rowLength: number, weight: Float32Array, eps: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += rowLength) {
    let sum = 0;
    for (let i = 0; i < rowLength; i++) sum += x[o + i]! * x[o + i]!;
    const mean = f32(sum / rowLength);
    const scale = f32(1 / f32(Math.sqrt(f32(mean + eps))));
    for (let i = 0; i < rowLength; i++) out[o + i] = f32(x[o + i]! * scale) * weight[i]!;
  }
  return out;
}

/**
 * ggml norm then mul and add (the SigLIP LayerNorm, ENGINE-SPEC §6.2): the mean from a double sum, rounded to f32;
 * y = x − mean; the variance Σy²/n in double; scale = 1/sqrtf(var + eps) in f32; out = (y·scale)·w + b.
 */
export function layerNorm(x: Float32Array, rowLength: number, weight: Float32Array, bias: Float32Array, eps: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += rowLength) {
    let sum = 0;
    for (let i = 0; i < rowLength; i++) sum += x[o + i]!;
    const mean = f32(sum / rowLength);
    let variance = 0;
    for (let i = 0; i < rowLength; i++) {
      const y = f32(x[o + i]! - mean);
      variance += y * y;
    }
    const scale = f32(1 / f32(Math.sqrt(f32(f32(variance / rowLength) + eps))));
    for (let i = 0; i < rowLength; i++) out[o + i] = f32(f32(f32(x[o + i]! - mean) * scale) * weight[i]!) + bias[i]!;
  }
  return out;
}

/**
 * NeoX RoPE: element i pairs with i + headDim/2. Angles as ggml_rope_cache_init builds them: θ starts at the
 * position and is multiplied by theta_scale = base^(−2/headDim) once per pair (a running f32 product).
 */
export function rope(x: Float32Array, n: number, nHeads: number, headDim: number, positions: Int32Array, base: number, freqScale: number): void {
  const half = headDim / 2;
  const thetaScale = f32(Math.pow(base, -2 / headDim));
  const cos = new Float32Array(half);
  const sin = new Float32Array(half);
  for (let t = 0; t < n; t++) {
    let theta = f32(positions[t]!);
    for (let i = 0; i < half; i++) {
      const angle = f32(freqScale * theta);
      cos[i] = Math.cos(angle);
      sin[i] = Math.sin(angle);
      theta = f32(theta * thetaScale);
    }
    for (let h = 0; h < nHeads; h++) {
      const o = (t * nHeads + h) * headDim;
      for (let i = 0; i < half; i++) {
        const x0 = x[o + i]!;
        const x1 = x[o + i + half]!;
        x[o + i] = f32(x0 * cos[i]!) - f32(x1 * sin[i]!);
        x[o + i + half] = f32(x0 * sin[i]!) + f32(x1 * cos[i]!);
      }
    }
  }
}

const SQRT_2_OVER_PI = f32(0.7978845608028654); // √(2/π)
const GELU_COEF_A = f32(0.044715);

function geluF32(x: number): number {
  return f32(f32(0.5 * x) * f32(1 + f32(Math.tanh(f32(f32(SQRT_2_OVER_PI * x) * f32(1 + f32(f32(GELU_COEF_A * x) * x)))))));
}

/** ggml's CPU GELU: the input rounded to f16 indexes a table of f16-rounded results; saturates outside ±10. */
const GELU_TABLE = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = F16_TO_F32[f32ToF16Bits(geluF32(F16_TO_F32[h]!))]!;
  return table;
})();

export function gelu(x: number): number {
  if (x <= -10) return 0;
  if (x >= 10) return x;
  return GELU_TABLE[f32ToF16Bits(x)]!;
}

export function geluInPlace(x: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] = gelu(x[i]!);
}

export function geglu(gate: Float32Array, up: Float32Array): Float32Array {
  const out = new Float32Array(gate.length);
  for (let i = 0; i < gate.length; i++) out[i] = gelu(gate[i]!) * up[i]!;
  return out;
}

export function addInPlace(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! + b[i]!;
}

/** Adds `bias` to every row of x (rows of bias.length values). */
export function addRowsInPlace(x: Float32Array, bias: Float32Array): void {
  for (let o = 0; o < x.length; o += bias.length) {
    for (let i = 0; i < bias.length; i++) x[o + i] = x[o + i]! + bias[i]!;
  }
}

export function scaleInPlace(a: Float32Array, s: number): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * s;
}
