// Builds the team server for production (`npm run build:server`): the headless entry points as
// plain ES modules in out/server/, run by node itself with the production dependencies only
// (`npm ci --omit=dev`): no tsx, no vite, and no build at start. Every package stays external
// (imported from node_modules at run time, as the lock file pinned it); only our code is bundled.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const entry = (path: string): string => resolve(import.meta.dirname, path)

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: resolve(import.meta.dirname, 'out/server'),
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      input: {
        serve: entry('src/main/headless/serve.ts'),
        users: entry('src/main/headless/usersCli.ts'),
        'migrate-to-postgres': entry('src/main/maintenance/migrateCli.ts'),
        maintenance: entry('src/main/maintenance/cli.ts'),
      },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
})
