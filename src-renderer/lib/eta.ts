// "About N s left" for long work (ingestion pages, batch files): the rate so far, projected over what remains.
// Nothing until `minDone` units are done (the first is often the slowest) and nothing once all are.

export function remainingSeconds(done: number, total: number, elapsedMs: number, minDone = 1): number | undefined {
  if (done < minDone || done >= total || elapsedMs <= 0) return undefined;
  return Math.ceil(((total - done) * elapsedMs) / done / 1000);
}

export function etaText(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return seconds < 90 ? `about ${seconds} s left` : seconds < 90 * 60 ? `about ${Math.ceil(seconds / 60)} min left` : `about ${Math.round(seconds / 360) / 10} h left`;
}
