/** A prompt (plus what is already in the session) does not fit the context. Nothing is ever cut silently. */
export class ContextOverflowError extends Error {
  override readonly name = 'ContextOverflowError';
  constructor(readonly needed: number, readonly contextSize: number, readonly alreadyUsed: number) {
    super(`the prompt needs ${needed} tokens but the context holds ${contextSize} and ${alreadyUsed} are in use: ` +
      `${needed + alreadyUsed - contextSize} tokens too many. Use a larger context or a shorter prompt.`);
  }
}
