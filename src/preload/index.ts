/**
 * The sandboxed preload: exposes the one narrow, contract-built `api` object as `window.api`.
 * Bundled as CommonJS (a sandboxed preload cannot be an ES module); imports only `electron` and
 * src/shared, whose contract table also brings TypeBox's schema builders (plain JavaScript, no
 * Node built-in). The type of `window.api` is declared in ./api.d.ts.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi, type PreloadApi } from './buildApi'

export type { PreloadApi }

const api: PreloadApi = buildApi(ipcRenderer)
contextBridge.exposeInMainWorld('api', api)
