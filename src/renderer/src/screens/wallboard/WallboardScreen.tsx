import { Anchor, Button, Group, Text, Title } from '@mantine/core'
import { useMemo } from 'react'
import type { Dashboard } from '../../../../shared/dashboard'
import { formatClock, formatDateTime } from '../../../../shared/dateTime'
import { localDateTime } from '../../../../shared/localTime'
import type { Agent, MissedItem } from '../../../../shared/domain'
import { MISSED_QUEUE_NAME, filterMissed, waitingText } from '../../../../shared/missedQueue'
import { formatPhone } from '../../../../shared/phone'
import { UpdatedAgo } from '../../components/UpdatedAgo'
import { formatAge } from '../../format'
import { useNow, useTimezone } from '../../hooks'
import { hashFor } from '../../routing'
import { useApp } from '../../store'
import { shownStatus } from '../agents/AgentStatusCell'
import { formatRate } from '../dashboard/StatCards'
import { useFiguresFollowingCalls } from '../dashboard/refresh'
import './wallboard.css'

/** Rows each list shows; the rest is counted ("and 4 more"), so the wall never scrolls. */
const ROWS = 10
const TODAY = { range: 'today' } as const

/** A status in a word and a shape, never colour alone. */
const STATE: Record<Agent['status'], { mark: string; word: string }> = {
  AVAIL: { mark: '●', word: 'Available' },
  OFF: { mark: '○', word: 'Off' },
  UNKNOWN: { mark: '?', word: 'Unknown' },
}

function Tile({
  label,
  value,
  before,
}: {
  label: string
  value: string
  before?: string
}): React.JSX.Element {
  return (
    <div className="wall-tile" role="group" aria-label={label}>
      <div className="wall-tile-label">{label}</div>
      <div className="wall-tile-value" data-wall-value>
        {value}
      </div>
      {before !== undefined && <div className="wall-tile-before">Yesterday by now: {before}</div>}
    </div>
  )
}

function Tiles({ d, waiting }: { d: Dashboard; waiting: number }): React.JSX.Element {
  const t = d.totals
  const p = d.previous.totals
  return (
    <section className="wall-tiles" aria-label="Today's figures">
      <Tile label="Calls today" value={String(t.total)} before={String(p.total)} />
      <Tile label="Answered" value={String(t.answered)} before={String(p.answered)} />
      <Tile label="Missed" value={String(t.missed)} before={String(p.missed)} />
      <Tile label="Dropped" value={String(t.dropped)} before={String(p.dropped)} />
      <Tile
        label="Answer rate"
        value={formatRate(t.answerRate)}
        before={formatRate(p.answerRate)}
      />
      <Tile
        label={`Service level (${d.serviceLevel.seconds} s)`}
        value={formatRate(d.serviceLevel.rate)}
        before={formatRate(d.previous.serviceLevel.rate)}
      />
      <Tile label="Callers waiting" value={String(waiting)} />
    </section>
  )
}

