const KEY = 'ivrs.apiToken'

/** Just what token handling needs from the page, so tests can pass fakes. */
export interface TokenPage {
  location: { hash: string; pathname: string; search: string }
  history: { replaceState(data: unknown, unused: string, url?: string): void }
  sessionStorage: {
    getItem(key: string): string | null
    setItem(key: string, v: string): void
    removeItem(key: string): void
  }
}

/**
 * Takes the API token from `#token=…` (the address headless mode prints), keeps it in
 * sessionStorage and removes it from the address bar so it is not bookmarked or shared.
 * `&screen=<id>` after it opens that screen (`&screen=wallboard`: a wall screen's address);
 * without it the app opens on its first screen. Without a token in the address, the token kept
 * earlier in this tab is used.
 */
export function takeToken(page: TokenPage): string | null {
  const match = /^#token=([^&]+)(?:&screen=([\w-]+))?/.exec(page.location.hash)
  if (match?.[1]) {
    const token = decodeURIComponent(match[1])
    page.sessionStorage.setItem(KEY, token)
    const screen = match[2] ?? ''
    page.history.replaceState(
      null,
      '',
      `${page.location.pathname}${page.location.search}#/${screen}`,
    )
    return token
  }
  return page.sessionStorage.getItem(KEY)
}

/** Keeps a token signed in with for this tab (as one taken from the address is). */
export function keepToken(page: Pick<TokenPage, 'sessionStorage'>, token: string): void {
  page.sessionStorage.setItem(KEY, token)
}

/** Forgets the tab's token: the service refused it, so a reload shows the sign-in screen. */
export function forgetToken(page: Pick<TokenPage, 'sessionStorage'>): void {
  page.sessionStorage.removeItem(KEY)
}
