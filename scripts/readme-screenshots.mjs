// Refreshes the README's screenshots from the ones the end-to-end test takes (npm run test:e2e → test-artifacts/):
// the app in Chromium with a tiny synthetic model, palette-compressed so they stay small in the repository.
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';

const SHOTS = { 'citation-highlight.png': 'documents.png', 'chart-data-replot.png': 'chart-data.png', 'batch-results.png': 'batch.png', 'models-download.png': 'models.png' };
mkdirSync('docs/screenshots', { recursive: true });
for (const [from, to] of Object.entries(SHOTS)) {
  const info = await sharp(`test-artifacts/${from}`).resize({ width: 1100 }).png({ palette: true, quality: 90, compressionLevel: 9 }).toFile(`docs/screenshots/${to}`);
  console.log(`docs/screenshots/${to}: ${info.width}×${info.height}, ${Math.round(info.size / 1024)} KiB`);
}
