/**
 * The README is a front page and the manual lives in docs/: every relative link and #anchor in
 * them must lead somewhere, or a section moved or renamed would strand its readers. Anchors are
 * made as GitHub makes them from a heading's text.
 */
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  existsSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../../..')

/** The lines of a markdown text outside fenced code blocks, with inline code removed. */
function prose(text: string): string[] {
  const lines: string[] = []
  let fence = false
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence
      continue
    }
    if (!fence) lines.push(line.replace(/`[^`]*`/g, (code) => code.replace(/[[\]()]/g, ' ')))
  }
  return lines
}

/** GitHub's anchors: the heading's text lower-cased, punctuation dropped, spaces as hyphens. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fence = false
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence
    const heading = fence ? null : /^#{1,6} (.*)$/.exec(line)
    if (!heading) continue
    const words = (heading[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    const slug = words
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const n = seen.get(slug) ?? 0
    seen.set(slug, n + 1)
    anchors.add(n === 0 ? slug : `${slug}-${n}`)
  }
  return anchors
}

/** Every relative link or anchor in `files` (paths under `base`) that leads nowhere. */
export function brokenLinks(base: string, files: string[]): string[] {
  const problems: string[] = []
  for (const file of files) {
    const text = readFileSync(join(base, file), 'utf8')
    for (const line of prose(text)) {
      for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1] ?? ''
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // https:, mailto:
        const [path = '', anchor] = target.split('#', 2)
        const goal = path === '' ? join(base, file) : resolve(base, dirname(file), path)
        if (!existsSync(goal)) {
          problems.push(`${file}: ${target}: no such file`)
          continue
        }
        if (anchor !== undefined && goal.endsWith('.md')) {
          if (!anchorsOf(readFileSync(goal, 'utf8')).has(anchor)) {
            problems.push(`${file}: ${target}: no heading #${anchor} in ${relative(base, goal)}`)
          }
        }
      }
    }
  }
  return problems
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  const services = readdirSync(join(root, 'src/main'))
    .map((name) => `src/main/${name}/README.md`)
    .filter((path) => existsSync(join(root, path)))
  return ['README.md', ...docs, ...services]
}

describe('documentation links', () => {
  it('every relative link and #anchor in README.md, docs/ and the services’ READMEs resolves', () => {
    const files = markdownFiles()
    expect(files).toContain('docs/storage.md')
    expect(brokenLinks(root, files)).toEqual([])
  })

  it('reports a missing file, a missing anchor and an anchor into another file', () => {
    const base = mkdtempSync(join(tmpdir(), 'ivrs-links-'))
    mkdirSync(join(base, 'docs'))
    writeFileSync(
      join(base, 'docs/guide.md'),
      '# A guide\n\n## `npm run bench:ingest`\n\n## Set-up\n\n## Set-up\n\n```\n[not a link](nowhere.md)\n```\n',
    )
    writeFileSync(
      join(base, 'README.md'),
      [
        '# Front',
        '',
        '[ok](docs/guide.md#npm-run-benchingest) [ok](docs/guide.md#set-up-1) [ok](#front)',
        '[gone](docs/missing.md) [wrong](docs/guide.md#set-up-2) [here](#back) `[code](x.md)`',
        '[web](https://example.com/#x)',
      ].join('\n'),
    )
    expect(brokenLinks(base, ['README.md', 'docs/guide.md'])).toEqual([
      'README.md: docs/missing.md: no such file',
      'README.md: docs/guide.md#set-up-2: no heading #set-up-2 in docs/guide.md',
      'README.md: #back: no heading #back in README.md',
    ])
  })
})
