// Draws the app and tray icons and writes them as PNGs next to this file.
// Run `node resources/make-icons.mjs` after changing the design; the PNGs are committed.
// Hand-rolled (zlib + CRC) rather than a graphics dependency: the shapes are a few circles.
import { crc32, deflateSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const here = import.meta.dirname

function png(width, height, rgba) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0 // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * Renders `shade(x, y)` (coordinates 0..1, returns [r, g, b, a] or null) with 4x4 supersampling.
 */
function render(size, shade) {
  const out = Buffer.alloc(size * size * 4)
  const n = 4
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
          if (!c) continue
          r += c[0] * c[3]
          g += c[1] * c[3]
          b += c[2] * c[3]
          a += c[3]
        }
      const i = (py * size + px) * 4
      if (a > 0) {
        out[i] = Math.round(r / a)
        out[i + 1] = Math.round(g / a)
        out[i + 2] = Math.round(b / a)
      }
      out[i + 3] = Math.round((a / (n * n)) * 255)
    }
  return out
}

const dist = (x, y, cx, cy) => Math.hypot(x - cx, y - cy)

/** A handset-less "call" mark: a dot with two signal arcs, the universal sign for a line. */
function mark(x, y) {
  const d = dist(x, y, 0.5, 0.5)
  if (d < 0.1) return true
  const ring = (r, w) => Math.abs(d - r) < w
  return ring(0.22, 0.035) || ring(0.34, 0.035)
}

function appIcon(x, y) {
  // Rounded square, blue, with the white mark.
  const m = 0.06,
    rad = 0.2
  const qx = Math.max(m + rad - x, 0, x - (1 - m - rad))
  const qy = Math.max(m + rad - y, 0, y - (1 - m - rad))
  if (Math.hypot(qx, qy) > rad) return null
  return mark(x, y) ? [255, 255, 255, 1] : [25, 113, 194, 1]
}

function trayIcon(x, y) {
  const d = dist(x, y, 0.5, 0.5)
  if (d > 0.48) return null
  return mark(x, y) ? [255, 255, 255, 1] : [25, 113, 194, 1]
}

// The tray icon with an orange dot: notifications did not show, the tray is the signal (Windows,
// Linux; the macOS menu bar shows the count as text beside its template icon instead).
function trayAttention(x, y) {
  if (dist(x, y, 0.8, 0.2) < 0.2) return [245, 124, 0, 1]
  if (dist(x, y, 0.8, 0.2) < 0.27) return null
  return trayIcon(x, y)
}

// macOS template image: black shapes with alpha; the system tints it for light and dark bars.
function trayTemplate(x, y) {
  return mark(x, y) ? [0, 0, 0, 1] : null
}

const write = (name, size, shade) =>
  writeFileSync(join(here, name), png(size, size, render(size, shade)))
write('icon.png', 512, appIcon)
write('tray.png', 16, trayIcon)
write('tray@2x.png', 32, trayIcon)
write('trayAttention.png', 16, trayAttention)
write('trayAttention@2x.png', 32, trayAttention)
write('trayTemplate.png', 16, trayTemplate)
write('trayTemplate@2x.png', 32, trayTemplate)
