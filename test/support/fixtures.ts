/** Small fixtures shared by tests and benchmarks of every kind. */

/** A complete, valid push in the vendor document's sample-URL scheme (an answered call). */
export function samplePush(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    calllogid: id,
    callernumber: '9876543210',
    date: '2026-11-27',
    time: '10:15:00',
    agentnumber: '9123456780',
    ivrduration: '12',
    callduration: '00:04:53',
    callstatus: 'ANSWER',
    state: 'Karnataka',
    ibizfonenumber: '08041234567',
    recordingurl: 'https://rec.example.com/a.mp3',
    department: 'Sales',
    ...extra,
  }
}

/** A small seeded PRNG (mulberry32), so generated data repeats exactly from run to run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
