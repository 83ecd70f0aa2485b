// A prompt whose text carries <start_of_image> markers, with one image's embeddings per marker, laid out as
// llama.cpp's mtmd does (ENGINE-SPEC §6.5): the text up to and including <start_of_image>, then the image's rows as
// one bidirectional block, then <end_of_image> and the text that follows. No "\n\n" is added around the image.
import type { Vocabulary } from '../tokenizer/index.js';
import type { Session } from './session.js';

/**
 * Feeds everything but the last text segment into the session and returns that segment (it starts with
 * <end_of_image> when an image comes last), for Session.generate to evaluate and continue from.
 */
export function feedImagePrompt(session: Session, vocab: Vocabulary, tokens: number[], images: Float32Array[]): number[] {
  const soi = vocab.textToId.get('<start_of_image>');
  const eoi = vocab.textToId.get('<end_of_image>');
  const markers = soi === undefined ? 0 : tokens.filter((t) => t === soi).length;
  if (markers !== images.length) {
    throw new RangeError(`the prompt has ${markers} <start_of_image> markers for ${images.length} images`);
  }
  if (images.length > 0 && eoi === undefined) throw new RangeError('this model\'s vocabulary has no <end_of_image> token');
  let rest = tokens;
  for (const image of images) {
    const at = rest.indexOf(soi!);
    session.evaluate(rest.slice(0, at + 1));
    session.evaluateImage(image);
    rest = [eoi!, ...rest.slice(at + 1)];
  }
  return rest;
}
