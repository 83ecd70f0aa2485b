/** The database file was written by a newer Quire: opening it with this one could corrupt it. */
export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
}

/** A lookup by id or prefix found nothing, or more than one thing. */
export class DocumentNotFoundError extends Error {
  override readonly name = 'DocumentNotFoundError';
}
