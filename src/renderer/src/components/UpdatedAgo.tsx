import { Text } from '@mantine/core'
import { useNow } from '../hooks'

/** `12 s`, `3 min`, `2 h`: how long ago, to the second while it is under a minute. */
export function agoText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s} s`
  const min = Math.floor(s / 60)
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h`
}

/** "Updated 12 s ago", ticking: figures that say how fresh they are instead of a silent refresh. */
export function UpdatedAgo({
  at,
  className,
}: {
  at: number | null
  className?: string
}): React.JSX.Element | null {
  const now = useNow(1_000)
  if (at === null) return null
  return (
    <Text size="sm" className={className} data-testid="updated-ago" data-at={at}>
      Updated {agoText(now - at)} ago
    </Text>
  )
}
