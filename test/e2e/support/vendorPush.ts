/** Builds a call-log push in the vendor's own format (the sample URL's parameter names). */
export function istNow(offsetSeconds = 0): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Kolkata',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + offsetSeconds * 1000))
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? ''
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  }
}

export function vendorPush(
  id: string,
  caller: string,
  status: 'ANSWER' | 'MISSED' | 'DROPPED',
  over: Record<string, string> = {},
): Record<string, string> {
  const { date, time } = istNow()
  const answered = status === 'ANSWER'
  return {
    calllogid: id,
    callernumber: caller,
    agentnumber: answered ? '9876543210' : '',
    callstatus: status,
    date,
    time,
    ivrduration: '14',
    callduration: answered ? '95' : '0',
    state: 'Karnataka',
    ibizfonenumber: '08047181234',
    recordingurl: '',
    department: 'Sales',
    ...over,
  }
}
