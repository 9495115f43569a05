/**
 * The browser tab says how many callers wait for a call back, so a supervisor looking at another
 * tab sees it: `(3) IVR Supervisor` in the title and a red count on the favicon (drawn here,
 * no image file). The desktop app shows the same count on the tray and dock.
 */
const TITLE = 'IVR Supervisor'

/** `0` → `IVR Supervisor`; `3` → `(3) IVR Supervisor`. */
export function badgeTitle(count: number): string {
  return count > 0 ? `(${count}) ${TITLE}` : TITLE
}

/** A 32×32 PNG data URL: a phone-blue disc, with a red count when there is one. */
function favicon(count: number): string | null {
  const canvas = document.createElement('canvas')
  canvas.width = 32
  canvas.height = 32
  const ctx = canvas.getContext('2d')
  if (!ctx) return null
  ctx.fillStyle = '#4c6ef5'
  ctx.beginPath()
  ctx.arc(16, 16, 14, 0, Math.PI * 2)
  ctx.fill()
  if (count > 0) {
    ctx.fillStyle = '#e03131'
    ctx.beginPath()
    ctx.arc(21, 11, 11, 0, Math.PI * 2)
    ctx.fill()
    ctx.fillStyle = '#fff'
    ctx.font = 'bold 15px sans-serif'
    ctx.textAlign = 'center'
    ctx.textBaseline = 'middle'
    ctx.fillText(count > 99 ? '99' : String(count), 21, 12)
  }
  return canvas.toDataURL('image/png')
}

/** Shows `count` in the tab's title and favicon. */
export function showBadge(count: number): void {
  document.title = badgeTitle(count)
  const href = favicon(count)
  if (!href) return
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]')
  if (!link) {
    link = document.createElement('link')
    link.rel = 'icon'
    document.head.appendChild(link)
  }
  link.href = href
}
