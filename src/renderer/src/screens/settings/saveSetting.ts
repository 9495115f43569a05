import type { SettingsUpdate } from '../../../../shared/domain'
import { api, errorText } from '../../api'
import { showInfo } from '../../notify'

/**
 * Saves a settings change; the screen shows the new values when main announces them
 * (`settings:updated`). A refusal is answered as the error to show next to its field.
 */
export async function saveOrError(update: SettingsUpdate, what: string): Promise<string | null> {
  try {
    await api.settings.update(update)
    showInfo('Saved', what)
    return null
  } catch (err) {
    return errorText(err)
  }
}
