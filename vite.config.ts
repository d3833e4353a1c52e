// Builds the renderer for Electron (file://, hence relative asset paths) and the web
// host. The output has no inline script, so it runs under CSP `script-src 'self'`.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Vite would otherwise inline small assets as data: URLs; keep everything a file.
    assetsInlineLimit: 0,
  },
});
