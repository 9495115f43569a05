import { Button, Group, Modal, TextInput } from '@mantine/core'
import { useState } from 'react'
import type { Agent } from '../../../../shared/domain'
import { api } from '../../api'
import { errorText } from '../../api/errors'

/** Add (agent null) or edit an agent; the number of an existing agent cannot change. */
export function AgentForm({
  agent,
  opened,
  onClose,
}: {
  agent: Agent | null
  opened: boolean
  onClose: () => void
}): React.JSX.Element {
  const [name, setName] = useState(agent?.name ?? '')
  const [number, setNumber] = useState(agent?.number ?? '')
  const [department, setDepartment] = useState(agent?.department ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      const dept = department.trim() || null
      // The directory shows the agent when main announces it (`agent:updated`).
      if (agent)
        await api.agents.update({ number: agent.number, name: name.trim(), department: dept })
      else await api.agents.add({ number: number.trim(), name: name.trim(), department: dept })
      onClose()
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={agent ? `Edit ${agent.name}` : 'Add an agent'}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={100}
          data-autofocus
        />
        <TextInput
          label="Phone number"
          required
          disabled={agent !== null}
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          description="As registered with the vendor, e.g. 9876543210"
          mt="sm"
        />
        <TextInput
          label="Department"
          value={department}
          onChange={(e) => setDepartment(e.currentTarget.value)}
          mt="sm"
          error={error}
        />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            {agent ? 'Save' : 'Add agent'}
          </Button>
        </Group>
      </form>
    </Modal>
  )
}
