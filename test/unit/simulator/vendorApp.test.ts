import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IvrSimulator } from '../../../src/main/simulator/simulator'
import { parseVendorTime } from '../../../src/main/simulator/state'

const KEY = 'test-key-0123456789ab'
const CUST = '40412'

describe('simulated vendor handler.ashx', () => {
  let sim: IvrSimulator

  beforeEach(() => {
    sim = new IvrSimulator({ apiKey: KEY, custId: CUST })
  })
  afterEach(() => sim.stop())

  const ask = async (params: Record<string, string>, auth = true): Promise<string> => {
    const q = new URLSearchParams(auth ? { apikey: KEY, custid: CUST, ...params } : params)
    const res = await sim.fastify.inject({ method: 'GET', url: `/settings/handler.ashx?${q}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    return res.body
  }

  it('refuses a wrong or missing API key and a wrong customer id, changing nothing', async () => {
    const before = sim.state()
    const change = { action: 'ManageAgent', agentnum: '9876543210', status: 'OFF' }
    expect(await ask({ ...change, apikey: 'nope', custid: CUST }, false)).toBe('Invalid API Key')
    expect(await ask({ ...change, custid: CUST }, false)).toBe('Invalid API Key')
    expect(await ask({ ...change, apikey: KEY, custid: '1' }, false)).toBe('Invalid Customer')
    expect(sim.state()).toEqual(before)
  })

  it('generates its own credentials, never the document example key', () => {
    const other = new IvrSimulator()
    expect(other.apiKey).not.toBe('owQnA5cVrKwAu7f81nN6')
    expect(other.apiKey.length).toBeGreaterThanOrEqual(20)
    expect(other.custId).toMatch(/^\d{5}$/)
    expect(new IvrSimulator().apiKey).not.toBe(other.apiKey)
  })

  it('ManageAgent switches an agent OFF and AVAIL (status and action in any case)', async () => {
    expect(await ask({ action: 'ManageAgent', agentnum: '9876543210', status: 'OFF' })).toBe(
      'Success',
    )
    expect(sim.state().agents.find((a) => a.number === '9876543210')?.status).toBe('OFF')
    expect(await ask({ action: 'manageagent', agentnum: '9876543210', status: 'Avail' })).toBe(
      'Success',
    )
    expect(sim.state().agents.find((a) => a.number === '9876543210')?.status).toBe('AVAIL')
    // The same agent written with a prefix is the same agent.
    expect(await ask({ action: 'ManageAgent', agentnum: '+919876543210', status: 'OFF' })).toBe(
      'Success',
    )
    expect(sim.state().agents.find((a) => a.number === '9876543210')?.status).toBe('OFF')
  })

  it('ManageAgent refuses an unknown agent and an unknown status', async () => {
    expect(await ask({ action: 'ManageAgent', agentnum: '9000000001', status: 'OFF' })).toBe(
      'Invalid Agent Number',
    )
    expect(await ask({ action: 'ManageAgent', status: 'OFF' })).toBe('Invalid Agent Number')
    expect(await ask({ action: 'ManageAgent', agentnum: '9876543210', status: 'BREAK' })).toBe(
      'Invalid Status',
    )
    expect(sim.state().agents.every((a) => a.status === 'AVAIL')).toBe(true)
  })

  it('holiday adds real dates only', async () => {
    expect(await ask({ action: 'holiday', hdate: '2026-01-26' })).toBe('Success')
    expect(await ask({ action: 'holiday', hdate: '2026-01-26' })).toBe('Success')
    for (const bad of ['2026-02-30', '26-01-2026', '2026-1-26', '', 'tomorrow']) {
      expect(await ask({ action: 'holiday', hdate: bad })).toBe('Invalid Date')
    }
    expect(sim.state().holidays).toEqual(['2026-01-26'])
  })

  it('OfficeTime sets one day or all days with HH:MI AM|PM', async () => {
    expect(
      await ask({ action: 'OfficeTime', day: 'Daily', st_time: '09:30 AM', en_time: '06:00 PM' }),
    ).toBe('Success')
    expect(sim.state().officeHours.Sunday).toEqual({ start: '09:30', end: '18:00' })
    expect(
      await ask({
        action: 'OfficeTime',
        day: 'Saturday',
        st_time: '12:00 PM',
        en_time: '02:15 PM',
      }),
    ).toBe('Success')
    expect(sim.state().officeHours.Saturday).toEqual({ start: '12:00', end: '14:15' })
    expect(sim.state().officeHours.Friday).toEqual({ start: '09:30', end: '18:00' })
  })

  it('OfficeTime refuses bad times, start not before end, and unknown days', async () => {
    const bad: [string, string][] = [
      ['06:00 PM', '09:00 AM'],
      ['09:00 AM', '09:00 AM'],
      ['9:00 AM', '06:00 PM'],
      ['09:00', '18:00'],
      ['13:00 PM', '06:00 PM'],
      ['09:60 AM', '06:00 PM'],
      ['09:00AM', '06:00 PM'],
      ['', ''],
    ]
    for (const [st, en] of bad) {
      expect(await ask({ action: 'OfficeTime', day: 'Monday', st_time: st, en_time: en })).toBe(
        'Invalid Time',
      )
    }
    expect(
      await ask({ action: 'OfficeTime', day: 'Funday', st_time: '09:00 AM', en_time: '06:00 PM' }),
    ).toBe('Invalid Day')
    expect(sim.state().officeHours).toEqual({})
  })

  it('answers Invalid Action for an unknown or missing action', async () => {
    expect(await ask({ action: 'DeleteHoliday', hdate: '2026-01-26' })).toBe('Invalid Action')
    expect(await ask({})).toBe('Invalid Action')
  })

  it('matches parameter names without case and logs requests without the key', async () => {
    const q = `APIKEY=${KEY}&CustId=${CUST}&Action=holiday&HDATE=2026-08-15`
    const res = await sim.fastify.inject({ method: 'GET', url: `/settings/handler.ashx?${q}` })
    expect(res.body).toBe('Success')
    const log = sim.requests()
    expect(log.at(-1)).toEqual({
      params: { custid: CUST, action: 'holiday', hdate: '2026-08-15' },
      answer: 'Success',
    })
    expect(JSON.stringify(log)).not.toContain(KEY)
    // The same log over HTTP, with the key and customer id, for tests that drive the app.
    const listed = await sim.fastify.inject({
      method: 'GET',
      url: `/simulator/requests?apikey=${KEY}&custid=${CUST}`,
    })
    expect(listed.json()).toEqual(log)
    const refused = await sim.fastify.inject({
      method: 'GET',
      url: `/simulator/requests?apikey=nope&custid=${CUST}`,
    })
    expect(refused.statusCode).toBe(403)
  })

  it('serves a short WAV recording and refuses odd file names', async () => {
    const res = await sim.fastify.inject({ method: 'GET', url: '/recordings/abc-123.wav' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('audio/wav')
    const wav = res.rawPayload
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF')
    expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE')
    const sampleRate = wav.readUInt32LE(24)
    const seconds = wav.readUInt32LE(40) / 2 / sampleRate
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThanOrEqual(2)
    const bad = await sim.fastify.inject({ method: 'GET', url: '/recordings/..%2Fsecret' })
    expect(bad.statusCode).toBe(404)
  })

  it('listens on a real ephemeral loopback port', async () => {
    const { url } = await sim.start()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const q = new URLSearchParams({
      apikey: KEY,
      custid: CUST,
      action: 'holiday',
      hdate: '2026-10-02',
    })
    const res = await fetch(`${url}/settings/handler.ashx?${q}`)
    expect(await res.text()).toBe('Success')
    expect(sim.recordingUrl('x1')).toBe(`${url}/recordings/x1.wav`)
  })
})

describe('parseVendorTime', () => {
  it('reads the 12-hour clock with noon and midnight right', () => {
    expect(parseVendorTime('12:00 AM')).toBe(0)
    expect(parseVendorTime('12:00 PM')).toBe(720)
    expect(parseVendorTime('01:05 pm')).toBe(13 * 60 + 5)
    expect(parseVendorTime('11:59 PM')).toBe(23 * 60 + 59)
    expect(parseVendorTime('00:30 AM')).toBeNull()
  })
})
