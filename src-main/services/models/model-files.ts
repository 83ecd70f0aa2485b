// What a model entry's files are, read from their headers: the text model's configuration and weight bytes, the
// projector's configuration and bytes — each file validated as the engine would load it (GGUF structure, tensor
// bounds, Gemma 3 keys, computable types), and the projector checked to belong to the model.
import { statSync } from 'node:fs';
import { assertComputable } from '../../../engine/backend/compute-types.js';
import { readGgufFile } from '../../../engine/gguf/index.js';
import { type Gemma3Config, readGemma3Config } from '../../../engine/model/config.js';
import { type VisionConfig, checkProjectorFitsModel, readVisionConfig } from '../../../engine/vision/index.js';

export interface ModelFiles {
  config: Gemma3Config;
  /** Bytes of all tensors (what the weights take in memory, mapped). */
  weightBytes: number;
  fileBytes: number;
  vision?: { config: VisionConfig; weightBytes: number; fileBytes: number };
}

export function inspectModelFiles(modelPath: string, mmprojPath?: string | null): ModelFiles {
  const file = readGgufFile(modelPath);
  const config = readGemma3Config(file.metadata);
  for (const t of file.tensors) assertComputable(t.name, t.type);
  const out: ModelFiles = { config, weightBytes: file.tensors.reduce((n, t) => n + t.nbytes, 0), fileBytes: statSync(modelPath).size };
  if (mmprojPath) {
    const mm = readGgufFile(mmprojPath);
    const vision = readVisionConfig(mm.metadata);
    checkProjectorFitsModel(vision, config);
    out.vision = { config: vision, weightBytes: mm.tensors.reduce((n, t) => n + t.nbytes, 0), fileBytes: statSync(mmprojPath).size };
  }
  return out;
}
