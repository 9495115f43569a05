// Only src/shared is visible to the renderer's tsconfig, so the type is taken from the contract,
// which is exactly the type the preload implements (`PreloadApi` in ./buildApi.ts): one
// declaration, checked by the compiler on both sides, never written twice by hand.
import type { ContractApi } from '../shared/contract'

declare global {
  interface Window {
    /**
     * The contract's api, exposed by the preload (src/preload/index.ts) in the desktop app only;
     * undefined in browser mode, where the renderer's api module uses HTTP instead.
     * Requests reject with an `Error` whose message is the user-facing text.
     */
    readonly api?: ContractApi
  }
}

export {}
