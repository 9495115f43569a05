import {
  Alert,
  Button,
  Card,
  Group,
  List,
  SegmentedControl,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { HolidayAddResult } from '../../../../shared/contract'
import type { HolidayAdd } from '../../../../shared/schemas'
import { api, errorText } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { DayInput } from '../../components/DayInput'
import { formatDate } from '../../../../shared/dateTime'
import { monthDayError, rangeError } from './calendar'

type Mode = 'single' | 'range' | 'yearly'

/** What the form would send, or why it cannot yet. */
export function holidayRequest(
  mode: Mode,
  f: { date: string; from: string; to: string; monthDay: string; name: string },
): { req: HolidayAdd } | { error: string } {
  const name = f.name.trim()
  const named = name ? { name } : {}
  if (mode === 'single')
    return f.date ? { req: { date: f.date, ...named } } : { error: 'Choose a date.' }
  if (mode === 'range') {
    const error = rangeError(f.from, f.to)
    return error ? { error } : { req: { from: f.from, to: f.to, ...named } }
  }
  const error = monthDayError(f.monthDay.trim())
  if (error) return { error }
  if (!name) return { error: 'A yearly holiday needs a name.' }
  return { req: { yearly: f.monthDay.trim(), name } }
}

/** Adds a single date, a range (one request per date at the vendor) or a yearly rule. */
export function AddHolidayForm(): React.JSX.Element {
  const [mode, setMode] = useState<Mode>('single')
  const [fields, setFields] = useState({ date: '', from: '', to: '', monthDay: '', name: '' })
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<HolidayAddResult | null>(null)
  const { busy, run: send } = useAsyncAction(
    // The calendar and list follow main's `holidays:updated`; the reply is the report below.
    async (req: HolidayAdd) => setResult(await api.holidays.add(req)),
    // Next to the form, not in a toast: what was refused is right here.
    (err) => setError(errorText(err)),
  )
  const field =
    (key: keyof typeof fields) =>
    (e: React.ChangeEvent<HTMLInputElement>): void =>
      setFields({ ...fields, [key]: e.currentTarget.value })
  const day =
    (key: 'date' | 'from' | 'to') =>
    (value: string | null): void =>
      setFields((f) => ({ ...f, [key]: value ?? '' }))

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault()
    const built = holidayRequest(mode, fields)
    if ('error' in built) {
      setError(built.error)
      return
    }
    setError(null)
    await send(built.req)
  }

  return (
    <Card
      withBorder
      component="form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="add-holiday"
    >
      <Title order={3} size="h4" id="add-holiday" mb="sm">
        Add holidays
      </Title>
      <SegmentedControl
        aria-label="Kind of holiday"
        value={mode}
        onChange={(v) => setMode(v as Mode)}
        data={[
          { value: 'single', label: 'One date' },
          { value: 'range', label: 'Range' },
          { value: 'yearly', label: 'Every year' },
        ]}
        mb="sm"
      />
      <Group align="flex-end" gap="sm">
        {mode === 'single' && (
          <DayInput label="Date" w={150} value={fields.date || null} onChange={day('date')} />
        )}
        {mode === 'range' && (
          <>
            <DayInput
              label="First day"
              w={150}
              value={fields.from || null}
              onChange={day('from')}
            />
            <DayInput label="Last day" w={150} value={fields.to || null} onChange={day('to')} />
          </>
        )}
        {mode === 'yearly' && (
          <TextInput
            label="Month and day (MM-DD)"
            placeholder="08-15"
            maxLength={5}
            w={170}
            value={fields.monthDay}
            onChange={field('monthDay')}
          />
        )}
        <TextInput
          label={mode === 'yearly' ? 'Name' : 'Name (optional)'}
          placeholder="Diwali"
          maxLength={100}
          value={fields.name}
          onChange={field('name')}
        />
        <Button type="submit" loading={busy}>
          {mode === 'range' ? 'Add these days' : 'Add holiday'}
        </Button>
      </Group>
      {error && (
        <Text c="red" size="sm" mt="xs" role="alert">
          {error}
        </Text>
      )}
      {result && (
        <Alert
          mt="sm"
          color="blue"
          variant="light"
          title={result.message}
          withCloseButton
          onClose={() => setResult(null)}
        >
          {result.results.length > 0 && (
            <List size="sm" aria-label="Dates sent to the vendor">
              {result.results.map((r) => (
                <List.Item key={r.change.id}>
                  {formatDate(r.change.params.hdate ?? r.change.target.replace(/^holiday:/, ''))}:{' '}
                  {r.change.state}
                  {r.change.state === 'refused' &&
                    ` (vendor said: ${r.change.vendorAnswer ?? r.message})`}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </Card>
  )
}
