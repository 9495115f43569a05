// Builds the same renderer for the browser mode (headless `npm run serve` / `npm run demo`),
// where it is served by the local API with @fastify/static and talks HTTP + SSE instead of IPC.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/web'),
    emptyOutDir: true,
  },
})
