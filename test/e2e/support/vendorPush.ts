import { localDateTime } from '../../../src/shared/localTime'

/** The current date and time in India, as the vendor sends them. */
export function istNow(offsetSeconds = 0): { date: string; time: string } {
  return localDateTime(Date.now() + offsetSeconds * 1000, 'Asia/Kolkata')
}

/** Builds a call-log push in the vendor's own format (the sample URL's parameter names). */
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
