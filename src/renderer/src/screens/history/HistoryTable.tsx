import { Anchor, Box, Text, VisuallyHidden } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef } from 'react'
import type { Call } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { StatusBadge } from '../../components/StatusBadge'
import { formatInstant, formatSeconds } from '../../format'
import { usePhone, useTimezone } from '../../hooks'
import { OutsideHoursFlag } from '../../components/callDetail/OutsideHoursFlag'

/** Fits a 1024-pixel window without a sideways scroll; the flag column fits its whole badge. */
const COLUMNS =
  '165px 96px 140px minmax(100px, 1fr) minmax(80px, 1fr) minmax(70px, 1fr) 64px 64px 130px'
const HEADERS = [
  'Date and time',
  'Status',
  'Caller',
  'Agent',
  'Department',
  'Circle',
  'IVR wait',
  'Talk time',
  'Outside office hours',
]
const ROW_HEIGHT = 40
/**
 * On a phone a row is two lines of two cells (when and status, caller and agent), so nothing
 * scrolls sideways; the call's detail holds the rest.
 */
const PHONE_COLUMNS = 'minmax(0, 1fr) auto'
const PHONE_CELLS = 4
const PHONE_ROW_HEIGHT = 64
/** Ask for the next page when this many loaded rows remain below the visible ones. */
const PREFETCH_ROWS = 40

const Row = memo(function Row({
  call,
  index,
  agentName,
  zone,
  onOpen,
  compact,
}: {
  call: Call
  index: number
  agentName: string
  zone: string
  onOpen: (call: Call) => void
  /** A phone's row: the first four cells only. */
  compact: boolean
}): React.JSX.Element {
  const when = formatInstant(call.startedAt, zone)
  const cells = (
    <>
      <Box role="cell">
        <Anchor
          component="button"
          size="sm"
          ta="left"
          style={{ whiteSpace: 'nowrap' }}
          onClick={() => onOpen(call)}
          aria-label={`Open the call of ${when} from ${formatPhone(call.callerNumber)}`}
          data-row-index={index}
          data-shortcut="row"
        >
          {when}
        </Anchor>
      </Box>
      <Box role="cell">
        <StatusBadge status={call.status} />
      </Box>
      <Text role="cell" size="sm" ff="monospace" truncate>
        {formatPhone(call.callerNumber)}
      </Text>
      <Text role="cell" size="sm" truncate>
        {agentName}
      </Text>
    </>
  )
  if (compact) return cells
  return (
    <>
      {cells}
      <Text role="cell" size="sm" truncate>
        {call.department ?? '–'}
      </Text>
      <Text role="cell" size="sm" truncate>
        {call.circle ?? '–'}
      </Text>
      <Text role="cell" size="sm" ta="right">
        {formatSeconds(call.ivrSeconds)}
      </Text>
      <Text role="cell" size="sm" ta="right">
        {formatSeconds(call.talkSeconds)}
      </Text>
      <Box role="cell">{call.outsideOfficeHours && <OutsideHoursFlag />}</Box>
    </>
  )
})

/**
 * The loaded pages as a virtualised grid: only the rows in view are in the DOM, so thousands of
 * loaded rows scroll smoothly; nearing the end asks for the next page.
 */
export function HistoryTable({
  calls,
  total,
  agentName,
  onOpen,
  onNearEnd,
}: {
  calls: Call[]
  total: number | null
  agentName: (number: string | null) => string
  onOpen: (call: Call) => void
  onNearEnd: () => void
}): React.JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null)
  const zone = useTimezone()
  const phone = usePhone()
  const rowHeight = phone ? PHONE_ROW_HEIGHT : ROW_HEIGHT
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is meant to re-render this component
  const virtualizer = useVirtualizer({
    count: calls.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? -1
  // A window turned from phone to desk width (or back) has rows of another height.
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight])

  useEffect(() => {
    if (calls.length > 0 && lastIndex >= calls.length - PREFETCH_ROWS) onNearEnd()
  }, [lastIndex, calls.length, onNearEnd])

  const rowStyle: React.CSSProperties = {
    display: 'grid',
    gridTemplateColumns: phone ? PHONE_COLUMNS : COLUMNS,
    alignItems: 'center',
    gap: 6,
    padding: '0 8px',
  }
  return (
    <Box role="table" aria-label="Call history" aria-rowcount={(total ?? calls.length) + 1}>
      <Box role="rowgroup">
        <Box
          role="row"
          aria-rowindex={1}
          style={{
            ...rowStyle,
            height: phone ? 'auto' : 36,
            borderBottom: '1px solid var(--mantine-color-default-border)',
          }}
        >
          {(phone ? HEADERS.slice(0, PHONE_CELLS) : HEADERS).map((h, i) => (
            <Text
              key={i}
              role="columnheader"
              size="sm"
              fw={600}
              ta={i === 6 || i === 7 ? 'right' : undefined}
            >
              {/* The flag column's header is for screen readers: its badge says it on screen. */}
              {i === HEADERS.length - 1 ? <VisuallyHidden>{h}</VisuallyHidden> : h}
            </Text>
          ))}
        </Box>
      </Box>
      <Box
        ref={scrollRef}
        role="rowgroup"
        data-testid="history-scroll"
        style={{ height: 'max(320px, calc(100vh - 390px))', overflowY: 'auto', contain: 'strict' }}
      >
        <Box style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {items.map((item) => {
            const call = calls[item.index]!
            return (
              <Box
                key={call.id}
                role="row"
                aria-rowindex={item.index + 2}
                data-call-id={call.id}
                style={{
                  ...rowStyle,
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                  borderBottom: '1px solid var(--mantine-color-default-border)',
                }}
              >
                <Row
                  call={call}
                  index={item.index}
                  agentName={agentName(call.agentNumber)}
                  zone={zone}
                  onOpen={onOpen}
                  compact={phone}
                />
              </Box>
            )
          })}
        </Box>
      </Box>
    </Box>
  )
}
