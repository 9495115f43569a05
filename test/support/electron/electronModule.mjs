// What `import ... from 'electron'` resolves to in a stand-in run (see ./hooks.mjs): the module
// of the stand-in that ./child.ts created before loading the bundle. Plain JavaScript: module
// hooks hand it to Node's own loader.
const standIn = globalThis.__electronStandIn
if (!standIn)
  throw new Error('the electron stand-in was loaded outside test/support/electron/child.ts')
const m = standIn.module

export const app = m.app
export const BrowserWindow = m.BrowserWindow
export const Menu = m.Menu
export const Notification = m.Notification
export const Tray = m.Tray
export const clipboard = m.clipboard
export const dialog = m.dialog
export const ipcMain = m.ipcMain
export const powerMonitor = m.powerMonitor
export const protocol = m.protocol
export const safeStorage = m.safeStorage
export const session = m.session
export const shell = m.shell
export default m
