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
import { DayInput } from '../../components/DayInput'
import { formatDate } from '../../../../shared/dateTime'
import { useAsyncAction } from '../../asyncAction'
import { fieldErrors, type FieldErrors } from '../../formErrors'
import { parseDayMonth, rangeError } from './calendar'
import { useHolidaySender } from './useHolidaySender'

type Mode = 'single' | 'range' | 'yearly'
type Field = 'date' | 'from' | 'to' | 'monthDay' | 'name'
type Fields = Record<Field, string>

/** What the form would send, or what is wrong and next to which field. */
export function holidayRequest(
  mode: Mode,
  f: Fields,
): { req: HolidayAdd } | { error: string; field: Field } {
  const name = f.name.trim()
  const named = name ? { name } : {}
  if (mode === 'single')
    return f.date ? { req: { date: f.date, ...named } } : { error: 'Choose a date.', field: 'date' }
  if (mode === 'range') {
    const error = rangeError(f.from, f.to)
    return error
      ? { error, field: f.from ? 'to' : 'from' }
      : { req: { from: f.from, to: f.to, ...named } }
  }
  const day = parseDayMonth(f.monthDay)
  if ('error' in day) return { error: day.error, field: 'monthDay' }
  if (!name) return { error: 'A yearly holiday needs a name.', field: 'name' }
  return { req: { yearly: day.monthDay, name } }
}

/** The fields of each kind of holiday. */
const FIELDS_OF: Record<Mode, readonly Field[]> = {
  single: ['date', 'name'],
  range: ['from', 'to', 'name'],
  yearly: ['monthDay', 'name'],
}

/**
 * Adds a single date, a range (one request per date at the vendor) or a yearly rule. What is
 * wrong shows next to its field, what was typed stays; a date today or tomorrow asks first.
 */
export function AddHolidayForm(): React.JSX.Element {
  const [mode, setMode] = useState<Mode>('single')
  const [fields, setFields] = useState<Fields>({
    date: '',
    from: '',
    to: '',
    monthDay: '',
    name: '',
  })
  const [errors, setErrors] = useState<FieldErrors<Field>>({})
  /** Date fields whose text is not a date: their own message shows under them. */
  const [unreadable, setUnreadable] = useState<Partial<Record<Field, string>>>({})
  const [result, setResult] = useState<HolidayAddResult | null>(null)
  const sender = useHolidaySender()
  const field =
    (key: Field) =>
    (e: React.ChangeEvent<HTMLInputElement>): void => {
      setFields({ ...fields, [key]: e.currentTarget.value })
      setErrors((x) => ({ ...x, [key]: undefined }))
    }
  const day =
    (key: 'date' | 'from' | 'to') =>
    (value: string | null): void => {
      setFields((f) => ({ ...f, [key]: value ?? '' }))
      setErrors((x) => ({ ...x, [key]: undefined, form: undefined }))
    }
  const dayText = (key: 'date' | 'from' | 'to') => (problem: string | null) =>
    setUnreadable((u) => ({ ...u, [key]: problem ?? undefined }))

  const { busy, run: send } = useAsyncAction(
    async (req: HolidayAdd) => {
      // The calendar and list follow main's `holidays:updated`; the reply is the report below.
      const r = await sender.send(req)
      if (r) setResult(r)
    },
    (err) => {
      // Next to the field it is about, not in a toast: what was refused is right here.
      const placed = fieldErrors(err, ['date', 'from', 'to', 'yearly', 'name'])
      const { yearly, ...rest } = placed
      setErrors({ ...rest, ...(yearly ? { monthDay: yearly } : {}) })
    },
  )

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault()
    setResult(null)
    // A date field that holds no date already says why, under itself.
    if (FIELDS_OF[mode].some((f) => unreadable[f])) return
    const built = holidayRequest(mode, fields)
    if ('error' in built) {
      setErrors({ [built.field]: built.error })
      return
    }
    setErrors({})
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
      {/* Top-aligned: an error under one field must not push the others out of line. */}
      <Group align="flex-start" gap="sm">
        {mode === 'single' && (
          <DayInput
            label="Date"
            w={170}
            value={fields.date || null}
            onChange={day('date')}
            onTextError={dayText('date')}
            error={errors.date}
          />
        )}
        {mode === 'range' && (
          <>
            <DayInput
              label="First day"
              w={170}
              value={fields.from || null}
              onChange={day('from')}
              onTextError={dayText('from')}
              error={errors.from}
            />
            <DayInput
              label="Last day"
              w={170}
              value={fields.to || null}
              onChange={day('to')}
              onTextError={dayText('to')}
              error={errors.to}
            />
          </>
        )}
        {mode === 'yearly' && (
          <TextInput
            label="Day and month"
            placeholder="15 Aug"
            maxLength={20}
            w={170}
            value={fields.monthDay}
            onChange={field('monthDay')}
            error={errors.monthDay}
            errorProps={{ role: 'alert' }}
          />
        )}
        <TextInput
          label={mode === 'yearly' ? 'Name' : 'Name (optional)'}
          placeholder="Diwali"
          maxLength={100}
          value={fields.name}
          onChange={field('name')}
          error={errors.name}
          errorProps={{ role: 'alert' }}
        />
        <Button type="submit" loading={busy} mt={25}>
          {mode === 'range' ? 'Add these days' : 'Add holiday'}
        </Button>
      </Group>
      {errors.form && (
        <Text c="red" size="sm" mt="xs" role="alert">
          {errors.form}
        </Text>
      )}
      {sender.dialog}
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
