/**
 * The floors of the house, enforced (`npm run lint`): nothing imports a floor above its own, and
 * no service names a storage backend. A floor may import anything on its own floor or below.
 * See docs/architecture-storage.md.
 */
const FLOORS = [
  ['shared', '^src/shared/'],
  ['ground', '^src/main/(ground|events)/'],
  // The storage interface (files directly in storage/, not its backend folders) and the config.
  ['interfaces', '^src/main/(storage/[^/]+$|config/)'],
  ['data folder', '^src/main/dataFolder/'],
  ['storage backends', '^src/main/storage/(folder|postgres)/'],
  [
    'services',
    '^src/main/(accounts|insight|ivrApi|ivrSettings|listener|maintenance|metrics|missed|settings|simulator)/',
  ],
  ['core', '^src/main/core/'],
  ['shells', '^src/main/(api|electron|teamClient)/'],
  ['entry points', '^src/main/(index[.]ts$|headless/)'],
]

/** Each floor may not import any floor above it. */
const upward = FLOORS.slice(0, -1).map(([name, path], i) => ({
  name: `floor-${name}-imports-up`,
  comment: `${name} sits below ${FLOORS.slice(i + 1)
    .map(([n]) => n)
    .join(', ')}: nothing on it imports those.`,
  severity: 'error',
  from: { path },
  to: {
    path: FLOORS.slice(i + 1)
      .map(([, p]) => `(${p})`)
      .join('|'),
  },
}))

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'only-entry-points-name-a-backend',
      comment:
        'Services, the core and the shells name the storage interface (storage/*.ts), never a backend. Only the entry points, the backends registry (core/backends.ts) and the maintenance tools choose one.',
      severity: 'error',
      from: {
        path: '^src/main/',
        pathNot: [
          '^src/main/storage/(folder|postgres)/',
          '^src/main/(index[.]ts$|headless/)',
          '^src/main/core/backends[.]ts$',
          '^src/main/maintenance/',
        ],
      },
      to: { path: '^src/main/storage/(folder|postgres)/' },
    },
    {
      name: 'backend-names-another-backend',
      comment: 'Each backend stands alone; copying one into another is a maintenance tool.',
      severity: 'error',
      from: { path: '^src/main/storage/(folder|postgres)/' },
      to: {
        path: '^src/main/storage/(folder|postgres)/',
        pathNot: '^src/main/storage/$1/',
      },
    },
    {
      name: 'renderer-reaches-main',
      comment: 'The renderer and the preload know main only through the contract in src/shared.',
      severity: 'error',
      from: { path: '^src/(renderer|preload)/' },
      to: { path: '^src/main/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist)/' },
    // Type-only imports are imports too: an interface named from a floor above ties them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
}
