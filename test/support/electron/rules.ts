/** The rules read by ./apiRules.ts, and their lookup: light enough for the stand-in's process. */

export type Platform = 'linux' | 'win32' | 'darwin'
export type Readiness = 'before-ready' | 'after-ready'

export interface ApiRule {
  /** Platforms it exists on; undefined: every platform. */
  platforms?: Platform[]
  readiness?: Readiness
}

/**
 * Keyed `Owner.member` for methods and properties (`App.setAppUserModelId`,
 * `Notification.handleActivation` for a static one) and `Owner#event` for events
 * (`BrowserWindow#session-end`, `PowerMonitor#shutdown`).
 */
export type ApiRules = Map<string, ApiRule>

/**
 * The rule for `Owner.member`, looking through the classes it extends where the declarations do
 * (`BrowserWindow` extends `BaseWindow`).
 */
export function ruleFor(rules: ApiRules, owners: string[], member: string): ApiRule | undefined {
  for (const owner of owners) {
    const rule = rules.get(`${owner}.${member}`) ?? rules.get(`${owner}#${member}`)
    if (rule) return rule
  }
  return undefined
}
