import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import { startSimulation } from '../../../src/main/simulator'

describe('startSimulation', () => {
  it('starts the vendor stand-in with credentials the client can use', async () => {
    const sim = await startSimulation({
      listenerUrl: 'http://127.0.0.1:1/api/PostCallLogs/x/',
      timezone: 'Asia/Kolkata',
      port: 0,
      callsPerMinute: 0,
      awkwardShare: 0,
      logger: silentLogger,
      generate: false,
    })
    try {
      const { url, apiKey, custId } = sim.vendor
      const q = new URLSearchParams({
        apikey: apiKey,
        custid: custId,
        action: 'holiday',
        hdate: '2026-01-26',
      })
      expect(await (await fetch(`${url}/settings/handler.ashx?${q}`)).text()).toBe('Success')
      expect(sim.simulator.state().holidays).toEqual(['2026-01-26'])
      const r = await sim.generator.pushOne()
      expect(r.outcome).toBe('failed')
    } finally {
      await sim.stop()
    }
    await expect(fetch(`${sim.vendor.url}/settings/handler.ashx`)).rejects.toThrow()
  })
})
