// Memory a model entry needs at a context size — mapped weights, the KV cache (Gemma 3's hybrid layout), the vision
// encoder's weights and working buffers — against the memory this machine has free, and the largest context
// (a multiple of 1024 up to the trained context) that fits.
import { freemem } from 'node:os';
import { readFileSync } from 'node:fs';
import { type KvCacheType, kvMemory } from '../../../engine/model/kv-cache.js';
import type { ModelFiles } from './model-files.js';

export interface MemoryEstimate {
  contextSize: number;
  weightBytes: number;
  kvBytes: number;
  visionBytes: number;
  /** Runtime buffers: activations of a prompt batch and the process itself (a fixed allowance). */
  overheadBytes: number;
  totalBytes: number;
  availableBytes: number;
  fits: boolean;
  /** The largest context that fits in availableBytes, or 0 when not even 1024 tokens do. */
  largestFittingContext: number;
}

const PROCESS_ALLOWANCE = 256 << 20;

/** MemAvailable on Linux (free plus what the kernel can reclaim), else the OS's free memory. */
export function availableMemory(): number {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return freemem();
}

/** The SigLIP encoder's largest live buffers for one image: the MLP activations and a few width-wide copies. */
function visionWorkspace(files: ModelFiles): number {
  if (!files.vision) return 0;
  const v = files.vision.config;
  const patches = (v.imageSize / v.patchSize) ** 2;
  return 4 * patches * (v.ffWidth + 8 * v.width);
}

export function estimateMemory(files: ModelFiles, contextSize: number, options: { kvType?: KvCacheType; batchSize?: number; available?: number } = {}): MemoryEstimate {
  const batch = options.batchSize ?? 512;
  const kvType = options.kvType ?? 'f16';
  const c = files.config;
  const activations = 4 * batch * (4 * c.nEmbd + 2 * c.nFf + c.nHead * c.headDim) + 4 * c.nVocab;
  const visionBytes = files.vision ? files.vision.weightBytes + visionWorkspace(files) : 0;
  const fixed = files.weightBytes + visionBytes + activations + PROCESS_ALLOWANCE;
  const kvAt = (ctx: number): number => kvMemory(c, ctx, Math.min(batch, ctx), kvType).totalBytes;
  const availableBytes = options.available ?? availableMemory();
  let largest = 0;
  for (let ctx = 1024; ctx <= c.contextLength; ctx += 1024) {
    if (fixed + kvAt(ctx) <= availableBytes) largest = ctx;
    else break;
  }
  if (largest === 0 && c.contextLength < 1024 && fixed + kvAt(c.contextLength) <= availableBytes) largest = c.contextLength;
  const kvBytes = kvAt(contextSize);
  return {
    contextSize, weightBytes: files.weightBytes, kvBytes, visionBytes, overheadBytes: activations + PROCESS_ALLOWANCE,
    totalBytes: fixed + kvBytes, availableBytes, fits: fixed + kvBytes <= availableBytes, largestFittingContext: largest,
  };
}
