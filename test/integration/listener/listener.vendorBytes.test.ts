import { connect } from 'node:net'
import { deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { TOKEN, samplePush, listenerHarness, type StartedListener } from './helpers'

/**
 * What real vendors send where it bends HTTP (see docs/vendor-behaviour): raw spaces and raw
 * UTF-8 in the request line, a byte-order mark before JSON, a declared character set, compressed
 * bodies. Sent with raw sockets to the real listener, and each call checked as stored: exactly
 * the values the vendor meant.
 */
const start = listenerHarness()
const path = `/api/PostCallLogs/${TOKEN}/`
const portOf = (l: StartedListener): number => l.server.status().port

/** Sends raw bytes (in pieces, when given several); resolves with every answer written. */
function raw(port: number, ...pieces: (string | Buffer)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = connect(port, '127.0.0.1', async () => {
      for (const p of pieces) {
        socket.write(p)
        // Each piece its own segment: the request line arrives cut.
        if (pieces.length > 1) await new Promise((r) => setTimeout(r, 15))
      }
    })
    socket.on('data', (d) => (text += d.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => resolve(text))
  })
}

/** The answers in a connection's output: status and body of each. */
function answers(text: string): { status: number; body: string }[] {
  const out: { status: number; body: string }[] = []
  for (const m of text.matchAll(/HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/g)) {
    const len = Number(/content-length: (\d+)/i.exec(m[2]!)?.[1] ?? 0)
    const at = m.index! + m[0].length
    out.push({ status: Number(m[1]), body: text.slice(at, at + len) })
  }
  return out
}

