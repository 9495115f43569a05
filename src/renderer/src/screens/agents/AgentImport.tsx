import { Alert, Button, FileButton, Group, List, Modal, Stack, Table, Text } from '@mantine/core'
import { useState } from 'react'
import type { AgentEntry, AgentImportPreview, AgentImportResult } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { api, ApiError, errorText } from '../../api'
import { runAsyncAction, useAsyncAction } from '../../asyncAction'
import { showError } from '../../notify'
import { plural } from '../../format'

/** A file picked, and what importing it would do. */
interface Pending {
  fileName: string
  csv: string
  preview: AgentImportPreview
}

/** What the preview adds up to, in one sentence. */
export function previewSummary(p: AgentImportPreview): string {
  const parts = [
    `${plural(p.added.length, 'agent')} to add`,
    `${p.changed.length} to change`,
    `${plural(p.refused.length, 'line')} refused`,
  ]
  if (p.unchanged.length) parts.push(`${p.unchanged.length} already as written`)
  return parts.join(', ')
}

/** The confirming button's words: exactly what it will do. */
export function confirmLabel(p: AgentImportPreview, changes: 'apply' | 'skip'): string {
  const add = p.added.length
  const change = changes === 'apply' ? p.changed.length : 0
  if (add && change) return `Add ${add} and change ${change}`
  if (change) return `Change ${plural(change, 'agent')}`
  return `Add ${plural(add, 'agent')}`
}

/**
 * Picks a CSV (number, name, department) and shows what importing it would do before anything
 * changes; the report of what was done comes back through `onResult`.
 */
export function AgentImportButton({
  onResult,
}: {
  onResult: (result: AgentImportResult | null) => void
}): React.JSX.Element {
  const [pending, setPending] = useState<Pending | null>(null)
  const { busy, run: read } = useAsyncAction(
    async (file: File) => {
      const csv = await file.text()
      setPending({ fileName: file.name, csv, preview: await api.agents.previewImport({ csv }) })
    },
    (err) => showError('Could not read the file', err),
  )
  const pick = async (file: File | null): Promise<void> => {
    if (file) await read(file)
  }
  return (
    <>
      <FileButton onChange={(f) => void pick(f)} accept=".csv,text/csv">
        {(props) => (
          <Button {...props} variant="default" loading={busy}>
            Import CSV
          </Button>
        )}
      </FileButton>
      {pending && (
        <ImportPreviewDialog
          pending={pending}
          onPreviewed={setPending}
          onClose={() => setPending(null)}
          onDone={(result) => {
            setPending(null)
            onResult(result)
          }}
        />
      )}
    </>
  )
}

/** `Sales`, or `none` where there is no department. */
const dept = (d: string | null): string => d ?? 'none'

/** One value before and after, the new one marked in words as well as weight. */
function Before({ before, after }: { before: string; after: string }): React.JSX.Element {
  if (before === after) return <Text size="sm">{after}</Text>
  return (
    <Text size="sm">
      {before} →{' '}
      <Text span size="sm" fw={700}>
        {after}
      </Text>
    </Text>
  )
}

