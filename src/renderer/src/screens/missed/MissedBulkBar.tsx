import { Alert, Button, Group, Text } from '@mantine/core'
import { useState } from 'react'
import type { MissedBulkResult, Person } from '../../../../shared/contract'
import type { MissedBulk } from '../../../../shared/schemas'
import { plural } from '../../format'
import { api, errorText } from '../../api'
import { runAsyncAction, useAsyncAction } from '../../asyncAction'
import { AssigneeField } from './Assignee'

/** The last bulk change: what it did, and the id that undoes it (once). */
export interface LastBulk {
  message: string
  undoId: string | null
  /** Set once undone (or when undoing failed): what happened then. */
  after: string | null
}

/**
 * Acts on the callers selected in the queue at once: resolve, mark called back, assign (to one
 * of the team when there is one). The queue moves when main sends it again; the answer's message
 * and its undo show in {@link BulkNotice}.
 */
export function MissedBulkBar({
  selected,
  people,
  onDone,
  onClear,
}: {
  selected: string[]
  people: Person[]
  onDone: (result: MissedBulkResult) => void
  onClear: () => void
}): React.JSX.Element {
  const [assignee, setAssignee] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const n = selected.length
  const callers = plural(n, 'caller')
  // `busy` names the button whose change is out: that one spins.
  const run = async (what: string, change: Omit<MissedBulk, 'callerNumbers'>): Promise<void> => {
    setError(null)
    await runAsyncAction(
      (on) => setBusy(on ? what : null),
      async () => onDone(await api.missed.bulk({ callerNumbers: selected, ...change })),
      (err) => setError(errorText(err)),
    )
  }
  return (
    <Group
      mb="sm"
      gap="sm"
      align="flex-end"
      wrap="wrap"
      role="group"
      aria-label="Selected callers"
      p="xs"
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}
    >
      <Text fw={700} size="sm" style={{ alignSelf: 'center' }}>
        {callers} selected
      </Text>
      <Button
        size="sm"
        loading={busy === 'resolve'}
        onClick={() => void run('resolve', { state: 'resolved' })}
      >
        Resolve {callers}
      </Button>
      <Button
        size="sm"
        variant="light"
        loading={busy === 'called-back'}
        onClick={() => void run('called-back', { state: 'called-back' })}
      >
        Mark {callers} called back
      </Button>
      <AssigneeField
        people={people}
        label="Who calls them back"
        value={assignee}
        onChange={setAssignee}
        w={220}
      />
      <Button
        size="sm"
        variant="default"
        loading={busy === 'assign'}
        onClick={() => void run('assign', { assignee: assignee.trim() || null })}
      >
        {assignee.trim() ? `Assign ${callers} to ${assignee.trim()}` : `Unassign ${callers}`}
      </Button>
      <Button size="sm" variant="subtle" onClick={onClear}>
        Clear selection
      </Button>
      {error && (
        <Text c="red" size="sm" role="alert" w="100%">
          {error}
        </Text>
      )}
    </Group>
  )
}

/** What the last bulk change did, with its one undo. */
export function BulkNotice({
  last,
  onChange,
}: {
  last: LastBulk
  onChange: (last: LastBulk | null) => void
}): React.JSX.Element {
  const { busy, run: send } = useAsyncAction(
    async (undoId: string) => {
      const r = await api.missed.undo({ undoId })
      onChange({ ...last, undoId: null, after: r.message })
    },
    (err) => onChange({ ...last, undoId: null, after: `Could not undo: ${errorText(err)}` }),
  )
  const undo = async (): Promise<void> => {
    if (last.undoId) await send(last.undoId)
  }
  return (
    <Alert
      mb="sm"
      color="blue"
      variant="light"
      role="status"
      withCloseButton
      closeButtonLabel="Close this message"
      onClose={() => onChange(null)}
    >
      <Group gap="sm" justify="space-between" wrap="wrap">
        <Text size="sm">{last.after ?? last.message}</Text>
        {last.undoId && !last.after && (
          <Button size="compact-sm" variant="light" loading={busy} onClick={() => void undo()}>
            Undo
          </Button>
        )}
      </Group>
    </Alert>
  )
}
