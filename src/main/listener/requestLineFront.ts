import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { Duplex } from 'node:stream'

/**
 * What a real vendor sends, repaired before Node's HTTP parser sees it. The vendor's own sample
 * URLs carry raw spaces (`st_time=HH:MI AM/PM`), and a sender that concatenates values sends
 * `state=Tamil Nadu` or a department named in Hindi as raw UTF-8: Node's parser refuses any
 * request line whose target holds a space or a byte above 127 before our code runs, and the
 * push (every call from half of India's states) was answered `400 Invalid Data`.
 *
 * This front sits on each socket of the listener. It holds the bytes of a request line until its
 * end (`\n`), and when its target holds raw spaces or bytes above 127 it writes them again, byte
 * for byte, as `%20`, `%E0`, …: the target is everything between the method and the last
 * ` HTTP/1.x` of the line. The repaired line is what the parser gets; everything else (headers,
 * body, control characters the parser refuses anyway) passes unchanged and unheld. To find the
 * next request line on a kept-alive connection it follows each message's framing (its
 * Content-Length, or its chunks); anything it cannot follow (an upgrade, a conflicting length)
 * ends its work on that connection: the rest passes as it came, for the parser to judge.
 *
 * Bounded like the parser: a line longer than {@link FrontLimits.lineBytes} or not complete
 * within {@link FrontLimits.lineMs} is passed on as it is (the parser then answers 431, or times
 * out), and headers past {@link FrontLimits.headerBytes} end the front's work on the connection.
 */
export interface FrontLimits {
  /** The longest request line held (the parser's own limit on the header section: 16 KiB). */
  lineBytes: number
  /** Longest a request line is held waiting for its end (the parser's headers timeout). */
  lineMs: number
  /** The longest header section followed (past it the parser answers 431 anyway). */
  headerBytes: number
}

/** Puts a {@link RequestLineFront} in front of every connection `server` gets. */
export function frontConnections(server: Server, limits: FrontLimits): void {
  const emit = server.emit.bind(server) as (event: string, ...args: unknown[]) => boolean
  server.emit = ((event: string, ...args: unknown[]) => {
    const socket = args[0]
    if (event === 'connection' && !(socket instanceof RequestLineFront))
      return emit('connection', new RequestLineFront(socket as Socket, limits))
    return emit(event, ...args)
  }) as Server['emit']
}

const SP = 0x20
const CR = 0x0d
const LF = 0x0a
const HEX = '0123456789ABCDEF'

/** Where the front is in the stream of messages on a connection. */
type State =
  | { at: 'line'; held: Buffer[]; bytes: number }
  | {
      at: 'headers'
      seen: number
      line: Buffer[]
      lineBytes: number
      length: number | null
      chunked: boolean
      /** A framing this front does not follow: it stops at the end of the headers. */
      conflict: boolean
    }
  | { at: 'body'; left: number }
  | { at: 'chunk-size'; line: string }
  | { at: 'chunk-data'; left: number }
  | { at: 'chunk-end'; left: number }
  | { at: 'trailers'; line: number }
  | { at: 'pass' }

/**
 * Whether the first bytes of a line held so far can begin a request line: a method in capitals,
 * then a space (a line with anything else is not held: the parser refuses it at once).
 */
function mayBeRequestLine(held: readonly Buffer[]): boolean {
  const first = held[0]!
  const n = Math.min(first.length, 17)
  for (let i = 0; i < n; i++) {
    const c = first[i]!
    if (c === SP) return i > 0
    if (c < 0x41 || c > 0x5a) return false
  }
  // A method of 16 capitals at most, then the space; shorter: not there yet.
  return n < 17
}

/**
 * The repaired request line, or null when it needs no repair (or is not a request line this
 * front understands: left to the parser).
 */
export function repairRequestLine(line: Buffer): Buffer | null {
  // The line without its end (`\r\n` or `\n`).
  let end = line.length
  if (end > 0 && line[end - 1] === LF) end--
  if (end > 0 && line[end - 1] === CR) end--
  const methodEnd = line.indexOf(SP)
  if (methodEnd <= 0 || methodEnd >= end) return null
  for (let i = 0; i < methodEnd; i++) {
    const c = line[i]!
    if (c < 0x41 || c > 0x5a) return null
  }
  // The last ` HTTP/d.d` of the line ends the target.
  const versionAt = end - ' HTTP/1.1'.length
  if (versionAt <= methodEnd || line.toString('latin1', versionAt, versionAt + 6) !== ' HTTP/')
    return null
  const v = line.toString('latin1', versionAt + 6, end)
  if (!/^\d\.\d$/.test(v)) return null
  const from = methodEnd + 1
  let needs = 0
  for (let i = from; i < versionAt; i++) {
    const c = line[i]!
    if (c === SP || c > 0x7f) needs++
  }
  if (needs === 0) return null
  const out = Buffer.allocUnsafe(line.length + needs * 2)
  line.copy(out, 0, 0, from)
  let k = from
  for (let i = from; i < versionAt; i++) {
    const c = line[i]!
    if (c === SP || c > 0x7f) {
      out[k++] = 0x25
      out[k++] = HEX.charCodeAt(c >> 4)
      out[k++] = HEX.charCodeAt(c & 15)
    } else out[k++] = c
  }
  line.copy(out, k, versionAt)
  return out
}

