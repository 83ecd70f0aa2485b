// Any common image file → 8-bit RGB for the vision encoder, with sharp (libvips): PNG, JPEG, WebP, TIFF, GIF (first
// frame), AVIF/HEIF. EXIF orientation is applied; transparency is flattened onto white (figures cut from documents
// are drawn on white paper). Decoding is bounded: a file that would need more than `maxPixels` pixels is refused
// before it is decoded, so a hostile or huge image cannot exhaust memory.
import sharp from 'sharp';
import type { RgbImage } from '../../engine/vision/index.js';

export type ImageDecodeErrorCode = 'unreadable' | 'not-an-image' | 'too-large';

export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(readonly code: ImageDecodeErrorCode, message: string) {
    super(message);
  }
}

/** 100 megapixels: a 10,000 × 10,000 scan, well past any page or chart. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export async function decodeImage(input: string | Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): Promise<RgbImage> {
  const name = typeof input === 'string' ? input : 'the image';
  let metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/ENOENT|no such file|input file is missing/i.test(message)) throw new ImageDecodeError('unreadable', `cannot read ${name}: no such file`);
    throw new ImageDecodeError('not-an-image', `${name} is not an image Quire can read (PNG, JPEG, WebP, TIFF, GIF, AVIF): ${message}`);
  }
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  if (pixels > maxPixels) {
    throw new ImageDecodeError('too-large', `${name} is ${metadata.width}×${metadata.height} (${(pixels / 1e6).toFixed(0)} megapixels); the limit is ${(maxPixels / 1e6).toFixed(0)}`);
  }
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error', pages: 1 })
      .rotate()                                      // EXIF orientation
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw new ImageDecodeError('not-an-image', `${name} could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
