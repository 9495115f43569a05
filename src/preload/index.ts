/**
 * The sandboxed preload: exposes the one narrow, contract-built `api` object as `window.api`.
 * Bundled as CommonJS (a sandboxed preload cannot be an ES module); imports only `electron` and
 * the contract's names (src/shared/contractNames.ts): the schemas stay in main, which validates
 * every request with them. The type of `window.api` is declared in ./api.d.ts.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi, type PreloadApi } from './buildApi'

export type { PreloadApi }

const api: PreloadApi = buildApi(ipcRenderer)
contextBridge.exposeInMainWorld('api', api)
