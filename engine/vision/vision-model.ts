// A loaded vision projector: its configuration, weights and fingerprint, and the one call that turns an image
// into the embeddings a session takes (preprocess → SigLIP → projector).
import type { Backend } from '../backend/backend.js';
import { readGguf } from '../gguf/index.js';
import { openModelFile } from '../backend/native/open-file.js';
import { type VisionConfig, readVisionConfig } from './config.js';
import { projectorFingerprint } from './image-blob.js';
import { type PanAndScanOptions, panAndScanCrops } from './pan-and-scan.js';
import { type RgbImage, preprocessImage } from './preprocess.js';
import { cropImage, resizePillowBilinear } from './resize-pillow.js';
import { encodeImage } from './siglip.js';
import { type VisionWeights, loadVisionWeights } from './weights.js';

export class VisionModel {
  constructor(readonly path: string, readonly config: VisionConfig, readonly weights: VisionWeights, readonly fingerprint: string, readonly backend: Backend) {}

  /** [tokensPerImage, projectionDim] embeddings, unscaled, for Session.evaluateImage (llama.cpp's letterbox). */
  encode(image: RgbImage): Float32Array {
    return encodeImage(preprocessImage(image, this.config), this.config, this.weights, this.backend);
  }

  /**
   * Pan & Scan as Hugging Face does it: the whole image and its crops (none when the image is not elongated enough),
   * each stretched to the input size with Pillow's bilinear resize, encoded one by one. Word the prompt with
   * panAndScanPrompt(crops).
   */
  encodePanAndScan(image: RgbImage, options: PanAndScanOptions = {}): { embeddings: Float32Array[]; crops: number } {
    const size = this.config.imageSize;
    const parts = [image, ...panAndScanCrops(image.width, image.height, options).map((box) => cropImage(image, box))];
    const embeddings = parts.map((part) => this.encode(resizePillowBilinear(part, size, size)));
    return { embeddings, crops: parts.length - 1 };
  }
}

export function loadVisionModel(path: string, backend: Backend): VisionModel {
  const source = openModelFile(path);
  try {
    const file = readGguf(source);
    const config = readVisionConfig(file.metadata);
    const weights = loadVisionWeights(file, source, config);
    for (const layer of weights.layers) for (const w of [layer.q, layer.k, layer.v, layer.out, layer.up, layer.down]) backend.prepareWeight?.(w);
    return new VisionModel(path, config, weights, projectorFingerprint(file, source), backend);
  } finally {
    source.close();
  }
}
