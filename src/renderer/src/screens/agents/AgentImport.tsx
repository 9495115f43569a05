import { Alert, Button, FileButton, List, Text } from '@mantine/core'
import type { AgentImportResult } from '../../../../shared/domain'
import { api } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { showError } from '../../notify'

/** Picks a CSV (name, number, department), sends it, and shows what could not be used. */
export function AgentImportButton({
  onResult,
}: {
  onResult: (result: AgentImportResult | null) => void
}): React.JSX.Element {
  const { busy, run: send } = useAsyncAction(
    // The report comes from the reply; the agents themselves from main's `agent:updated`.
    async (file: File) => onResult(await api.agents.import({ csv: await file.text() })),
    (err) => showError('Import failed', err),
  )
  const pick = async (file: File | null): Promise<void> => {
    if (file) await send(file)
  }
  return (
    <FileButton onChange={(f) => void pick(f)} accept=".csv,text/csv">
      {(props) => (
        <Button {...props} variant="default" loading={busy}>
          Import CSV
        </Button>
      )}
    </FileButton>
  )
}

export function AgentImportReport({
  result,
  onClose,
}: {
  result: AgentImportResult
  onClose: () => void
}): React.JSX.Element {
  return (
    <Alert
      color={result.errors.length ? 'yellow' : 'teal'}
      title={`Import: ${result.added} added, ${result.updated} updated, ${result.errors.length} lines not used`}
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
