import { localDateTime } from '../../../src/shared/localTime'
import { samplePush } from '../../support/fixtures'

/** The current date and time in India, as the vendor sends them. */
export function istNow(offsetSeconds = 0): { date: string; time: string } {
  return localDateTime(Date.now() + offsetSeconds * 1000, 'Asia/Kolkata')
}

/**
 * {@link samplePush} as the e2e suites push it: from `caller`, with `status`, started now in India;
 * answered calls go to agent 9876543210 (Asha Kulkarni in the demo) and last 95 s.
 */
export function vendorPush(
  id: string,
  caller: string,
  status: 'ANSWER' | 'MISSED' | 'DROPPED',
  over: Record<string, string> = {},
): Record<string, string> {
  const answered = status === 'ANSWER'
  return samplePush(id, {
    ...istNow(),
    callernumber: caller,
    callstatus: status,
    agentnumber: answered ? '9876543210' : '',
    ivrduration: '14',
    callduration: answered ? '95' : '0',
    ibizfonenumber: '08047181234',
    recordingurl: '',
    ...over,
  })
}
