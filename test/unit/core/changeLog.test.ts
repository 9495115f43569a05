import { describe, expect, it } from 'vitest'
import { recordChange, type ActivityEntry } from '../../../src/main/core/changeLog'
import { silentLogger } from '../../../src/main/ground/logger'

const who = { user: 'Asha Rao', role: 'admin', accountId: 'a1', transport: 'http' } as const

async function logged(channel: ActivityEntry['channel'], request: unknown): Promise<unknown> {
  const lines: ActivityEntry[] = []
  const log = { append: async (e: ActivityEntry) => void lines.push(e) }
  await recordChange(log, { at: 0, channel, request, who }, silentLogger)
  return lines[0]?.request
}

describe('the activity log keeps what was asked, never a secret nor a whole file', () => {
  it('records a connection test without the key typed for it', async () => {
    expect(
      await logged('settings:testConnection', {
        vendorUrl: 'http://v.example',
        custId: 'C-1',
        apiKey: 'SECRET-typed',
      }),
    ).toEqual({ vendorUrl: 'http://v.example', custId: 'C-1', apiKey: '[typed]' })
    expect(await logged('settings:testConnection', { custId: 'C-1' })).toEqual({ custId: 'C-1' })
  })

  it('records an import by its size and choices', async () => {
    expect(
      await logged('agents:import', {
        csv: 'number,name\n9876543210,Asha\n\n9123456789,Ravi\n',
        preview: 'p1',
        changes: 'skip',
      }),
    ).toEqual({ csvLines: 3, preview: 'p1', changes: 'skip' })
  })
})
