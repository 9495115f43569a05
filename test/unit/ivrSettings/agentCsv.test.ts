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
      {
        line: 2,
        number: '98765 43210',
        name: 'Rao, Asha',
        department: 'Sales',
        text: '"Rao, Asha";Sales;98765 43210',
      },
      {
        line: 4,
        number: '+91 91234 56789',
        name: 'Ravi',
        department: null,
        text: 'Ravi;;+91 91234 56789',
      },
    ])
  })

  it('takes number,name,department in order when there is no header', () => {
    const r = parseAgentCsv('9876543210,Asha,Sales\n9123456789,Ravi\n9000000001,Meena,')
    expect(r.rows.map((x) => [x.line, x.name, x.department])).toEqual([
      [1, 'Asha', 'Sales'],
      // No third value: the file says nothing of the department; an empty one clears it.
      [2, 'Ravi', undefined],
      [3, 'Meena', null],
    ])
  })

  it('reports rows without number or name with their line', () => {
    const r = parseAgentCsv(
      'number,name,department\n,Asha,Sales\n9876543210,,Sales\n9123456789,Ravi,',
    )
    expect(r.errors).toEqual([
      { line: 2, text: ',Asha,Sales', reason: 'No phone number' },
      { line: 3, text: '9876543210,,Sales', reason: 'No name for 9876543210' },
    ])
    expect(r.rows).toHaveLength(1)
  })

  it('refuses, by line, a line with more values than columns; trailing empty cells are not values', () => {
    const r = parseAgentCsv('9876543210,Asha,Sales,,\n9812345005,Extra,Cols,Here\n')
    expect(r.rows.map((x) => x.name)).toEqual(['Asha'])
    expect(r.errors).toEqual([
      {
        line: 2,
        text: '9812345005,Extra,Cols,Here',
        reason:
          '4 values, but a line holds at most 3 (number, name, department): nothing on this line is used',
      },
    ])
    const h = parseAgentCsv('number,name\n9876543210,Asha,Sales\n')
    expect(h.rows).toEqual([])
    expect(h.errors[0]?.reason).toMatch(/^3 values, but the header names 2 columns/)
  })

  it('names the header columns it does not use', () => {
    const r = parseAgentCsv('Name,Email,Phone\nAsha,asha@example.com,9876543210\n')
    expect(r.ignoredColumns).toEqual(['Email'])
    expect(r.rows.map((x) => [x.number, x.name, x.department])).toEqual([
      ['9876543210', 'Asha', undefined],
    ])
  })

  it('rejects a header without a number column, and a malformed file', () => {
    expect(() => parseAgentCsv('name,department\nAsha,Sales')).toThrow(UserError)
    expect(() => parseAgentCsv('number,name\n9876543210,"Asha')).toThrow(/could not be read/)
  })
})
