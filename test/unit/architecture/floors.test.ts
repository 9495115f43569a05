/**
 * The floors rule set (.dependency-cruiser.cjs, run by `npm run lint`) run over a small house
 * made in a temporary folder, one file per case: an allowed import passes, each forbidden one fails
 * with its rule's name. (The project's own tree is checked by `npm run lint` itself.)
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../../..')
const CONFIG = join(ROOT, '.dependency-cruiser.cjs')
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')

/** The house: each file below imports one thing, allowed or not. */
const HOUSE: Record<string, string> = {
  'src/main/storage/folder/fileCallStore.ts': 'export const store = 1\n',
  'src/main/storage/types.ts': 'export type CallStore = { size(): number }\n',
  'src/main/ground/clock.ts': 'export const now = 1\n',
  'src/main/core/createCore.ts': 'export const core = 1\n',
  // Allowed: a service names the storage interface and the ground.
  'src/main/missed/queue.ts':
    "import type { CallStore } from '../storage/types'\nimport { now } from '../ground/clock'\nexport const q: CallStore | number = now\n",
  // Forbidden: a service names a backend, even for a type only.
  'src/main/insight/dashboard.ts':
    "import type { store } from '../storage/folder/fileCallStore'\nexport type D = typeof store\n",
  // Forbidden: a lower floor imports up.
  'src/main/ground/logger.ts': "import { core } from '../core/createCore'\nexport const l = core\n",
  // Forbidden: one backend names the other.
  'src/main/storage/postgres/pgCallStore.ts':
    "import { store } from '../folder/fileCallStore'\nexport const pg = store\n",
  // Forbidden: the storage interface names its backend.
  'src/main/storage/storage.ts':
    "import { store } from './folder/fileCallStore'\nexport const s = store\n",
  // Allowed: the backends registry and the entry points name a backend.
  'src/main/core/backends.ts':
    "import { store } from '../storage/folder/fileCallStore'\nexport const b = store\n",
  'src/main/headless/serve.ts':
    "import { store } from '../storage/folder/fileCallStore'\nexport const h = store\n",
}

let broken: Map<string, string[]>
let house: string

beforeAll(async () => {
  house = await mkdtemp(join(tmpdir(), 'ivrs-floors-'))
  await writeFile(join(house, 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }))
  for (const [path, text] of Object.entries(HOUSE)) {
    await mkdir(dirname(join(house, path)), { recursive: true })
    await writeFile(join(house, path), text)
  }
  // The cruiser exits non-zero when it finds violations; its report is on stdout either way.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'json'],
    { cwd: house },
  ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }))
  const out = JSON.parse(stdout) as {
    summary: { violations: { from: string; rule: { name: string } }[] }
  }
  broken = new Map()
  for (const v of out.summary.violations)
    broken.set(v.from, [...(broken.get(v.from) ?? []), v.rule.name].sort())
}, 120_000)

afterAll(async () => {
  await rm(house, { recursive: true, force: true })
})

const rulesBrokenBy = (file: string): string[] => broken.get(file) ?? []

describe('the floors rule set', () => {
  it('lets a service name the storage interface and the ground', () => {
    expect(rulesBrokenBy('src/main/missed/queue.ts')).toEqual([])
  })

  it('fails a service that names a storage backend, even for a type', () => {
    expect(rulesBrokenBy('src/main/insight/dashboard.ts')).toEqual([
      'only-entry-points-name-a-backend',
    ])
  })

  it('fails an import from a lower floor up', () => {
    expect(rulesBrokenBy('src/main/ground/logger.ts')).toEqual(['floor-ground-imports-up'])
  })

  it('fails one backend naming the other, and the interface naming a backend', () => {
    expect(rulesBrokenBy('src/main/storage/postgres/pgCallStore.ts')).toEqual([
      'backend-names-another-backend',
    ])
    expect(rulesBrokenBy('src/main/storage/storage.ts')).toEqual([
      'floor-interfaces-imports-up',
      'only-entry-points-name-a-backend',
    ])
  })

  it('lets the backends registry and the entry points name a backend', () => {
    expect(rulesBrokenBy('src/main/core/backends.ts')).toEqual([])
    expect(rulesBrokenBy('src/main/headless/serve.ts')).toEqual([])
  })
})
