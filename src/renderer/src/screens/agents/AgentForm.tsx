import { Alert, Button, Group, Modal, TextInput } from '@mantine/core'
import { useState } from 'react'
import type { Agent } from '../../../../shared/domain'
import { formatPhone, parsePhoneInput } from '../../../../shared/phone'
import { api } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { fieldErrors, type FieldErrors } from '../../formErrors'

type Field = 'name' | 'number' | 'department'

/**
 * Add (agent null) or edit an agent; the number of an existing agent cannot change. The number is
 * checked with the same rule main applies (`shared/phone.ts`) before anything is sent, and every
 * error shows under the field it is about.
 */
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
  const [number, setNumber] = useState(agent ? formatPhone(agent.normalizedNumber) : '')
  const [department, setDepartment] = useState(agent?.department ?? '')
  const [errors, setErrors] = useState<FieldErrors<Field>>({})
  const { busy, run: save } = useAsyncAction(
    async () => {
      const dept = department.trim() || null
      // The directory shows the agent when main announces it (`agent:updated`).
      if (agent)
        await api.agents.update({ number: agent.number, name: name.trim(), department: dept })
      else await api.agents.add({ number: number.trim(), name: name.trim(), department: dept })
      onClose()
    },
    (err) => setErrors(fieldErrors(err, ['name', 'number', 'department'])),
  )

  const submit = async (): Promise<void> => {
    if (!agent) {
      const parsed = parsePhoneInput(number)
      if (!parsed.ok) {
        setErrors({ number: parsed.reason })
        return
      }
    }
    setErrors({})
    await save()
  }

  return (
    <Modal opened={opened} onClose={onClose} title={agent ? `Edit ${agent.name}` : 'Add an agent'}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        noValidate
      >
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={100}
          error={errors.name}
          data-autofocus
        />
        <TextInput
          label="Phone number"
          required
          disabled={agent !== null}
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          description="As registered with the vendor, e.g. 98765 43210 or 098765 43210"
          error={errors.number}
          mt="sm"
        />
        <TextInput
          label="Department"
          value={department}
          onChange={(e) => setDepartment(e.currentTarget.value)}
          error={errors.department}
          mt="sm"
        />
        {errors.form && (
          <Alert color="red" mt="sm" role="alert">
            {errors.form}
          </Alert>
        )}
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
