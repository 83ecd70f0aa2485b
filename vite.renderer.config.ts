// The renderer build (Svelte 5): src-renderer → out/renderer, served by `quire serve` and by the app:// scheme.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte()],
  build: { outDir: '../out/renderer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
});
