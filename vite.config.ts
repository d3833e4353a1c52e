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
    // One file read from the kiosk's own disk is its fastest start; Vite's 500 kB warning is
    // about downloads over a network (the bundle is ~640 kB: React, i18next, four catalogs).
    chunkSizeWarningLimit: 1024,
  },
});