function ChangedTable({ rows }: { rows: AgentImportPreview['changed'] }): React.JSX.Element {
  const cell = (b: AgentEntry, a: AgentEntry, k: 'name' | 'department') =>
    k === 'name' ? (
      <Before before={b.name} after={a.name} />
    ) : (
      <Before before={dept(b.department)} after={dept(a.department)} />
    )
  return (
    <Table aria-label="Agents to change" striped verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Line</Table.Th>
          <Table.Th>Number</Table.Th>
          <Table.Th>Name: now → after</Table.Th>
          <Table.Th>Department: now → after</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.line} data-line={r.line}>
            <Table.Td>{r.line}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatPhone(r.normalizedNumber)}</Table.Td>
            <Table.Td>{cell(r.before, r.after, 'name')}</Table.Td>
            <Table.Td>{cell(r.before, r.after, 'department')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function AddedTable({ rows }: { rows: AgentImportPreview['added'] }): React.JSX.Element {
  return (
    <Table aria-label="Agents to add" striped verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Line</Table.Th>
          <Table.Th>Number</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Department</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.line} data-line={r.line}>
            <Table.Td>{r.line}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatPhone(r.normalizedNumber)}</Table.Td>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td>{dept(r.department)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function RefusedTable({ rows }: { rows: AgentImportPreview['refused'] }): React.JSX.Element {
  return (
    <Table aria-label="Lines refused" striped verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Line</Table.Th>
          <Table.Th>What it says</Table.Th>
          <Table.Th>Why it is refused</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.line} data-line={r.line}>
            <Table.Td>{r.line}</Table.Td>
            <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {r.text}
            </Table.Td>
            <Table.Td>{r.reason}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** A heading for one part of the preview: what happens to these lines, and how many. */
function Part({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap={4}>
      <Text fw={700} component="h3" size="md" m={0}>
        {title}
      </Text>
      {children}
    </Stack>
  )
}

/**
 * What importing the file would do, line by line, before anything changes: agents added, agents
 * changed (now and after, side by side), lines refused with why. Confirming sends the preview's
 * id along, so nothing is applied if the directory changed in the meantime.
 */
function ImportPreviewDialog({
  pending,
  onPreviewed,
  onClose,
  onDone,
}: {
  pending: Pending
  onPreviewed: (p: Pending) => void
  onClose: () => void
  onDone: (result: AgentImportResult) => void
}): React.JSX.Element {
  const { preview: p, csv, fileName } = pending
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null)
  const nothing = p.added.length === 0 && p.changed.length === 0

  // Confirming and previewing again share one busy state: either holds both confirm buttons.
  const confirm = async (changes: 'apply' | 'skip'): Promise<void> => {
    setError(null)
    await runAsyncAction(
      setBusy,
      async () => onDone(await api.agents.import({ csv, preview: p.preview, changes })),
      (err) => {
        // The directory moved since the preview: show the file against it again.
        const stale = err instanceof ApiError && err.fields.includes('preview')
        setError({ text: errorText(err), stale })
      },
    )
  }
  const again = async (): Promise<void> => {
    setError(null)
    await runAsyncAction(
      setBusy,
      async () => onPreviewed({ ...pending, preview: await api.agents.previewImport({ csv }) }),
      (err) => setError({ text: errorText(err), stale: false }),
    )
  }

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={`Import ${fileName}: nothing changes until you confirm`}
    >
      <Stack gap="md">
        <Text size="sm" fw={600} data-testid="import-summary">
          {previewSummary(p)}.
        </Text>
        {p.departments.length > 0 && (
          <Text size="sm">
            Departments are matched without regard to case:{' '}
            {p.departments.map((d) => `“${d.typed}” is ${d.as}`).join('; ')}.
          </Text>
        )}
        {p.ignoredColumns.length > 0 && (
          <Text size="sm">
            Columns not used (an agent has a number, a name and a department):{' '}
            {p.ignoredColumns.join(', ')}.
          </Text>
        )}
        {p.changed.length > 0 && (
          <Part
            title={`Will change (${p.changed.length}): the new name shows on all their calls, past ones too`}
          >
            <ChangedTable rows={p.changed} />
          </Part>
        )}
        {p.added.length > 0 && (
          <Part title={`Will be added (${p.added.length})`}>
            <AddedTable rows={p.added} />
          </Part>
        )}
        {p.refused.length > 0 && (
          <Part title={`Refused (${p.refused.length}): these lines are not used`}>
            <RefusedTable rows={p.refused} />
          </Part>
        )}
        {error && (
          <Alert color="red" role="alert" title="Nothing was imported">
            <Stack gap="xs">
              <Text size="sm">{error.text}</Text>
              {error.stale && (
                <Group>
                  <Button size="compact-sm" variant="light" onClick={() => void again()}>
                    Preview again
                  </Button>
                </Group>
              )}
            </Stack>
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {nothing ? 'Close' : 'Cancel: change nothing'}
          </Button>
          {!nothing && p.changed.length > 0 && p.added.length > 0 && (
            <Button variant="default" loading={busy} onClick={() => void confirm('skip')}>
              {`Add the ${plural(p.added.length, 'new agent')} only`}
            </Button>
          )}
          {!nothing && (
            <Button loading={busy} onClick={() => void confirm('apply')}>
              {confirmLabel(p, 'apply')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  )
}

export function AgentImportReport({
  result,
  onClose,
}: {
  result: AgentImportResult
  onClose: () => void
}): React.JSX.Element {
  const skipped = result.skipped ? `, ${result.skipped} changes left out` : ''
  return (
    <Alert
      color={result.errors.length ? 'yellow' : 'teal'}
      title={`Import: ${result.added} added, ${result.updated} updated${skipped}, ${result.errors.length} lines not used`}
      withCloseButton
      closeButtonLabel="Close import report"
      onClose={onClose}
      mb="md"
    >
      {result.errors.length > 0 && (
        <List size="sm" aria-label="Lines not imported">
          {result.errors.map((e) => (
            <List.Item key={e.line}>
              <Text span size="sm" fw={600}>
                Line {e.line}:
              </Text>{' '}
              {e.reason}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  )
}
