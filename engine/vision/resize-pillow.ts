// Pillow's BILINEAR resize (what Hugging Face's Gemma 3 processor uses, and so Pan & Scan): a separable triangle
// filter whose support widens by the scale when shrinking (it antialiases), coefficients normalized then held in
// 22-bit fixed point, horizontal pass then vertical, each rounded to uint8. Written from Pillow's documented
// algorithm (libImaging/Resample.c: precompute_coeffs, normalize_coeffs_8bpc).
import type { RgbImage } from './preprocess.js';

const PRECISION_BITS = 32 - 8 - 2;

interface Coefficients {
  /** First input index and weights per output index. */
  start: Int32Array;
  weights: Int32Array[];
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 1 * filterScale;  // the bilinear (triangle) filter reaches 1 input pixel at scale 1
  const start = new Int32Array(outSize);
  const weights: Int32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const first = Math.max(Math.trunc(center - support + 0.5), 0);
    const last = Math.min(Math.trunc(center + support + 0.5), inSize);
    const raw: number[] = [];
    let total = 0;
    for (let i = first; i < last; i++) {
      const t = Math.abs((i - center + 0.5) / filterScale);
      const w = t < 1 ? 1 - t : 0;
      raw.push(w);
      total += w;
    }
    start[o] = first;
    weights.push(Int32Array.from(raw, (w) => {
      const k = (total !== 0 ? w / total : 0) * (1 << PRECISION_BITS);
      return k < 0 ? Math.trunc(k - 0.5) : Math.trunc(k + 0.5);
    }));
  }
  return { start, weights };
}

function pass(src: Uint8Array, width: number, height: number, outSize: number, horizontal: boolean): Uint8Array {
  const inSize = horizontal ? width : height;
  const { start, weights } = coefficients(inSize, outSize);
  const outW = horizontal ? outSize : width;
  const outH = horizontal ? height : outSize;
  const dst = new Uint8Array(outW * outH * 3);
  const half = 1 << (PRECISION_BITS - 1);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const o = horizontal ? x : y;
      const w = weights[o]!;
      for (let c = 0; c < 3; c++) {
        let acc = half;
        for (let i = 0; i < w.length; i++) {
          const k = start[o]! + i;
          acc += src[(horizontal ? y * width + k : k * width + x) * 3 + c]! * w[i]!;
        }
        dst[(y * outW + x) * 3 + c] = Math.min(255, Math.max(0, Math.floor(acc / (1 << PRECISION_BITS))));
      }
    }
  }
  return dst;
}

/** Stretches an image to width × height (the aspect ratio is not kept), as PIL's Image.resize(BILINEAR). */
export function resizePillowBilinear(image: RgbImage, width: number, height: number): RgbImage {
  let rgb = image.rgb;
  let w = image.width;
  if (width !== image.width) {
    rgb = pass(rgb, image.width, image.height, width, true);
    w = width;
  }
  if (height !== image.height) rgb = pass(rgb, w, image.height, height, false);
  return { width, height, rgb: rgb === image.rgb ? image.rgb.slice() : rgb };
}

/** The pixels of one rectangle of an image. */
export function cropImage(image: RgbImage, box: { x: number; y: number; width: number; height: number }): RgbImage {
  const rgb = new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * image.width + box.x) * 3;
    rgb.set(image.rgb.subarray(from, from + box.width * 3), y * box.width * 3);
  }
  return { width: box.width, height: box.height, rgb };
}
