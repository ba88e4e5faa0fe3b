import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web UI (`vite build web`, into web/dist), which the Hark server serves.
 * Everything is bundled into files, with no inline scripts or styles: the
 * server's Content-Security-Policy allows only 'self'.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Assets stay files rather than data: URIs.
    assetsInlineLimit: 0,
    // Every browser Hark supports preloads modules natively.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite web` while developing: the API is a `hark start` on its default port.
    proxy: { '/api': 'http://127.0.0.1:4477' },
  },
});
