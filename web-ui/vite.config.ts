import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The build goes to web-ui/dist, which CMake embeds into the binary
// (web-ui/embed_assets.cmake); every file is served at its path from "/".
// Two pages: the main UI (index.html) and the offline field app (field/index.html,
// served under /field/ with its manifest and service worker from public/field/).
// `npm run dev` proxies /api to a running `nongsan serve` (NONGSAN_API).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // MapLibre is one large chunk, loaded only by the pages that draw a map (through
    // src/lib/map.ts). Its name says what it is, so the browser tests can check that
    // no other page asks for it.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        field: fileURLToPath(new URL('./field/index.html', import.meta.url)),
      },
      output: {
        advancedChunks: { groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ }] },
      },
    },
  },
  // MapLibre's worker is an ES module worker.
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': process.env.NONGSAN_API ?? 'http://127.0.0.1:8080',
    },
  },
});
