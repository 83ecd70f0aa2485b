// Image decoding for the vision path: every common format, EXIF orientation, transparency on white, and bounded,
// named failures for missing, malformed and oversized inputs.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ImageDecodeError, decodeImage } from '../../src-main/vision/decode-image.js';

const red = { r: 200, g: 10, b: 10 };

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof ImageDecodeError ? e.code : `other: ${String(e)}`;
  }
  return undefined;
}

describe('decodeImage', () => {
  it('reads PNG, JPEG, WebP, TIFF and GIF to 8-bit RGB of the right size', async () => {
    const base = sharp({ create: { width: 30, height: 20, channels: 3, background: red } });
    for (const format of ['png', 'jpeg', 'webp', 'tiff', 'gif'] as const) {
      const bytes = await base.clone().toFormat(format, format === 'webp' || format === 'jpeg' ? { quality: 100 } : {}).toBuffer();
      const image = await decodeImage(bytes);
      expect([image.width, image.height, image.rgb.length], format).toEqual([30, 20, 30 * 20 * 3]);
      expect(Math.abs(image.rgb[0]! - 200), format).toBeLessThan(12);
      expect(image.rgb[2], format).toBeLessThan(30);
    }
  });

  it('applies EXIF orientation and flattens transparency onto white', async () => {
    const rotated = await sharp({ create: { width: 30, height: 20, channels: 3, background: red } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeImage(rotated);
    expect([image.width, image.height]).toEqual([20, 30]);       // orientation 6: rotate 90°
    const clear = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    expect(Array.from((await decodeImage(clear)).rgb.subarray(0, 3))).toEqual([255, 255, 255]);
  });

  it('refuses missing, malformed and oversized images with a code, before decoding the pixels', async () => {
    expect(await codeOf(decodeImage('/nonexistent/image.png'))).toBe('unreadable');
    expect(await codeOf(decodeImage(new TextEncoder().encode('not an image at all')))).toBe('not-an-image');
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: red } }).png().toBuffer();
    expect(await codeOf(decodeImage(png.subarray(0, 40)))).toBe('not-an-image');        // truncated
    expect(await codeOf(decodeImage(png, 500))).toBe('too-large');
    await expect(decodeImage(png, 500)).rejects.toThrow(/30×20.*limit/);
  });
});
