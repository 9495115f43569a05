import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { Call } from '../../../src/shared/domain'
import { CSV_COLUMNS, csvChunks } from '../../../src/main/insight/callsCsv'

function call(id: string, over: Partial<Call> = {}): Call {
  return {
    id,
    callerNumber: '+919876543210',
    agentNumber: null,
    status: 'MISSED',
    date: '2026-11-27',
    time: '10:00:00',
    startedAt: '2026-11-27T10:00:00+05:30',
    ivrSeconds: 12,
    talkSeconds: null,
    circle: 'Maharashtra',
    virtualNumber: null,
    department: 'Sales, "North"',
    recordingUrl: null,
    callType: null,
    receivedAt: '2026-11-27T04:30:01.000Z',
    firstReceivedAt: '2026-11-27T04:30:01.000Z',
    revision: 1,
    raw: {},
    history: [],
    ...over,
  }
}

const AGENTS = new Map([['+919876543210', 'Asha Kulkarni']])

async function collect(calls: Call[], batch?: number): Promise<string[]> {
  async function* gen() {
    yield* calls
  }
  const out: string[] = []
  const name = (n: string): string | null => AGENTS.get(n) ?? null
  for await (const chunk of csvChunks(gen(), 'Asia/Kolkata', name, batch)) out.push(chunk)
  return out
}

/** The rows as objects keyed by the header. */
async function records(calls: Call[]): Promise<Record<string, string>[]> {
  return parse((await collect(calls)).join(''), { columns: true }) as Record<string, string>[]
}

describe('csvChunks', () => {
  it('writes a header and one quoted row per call, in batches', async () => {
    const chunks = await collect([call('a'), call('b'), call('c')], 2)
    expect(chunks).toHaveLength(3)
    const rows = parse(chunks.join('')) as string[][]
    expect(rows[0]).toEqual([...CSV_COLUMNS])
    expect(rows.slice(1).map((r) => r[0])).toEqual(['a', 'b', 'c'])
    expect(rows[1]?.[CSV_COLUMNS.indexOf('department')]).toBe('Sales, "North"')
    expect(rows[1]?.[CSV_COLUMNS.indexOf('agentNumber')]).toBe('')
  })

  it('writes receivedAt in the configured zone with its offset, never raw UTC', async () => {
    const rows = parse((await collect([call('a')])).join('')) as string[][]
    expect(rows[1]?.[CSV_COLUMNS.indexOf('receivedAt')]).toBe('2026-11-27T10:00:01.000+05:30')
    expect(rows[1]?.[CSV_COLUMNS.indexOf('startedAt')]).toBe('2026-11-27T10:00:00+05:30')
  })

  it('defuses spreadsheet formulas but keeps phone numbers', async () => {
    const rows = parse(
      (
        await collect([call('x', { department: '=HYPERLINK("http://evil")', circle: '@SUM(1)' })])
      ).join(''),
    ) as string[][]
    expect(rows[1]?.[CSV_COLUMNS.indexOf('department')]).toBe(`'=HYPERLINK("http://evil")`)
    expect(rows[1]?.[CSV_COLUMNS.indexOf('circle')]).toBe(`'@SUM(1)`)
    expect(rows[1]?.[CSV_COLUMNS.indexOf('callerNumber')]).toBe('+919876543210')
  })

  it("writes the status in the screen's words, the agent's name and durations as m:ss", async () => {
    const rows = await records([
      call('a', {
        status: 'ANSWER',
        agentNumber: '+919876543210',
        ivrSeconds: 14,
        talkSeconds: 95,
      }),
      call('b', { status: 'DROPPED', agentNumber: '+919800000000', ivrSeconds: 3725 }),
      call('c', { status: 'MISSED', ivrSeconds: null }),
    ])
    expect(rows.map((r) => r.status)).toEqual(['Answered', 'Dropped', 'Missed'])
    expect(rows.map((r) => [r.agentNumber, r.agentName])).toEqual([
      ['+919876543210', 'Asha Kulkarni'],
      // An agent no longer in the directory keeps their number, with no name.
      ['+919800000000', ''],
      ['', ''],
    ])
    expect(rows.map((r) => [r.ivrWait, r.ivrSeconds, r.talkTime, r.talkSeconds])).toEqual([
      ['0:14', '14', '1:35', '95'],
      ['1:02:05', '3725', '', ''],
      ['', '', '', ''],
    ])
    // Each m:ss column sits just before the seconds it spells.
    const at = (c: string): number => CSV_COLUMNS.indexOf(c as (typeof CSV_COLUMNS)[number])
    expect(at('ivrSeconds') - at('ivrWait')).toBe(1)
    expect(at('talkSeconds') - at('talkTime')).toBe(1)
    expect(at('agentName') - at('agentNumber')).toBe(1)
  })

  it('defuses a formula in an agent name', async () => {
    AGENTS.set('+919811111111', '=cmd()')
    const [row] = await records([call('f', { agentNumber: '+919811111111' })])
    expect(row?.agentName).toBe(`'=cmd()`)
  })

  it('writes just the header when nothing matches', async () => {
    expect(parse((await collect([])).join(''))).toEqual([[...CSV_COLUMNS]])
  })
})
