// Why a PDF could not be read, in words a user can act on. Every refusal is one of these.

/** Base class: the file was refused as a whole and nothing was written for it. */
export class PdfRefusedError extends Error {
  override readonly name: string = 'PdfRefusedError';
  /** Stable machine-readable reason, printed in `quire ingest --json`. */
  readonly code: string = 'refused';
}

export class EmptyFileError extends PdfRefusedError {
  override readonly name = 'EmptyFileError';
  override readonly code = 'empty';
}

/** The file could not be read from disk at all (missing, a folder, no permission). */
export class FileUnreadableError extends PdfRefusedError {
  override readonly name = 'FileUnreadableError';
  override readonly code = 'unreadable';
}

export class NotAPdfError extends PdfRefusedError {
  override readonly name = 'NotAPdfError';
  override readonly code = 'not-pdf';
}

export class PdfCorruptError extends PdfRefusedError {
  override readonly name = 'PdfCorruptError';
  override readonly code = 'corrupt';
}

export class PdfPasswordRequiredError extends PdfRefusedError {
  override readonly name = 'PdfPasswordRequiredError';
  override readonly code = 'needs-password';
}

export class PdfPasswordIncorrectError extends PdfRefusedError {
  override readonly name = 'PdfPasswordIncorrectError';
  override readonly code = 'wrong-password';
}

export class PdfTooManyPagesError extends PdfRefusedError {
  override readonly name = 'PdfTooManyPagesError';
  override readonly code = 'too-many-pages';
}

/** A render would need more pixels than Quire allows for one image. */
export class RenderTooLargeError extends Error {
  override readonly name = 'RenderTooLargeError';
}
