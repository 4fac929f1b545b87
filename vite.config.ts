import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// The web UI is a static bundle that the Amparo server serves from dist/web with an SPA fallback.
// No React plugin: Vite's built-in oxc transform compiles TSX with the automatic JSX runtime.
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Source maps would ship the whole source to every browser; the code is public, but the bundle stays lean.
    sourcemap: false,
  },
  server: {
    // During development the API runs separately; point AMPARO_API at it.
    proxy: { '/api': process.env.AMPARO_API ?? 'http://127.0.0.1:3000' },
  },
});