/**
 * A connection as Node's HTTP server sees it (any Duplex may be one): bytes from the socket,
 * request lines repaired (see the module comment); what the server writes goes straight to the
 * socket. The socket's address, timeouts and options are the socket's.
 */
export class RequestLineFront extends Duplex {
  private state: State = { at: 'line', held: [], bytes: 0 }
  private lineTimer: NodeJS.Timeout | null = null

  constructor(
    readonly socket: Socket,
    private readonly limits: FrontLimits,
  ) {
    super({ allowHalfOpen: true })
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(this.repair(chunk))) socket.pause()
    })
    socket.on('end', () => {
      this.flushLine()
      this.push(null)
    })
    socket.on('timeout', () => this.emit('timeout'))
    socket.on('error', (err) => this.destroy(err))
    socket.on('close', () => this.destroy())
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort
  }
  get remoteFamily(): string | undefined {
    return this.socket.remoteFamily
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress
  }
  get localPort(): number | undefined {
    return this.socket.localPort
  }
  address(): ReturnType<Socket['address']> {
    return this.socket.address()
  }
  setTimeout(ms: number, callback?: () => void): this {
    this.socket.setTimeout(ms)
    if (callback) this.once('timeout', callback)
    return this
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay)
    return this
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay)
    return this
  }

  override _read(): void {
    this.socket.resume()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.socket.write(chunk, done)
  }

  override _final(done: (err?: Error | null) => void): void {
    this.socket.end(done)
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    if (this.lineTimer) clearTimeout(this.lineTimer)
    this.socket.destroy(err ?? undefined)
    done(err)
  }

  /** The bytes of `chunk` to hand on now (a request line is held until it is whole). */
  private repair(chunk: Buffer): Buffer {
    const out: Buffer[] = []
    // Whether what is handed on differs from `chunk` (a line repaired or held): if not, the
    // chunk itself is handed on, with no copy.
    let changed = this.state.at === 'line' && this.state.bytes > 0
    let pos = 0
    while (pos < chunk.length) {
      const s = this.state
      if (s.at === 'pass') {
        out.push(chunk.subarray(pos))
        break
      }
      if (s.at === 'line') {
        // Empty lines before a request (allowed between messages) pass as they are.
        if (s.bytes === 0 && (chunk[pos] === CR || chunk[pos] === LF)) {
          out.push(chunk.subarray(pos, pos + 1))
          pos++
          continue
        }
        const nl = chunk.indexOf(LF, pos)
        const upTo = nl < 0 ? chunk.length : nl + 1
        s.held.push(chunk.subarray(pos, upTo))
        s.bytes += upTo - pos
        pos = upTo
        if (nl >= 0) {
          const line = s.held.length === 1 ? s.held[0]! : Buffer.concat(s.held, s.bytes)
          const repaired = repairRequestLine(line)
          if (repaired) changed = true
          out.push(repaired ?? line)
          this.endLine()
          this.state = {
            at: 'headers',
            seen: 0,
            line: [],
            lineBytes: 0,
            length: null,
            chunked: false,
            conflict: false,
          }
        } else if (s.bytes > this.limits.lineBytes || !mayBeRequestLine(s.held)) {
          // Longer than the parser takes, or no request line at all (what a TLS client sends to
          // an HTTP port): the parser answers for itself, at once.
          out.push(...s.held)
          this.endLine()
          this.state = { at: 'pass' }
        }
        continue
      }
      if (s.at === 'headers') {
        pos = this.headers(s, chunk, pos, out)
        continue
      }
      if (s.at === 'body' || s.at === 'chunk-data' || s.at === 'chunk-end') {
        const n = Math.min(s.left, chunk.length - pos)
        out.push(chunk.subarray(pos, pos + n))
        pos += n
        s.left -= n
        if (s.left === 0)
          this.state =
            s.at === 'body'
              ? { at: 'line', held: [], bytes: 0 }
              : s.at === 'chunk-data'
                ? { at: 'chunk-end', left: 2 }
                : { at: 'chunk-size', line: '' }
        continue
      }
      // Chunk sizes and trailers: one line at a time, passed as they come.
      const nl = chunk.indexOf(LF, pos)
      const upTo = nl < 0 ? chunk.length : nl + 1
      out.push(chunk.subarray(pos, upTo))
      if (s.at === 'chunk-size') {
        s.line += chunk.toString('latin1', pos, upTo)
        if (s.line.length > 1024) this.state = { at: 'pass' }
        else if (nl >= 0) {
          const size = /^([0-9A-Fa-f]{1,8})(?:;[^\r\n]*)?\r?\n$/.exec(s.line)
          if (!size) this.state = { at: 'pass' }
          else {
            const n = parseInt(size[1]!, 16)
            this.state = n === 0 ? { at: 'trailers', line: 0 } : { at: 'chunk-data', left: n }
          }
        }
      } else if (s.at === 'trailers') {
        if (nl >= 0) {
          const empty = s.line + (upTo - pos) <= 2
          this.state = empty ? { at: 'line', held: [], bytes: 0 } : { at: 'trailers', line: 0 }
        } else s.line += upTo - pos
      }
      pos = upTo
    }
    // A request line not whole yet: held, for a bounded time.
    if (this.state.at === 'line' && this.state.bytes > 0) {
      changed = true
      if (!this.lineTimer) this.startLine()
    }
    if (!changed) return chunk
    return out.length === 1 ? out[0]! : Buffer.concat(out)
  }

  /** Header lines: passed on as they come, read for the message's framing. */
  private headers(
    s: Extract<State, { at: 'headers' }>,
    chunk: Buffer,
    pos: number,
    out: Buffer[],
  ): number {
    const nl = chunk.indexOf(LF, pos)
    const upTo = nl < 0 ? chunk.length : nl + 1
    out.push(chunk.subarray(pos, upTo))
    s.seen += upTo - pos
    if (s.seen > this.limits.headerBytes) {
      this.state = { at: 'pass' }
      return upTo
    }
    // Most lines lie whole in one chunk: read in place, and only those that can frame a body.
    let bytes: Buffer
    if (s.lineBytes === 0 && nl >= 0) bytes = chunk.subarray(pos, upTo)
    else {
      s.line.push(chunk.subarray(pos, upTo))
      s.lineBytes += upTo - pos
      if (nl < 0) return upTo
      bytes = Buffer.concat(s.line, s.lineBytes)
      s.line = []
      s.lineBytes = 0
    }
    const first = bytes[0]! | 0x20
    const blank = bytes.length <= 2 && (bytes[0] === CR || bytes[0] === LF)
    if (!blank && first !== 0x63 && first !== 0x74 && first !== 0x75) return upTo // c, t, u
    const line = bytes.toString('latin1').replace(/\r?\n$/, '')
    if (line === '') {
      // End of the headers: what follows is the body, then the next request.
      if (s.conflict) this.state = { at: 'pass' }
      else if (s.chunked) this.state = { at: 'chunk-size', line: '' }
      else if (s.length) this.state = { at: 'body', left: s.length }
      else this.state = { at: 'line', held: [], bytes: 0 }
      return upTo
    }
    const colon = line.indexOf(':')
    const name = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase()
    const value = colon < 0 ? '' : line.slice(colon + 1).trim()
    if (name === 'content-length') {
      const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN
      if (Number.isNaN(n) || (s.length !== null && s.length !== n)) s.conflict = true
      else s.length = n
    } else if (name === 'transfer-encoding') {
      // Only `chunked` last is a body this front can follow; the parser judges the rest.
      if (/(?:^|,)\s*chunked\s*$/i.test(value)) s.chunked = true
      else s.conflict = true
    } else if (name === 'upgrade') s.conflict = true
    if (s.chunked && s.length !== null) s.conflict = true
    return upTo
  }

  private startLine(): void {
    // Not whole in time: passed on as it is, the parser's own timeout then applies.
    this.lineTimer = setTimeout(() => {
      this.lineTimer = null
      this.flushLine()
      this.state = { at: 'pass' }
    }, this.limits.lineMs)
    this.lineTimer.unref()
  }

  private endLine(): void {
    if (this.lineTimer) clearTimeout(this.lineTimer)
    this.lineTimer = null
  }

  /** Hands on a request line held so far (the connection ended, or it took too long). */
  private flushLine(): void {
    const s = this.state
    if (s.at !== 'line' || s.bytes === 0) return
    this.endLine()
    const held = Buffer.concat(s.held, s.bytes)
    this.state = { at: 'line', held: [], bytes: 0 }
    if (!this.destroyed) this.push(held)
  }
}
