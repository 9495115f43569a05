import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A port on this machine that nothing listens on (bound, then closed): a refused connection. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}
