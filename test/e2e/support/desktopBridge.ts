/**
 * The renderer as the desktop app runs it, in Chromium: a `window.api` bridge (what the preload
 * exposes) whose every channel is carried, through Playwright, to a running serve.ts over the
 * same contract. Reaches what only the desktop shows (Settings → Team server). Pushed events are
 * not relayed: enough for a screen's first look, not for live updates.
 */
import type { Page } from 'playwright-core'
import { CHANNELS, type Channel, type RequestOf } from '../../../src/shared/contract'
import { buildHttpRequest } from '../../../src/shared/httpRequest'

export async function emulateDesktop(
  page: Page,
  target: { apiBase: string; token: string },
  answers: Partial<Record<Channel, unknown>> = {},
): Promise<void> {
  await page.exposeFunction('__ivrsInvoke', async (channel: Channel, req: unknown) => {
    if (channel in answers) return answers[channel]
    const parts = buildHttpRequest(channel, req as RequestOf<typeof channel>)
    const res = await fetch(target.apiBase + parts.url, {
      method: parts.method,
      headers: { ...parts.headers, authorization: `Bearer ${target.token}` },
      body: parts.body,
    })
    const text = await res.text()
    // The contract's results: 2xx, and 422 for a change the vendor refused.
    if (!res.ok && res.status !== 422) throw new Error(`${channel}: ${res.status} ${text}`)
    return text ? (JSON.parse(text) as unknown) : null
  })
  await page.addInitScript((channels: string[]) => {
    const invoke = (window as unknown as { __ivrsInvoke: (c: string, r: unknown) => unknown })
      .__ivrsInvoke
    const bridge: Record<string, unknown> = { on: () => () => undefined }
    for (const channel of channels) {
      const [domain, verb] = channel.split(':') as [string, string]
      const group = (bridge[domain] ??= {}) as Record<string, unknown>
      group[verb] = (req: unknown) => invoke(channel, req)
    }
    ;(window as unknown as { api: unknown }).api = bridge
  }, CHANNELS)
}
