import { Alert, Anchor, Button, Text } from '@mantine/core'
import { useState } from 'react'
import { isHttpUrl } from '../format'

const EXPIRED =
  "The vendor's recording links expire after a while; this one has expired or cannot be reached from here."

/**
 * A call's recording, streamed from the vendor's link by the audio element itself (nothing is
 * downloaded first; only http(s) links are ever loaded). Vendor links expire: the element's
 * `error` event turns into a clear message with the link to try in the browser. `compact` (a
 * table row) starts as a play button and keeps the message short.
 */
export function RecordingPlayer({
  url,
  label = 'Recording of this call',
  compact = false,
}: {
  url: string | null
  label?: string
  compact?: boolean
}): React.JSX.Element {
  const [open, setOpen] = useState(!compact)
  const [failed, setFailed] = useState(false)
  if (!isHttpUrl(url))
    return compact ? (
      <span aria-label="No recording">–</span>
    ) : (
      <Text size="sm" c="dimmed">
        No recording for this call.
      </Text>
    )
  if (!open)
    return (
      <Button
        size="compact-xs"
        variant="light"
        aria-label={`Play ${label}`}
        onClick={() => setOpen(true)}
      >
        ▶ Play
      </Button>
    )
  const link = (
    <Anchor href={url} target="_blank" rel="noreferrer noopener">
      Try the link in the browser
    </Anchor>
  )
  if (failed)
    return compact ? (
      <Text size="xs" c="orange" role="alert" maw={220} title={EXPIRED}>
        Recording unavailable (expired link?). {link}
      </Text>
    ) : (
      <Alert color="orange" title="The recording could not be loaded" role="alert">
        {EXPIRED} {link}.
      </Alert>
    )
  return (
    <audio
      controls
      autoPlay={compact}
      preload={compact ? 'none' : 'metadata'}
      src={url}
      aria-label={label}
      style={compact ? { height: 28, maxWidth: 220 } : { width: '100%' }}
      onError={() => setFailed(true)}
    />
  )
}
