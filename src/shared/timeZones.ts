/**
 * IANA time zones as people look for them. Browsers and ICU versions disagree on names: Chromium
 * lists India as `Asia/Calcutta`, the tz database and this app's default call it `Asia/Kolkata`.
 * Both are accepted; the current name is the one kept and shown, and a zone is found by its city
 * under either name.
 */

/** Old names some platforms still list → the tz database's current name. */
const RENAMED: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Thimbu': 'Asia/Thimphu',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
}

const OLD_NAMES = new Map<string, string[]>()
for (const [old, current] of Object.entries(RENAMED))
  OLD_NAMES.set(current, [...(OLD_NAMES.get(current) ?? []), old])

/** The current name of a zone (`Asia/Calcutta` → `Asia/Kolkata`); other names unchanged. */
export function canonicalZone(zone: string): string {
  const z = zone.trim()
  return RENAMED[z] ?? z
}

/** `Asia/Ho_Chi_Minh` → `Ho Chi Minh`; `America/Argentina/Buenos_Aires` → `Buenos Aires`. */
function city(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ')
}

export interface ZoneChoice {
  /** The current IANA name, what is stored. */
  value: string
  /** `Asia/Kolkata (Kolkata, Calcutta)`: the name and every city it is known by. */
  label: string
}

/**
 * The zones to offer: the platform's list under current names (each once), plus `current` and
 * `Asia/Kolkata` whatever the platform lists, sorted by name; each labelled with its cities so a
 * search for `Kolkata` or `Calcutta` finds India.
 */
export function zoneChoices(platformZones: readonly string[], current: string): ZoneChoice[] {
  const names = new Set(platformZones.map(canonicalZone))
  names.add(canonicalZone(current))
  names.add('Asia/Kolkata')
  return [...names].sort().map((value) => {
    const cities = [city(value), ...(OLD_NAMES.get(value) ?? []).map(city)]
    return { value, label: `${value} (${[...new Set(cities)].join(', ')})` }
  })
}
