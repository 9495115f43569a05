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
  /**
   * Stores `value` unless the secret exists, and returns the one stored: for a secret generated
   * on first run that several instances sharing a store must agree on (the webhook token).
   * Stores that one process owns may leave it out (get, then set, is the same for them).
   */
  create?(name: SecretName, value: string): Promise<string>
}

/** `teamToken`: the desktop's personal token for its team server (client mode). */
export type SecretName = 'vendorApiKey' | 'webhookToken' | 'teamToken'
