import { ActionIcon, Anchor, Badge, Group, Text, Tooltip } from '@mantine/core'
import { MISSED_QUEUE_NAME } from '../../../shared/missedQueue'
import { STATUS_COLOR, STATUS_LABEL } from '../format'
import { useAlertSettings } from '../ownAlerts'
import { dismissCallAlert, dismissMessage, useToasts } from '../toast'

const NOTIFY_TEXT = { all: 'every call', missed: 'missed and dropped calls', off: 'off' } as const

/**
 * The alert strip: its own row at the foot of the window, so alerts never cover an action. Left:
 * the latest call alert (a burst collapses into one). Right: the newest message about what the
 * user did, errors before information, each with its own close button. Idle, it says what alerts.
 */
export function AlertStrip({
  onOpen,
}: {
  onOpen: (alert: { callId: string; missed: boolean }) => void
}): React.JSX.Element {
  const call = useToasts((s) => s.callAlert)
  const messages = useToasts((s) => s.messages)
  // The person's own choices in a browser (see ownAlerts.ts), the desktop's own on a desktop.
  const settings = useAlertSettings()
  const message = messages[0]
  const idle = settings
    ? `Alerts: ${settings.alertsPaused ? 'paused' : NOTIFY_TEXT[settings.notify]}${settings.quietOutsideOfficeHours ? ', quiet outside office hours' : ''}${settings.alertSound ? ', with sound' : ''}`
    : ''
  return (
    <Group h="100%" px="md" gap="md" wrap="nowrap" justify="space-between">
      <Group
        gap="xs"
        wrap="nowrap"
        miw={0}
        style={{ flex: 1 }}
        aria-live="polite"
        aria-label="Call alerts"
      >
        {call ? (
          <>
            <Badge
              color={STATUS_COLOR[call.status]}
              variant="filled"
              size="sm"
              style={{ flexShrink: 0, overflow: 'visible' }}
            >
              {call.count > 1 ? `${call.count} calls` : STATUS_LABEL[call.status]}
            </Badge>
            <Text size="sm" fw={600} truncate="end" title={`${call.title}. ${call.body}`} miw={0}>
              {call.title}
              <Text span size="sm" fw={400} c="dimmed">
                {' '}
                · {call.body}
              </Text>
            </Text>
            <Anchor
              component="button"
              size="sm"
              style={{ whiteSpace: 'nowrap' }}
              onClick={() =>
                onOpen({
                  callId: call.callId,
                  missed: !(call.status === 'ANSWER' && call.count === 1),
                })
              }
            >
              {call.status === 'ANSWER' && call.count === 1 ? 'Show' : `Open ${MISSED_QUEUE_NAME}`}
            </Anchor>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label="Close the call alert"
              onClick={dismissCallAlert}
            >
              ×
            </ActionIcon>
          </>
        ) : (
          <Text size="xs" c="dimmed" truncate="end">
            {idle}
          </Text>
        )}
      </Group>
      {message && (
        <Group
          gap="xs"
          wrap="nowrap"
          miw={0}
          maw="50%"
          role={message.kind === 'error' ? 'alert' : 'status'}
          aria-label={message.kind === 'error' ? 'Error' : 'Message'}
        >
          <Badge
            color={message.color}
            variant="light"
            size="sm"
            style={{ flexShrink: 0, overflow: 'visible' }}
          >
            {message.kind === 'error' ? 'Error' : 'Done'}
          </Badge>
          <Tooltip label={`${message.title}: ${message.message}`} multiline w={420} withArrow>
            <Text size="sm" truncate="end" miw={0} tabIndex={0}>
              <strong>{message.title}</strong>: {message.message}
            </Text>
          </Tooltip>
          {messages.length > 1 && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              +{messages.length - 1} more
            </Text>
          )}
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label="Close the message"
            onClick={() => dismissMessage(message.id)}
          >
            ×
          </ActionIcon>
        </Group>
      )}
    </Group>
  )
}