/** A query string written the way a concatenating sender writes it: nothing encoded. */
const unencoded = (p: Record<string, string>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')

const get = (query: string, close = true): Buffer =>
  Buffer.from(
    `GET ${path}?${query} HTTP/1.1\r\nHost: vendor\r\n${close ? 'Connection: close\r\n' : ''}\r\n`,
  )

function post(body: Buffer, headers: Record<string, string>): Buffer {
  const head = Object.entries({ ...headers, 'Content-Length': String(body.length) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  return Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: vendor\r\nConnection: close\r\n${head}\r\n`),
    body,
  ])
}

describe('request lines as vendors write them', () => {
  it('raw spaces and raw UTF-8 in the query: accepted, stored with exactly the values meant', async () => {
    const l = await start()
    const cases: Record<string, string>[] = [
      { id: 'tn', state: 'Tamil Nadu', department: 'Customer Care' },
      { id: 'wb', state: 'West Bengal', department: 'बिक्री सहायता' },
      // The seed's own sample style: a time with a raw space, an unknown parameter kept raw.
      { id: 'seed', state: 'Karnataka', department: 'Sales', st_time: '09:30 AM' },
    ]
    for (const c of cases) {
      const { id = '', ...extra } = c
      const text = await raw(portOf(l), get(unencoded(samplePush(id, extra))))
      expect(answers(text), id).toEqual([{ status: 200, body: 'Accepted' }])
      const call = l.store.calls.get(id)!
      expect(call.circle).toBe(c.state)
      expect(call.department).toBe(c.department)
      expect(call.raw.state).toBe(c.state)
      if (c.st_time) expect(call.raw.st_time).toBe('09:30 AM')
    }
    expect(l.rejected.entries).toEqual([])
  })

  it('raw bytes of a Windows sender in the query: read as its code page, as in a body', async () => {
    const l = await start()
    const { department: _d, ...rest } = samplePush('cp1252')
    // Bytes above 127 as they are (not UTF-8): a latin1 string written byte for byte.
    const line = get(`${unencoded(rest)}&department=Caf\xe9 \x93Bar\x94`).toString('utf8')
    const text = await raw(portOf(l), Buffer.from(line, 'latin1'))
    expect(answers(text)).toEqual([{ status: 200, body: 'Accepted' }])
    expect(l.store.calls.get('cp1252')!.department).toBe('Café \u201cBar\u201d')
  })

  it('a request line cut into pieces, and pushes kept alive on one connection, each repaired', async () => {
    const l = await start()
    const first = get(unencoded(samplePush('cut', { state: 'Tamil Nadu' })), false)
    // The line cut inside the raw space and inside a UTF-8 character.
    const utf = get(unencoded(samplePush('ka2', { department: 'ग्राहक सेवा' })), false)
    const body = Buffer.from(JSON.stringify(samplePush('json-between')))
    const between = Buffer.concat([
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: vendor\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      ),
      body,
    ])
    const form = 'callstatus=ANSWER&callernumber=9876543210&date=2026-11-27&time=10:15:00'
    const chunked = Buffer.from(
      `POST ${path}?calllogid=chunked&note=a b HTTP/1.1\r\nHost: vendor\r\n` +
        'Transfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n' +
        `5\r\n${form.slice(0, 5)}\r\n${(form.length - 5).toString(16)}\r\n${form.slice(5)}\r\n0\r\n\r\n`,
    )
    const last = get(unencoded(samplePush('last', { state: 'Uttar Pradesh' })))
    const at = first.indexOf(' Nadu')
    const cutUtf = utf.indexOf(Buffer.from('ग्राहक')) + 1
    const text = await raw(
      portOf(l),
      first.subarray(0, at + 2),
      first.subarray(at + 2),
      utf.subarray(0, cutUtf),
      utf.subarray(cutUtf),
      between,
      chunked,
      last,
    )
    expect(answers(text)).toEqual(Array(5).fill({ status: 200, body: 'Accepted' }))
    expect(l.store.calls.get('cut')!.circle).toBe('Tamil Nadu')
    expect(l.store.calls.get('ka2')!.department).toBe('ग्राहक सेवा')
    expect(l.store.calls.get('json-between')!.id).toBe('json-between')
    expect(l.store.calls.get('chunked')!.raw.note).toBe('a b')
    expect(l.store.calls.get('last')!.circle).toBe('Uttar Pradesh')
  })
})

describe('the front is bounded like the parser', () => {
  it('a request line that never ends is handed on, and the parser answers it in time (408)', async () => {
    const l = await start()
    const text = await new Promise<string>((resolve) => {
      let out = ''
      const socket = connect(portOf(l), '127.0.0.1', () => {
        socket.write(`GET ${path}?calllogid=drip&state=Tamil`)
        // One byte a second, never a line end: never idle, never done.
        const drip = setInterval(() => socket.writable && socket.write('x'), 1000)
        socket.on('close', () => {
          clearInterval(drip)
          resolve(out)
        })
      })
      socket.on('data', (d) => (out += d.toString()))
      socket.on('error', () => {})
    })
    expect(answers(text)).toEqual([{ status: 408, body: 'Failure' }])
  }, 60_000)

  it('a request line longer than the parser takes is handed on and answered 431', async () => {
    const l = await start()
    const long = `GET ${path}?calllogid=long&state=${'Tamil Nadu '.repeat(2000)} HTTP/1.1\r\nHost: x\r\n\r\n`
    expect(answers(await raw(portOf(l), long))).toEqual([{ status: 431, body: 'Invalid Data' }])
    expect(l.rejected.entries.map((e) => e.params.calllogid)).toEqual(['long'])
  })
})

describe('bodies as vendors send them', () => {
  it('JSON after a UTF-8 byte-order mark (.NET senders)', async () => {
    const l = await start()
    const json = JSON.stringify(samplePush('bom', { department: 'बिक्री' }))
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)])
    const text = await raw(portOf(l), post(body, { 'Content-Type': 'application/json' }))
    expect(answers(text)).toEqual([{ status: 200, body: 'Accepted' }])
    expect(l.store.calls.get('bom')!.department).toBe('बिक्री')
  })

  it('a declared character set is honoured (iso-8859-1), in JSON and in a form', async () => {
    const l = await start()
    const json = Buffer.from(
      JSON.stringify(samplePush('latin-json', { department: 'Café' })),
      'latin1',
    )
    expect(json.includes(0xe9)).toBe(true)
    const { department: _d, state: _s, ...rest } = samplePush('latin-form')
    const form = Buffer.from(
      `${new URLSearchParams(rest).toString()}&department=Caf%E9&state=Caf\xe9 Bar`,
      'latin1',
    )
    for (const [bytes, type] of [
      [json, 'application/json; charset=iso-8859-1'],
      [form, 'application/x-www-form-urlencoded; charset=ISO-8859-1'],
    ] as const)
      expect(answers(await raw(portOf(l), post(bytes, { 'Content-Type': type })))).toEqual([
        { status: 200, body: 'Accepted' },
      ])
    expect(l.store.calls.get('latin-json')!.department).toBe('Café')
    expect(l.store.calls.get('latin-form')!.department).toBe('Café')
    expect(l.store.calls.get('latin-form')!.circle).toBe('Café Bar')
  })

  it('gzip and deflate bodies are decompressed', async () => {
    const l = await start()
    const json = Buffer.from(JSON.stringify(samplePush('gz', { state: 'Tamil Nadu' })))
    const form = Buffer.from(new URLSearchParams(samplePush('df')).toString())
    const cases = [
      post(gzipSync(json), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }),
      post(deflateSync(form), {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Encoding': 'deflate',
      }),
    ]
    for (const c of cases)
      expect(answers(await raw(portOf(l), c))).toEqual([{ status: 200, body: 'Accepted' }])
    expect(l.store.calls.get('gz')!.circle).toBe('Tamil Nadu')
    expect(l.store.calls.get('df')!.id).toBe('df')
  })

  it('a gzip bomb is refused at the body limit after decompression, and kept without its body', async () => {
    const l = await start()
    // 10 MB of zeros after a valid JSON start: well under the 16 KiB limit compressed.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"calllogid":"bomb","pad":"'), Buffer.alloc(10e6, 0x30)]),
    )
    expect(bomb.length).toBeLessThan(16 * 1024)
    const text = await raw(
      portOf(l),
      post(bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }),
    )
    expect(answers(text)).toEqual([{ status: 413, body: 'Invalid Data' }])
    expect(l.store.calls.size).toBe(0)
    expect(l.rejected.entries).toHaveLength(1)
    expect(l.rejected.entries[0]!.reason).toMatch(/larger than 16 KiB once decompressed/)
    expect(l.rejected.entries[0]!.params['(body)']).toBeUndefined()
  })

  it('what truly cannot be read is still refused and kept: an unknown encoding, a broken gzip', async () => {
    const l = await start()
    const json = Buffer.from(JSON.stringify(samplePush('x')))
    const cases = [
      post(json, { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }),
      post(json, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }),
      post(json, { 'Content-Type': 'application/json; charset=x-klingon' }),
    ]
    for (const c of cases)
      expect(answers(await raw(portOf(l), c))).toEqual([{ status: 400, body: 'Invalid Data' }])
    const reasons = l.rejected.entries.map((e) => e.reason)
    expect(reasons[0]).toMatch(/encoded with "compress"/)
    expect(reasons[1]).toMatch(/gzip-compressed but could not be decompressed/)
    expect(reasons[2]).toMatch(/character set "x-klingon"/)
    // The bytes as received, kept (base64 when compressed).
    expect(l.rejected.entries[0]!.params['(body)']).toBe(`base64:${json.toString('base64')}`)
    expect(l.store.calls.size).toBe(0)
  })
})
