/** One server-sent event frame. */
export interface SseFrame {
  event: string
  data: string
  id: string | null
}

/**
 * Incremental parser for a `text/event-stream` body: feed it decoded chunks as they arrive (a
 * frame may be split anywhere, even inside a line ending) and it returns the complete frames.
 */
export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []
  private id: string | null = null
  /**
   * The id of the last complete frame, for `Last-Event-ID` when reconnecting. Taken when the
   * frame ends (as the standard says), so a stream cut between an `id:` line and the end of its
   * frame never claims an event that did not arrive. A frame of an id alone sets it too.
   */
  lastEventId: string | null = null
  /** The server's `retry:` advice in ms, if any. */
  retryMs: number | null = null

  push(chunk: string): SseFrame[] {
    this.buffer += chunk
    const frames: SseFrame[] = []
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer)
      if (!match) break
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break
      const line = this.buffer.slice(0, match.index)
      this.buffer = this.buffer.slice(match.index + match[0].length)
      const frame = this.line(line)
      if (frame) frames.push(frame)
    }
    return frames
  }

  private line(line: string): SseFrame | null {
    if (line === '') {
      this.lastEventId = this.id
      if (this.data.length === 0) {
        this.event = ''
        return null
      }
      const frame = { event: this.event || 'message', data: this.data.join('\n'), id: this.id }
      this.event = ''
      this.data = []
      return frame
    }
    if (line.startsWith(':')) return null
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.event = value
    else if (field === 'data') this.data.push(value)
    else if (field === 'id') {
      // An id with a NUL is ignored, as the standard says.
      if (!value.includes('\0')) this.id = value
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value)
    return null
  }
}
