import { Button } from '@mantine/core'
import { useState } from 'react'
import { isHttpUrl } from '../format'

/** A play button that turns into an audio player; only http(s) links are ever loaded. */
export function Recording({
  url,
  label,
}: {
  url: string | null
  label: string
}): React.JSX.Element {
  const [open, setOpen] = useState(false)
  if (!isHttpUrl(url)) return <span aria-label="No recording">–</span>
  if (!open) {
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
  }
  return (
    <audio
      controls
      autoPlay
      preload="none"
      src={url}
      aria-label={label}
      style={{ height: 28, maxWidth: 220 }}
    >
      <a href={url}>Recording</a>
    </audio>
  )
}
