// A figure's image tokens: from the SQLite cache when this projector has seen the crop before, otherwise the crop is
// decoded and encoded by the engine (SigLIP + projector) once and cached as f16 — asking again never re-runs the
// vision encoder.
import { F16_TO_F32, f32ToF16Bits } from '../../../engine/quant/index.js';
import { findImageTokens, saveImageTokens } from '../../store/image-tokens.js';
import type { Db } from '../../store/database.js';
import { decodeImage } from '../../vision/decode-image.js';
import type { EngineHost } from '../engine-host/index.js';

export interface FigureCrop {
  cropPng: Buffer | null;
  cropSha256: string | null;
}

export class FigureNotRenderedError extends Error {
  override readonly name = 'FigureNotRenderedError';
}

export interface Projector {
  fingerprint: string;
  tokensPerImage: number;
  /** Width of each token (the text model's embedding width). */
  width: number;
}

export async function figureTokens(db: Db, engine: EngineHost, figure: FigureCrop, projector: Projector): Promise<{ embeddings: Float32Array; cached: boolean }> {
  if (!figure.cropPng || !figure.cropSha256) throw new FigureNotRenderedError('this figure has no stored image (it could not be rendered at ingestion)');
  const hit = findImageTokens(db, figure.cropSha256, projector.fingerprint);
  if (hit && hit.dtype === 'f16' && hit.nTokens === projector.tokensPerImage && hit.dim === projector.width) {
    const bits = new Uint16Array(hit.data.buffer.slice(hit.data.byteOffset, hit.data.byteOffset + hit.data.byteLength));
    return { embeddings: Float32Array.from(bits, (b) => F16_TO_F32[b]!), cached: true };
  }
  const image = await decodeImage(figure.cropPng);
  const { embeddings: [embeddings], fingerprint } = await engine.request('embedImage', { image, panAndScan: false });
  if (fingerprint !== projector.fingerprint) throw new Error('the engine\'s projector changed while a figure was being encoded');
  const f16 = Uint16Array.from(embeddings!, f32ToF16Bits);
  saveImageTokens(db, {
    imageSha256: figure.cropSha256, projectorFingerprint: projector.fingerprint, nTokens: projector.tokensPerImage, dim: projector.width,
    dtype: 'f16', data: Buffer.from(f16.buffer),
  });
  // Stored at f16, used at f16: the answer does not depend on whether the tokens came from the cache.
  return { embeddings: Float32Array.from(f16, (b) => F16_TO_F32[b]!), cached: false };
}
