/**
 * Where secrets (vendor API key, webhook token) are kept. The desktop app passes an Electron
 * `safeStorage` implementation; headless mode keeps them in a 0600 file in the data folder.
 */
export interface SecretStore {
  /** `encrypted` (OS keychain), or `plain-text` when the platform offers only its fallback. */
  readonly kind: 'encrypted' | 'plain-text'
  get(name: SecretName): Promise<string | null>
  /** Stores the secret; null removes it. */
  set(name: SecretName, value: string | null): Promise<void>
}

/** `teamToken`: the desktop's personal token for its team server (client mode). */
export type SecretName = 'vendorApiKey' | 'webhookToken' | 'teamToken'
