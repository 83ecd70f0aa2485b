// Typed errors the engine throws. Each names what was expected, what was found and, for file errors, where.
// They are converted to user-facing result envelopes at the IPC/HTTP/CLI boundary, never swallowed.

export type GgufErrorCode =
  | 'truncated'
  | 'bad-magic'
  | 'unsupported-version'
  | 'absurd-count'
  | 'string-too-long'
  | 'unknown-value-type'
  | 'nesting-too-deep'
  | 'duplicate-key'
  | 'bad-alignment'
  | 'bad-metadata-type'
  | 'bad-tensor-name'
  | 'duplicate-tensor'
  | 'bad-tensor-shape'
  | 'misaligned-tensor'
  | 'tensor-out-of-bounds'
  | 'tensor-overlap'
  | 'projector-mismatch';

/** The file is not a GGUF this engine can read safely. */
export class GgufFormatError extends Error {
  override readonly name: string = 'GgufFormatError';
  constructor(
    readonly code: GgufErrorCode | 'unknown-tensor-type',
    readonly what: string,
    readonly expected: string,
    readonly found: string,
    /** Byte offset in the file where the problem was found. */
    readonly offset: number,
  ) {
    super(`${what}: expected ${expected}, found ${found} (at byte ${offset})`);
  }
}

/** A tensor type id that this engine cannot read (unknown to GGML) or cannot compute with. */
export class UnsupportedTensorTypeError extends GgufFormatError {
  override readonly name = 'UnsupportedTensorTypeError';
  constructor(
    readonly tensorType: number | string,
    what: string,
    expected: string,
    offset = -1,
  ) {
    super('unknown-tensor-type', what, expected, `type ${String(tensorType)}`, offset);
  }
}
