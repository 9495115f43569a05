/** The time pickers answer `HH:MM` or `HH:MM:SS` (or '' while incomplete): keep `HH:MM`. */
export function pickerToHHMM(value: string): string {
  return /^\d{2}:\d{2}/.test(value) ? value.slice(0, 5) : ''
}
