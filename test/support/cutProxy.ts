/**
 * A TCP relay to a local server whose "network" a test can cut and restore (a laptop's lid, a
 * lost Wi-Fi): cut, open connections are reset and new ones refused at once; restored, it relays
 * again on the same port, to whichever server the test points it at.
 */
import { createServer, connect, type Socket } from 'node:net'

export interface CutProxy {
  port: number
  cut(): void
  restore(): void
  /** Relays new connections to this port from now on. */
  retarget(port: number): void
  close(): Promise<void>
}

export async function cutProxy(targetPort: number): Promise<CutProxy> {
  let target = targetPort
  let down = false
  const open = new Set<Socket>()
  const server = createServer((client) => {
    if (down) return void client.destroy()
    const up = connect(target, '127.0.0.1')
    for (const s of [client, up]) {
      open.add(s)
      s.on('close', () => open.delete(s))
      s.on('error', () => {
        client.destroy()
        up.destroy()
      })
    }
    client.pipe(up)
    up.pipe(client)
  })
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res))
  const port = (server.address() as { port: number }).port
  return {
    port,
    cut() {
      down = true
      for (const s of open) s.destroy()
    },
    restore() {
      down = false
    },
    retarget(p) {
      target = p
    },
    async close() {
      for (const s of open) s.destroy()
      await new Promise<void>((res) => server.close(() => res()))
    },
  }
}
