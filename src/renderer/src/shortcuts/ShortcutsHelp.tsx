import { ActionIcon, Kbd, Modal, Switch, Table, Text } from '@mantine/core'
import { useLocalStorage } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import { hashFor } from '../routing'
import { actionFor, belongsToTarget, shortcutList } from './keys'
import { focusRow, focusSearch, whenSearchReady } from './focus'

/**
 * The keyboard shortcuts: a header button and `?` open the list; the list turns the single-key
 * shortcuts off for whoever prefers (voice control, or a key pressed by mistake). Keys typed into
 * a field, with Ctrl/Alt/Cmd, or while a dialog is open are left alone.
 */
export function KeyboardShortcuts(): React.JSX.Element {
  const [opened, setOpened] = useState(false)
  const [enabled, setEnabled] = useLocalStorage({
    key: 'ivrs.shortcuts.enabled',
    defaultValue: true,
    getInitialValueInEffect: false,
  })

  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || belongsToTarget(e)) return
      // A dialog keeps its keys (and its focus) to itself.
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return
      const action = actionFor(e.key)
      if (!action) return
      e.preventDefault()
      if (action.kind === 'help') setOpened(true)
      else if (action.kind === 'screen') location.hash = hashFor(action.screen)
      else if (action.kind === 'row') focusRow(action.step)
      else if (!focusSearch()) {
        location.hash = hashFor('history')
        whenSearchReady(() => focusSearch())
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled])

  return (
    <>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={() => setOpened(true)}
      >
        <span aria-hidden="true">?</span>
      </ActionIcon>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Keyboard shortcuts">
        <Switch
          label="Single-key shortcuts"
          description="Off: only Tab, Enter, Space, the arrows and Esc act."
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
          mb="sm"
        />
        <Table aria-label="Keyboard shortcuts" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">What it does</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shortcutList().map((s) => (
              <Table.Tr key={s.keys}>
                <Table.Td>
                  <Kbd>{s.keys}</Kbd>
                </Table.Td>
                <Table.Td>{s.what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed" mt="sm">
          They never act while you type in a field. Tab moves through every control; Enter or Space
          presses a button.
        </Text>
      </Modal>
    </>
  )
}
