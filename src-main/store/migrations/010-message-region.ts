// A question about a region the user lassoed keeps that region (page and box), so the conversation can show what it
// was about and point at it again later.
import type { Migration } from './migration.js';

export const migration010MessageRegion: Migration = {
  version: 10,
  name: 'the region a question was about',
  sql: `
    ALTER TABLE messages ADD COLUMN region_page INTEGER;
    ALTER TABLE messages ADD COLUMN region_box TEXT;          -- JSON [x0, y0, x1, y1], points, top-left origin
  `,
};
