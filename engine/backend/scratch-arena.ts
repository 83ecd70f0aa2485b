// Reusable output buffers for one layer of a forward pass. A prompt batch's intermediates are tens of megabytes;
// allocating them fresh costs a page fault per 4 KiB and a zero-fill every layer, more than some of the kernels
// that fill them. Inside a scope every request gets its own buffer; when the scope ends they all become free for
// the next scope (the next layer asks for the same sizes in the same order). Buffers not reused by a scope are
// dropped, so memory follows the current batch size instead of growing with every size ever seen.
export class ScratchArena {
  private free = new Map<number, Float32Array[]>();
  private used: Float32Array[] = [];
  private depth = 0;

  begin(): void {
    this.depth++;
  }

  end(): void {
    if (this.depth === 0) throw new Error('ScratchArena.end() without begin()');
    if (--this.depth > 0) return;
    const next = new Map<number, Float32Array[]>();
    for (const buffer of this.used) {
      const list = next.get(buffer.length);
      if (list) list.push(buffer);
      else next.set(buffer.length, [buffer]);
    }
    this.free = next;
    this.used = [];
  }

  /** A buffer of `length` values: from the arena inside a scope (contents undefined), else a fresh zeroed one. */
  take(length: number): Float32Array {
    if (this.depth === 0) return new Float32Array(length);
    const buffer = this.free.get(length)?.pop() ?? new Float32Array(length);
    this.used.push(buffer);
    return buffer;
  }
}
