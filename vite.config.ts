import { defineConfig } from 'vite';

// The dashboard: web/ built into dist/web, which `varatlas serve` serves next to the API.
export default defineConfig({
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
