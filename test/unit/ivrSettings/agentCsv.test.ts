import { describe, expect, it } from 'vitest'
import { parseAgentCsv } from '../../../src/main/ivrSettings/agentCsv'
import { UserError } from '../../../src/main/ground/errors'

describe('parseAgentCsv', () => {
  it('reads a tolerant header in any order, with BOM, quotes and CRLF', () => {
    const csv =
      '\ufeffAgent Name;Dept;Phone Number\r\n"Rao, Asha";Sales;98765 43210\r\n\r\nRavi;;+91 91234 56789\r\n'
    const r = parseAgentCsv(csv)
    expect(r.errors).toEqual([])
    expect(r.rows).toEqual([
      { line: 2, number: '98765 43210', name: 'Rao, Asha', department: 'Sales' },
      { line: 4, number: '+91 91234 56789', name: 'Ravi', department: null },
    ])
  })

  it('takes number,name,department in order when there is no header', () => {
    const r = parseAgentCsv('9876543210,Asha,Sales\n9123456789,Ravi')
    expect(r.rows.map((x) => [x.line, x.name, x.department])).toEqual([
      [1, 'Asha', 'Sales'],
      [2, 'Ravi', null],
    ])
  })

  it('reports rows without number or name with their line', () => {
    const r = parseAgentCsv(
      'number,name,department\n,Asha,Sales\n9876543210,,Sales\n9123456789,Ravi,',
    )
    expect(r.errors).toEqual([
      { line: 2, reason: 'No phone number' },
      { line: 3, reason: 'No name for 9876543210' },
    ])
    expect(r.rows).toHaveLength(1)
  })

  it('rejects a header without a number column, and a malformed file', () => {
    expect(() => parseAgentCsv('name,department\nAsha,Sales')).toThrow(UserError)
    expect(() => parseAgentCsv('number,name\n9876543210,"Asha')).toThrow(/could not be read/)
  })
})
