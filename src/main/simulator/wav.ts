/**
 * A short tone as a WAV file (PCM, mono, 16-bit), made in code so the repository carries no
 * binary fixture. The simulator serves it as every call's recording.
 */
export function toneWav(seconds = 1.5, frequency = 440, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate)
  const dataBytes = samples * 2
  const buf = Buffer.alloc(44 + dataBytes)
  buf.write('RIFF', 0, 'ascii')
  buf.writeUInt32LE(36 + dataBytes, 4)
  buf.write('WAVE', 8, 'ascii')
  buf.write('fmt ', 12, 'ascii')
  buf.writeUInt32LE(16, 16) // fmt chunk size
  buf.writeUInt16LE(1, 20) // PCM
  buf.writeUInt16LE(1, 22) // mono
  buf.writeUInt32LE(sampleRate, 24)
  buf.writeUInt32LE(sampleRate * 2, 28) // byte rate
  buf.writeUInt16LE(2, 32) // block align
  buf.writeUInt16LE(16, 34) // bits per sample
  buf.write('data', 36, 'ascii')
  buf.writeUInt32LE(dataBytes, 40)
  // Short fades at both ends so players do not click.
  const fade = Math.min(Math.round(sampleRate * 0.05), Math.floor(samples / 2))
  for (let i = 0; i < samples; i++) {
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade)
    const v = Math.sin((2 * Math.PI * frequency * i) / sampleRate) * envelope * 0.4
    buf.writeInt16LE(Math.round(v * 32767), 44 + i * 2)
  }
  return buf
}
