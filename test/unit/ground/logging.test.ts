import { afterEach, describe, expect, it, vi } from 'vitest'
import { jsonLogger } from '../../../src/main/ground/jsonLogger'
import { lineLogger, type Logger } from '../../../src/main/ground/logger'
import { quietRepeats } from '../../../src/main/ground/quietRepeats'

const NOW = Date.parse('2026-05-01T10:15:00.000Z')

function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = []
  return { lines, write: (line) => void lines.push(line) }
}

describe('jsonLogger (pino)', () => {
  it('writes one JSON object per line: level by name, UTC time, version, context beside msg', () => {
    const out = capture()
    const log = jsonLogger({
      secrets: () => [],
      base: { version: '1.2.3' },
      write: out.write,
      now: () => NOW,
    })
    log.info('listener listening', { host: '127.0.0.1', port: 8787 })
    expect(out.lines).toHaveLength(1)
    expect(out.lines[0]!.endsWith('\n')).toBe(true)
    expect(JSON.parse(out.lines[0]!)).toMatchObject({
      level: 'info',
      time: '2026-05-01T10:15:00.000Z',
      version: '1.2.3',
      host: '127.0.0.1',
      port: 8787,
      msg: 'listener listening',
      pid: process.pid,
    })
  })

  it('writes from its level up', () => {
    const out = capture()
    const log = jsonLogger({ secrets: () => [], level: 'warn', write: out.write })
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(out.lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual([
      'warn',
      'error',
    ])
  })

  it('redacts every secret, also where JSON escapes it, and the line still parses', () => {
    const out = capture()
    const secret = 'pa"ss\\word-123'
    const log = jsonLogger({ secrets: () => [secret, 'tok3n'], write: out.write })
    log.error(`login failed for ${secret}`, { url: 'https://x/tok3n/', raw: secret })
    expect(out.lines[0]).not.toContain('tok3n')
    expect(out.lines[0]).not.toContain('word-123')
    const line = JSON.parse(out.lines[0]!) as Record<string, string>
    expect(line.msg).toBe('login failed for [redacted]')
    expect(line.url).toBe('https://x/[redacted]/')
    expect(line.raw).toBe('[redacted]')
  })
})

describe('lineLogger levels', () => {
  it('writes from its level up', () => {
    const out = capture()
    const log = lineLogger({ write: out.write, secrets: () => [], level: 'error' })
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(out.lines).toHaveLength(1)
    expect(out.lines[0]).toMatch(/ ERROR e\n$/)
  })
})

describe('quietRepeats', () => {
  afterEach(() => void vi.useRealTimers())

  function recorder(): {
    calls: [string, string, Record<string, unknown> | undefined][]
    log: Logger
  } {
    const calls: [string, string, Record<string, unknown> | undefined][] = []
    const at =
      (level: string) =>
      (msg: string, ctx?: Record<string, unknown>): void =>
        void calls.push([level, msg, ctx])
    return {
      calls,
      log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    }
  }

  it('writes the first error at once and its repeats as one line with a count when the window ends', () => {
    vi.useFakeTimers()
    const r = recorder()
    const log = quietRepeats(r.log, 10_000)
    for (let i = 0; i < 7034; i++) log.error('call could not be stored', { id: `c-${i}` })
    expect(r.calls).toEqual([['error', 'call could not be stored', { id: 'c-0' }]])
    vi.advanceTimersByTime(10_000)
    expect(r.calls).toHaveLength(2)
    expect(r.calls[1]).toEqual([
      'error',
      'call could not be stored',
      { id: 'c-7033', repeated: 7033, withinSeconds: 10 },
    ])
    // After the window, the next one is written at once again.
    log.error('call could not be stored', { id: 'later' })
    expect(r.calls).toHaveLength(3)
  })

  it('counts each message apart, never folds info or debug, and flushes what is pending', () => {
    vi.useFakeTimers()
    const r = recorder()
    const log = quietRepeats(r.log, 10_000)
    log.warn('a')
    log.warn('b')
    log.warn('a')
    log.info('i')
    log.info('i')
    log.flush()
    expect(r.calls.map(([level, msg, ctx]) => [level, msg, ctx?.repeated])).toEqual([
      ['warn', 'a', undefined],
      ['warn', 'b', undefined],
      ['info', 'i', undefined],
      ['info', 'i', undefined],
      ['warn', 'a', 1],
    ])
    vi.advanceTimersByTime(20_000)
    expect(r.calls).toHaveLength(5)
  })
})
