import { Alert, Anchor, Text } from '@mantine/core'
import { useState } from 'react'
import { isHttpUrl } from '../../format'

/**
 * The recording, streamed from the vendor's link by the audio element itself (nothing is
 * downloaded first). Vendor links expire: the element's `error` event turns into a clear message.
 */
export function RecordingPlayer({ url }: { url: string | null }): React.JSX.Element {
  const [failed, setFailed] = useState(false)
  if (!isHttpUrl(url))
    return (
      <Text size="sm" c="dimmed">
        No recording for this call.
      </Text>
    )
  return (
    <>
      {!failed && (
        <audio
          controls
          preload="metadata"
          src={url}
          aria-label="Recording of this call"
          style={{ width: '100%' }}
          onError={() => setFailed(true)}
        />
      )}
      {failed && (
        <Alert color="orange" title="The recording could not be loaded" role="alert">
          The vendor's recording links expire after a while; this one has expired or cannot be
          reached from here.{' '}
          <Anchor href={url} target="_blank" rel="noreferrer noopener">
            Try the link in the browser
          </Anchor>
          .
        </Alert>
      )}
    </>
  )
}
