// Pan & Scan (ENGINE-SPEC §7): Hugging Face's Gemma3ImageProcessor splits a clearly wide or tall image into 2–4
// equal crops along its long side, each later stretched to 896×896 and encoded like the whole image. llama.cpp does
// not implement it; Quire offers it per request. The arithmetic follows HF exactly (Python's float division,
// floor(x + 0.5), ceil), including its quirk that the last crop can be narrower because slicing stops at the edge.

export interface PanAndScanOptions {
  /** Smallest crop side in pixels (HF default 256). */
  minCropSize?: number;
  /** At most this many crops (HF default 4). */
  maxCrops?: number;
  /** Long side / short side must reach this to crop at all (HF default 1.2). */
  minRatioToActivate?: number;
}

export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const PAN_AND_SCAN_DEFAULTS: Required<PanAndScanOptions> = { minCropSize: 256, maxCrops: 4, minRatioToActivate: 1.2 };

/** Crops along the long side in row-major order, or [] when the image is not elongated enough or crops would be too small. */
export function panAndScanCrops(width: number, height: number, options: PanAndScanOptions = {}): CropBox[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive whole pixels, got ${width}×${height}`);
  }
  const { minCropSize, maxCrops, minRatioToActivate } = { ...PAN_AND_SCAN_DEFAULTS, ...options };
  const wide = width >= height;
  const [long, short] = wide ? [width, height] : [height, width];
  if (long / short < minRatioToActivate) return [];
  // As many crops as the aspect ratio (rounded half up), no more than fit at the minimum size, then clamped to [2, max].
  let count = Math.floor(long / short + 0.5);
  count = Math.min(Math.floor(long / minCropSize), count);
  count = Math.min(maxCrops, Math.max(2, count));
  const [across, down] = wide ? [count, 1] : [1, count];
  const cropWidth = Math.ceil(width / across);
  const cropHeight = Math.ceil(height / down);
  if (Math.min(cropWidth, cropHeight) < minCropSize) return [];
  const crops: CropBox[] = [];
  for (let row = 0; row < down; row++) {
    for (let col = 0; col < across; col++) {
      const x = col * cropWidth;
      const y = row * cropHeight;
      crops.push({ x, y, width: Math.min(cropWidth, width - x), height: Math.min(cropHeight, height - y) });
    }
  }
  return crops;
}

/**
 * How a Pan & Scan image is worded in the prompt (HF `replace_image_token`): the original, then the crops, each an
 * image block of its own (index 0 = the original). Every image block is wrapped as "\n\n" + <start_of_image> + 256
 * soft tokens + <end_of_image> + "\n\n"; the text parts go between them.
 */
export type PromptPart = { text: string } | { image: number };

export function panAndScanPrompt(numCrops: number): PromptPart[] {
  if (numCrops === 0) return [{ image: 0 }];
  const parts: PromptPart[] = [{ text: 'Here is the original image ' }, { image: 0 }, { text: ' and here are some crops to help you see better ' }];
  for (let i = 1; i <= numCrops; i++) {
    if (i > 1) parts.push({ text: ' ' });
    parts.push({ image: i });
  }
  return parts;
}