function Waiting({ items, now }: { items: MissedItem[]; now: number }): React.JSX.Element {
  return (
    <section className="wall-panel" aria-labelledby="wall-waiting">
      <h2 id="wall-waiting" className="wall-heading">
        {MISSED_QUEUE_NAME}: {waitingText(items.length)}
      </h2>
      {items.length === 0 ? (
        <p className="wall-empty">Nobody is waiting for a call back.</p>
      ) : (
        <table className="wall-table wall-callers" aria-label="Callers waiting, longest first">
          <thead>
            <tr>
              <th>Caller</th>
              <th>Department</th>
              <th className="wall-num">Calls</th>
              <th>Waiting</th>
              <th>Calls back</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(0, ROWS).map((i) => (
              <tr key={i.callerNumber} data-wall-caller={i.callerNumber}>
                <td className="wall-strong">{formatPhone(i.callerNumber)}</td>
                <td title={i.department ?? undefined}>{i.department ?? '–'}</td>
                <td className="wall-num">{i.count}</td>
                <td className="wall-strong">{formatAge(i.firstMissedAt, now)}</td>
                <td title={i.assignee ?? undefined}>{i.assignee ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length > ROWS && <p className="wall-more">and {items.length - ROWS} more waiting</p>}
    </section>
  )
}

function Agents({ agents, zone }: { agents: Agent[]; zone: string }): React.JSX.Element {
  const sorted = useMemo(() => {
    const order = { AVAIL: 0, UNKNOWN: 1, OFF: 2 }
    return [...agents].sort(
      (a, b) => order[shownStatus(a)] - order[shownStatus(b)] || a.name.localeCompare(b.name),
    )
  }, [agents])
  const available = agents.filter((a) => shownStatus(a) === 'AVAIL').length
  return (
    <section className="wall-panel" aria-labelledby="wall-agents">
      <h2 id="wall-agents" className="wall-heading">
        Agents: {available} of {agents.length} available
      </h2>
      <table className="wall-table wall-agents" aria-label="Agents, available first">
        <thead>
          <tr>
            <th>Agent</th>
            <th>State</th>
            <th className="wall-num">Answered</th>
            <th>Last call</th>
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, ROWS).map((a) => {
            const status = shownStatus(a)
            const state = STATE[status]
            return (
              <tr key={a.number} data-wall-agent={a.number} data-status={status}>
                <td className="wall-strong" title={a.name}>
                  {a.name}
                </td>
                <td>
                  <span aria-hidden="true">{state.mark}</span> {state.word}
                </td>
                <td className="wall-num">{a.today.answered}</td>
                <td>
                  {a.today.lastCallAt
                    ? formatClock(localDateTime(Date.parse(a.today.lastCallAt), zone).time)
                    : '–'}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {sorted.length > ROWS && <p className="wall-more">and {sorted.length - ROWS} more agents</p>}
    </section>
  )
}

/**
 * The wallboard: a read-only view of today for a screen on the wall (1920×1080, read from
 * across a room): today's figures beside yesterday's by the same time, the callers waiting for a
 * call back and each agent's state, all following the calls as they arrive. No control changes
 * anything; it opens at `#/wallboard`, or `#token=<a viewer's token>&screen=wallboard`.
 */
export function WallboardScreen(): React.JSX.Element {
  // Its own figures: the period chosen on the Dashboard stays as it was.
  const { dashboard, loadedAt, error } = useFiguresFollowingCalls(TODAY)
  const missed = useApp((s) => s.missed)
  const agents = useApp((s) => s.agents)
  const openState = useApp((s) => s.openState)
  const zone = useTimezone()
  const now = useNow(1_000)
  const waiting = useMemo(() => filterMissed(missed, { show: 'open' }), [missed])
  const today = dashboard?.range === 'today' ? dashboard : null

  return (
    <main className="wallboard" aria-label="Wallboard">
      <header className="wall-header">
        <Title order={1} className="wall-title">
          Wallboard
        </Title>
        <Text className="wall-clock">{formatDateTime(now, zone)}</Text>
        {openState && (
          <Text className="wall-open" role="status" data-open={openState.open}>
            {openState.text}
          </Text>
        )}
        <Group gap="md" className="wall-aside">
          <UpdatedAgo at={loadedAt} className="wall-updated" />
          <Button
            variant="default"
            size="xs"
            onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}
          >
            Full screen
          </Button>
          <Anchor href={hashFor('dashboard')} size="sm">
            Back to the app
          </Anchor>
        </Group>
      </header>
      {today ? (
        <Tiles d={today} waiting={waiting.length} />
      ) : error ? (
        <p className="wall-empty" role="alert">
          Today&apos;s figures could not be loaded: {error}
        </p>
      ) : (
        <p className="wall-empty">Loading today&apos;s figures…</p>
      )}
      <div className="wall-panels">
        <Waiting items={waiting} now={now} />
        <Agents agents={agents} zone={zone} />
      </div>
      <p className="wall-foot">
        Calls count when they end: the vendor reports each call once it is over.
        {openState ? ` ${openState.hear}` : ''}
      </p>
    </main>
  )
}
