/**
 * The alert sound, made in code with WebAudio (no audio file ships): two short tones, lower for a
 * missed or dropped call. Browsers start audio only after the user has interacted with the page;
 * until then (or without WebAudio) it stays silent rather than failing.
 */
import type { CallStatus } from '../../shared/domain'

let context: AudioContext | null = null

function audio(): AudioContext | null {
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext
  if (!Ctor) return null
  context ??= new Ctor()
  return context
}

/** Plays the alert for a call of `status`; resolves when it was started (or could not be). */
export async function playAlertSound(status: CallStatus): Promise<boolean> {
  const ctx = audio()
  if (!ctx) return false
  try {
    if (ctx.state === 'suspended') await ctx.resume()
    if (ctx.state !== 'running') return false
    const [first, second] = status === 'ANSWER' ? [660, 880] : [523, 392]
    const start = ctx.currentTime
    for (const [i, freq] of [first, second].entries()) {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.type = 'sine'
      osc.frequency.value = freq
      const t = start + i * 0.18
      gain.gain.setValueAtTime(0.0001, t)
      gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16)
      osc.connect(gain).connect(ctx.destination)
      osc.start(t)
      osc.stop(t + 0.17)
    }
    return true
  } catch {
    return false
  }
}
