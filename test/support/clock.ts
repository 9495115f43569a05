/** What tests need to know about the clock they run under. */
import { statSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * True when this process's clock is not the kernel's (run under `faketime`): a file written now
 * carries the kernel's time, which a shifted process clock cannot move. Tests about file times
 * (a lock's staleness) skip themselves then.
 */
export function clockShifted(): boolean {
  const probe = join(tmpdir(), `ivrs-clock-probe-${process.pid}`)
  writeFileSync(probe, '')
  try {
    return Math.abs(statSync(probe).mtimeMs - Date.now()) > 60_000
  } finally {
    rmSync(probe, { force: true })
  }
}
