// `quire embed-image`: runs an image through a vision projector and writes its image tokens as a blob the store
// can cache (engine/vision/image-blob.ts), timing each stage.
import { writeFileSync } from 'node:fs';
import { chooseBackend } from '../../../engine/runtime/index.js';
import { encodeImageBlob, loadVisionModel } from '../../../engine/vision/index.js';
import { decodeImage } from '../../vision/decode-image.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadFromFlags } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire embed-image --mmproj FILE IMAGE -o OUT [--threads N] [--backend native|reference] [--json]

Decodes IMAGE (PNG, JPEG, WebP, TIFF, GIF, AVIF; EXIF orientation applied, transparency on white), letterboxes it
to the projector's input as llama.cpp does, encodes it with the vision projector (a Gemma 3 "mmproj" GGUF) and
writes the image tokens to OUT: a blob of 256 f16 vectors of the text model's width, tied to this projector.`;

export const embedImageCommand: Command = {
  name: 'embed-image',
  summary: 'encode an image into image tokens with a vision projector',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      mmproj: { type: 'string' }, out: { type: 'string', short: 'o' }, threads: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
    });
    if (!values.mmproj) throw new UsageError('--mmproj FILE is required');
    if (!values.out) throw new UsageError('-o OUT is required');
    if (positionals.length !== 1) throw new UsageError('give exactly one IMAGE');
    const t0 = performance.now();
    const vision = loadVisionModel(values.mmproj, chooseBackend(loadFromFlags(values)));
    const t1 = performance.now();
    const image = await decodeImage(positionals[0]!);
    const t2 = performance.now();
    const embeddings = vision.encode(image);
    const t3 = performance.now();
    const { tokensPerImage: rows, projectionDim: width } = vision.config;
    writeFileSync(values.out, encodeImageBlob({ rows, width, fingerprint: vision.fingerprint, embeddings }));
    const timing = { load_s: (t1 - t0) / 1000, decode_s: (t2 - t1) / 1000, encode_s: (t3 - t2) / 1000 };
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ out: values.out, image: { width: image.width, height: image.height }, rows, width, fingerprint: vision.fingerprint, ...timing })}\n`);
      return;
    }
    process.stdout.write(`wrote ${values.out}: ${rows} image tokens × ${width} from a ${image.width}×${image.height} image ` +
      `(decode ${timing.decode_s.toFixed(2)} s, encode ${timing.encode_s.toFixed(2)} s on the ${vision.backend.name} backend)\n`);
  },
};
