/**
 * `GET /api/v1/calls.csv`: the filtered calls as a CSV download, streamed from the core chunk by
 * chunk with backpressure, so exporting a year of calls never holds it all in memory.
 */
import type { FastifyReply } from 'fastify'
import { Readable } from 'node:stream'
import type { CallExportQuery } from '../../shared/schemas'
import type { Core } from '../core/core'
import type { Logger } from '../ground/logger'

/**
 * Set on an export whose months lost calls to damage: `YYYY-MM=<calls>, ...`. The rows are every
 * readable call; the storage problem in health says which calls are missing.
 */
export const UNREADABLE_HEADER = 'x-unreadable-calls'

/** `calls-<from>-<to>.csv`; both dates are validated `YYYY-MM-DD`, so safe in a header. */
export function csvFileName(q: CallExportQuery): string {
  return `calls-${q.from ?? 'all'}-${q.to ?? 'all'}.csv`
}

/**
 * Sends the export. The first chunk is awaited before the status line goes out, so a failure to
 * start (bad filter, storage down) still gets a proper error answer instead of a cut stream.
 */
export async function sendCsv(
  core: Pick<Core, 'exportCsv' | 'unreadable'>,
  query: CallExportQuery,
  reply: FastifyReply,
  logger: Logger,
): Promise<FastifyReply> {
  const it = core.exportCsv(query)[Symbol.asyncIterator]()
  const first = await it.next()
  async function* chunks(): AsyncGenerator<string> {
    try {
      if (first.done) return
      yield first.value
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value
    } finally {
      // The client went away mid-export: let the core release its shard readers.
      await it.return?.()
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false })
  stream.on('error', (err) => {
    logger.error('api: the CSV export failed mid-stream', { error: String(err) })
  })
  // Months found damaged so far (the first chunk read the newest): say what the export lacks.
  const lost = core.unreadable?.(query) ?? []
  if (lost.length > 0)
    reply.header(UNREADABLE_HEADER, lost.map((l) => `${l.month}=${l.calls}`).join(', '))
  return reply
    .code(200)
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csvFileName(query)}"`)
    .send(stream)
}
