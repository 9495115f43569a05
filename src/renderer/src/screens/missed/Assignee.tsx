import { Select, TextInput } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { Person } from '../../../../shared/contract'
import { api } from '../../api'

/**
 * The team's people (names and roles), to choose who calls a caller back; empty when the server
 * has no accounts (a desktop on its own), where a name is typed instead. Read when a screen that
 * assigns opens: the list changes rarely, and only admins hear of it live.
 */
export function usePeople(): Person[] {
  const [people, setPeople] = useState<Person[]>([])
  useEffect(() => {
    let live = true
    api.accounts
      .people()
      .then((p) => live && setPeople(p))
      .catch(() => {
        // Without the list, a name is typed: assigning still works.
      })
    return () => {
      live = false
    }
  }, [])
  return people
}

/** The value that stands for "nobody" in the team's list. */
const NOBODY = ''

/**
 * Who calls back: chosen from the team when there is one (a name kept from before stays
 * choosable), typed otherwise. `value` is the name, '' for nobody.
 */
export function AssigneeField({
  people,
  value,
  onChange,
  label,
  error,
  w,
}: {
  people: Person[]
  value: string
  onChange: (name: string) => void
  label: string
  error?: string | null
  w?: number
}): React.JSX.Element {
  if (people.length === 0)
    return (
      <TextInput
        label={label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        maxLength={100}
        error={error}
        w={w}
        data-autofocus
      />
    )
  const names = people.map((p) => ({ value: p.name, label: `${p.name} (${p.role})` }))
  if (value && !people.some((p) => p.name === value)) names.push({ value, label: value })
  return (
    <Select
      label={label}
      data={[{ value: NOBODY, label: 'Nobody' }, ...names]}
      value={value}
      onChange={(v) => onChange(v ?? NOBODY)}
      searchable
      allowDeselect={false}
      nothingFoundMessage="Nobody of the team has that name"
      error={error}
      w={w}
      comboboxProps={{ withinPortal: true }}
      data-autofocus
    />
  )
}
