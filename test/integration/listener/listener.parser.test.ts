import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { request } from 'undici'
import { TOKEN, qs, samplePush, listenerHarness, type StartedListener } from './helpers'

/**
 * What reaches the listener but never its handler: requests Node's HTTP parser refuses, clients
 * too slow to send their request, and JSON numbers too long for a double.
 */

const start = listenerHarness()

/** Sends raw bytes; resolves with everything the server wrote before it closed the socket. */
function raw(
  port: number,
  bytes: string | Buffer,
): Promise<{ text: string; closedAfterMs: number }> {
  const t0 = Date.now()
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    socket.on('data', (d) => (text += d.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - t0 }))
  })
}

const portOf = (l: StartedListener): number => l.server.status().port

function parse(answer: string): { status: number; headers: string; body: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body }
}

describe("requests Node's HTTP parser refuses", () => {
  const path = `/api/PostCallLogs/${TOKEN}/`

  it('answers in the vendor words, in plain text, and keeps ours in the rejected log without the token', async () => {
    const l = await start()
    const cases = [
      // Header section over 16 KiB: 431.
      {
        bytes: `GET ${path}?calllogid=big&callstatus=MISSED HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        status: 431,
      },
      // A query string so long (2,000 parameters) that the request line alone is over 16 KiB.
      {
        bytes: `GET ${path}?calllogid=many&${Array.from({ length: 2000 }, (_, i) => `param${i}=value${i}`).join('&')} HTTP/1.1\r\nHost: x\r\n\r\n`,
        status: 431,
      },
      // A byte no URL may hold, that no front repairs: a control character. (Raw spaces and
      // raw UTF-8 are repaired before the parser: listener.vendorBytes.test.ts.)
      {
        bytes: `GET ${path}?calllogid=ctl&state=Kar\x01nataka HTTP/1.1\r\nHost: x\r\n\r\n`,
        status: 400,
      },
      {
        bytes: `POST ${path}?calllogid=cl HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`,
        status: 400,
      },
    ]
    for (const c of cases) {
      const a = parse((await raw(portOf(l), c.bytes)).text)
      expect(a, String(c.bytes).slice(0, 80)).toMatchObject({
        status: c.status,
        body: 'Invalid Data',
      })
      expect(a.headers).toContain('content-type: text/plain')
      expect(a.headers).toContain('cache-control: no-store')
    }
    const kept = l.rejected.entries
    expect(kept.map((e) => e.params.calllogid)).toEqual(['big', 'many', 'ctl', 'cl'])
    expect(kept[0]).toMatchObject({ method: 'GET', fields: [], remoteAddress: '127.0.0.1' })
    expect(kept[0]!.reason).toContain('16 KiB')
    expect(kept[0]!.params.callstatus).toBe('MISSED')
    expect(kept[1]!.params.param1999).toBe('value1999')
    expect(kept[2]!.reason).toContain('HPE_INVALID_URL')
    expect(JSON.stringify(kept)).not.toContain(TOKEN)
    expect(l.logger.lines.join('\n')).not.toContain(TOKEN)
    expect(l.store.size()).toBe(0)
  })

  it('counts each refused request once: rejected when kept, refused (503) when it could not be kept', async () => {
    const results: string[] = []
    const l = await start({ meter: { pushed: (result) => void results.push(result) } })
    const bad = (id: string) =>
      `GET ${path}?calllogid=${id}&state=Kar\x01nataka HTTP/1.1\r\nHost: x\r\n\r\n`
    expect(parse((await raw(portOf(l), bad('kept'))).text)).toMatchObject({ status: 400 })
    l.rejected.failWith = new Error('EIO')
    expect(parse((await raw(portOf(l), bad('lost'))).text)).toMatchObject({
      status: 503,
      body: 'Failure',
    })
    expect(results).toEqual(['rejected', 'refused'])
    expect(l.rejected.entries.map((e) => e.params.calllogid)).toEqual(['kept'])
  })

  it('answers requests that are not ours the same way, and keeps none of them', async () => {
    const l = await start()
    const wrong = `/api/PostCallLogs/${TOKEN.slice(0, -1)}X/`
    const answers = [
      await raw(portOf(l), `GET ${wrong}?calllogid=w1&x=a\x01b HTTP/1.1\r\nHost: x\r\n\r\n`),
      // What a TLS client sends to an HTTP port.
      await raw(portOf(l), Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01])),
    ].map((a) => parse(a.text))
    for (const a of answers) expect(a).toMatchObject({ status: 400, body: 'Invalid Data' })
    // A raw space is repaired before the parser: then it is a miss like any other.
    const repaired = parse(
      (
        await raw(
          portOf(l),
          `GET /elsewhere?a=b c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        )
      ).text,
    )
    expect(repaired).toMatchObject({ status: 404, body: 'Not Found' })
    expect(l.rejected.entries).toHaveLength(0)
  })

  it('closes a client that sends its headers too slowly well before 30 s, in the vendor words', async () => {
    const l = await start()
    const t0 = Date.now()
    const closed = await new Promise<{ text: string; ms: number }>((resolve) => {
      let text = ''
      const socket = connect(portOf(l), '127.0.0.1', () => {
        socket.write(`GET ${path}?calllogid=slow HTTP/1.1\r\nHost: x\r\n`)
        // One header byte a second: never idle, never done.
        const drip = setInterval(() => socket.writable && socket.write('X'), 1000)
        socket.on('close', () => {
          clearInterval(drip)
          resolve({ text, ms: Date.now() - t0 })
        })
      })
      socket.on('data', (d) => (text += d.toString()))
      socket.on('error', () => {})
    })
    // Headers are due within 5 s (checked every second); generous for a busy machine.
    expect(closed.ms).toBeLessThan(20_000)
    expect(parse(closed.text)).toMatchObject({ status: 408, body: 'Failure' })
  }, 40_000)

  it('closes a client that sends its body too slowly well before 30 s', async () => {
    const l = await start()
    const t0 = Date.now()
    const ms = await new Promise<number>((resolve) => {
      const socket = connect(portOf(l), '127.0.0.1', () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n`,
        )
        const drip = setInterval(() => socket.writable && socket.write('a'), 1000)
        socket.on('close', () => {
          clearInterval(drip)
          resolve(Date.now() - t0)
        })
      })
      socket.on('error', () => {})
    })
    // The whole request is due within 10 s.
    expect(ms).toBeLessThan(25_000)
    expect(l.store.size()).toBe(0)
  }, 40_000)
})

describe('JSON numbers', () => {
  it('keeps numeric call ids exactly: three ids that differ in the last digit are three calls', async () => {
    const l = await start()
    const ids = ['12345678901234567890', '12345678901234567891', '12345678901234567892']
    for (const id of ids) {
      const { calllogid: _id, ivrduration: _ivr, ...rest } = samplePush('x')
      const body = `{"calllogid":${id},"ivrduration":12.50,${JSON.stringify(rest).slice(1)}`
      const res = await request(l.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      })
      expect(await res.body.text()).toBe('Accepted')
    }
    expect([...l.store.calls.keys()]).toEqual(ids)
    const call = l.store.calls.get(ids[2]!)!
    expect(call.revision).toBe(1)
    expect(call.raw.calllogid).toBe(ids[2])
    expect(call.raw.ivrduration).toBe('12.50')
    expect(call.ivrSeconds).toBe(12)
  })
})

describe('a long token', () => {
  it('serves the route with the longest token the settings allow (128 characters)', async () => {
    const token = 'T'.repeat(128)
    const l = await start({ token })
    const res = await request(`${l.base}/api/PostCallLogs/${token}/?${qs(samplePush('long'))}`)
    expect(await res.body.text()).toBe('Accepted')
  })
})
