import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import { EventBus } from '../../../src/main/events/bus'
import type { ChangeAttempt } from '../../../src/shared/domain'
import type { VendorParams } from '../../../src/main/ivrApi/client'
import { Outbox, type ChangeSender } from '../../../src/main/ivrApi/outbox'
import { ManualSleep, manualClock, tempDir, until } from '../../integration/ivrApi/helpers'

/** A sender whose answers the test scripts; records what it was asked to send. */
class ScriptedSender implements ChangeSender {
  sent: VendorParams[] = []
  answers: ChangeAttempt['outcome'][] = []
  fallback: ChangeAttempt['outcome'] = 'success'
  async attempt(params: VendorParams): Promise<ChangeAttempt> {
    this.sent.push(params)
    const outcome = this.answers.shift() ?? this.fallback
    return {
      at: new Date(0).toISOString(),
      outcome,
      detail: outcome === 'success' ? 'Success' : outcome === 'refused' ? 'Invalid Agent' : 'down',
      httpStatus: outcome === 'failed' ? null : 200,
    }
  }
}

describe('Outbox (scripted sender)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let sender: ScriptedSender
  let sleeper: ManualSleep
  let ob: Outbox

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    sender = new ScriptedSender()
    sleeper = new ManualSleep()
    ob = await Outbox.open({
      documents: fileDocuments(dir),
      audit: new FileLog(join(dir, 'vendor-audit.jsonl')),
      sender,
      bus: new EventBus(),
      clock: manualClock(),
      logger: silentLogger,
      sleep: sleeper.sleep,
      random: () => 0.5,
      attemptsBeforeQueued: 1,
    })
  })
  afterEach(async () => {
    await ob.stop()
    await cleanup()
  })

  const req = (target: string, status: string) => ({
    kind: 'agent-status' as const,
    target,
    params: { action: 'ManageAgent', agentnum: target, status },
    summary: status,
    requestedBy: 'ravi',
  })

  it('is on disk before anything is sent', async () => {
    const c = await ob.enqueue(req('1', 'OFF'))
    expect(sender.sent).toEqual([])
    const reopened = await Outbox.open({
      documents: fileDocuments(dir),
      audit: new FileLog(join(dir, 'vendor-audit.jsonl')),
      sender,
      bus: new EventBus(),
      clock: manualClock(),
      logger: silentLogger,
    })
    expect(reopened.get(c.id)).toMatchObject({ state: 'pending', requestedBy: 'ravi' })
  })

  it('stops cleanly while backing off', async () => {
    sender.fallback = 'failed'
    ob.start()
    await ob.submit(req('1', 'OFF'))
    await until(() => sleeper.delays.length > 0)
    await ob.stop()
    const sentBefore = sender.sent.length
    sleeper.release()
    expect(sender.sent.length).toBe(sentBefore)
    expect(ob.list()[0]!.state).toBe('pending')
  })

  it('jitter keeps delays between half and all of the exponential ceiling', async () => {
    sender.fallback = 'failed'
    ob.start()
    await ob.submit(req('1', 'OFF'))
    for (let i = 0; i < 7; i++) {
      await until(() => sleeper.delays.length > i)
      sleeper.release()
    }
    // random() = 0.5 → 75 % of 1, 2, 4, 8, 16, 30, 30 s
    expect(sleeper.delays.slice(0, 7)).toEqual([750, 1500, 3000, 6000, 12000, 22500, 22500])
  })

  it('never retries a refusal; the next change for the target then goes', async () => {
    sender.answers = ['refused']
    ob.start()
    const a = await ob.submit(req('1', 'OFF'))
    const b = await ob.submit(req('1', 'AVAIL'))
    expect(a.state).toBe('refused')
    expect(b.state).toBe('confirmed')
    expect(sender.sent.map((p) => p.status)).toEqual(['OFF', 'AVAIL'])
  })

  it('a new change wakes the worker out of its backoff (the vendor may be back)', async () => {
    sender.answers = ['failed']
    ob.start()
    const a = await ob.submit(req('1', 'OFF'))
    expect(a.state).toBe('pending')
    await until(() => sleeper.delays.length > 0)
    const b = await ob.submit(req('2', 'OFF'))
    expect(b.state).toBe('confirmed')
    expect(ob.get(a.id)!.state).toBe('confirmed')
    // Oldest first: the earlier change went out again before the new one.
    expect(sender.sent.map((p) => p.agentnum)).toEqual(['1', '1', '2'])
  })

  it('keeps working after a disk error in a round (the worker does not die with it)', async () => {
    const errors: string[] = []
    const quiet: ChangeSender = {
      attempt: async (params) => {
        sender.sent.push(params)
        return {
          at: new Date(0).toISOString(),
          outcome: 'success',
          detail: 'Success',
          httpStatus: 200,
        }
      },
    }
    const box = await Outbox.open({
      documents: fileDocuments(dir),
      audit: new FileLog(join(dir, 'vendor-audit.jsonl')),
      sender: quiet,
      bus: new EventBus(),
      clock: manualClock(),
      logger: { ...silentLogger, error: (m) => errors.push(m) },
      sleep: sleeper.sleep,
      random: () => 0.5,
    })
    const a = await box.enqueue(req('1', 'OFF'))
    // The outbox document cannot be replaced (a disk fault): settling the change fails.
    const doc = join(dir, 'outbox.json')
    await rm(doc)
    await mkdir(join(doc, 'blocker'), { recursive: true })
    box.start()
    await until(() => errors.length > 0 && sleeper.delays.length > 0, 3_000, 'a backoff')
    expect(box.get(a.id)!.state).toBe('pending')
    await rm(doc, { recursive: true })
    sleeper.release()
    const b = await box.submit(req('2', 'OFF'))
    expect(b.state).toBe('confirmed')
    expect(box.get(a.id)!.state).toBe('confirmed')
    await box.stop()
  })

  it('settles and answers even when the audit file cannot be written (the error is logged)', async () => {
    const errors: string[] = []
    const box = await Outbox.open({
      documents: fileDocuments(dir),
      audit: new FileLog(join(dir, 'vendor-audit.jsonl')),
      sender,
      bus: new EventBus(),
      clock: manualClock(),
      logger: { ...silentLogger, error: (m) => errors.push(m) },
      sleep: sleeper.sleep,
      random: () => 0.5,
    })
    const settled: string[] = []
    box.onSettled((c) => void settled.push(c.state))
    const audit = join(dir, 'vendor-audit.jsonl')
    await mkdir(join(audit, 'blocker'), { recursive: true })
    box.start()
    const a = await box.submit(req('1', 'OFF'), 3_000)
    expect(a.state).toBe('confirmed')
    expect(settled).toEqual(['confirmed'])
    expect(sender.sent).toHaveLength(1)
    expect(errors.length).toBeGreaterThan(0)
    await box.stop()
  })

  it('onSettled listeners run before submit answers', async () => {
    const seen: string[] = []
    ob.onSettled((c) => {
      seen.push(c.state)
    })
    ob.start()
    await ob.submit(req('1', 'OFF'))
    expect(seen).toEqual(['confirmed'])
  })
})
