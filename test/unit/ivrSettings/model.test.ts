import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DateTime } from 'luxon'
import { silentLogger } from '../../../src/main/ground/logger'
import { NotFoundError, UserError } from '../../../src/main/ground/errors'
import { EventBus } from '../../../src/main/events/bus'
import { VendorClient } from '../../../src/main/ivrApi/client'
import { createVendorModel, type VendorModel } from '../../../src/main/ivrSettings'
import type { Agent } from '../../../src/shared/domain'
import { join } from 'node:path'
import { FakeVendor } from '../../integration/ivrApi/fakeVendor'
import { ManualSleep, manualClock, tempDir, until } from '../../integration/ivrApi/helpers'

const Z = 'Asia/Kolkata'

describe('createVendorModel against the fake vendor', () => {
  let vendor: FakeVendor
  let client: VendorClient
  let model: VendorModel
  let dir: string
  let cleanup: () => Promise<void>
  let bus: EventBus
  let agentEvents: Agent[]
  let apiKey: string
  let sleeper: ManualSleep
  // Friday 27 November 2026, 10:00 in Kolkata.
  const clock = manualClock(DateTime.fromISO('2026-11-27T10:00', { zone: Z }).toMillis())

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    vendor = new FakeVendor()
    await vendor.start()
    apiKey = vendor.apiKey
    client = new VendorClient({
      settings: () => ({ baseUrl: vendor.url(), apiKey, custId: vendor.custId }),
      headersTimeoutMs: 500,
    })
    bus = new EventBus()
    sleeper = new ManualSleep()
    agentEvents = []
    bus.on('agent:updated', (a) => agentEvents.push(a))
    model = await createVendorModel({
      documents: fileDocuments(dir),
      audit: new FileLog(join(dir, 'vendor-audit.jsonl')),
      client,
      clock,
      logger: silentLogger,
      bus,
      timezone: () => Z,
      todayStats: async () =>
        new Map([
          [
            '+919876543210',
            { answered: 3, talkSeconds: 412, lastCallAt: '2026-11-27T09:58:00+05:30' },
          ],
        ]),
      user: 'asha',
      outbox: { sleep: sleeper.sleep, submitWaitMs: 3_000, attemptsBeforeQueued: 1 },
    })
    await model.start()
  })

  afterEach(async () => {
    await model.stop()
    await client.close()
    await vendor.stop()
    await cleanup()
  })

  describe('agents', () => {
    it('adds with the 10-digit number (trunk 0 dropped) and E.164; rejects duplicates and junk', async () => {
      const a = await model.agents.add({
        number: '098765 43210',
        name: ' Asha ',
        department: 'Sales',
      })
      expect(a).toMatchObject({
        number: '9876543210',
        normalizedNumber: '+919876543210',
        name: 'Asha',
        status: 'UNKNOWN',
        today: { answered: 3, talkSeconds: 412 },
      })
      await expect(
        model.agents.add({ number: '+91 98765 43210', name: 'X' }),
      ).rejects.toMatchObject({
        status: 409,
      })
      await expect(model.agents.add({ number: 'call me', name: 'X' })).rejects.toBeInstanceOf(
        UserError,
      )
      await expect(model.agents.add({ number: '9123456789', name: '  ' })).rejects.toThrow(/name/)
      // The shared normaliser: too short, and a trunk 0 with nine digits, are no numbers at all.
      for (const number of ['12345', '0981234567'])
        await expect(model.agents.add({ number, name: 'X' })).rejects.toMatchObject({
          status: 400,
          fields: ['number'],
          message: expect.stringMatching(/is not a valid phone number/),
        })
    })

    it('setStatus: confirmed updates the status; the vendor got the 10-digit number', async () => {
      await model.agents.add({ number: '098765 43210', name: 'Asha' })
      const r = await model.agents.setStatus({ number: '9876543210', status: 'AVAIL' })
      expect(r.change.state).toBe('confirmed')
      // The change names its agent by the normalised number, whatever form it was typed in.
      expect(r.change.target).toBe('agent:+919876543210')
      expect(r.message).toMatch(/vendor confirmed/)
      expect(vendor.agents.get('9876543210')).toBe('AVAIL')
      const [a] = await model.agents.list()
      expect(a).toMatchObject({ status: 'AVAIL', statusChangedBy: 'asha', change: null })
      expect(a!.statusConfirmedAt).not.toBeNull()
      expect(agentEvents.at(-1)).toMatchObject({ status: 'AVAIL' })
    })

    it('setStatus: a refusal keeps the confirmed status and shows the vendor words', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha' })
      vendor.script({ kind: 'answer', status: 200, body: 'Agent not registered' })
      const r = await model.agents.setStatus({ number: '9876543210', status: 'OFF' }, 'ravi')
      expect(r.change).toMatchObject({
        state: 'refused',
        vendorAnswer: 'Agent not registered',
        requestedBy: 'ravi',
      })
      const [a] = await model.agents.list()
      expect(a).toMatchObject({ status: 'UNKNOWN', change: { state: 'refused' } })
    })

    it('setStatus: queued (pending) while the vendor is down', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha' })
      vendor.down = true
      const r = await model.agents.setStatus({ number: '9876543210', status: 'OFF' })
      expect(r.change.state).toBe('pending')
      expect(r.message).toMatch(/^Queued/)
      expect((await model.agents.list())[0]).toMatchObject({
        status: 'UNKNOWN',
        change: { state: 'pending' },
      })
    })

    it('unknown agents and departments are NotFound', async () => {
      await expect(
        model.agents.setStatus({ number: '9000000000', status: 'OFF' }),
      ).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        model.agents.setDepartmentStatus({ department: 'None', status: 'OFF' }),
      ).rejects.toBeInstanceOf(NotFoundError)
    })

    it('department switch, update, remove with an honest message', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha', department: 'Sales' })
      await model.agents.add({ number: '9123456789', name: 'Ravi', department: 'sales' })
      await model.agents.add({ number: '9000000001', name: 'Meena', department: 'Support' })
      const rs = await model.agents.setDepartmentStatus({ department: 'SALES', status: 'AVAIL' })
      expect(rs.map((r) => r.change.state)).toEqual(['confirmed', 'confirmed'])
      expect([...vendor.agents.keys()].sort()).toEqual(['9123456789', '9876543210'])
      const u = await model.agents.update({ number: '+919123456789', department: null })
      expect(u.department).toBeNull()
      const rm = await model.agents.remove({ number: '9876543210' })
      expect(rm.removed).toBe(true)
      expect(rm.message).toMatch(/cannot remove an agent.*AVAIL.*switch it OFF/)
      expect((await model.agents.list()).map((a) => a.name)).toEqual(['Meena', 'Ravi'])
    })

    it('announces an agent again when its calls today moved, once for a burst of calls', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha' })
      const before = agentEvents.length
      model.agents.todayChanged('+919876543210', 20)
      model.agents.todayChanged('+919876543210', 20)
      model.agents.todayChanged('+919000000000', 20) // not in the directory
      await until(() => agentEvents.length > before, 3_000, 'announced')
      await new Promise((r) => setTimeout(r, 60))
      expect(agentEvents.slice(before)).toEqual([
        expect.objectContaining({ name: 'Asha', today: expect.objectContaining({ answered: 3 }) }),
      ])
    })

    it('imports CSV: adds, updates, reports bad lines', async () => {
      await model.agents.add({ number: '9876543210', name: 'Old name' })
      const r = await model.agents.import({
        csv: 'Phone,Name,Team\n9876543210,Asha,Sales\n12,Bad,Sales\n9123456789,Ravi,\n+91 91234 56789,Dup,\n0981234567,Trunk,Sales\n',
      })
      expect(r).toEqual({
        added: 1,
        updated: 1,
        skipped: 0,
        errors: [
          {
            line: 3,
            reason:
              '"12" is not a valid phone number: an Indian number has 10 digits after the 0 or +91, this one has 2',
          },
          { line: 5, reason: '+91 91234 56789 is already on line 4: only that line is used' },
          {
            line: 6,
            reason:
              '"0981234567" is not a valid phone number: an Indian number has 10 digits after the 0 or +91, this one has 9',
          },
        ],
      })
      expect((await model.agents.list()).map((a) => [a.name, a.department])).toEqual([
        ['Asha', 'Sales'],
        ['Ravi', null],
      ])
    })

    it('previews an import without changing anything, then applies exactly what was shown', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha Kulkarni', department: 'Sales' })
      await model.agents.add({ number: '9123456789', name: 'Ravi', department: 'Support' })
      const csv =
        '9876543210,Dup of Asha,Sales\n9812345005,Extra,Cols,Here\n9000000001,Meena,support\n'
      const announced = agentEvents.length
      const shown = await model.agents.previewImport({ csv })
      expect(shown.changed).toEqual([
        {
          line: 1,
          number: '9876543210',
          normalizedNumber: '+919876543210',
          before: { name: 'Asha Kulkarni', department: 'Sales' },
          after: { name: 'Dup of Asha', department: 'Sales' },
        },
      ])
      expect(shown.added.map((a) => [a.name, a.department])).toEqual([['Meena', 'Support']])
      expect(shown.refused.map((r) => [r.line, r.text])).toEqual([
        [2, '9812345005,Extra,Cols,Here'],
      ])
      expect(shown.departments).toEqual([{ typed: 'support', as: 'Support' }])
      // Nothing changed, nothing announced.
      expect((await model.agents.list()).map((a) => a.name)).toEqual(['Asha Kulkarni', 'Ravi'])
      expect(agentEvents.length).toBe(announced)

      // A change to an agent the file does not name leaves the plan as it was shown.
      await model.agents.update({ number: '9123456789', name: 'Ravi K' })
      const r = await model.agents.import({ csv, preview: shown.preview, changes: 'skip' })
      expect(r).toMatchObject({ added: 1, updated: 0, skipped: 1 })
      expect((await model.agents.list()).map((a) => [a.name, a.department])).toEqual([
        ['Asha Kulkarni', 'Sales'],
        ['Meena', 'Support'],
        ['Ravi K', 'Support'],
      ])
    })

    it('refuses to apply a preview the directory has moved past, changing nothing', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha', department: 'Sales' })
      const csv = 'number,name,department\n9876543210,Asha K,Sales\n9000000001,Meena,Sales\n'
      const shown = await model.agents.previewImport({ csv })
      await model.agents.update({ number: '9876543210', name: 'Asha Rao' })
      const err = await model.agents.import({ csv, preview: shown.preview }).catch((e) => e)
      expect(err).toBeInstanceOf(UserError)
      expect(err).toMatchObject({
        status: 409,
        message: expect.stringMatching(/Preview the file again/),
      })
      expect((await model.agents.list()).map((a) => a.name)).toEqual(['Asha Rao'])
      const again = await model.agents.previewImport({ csv })
      expect(again.changed[0]?.before.name).toBe('Asha Rao')
      expect(await model.agents.import({ csv, preview: again.preview })).toMatchObject({
        added: 1,
        updated: 1,
      })
    })

    it('keeps one spelling of a department added or edited in another case', async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha', department: 'Support' })
      const meena = await model.agents.add({
        number: '9000000001',
        name: 'Meena',
        department: 'SUPPORT',
      })
      expect(meena.department).toBe('Support')
      const ravi = await model.agents.add({
        number: '9123456789',
        name: 'Ravi',
        department: 'sales',
      })
      expect(ravi.department).toBe('sales')
      // Its only agent may respell a department.
      expect(
        (await model.agents.update({ number: '9123456789', department: 'Sales' })).department,
      ).toBe('Sales')
    })
  })

  describe('holidays', () => {
    it('a range sends one request per date, in date order', async () => {
      const r = await model.holidays.add({ from: '2026-12-30', to: '2027-01-02', name: 'New year' })
      expect(r.results.map((x) => x.change.state)).toEqual(Array(4).fill('confirmed'))
      expect(vendor.applied.map((q) => q.get('hdate'))).toEqual([
        '2026-12-30',
        '2026-12-31',
        '2027-01-01',
        '2027-01-02',
      ])
      expect(r.message).toMatch(/4 dates sent one by one: 4 confirmed/)
      const { holidays } = await model.holidays.list()
      expect(holidays.map((h) => [h.date, h.source, h.state])).toContainEqual([
        '2027-01-01',
        'range',
        'confirmed',
      ])
    })

    it.each([
      [{ date: '2026-02-30' }, /not a calendar date/],
      [{ date: '2026-11-26' }, /in the past/],
      [{ from: '2026-12-10', to: '2026-12-01' }, /ends before it starts/],
      [{ from: '2026-12-01', to: '2028-01-01' }, /at most 366 days/],
      [{ yearly: '02-30', name: 'x' }, /not a month and day/],
    ])('rejects %j before sending anything', async (req, msg) => {
      await expect(model.holidays.add(req as never)).rejects.toThrow(msg)
      expect(vendor.requests).toHaveLength(0)
    })

    it.each([
      [{ date: '2026-11-27' }, 'today (27 Nov 2026)'],
      [{ from: '2026-11-20', to: '2026-11-28' }, null],
      [{ from: '2026-11-28', to: '2026-12-02' }, 'tomorrow (28 Nov 2026)'],
      [{ yearly: '11-28', name: 'Founders' }, 'tomorrow (28 Nov 2026)'],
      // Friday 27 November: closing every Friday closes today.
      [{ weekly: 'Friday' }, 'today (27 Nov 2026)'],
      [{ weekly: 'Saturday' }, 'tomorrow (28 Nov 2026)'],
    ])('asks for confirmation before %j closes the office today or tomorrow', async (req, when) => {
      const err = await model.holidays.add(req as never).catch((e: unknown) => e)
      expect(vendor.requests).toHaveLength(0)
      expect((await model.holidays.list()).holidays).toEqual([])
      if (when === null) {
        // A range that starts in the past is refused for that first.
        expect(err).toMatchObject({ message: '20 Nov 2026 is in the past' })
        return
      }
      expect(err).toMatchObject({ status: 409, fields: ['confirmed'] })
      expect((err as Error).message).toBe(
        `This closes the office ${when}. As soon as the vendor confirms it, callers hear the holiday message and every call is missed until the day is over. The vendor's API cannot remove a holiday: once sent, only the vendor can undo it (this app can only take it off its own list). Confirm to send it; nothing was sent.`,
      )
      const done = await model.holidays.add({ ...req, confirmed: true } as never)
      expect(done.results.length).toBeGreaterThan(0)
    })

    it('needs no confirmation for a date two days ahead, nor for one already set', async () => {
      await model.holidays.add({ date: '2026-11-29' })
      await model.holidays.add({ date: '2026-11-27', confirmed: true })
      // Already a holiday: nothing new happens today, so nothing to confirm.
      expect((await model.holidays.add({ date: '2026-11-27' })).message).toMatch(/Already set/)
    })

    it('yearly rules materialise for the next twelve months, across the year end', async () => {
      const r = await model.holidays.add({ yearly: '01-26', name: 'Republic Day' })
      expect(r.rule).toEqual({ monthDay: '01-26', name: 'Republic Day' })
      expect(r.results.map((x) => x.change.params.hdate)).toEqual(['2027-01-26'])
      await model.holidays.add({ yearly: '11-27', name: 'Today', confirmed: true })
      expect(vendor.applied.map((q) => q.get('hdate'))).toEqual(['2027-01-26', '2026-11-27'])
      expect(model.schedule.isOpenAt(clock.now())).toBe(false)
      expect(model.schedule.describeOpenState(clock.now()).text).toMatch(
        /^Closed \(holiday: Today\)/,
      )
    })

    it('closed every Sunday: a holiday on each Sunday of the next twelve months, renewed as time passes', async () => {
      const r = await model.holidays.add({ weekly: 'Sunday' })
      const sent = vendor.applied.map((q) => q.get('hdate')!)
      // From Sunday 29 November 2026 to the last Sunday before 27 November 2027.
      expect(sent[0]).toBe('2026-11-29')
      expect(sent.at(-1)).toBe('2027-11-21')
      expect(sent).toHaveLength(52)
      expect(sent.every((d) => DateTime.fromISO(d).weekday === 7)).toBe(true)
      expect(r.results).toHaveLength(52)
      expect(r.message).toMatch(/Closed every Sunday: the vendor's API has no closed day/)
      const list = await model.holidays.list()
      expect(list.weekly).toEqual(['Sunday'])
      expect(list.holidays[0]).toMatchObject({ source: 'weekly', rule: 'Sunday' })
      // A week later the next Sunday a year ahead is sent, and only that one.
      clock.advance(7 * 86_400_000)
      try {
        await model.holidays.materialise()
      } finally {
        clock.advance(-7 * 86_400_000)
      }
      expect(vendor.applied.map((q) => q.get('hdate')).slice(52)).toEqual(['2027-11-28'])
      const rm = await model.holidays.removeWeekly({ day: 'Sunday' })
      expect(rm.message).toMatch(/no longer closed every week.*53 dates already sent stay/)
      expect((await model.holidays.list()).weekly).toEqual([])
    })

    it('removing says the vendor cannot remove a holiday; a removed rule date is not re-sent', async () => {
      await model.holidays.add({ yearly: '12-25', name: 'Christmas' })
      const rm = await model.holidays.remove({ date: '2026-12-25' })
      expect(rm).toMatchObject({ removed: true })
      expect(rm.message).toBe(
        'Removed 25 Dec 2026 from this list: this app no longer counts it as closed (open now, calls flagged outside hours, the dashboard). It is still a holiday at the vendor, whose API cannot remove one: callers still hear the holiday message on 25 Dec 2026 unless the vendor removes it. Ask the vendor to.',
      )
      await model.stop()
      await model.start() // materialises again: the dismissed date stays away
      expect(vendor.applied).toHaveLength(1)
      expect((await model.holidays.list()).holidays).toEqual([])
      const rr = await model.holidays.removeRule({ monthDay: '12-25' })
      expect(rr.removed).toBe(true)
      expect((await model.holidays.removeRule({ monthDay: '12-25' })).removed).toBe(false)
    })
  })

  describe('office hours', () => {
    it('start not before end is `Invalid Time` (400) before anything is sent', async () => {
      const err = await model.officeHours
        .set({ day: 'Monday', start: '18:00', end: '09:30' })
        .catch((e) => e)
      expect(err).toBeInstanceOf(UserError)
      expect(err).toMatchObject({ status: 400, message: 'Invalid Time' })
      await expect(
        model.officeHours.set({ day: 'Daily', start: '09:00', end: '09:00' }),
      ).rejects.toThrow('Invalid Time')
      expect(vendor.requests).toHaveLength(0)
    })

    it('sets hours in 12-hour form and the schedule follows them', async () => {
      const r = await model.officeHours.set({ day: 'Daily', start: '09:30', end: '12:00' })
      expect(r.change.state).toBe('confirmed')
      expect(vendor.officeTimes.get('Daily')).toEqual({ st: '09:30 AM', en: '12:00 PM' })
      await model.officeHours.set({ day: 'Friday', start: '11:00', end: '13:00' })
      expect(await model.officeHours.list()).toMatchObject([
        { day: 'Daily', start: '09:30', end: '12:00', state: 'confirmed' },
        { day: 'Friday', start: '11:00', end: '13:00', state: 'confirmed' },
      ])
      // Friday 10:00: the Friday entry overrides Daily.
      expect(model.schedule.describeOpenState(clock.now()).text).toBe('Closed, opens at 11:00 AM')
    })

    it('a refused change keeps the last confirmed hours in effect', async () => {
      await model.officeHours.set({ day: 'Daily', start: '09:30', end: '18:00' })
      vendor.script({ kind: 'answer', status: 200, body: 'Invalid Time' })
      const r = await model.officeHours.set({ day: 'Daily', start: '11:00', end: '12:00' })
      expect(r.change).toMatchObject({ state: 'refused', vendorAnswer: 'Invalid Time' })
      expect(model.schedule.isOpenAt(clock.now())).toBe(true)
    })
  })

  describe('what the screens are told (main is the only writer of their state)', () => {
    it("an agent shows its pending change, then the vendor's refusal, then the confirmed status", async () => {
      await model.agents.add({ number: '9876543210', name: 'Asha' })
      vendor.down = true
      await model.agents.setStatus({ number: '9876543210', status: 'OFF' })
      await until(() => agentEvents.at(-1)?.change?.state === 'pending', 3_000, 'pending')
      vendor.down = false
      vendor.script({ kind: 'answer', status: 200, body: 'Invalid Agent Number' })
      sleeper.release() // the retry reaches the vendor, which refuses
      await until(() => agentEvents.at(-1)?.change?.state === 'refused', 3_000, 'refused')
      expect(agentEvents.at(-1)?.change?.vendorAnswer).toBe('Invalid Agent Number')
      expect(agentEvents.at(-1)?.status).toBe('UNKNOWN')
      await model.agents.setStatus({ number: '9876543210', status: 'OFF' })
      expect(agentEvents.at(-1)).toMatchObject({ status: 'OFF', change: null })
      // Changes that are not about agents tell nothing about them.
      const before = agentEvents.length
      await model.holidays.add({ date: '2026-12-01' })
      expect(agentEvents).toHaveLength(before)
    })

    it("the holiday list with each date's state as holidays:updated, refusals in the vendor's words", async () => {
      const seen: { holidays: { date: string; state: string; vendorAnswer: string | null }[] }[] =
        []
      bus.on('holidays:updated', (l) => seen.push(l))
      vendor.script({ kind: 'answer', status: 200, body: 'Invalid Date' })
      await model.holidays.add({ from: '2026-12-24', to: '2026-12-25' })
      expect(seen.at(-1)?.holidays.map((h) => [h.date, h.state, h.vendorAnswer])).toEqual([
        ['2026-12-24', 'refused', 'Invalid Date'],
        ['2026-12-25', 'confirmed', 'Success'],
      ])
    })

    it('office hours as officeHours:updated and "open now?" as schedule:updated', async () => {
      const hours: unknown[] = []
      const open: { open: boolean; text: string }[] = []
      bus.on('officeHours:updated', (h) => hours.push(h))
      bus.on('schedule:updated', (s) => open.push(s))
      await model.officeHours.set({ day: 'Daily', start: '11:00', end: '18:00' })
      expect(hours.at(-1)).toMatchObject([
        { day: 'Daily', start: '11:00', end: '18:00', state: 'confirmed' },
      ])
      // Friday 10:00 in Kolkata.
      expect(open.at(-1)).toMatchObject({ open: false, text: 'Closed, opens at 11:00 AM' })
      await model.holidays.add({ date: '2026-11-27', name: 'Founders', confirmed: true })
      expect(open.at(-1)).toMatchObject({
        open: false,
        text: 'Closed (holiday: Founders), opens Saturday 11:00 AM',
      })
    })
  })

  it('changes:list is newest first', async () => {
    await model.holidays.add({ date: '2026-12-01' })
    await model.officeHours.set({ day: 'Sunday', start: '10:00', end: '11:00' })
    expect((await model.changes.list()).map((c) => c.kind)).toEqual(['office-time', 'holiday'])
  })

  it('testConnection is honest about what it can tell', async () => {
    expect(await model.testConnection()).toMatchObject({
      ok: true,
      message: expect.stringMatching(/no read or test call/),
    })
    apiKey = 'wrong'
    expect(await model.testConnection()).toMatchObject({
      ok: false,
      message: expect.stringMatching(/rejected the credentials/),
    })
    vendor.down = true
    expect(await model.testConnection()).toMatchObject({
      ok: false,
      message: expect.stringMatching(/could not be reached/),
    })
    expect(vendor.applied).toHaveLength(0)
  })
})
