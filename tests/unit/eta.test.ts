// The "about N left" of long work in the app (ingestion, batches): the rate so far over what remains, nothing before
// enough is done or after all is, and minutes or hours once seconds would be unreadable.
import { describe, expect, it } from 'vitest';
import { etaText, remainingSeconds } from '../../src-renderer/lib/eta.js';

describe('ETA', () => {
  it('projects the rate so far over what remains', () => {
    expect(remainingSeconds(3, 10, 6000, 3)).toBe(14);                          // 2 s a page, 7 pages left
    expect(remainingSeconds(1, 4, 1500)).toBe(5);                               // 1.5 s × 3, rounded up
  });
  it('says nothing too early, when done, or without time', () => {
    expect(remainingSeconds(2, 10, 4000, 3)).toBeUndefined();
    expect(remainingSeconds(10, 10, 4000)).toBeUndefined();
    expect(remainingSeconds(0, 10, 4000)).toBeUndefined();
    expect(remainingSeconds(5, 10, 0)).toBeUndefined();
    expect(etaText(undefined)).toBe('');
  });
  it('reads in seconds, minutes or hours', () => {
    expect(etaText(45)).toBe('about 45 s left');
    expect(etaText(89)).toBe('about 89 s left');
    expect(etaText(90)).toBe('about 2 min left');
    expect(etaText(3000)).toBe('about 50 min left');
    expect(etaText(9000)).toBe('about 2.5 h left');
  });
});
