import { describe, expect, it } from 'vitest'
import { parseAgentCsv } from '../../../src/main/ivrSettings/agentCsv'
import { planImport, type DirectoryEntry } from '../../../src/main/ivrSettings/agentImport'

const DIRECTORY: DirectoryEntry[] = [
  {
    number: '9876543210',
    normalizedNumber: '+919876543210',
    name: 'Asha Kulkarni',
    department: 'Sales',
  },
  { number: '9123456789', normalizedNumber: '+919123456789', name: 'Ravi', department: 'Support' },
]

const plan = (csv: string, directory = DIRECTORY) => planImport(parseAgentCsv(csv), directory)

describe('planImport (the import preview)', () => {
  it("shows the issue's file: a rename side by side, extra columns refused, one Support", () => {
    const p = plan(
      [
        '9876543210,Dup of Asha,Sales',
        '9812345005,Extra,Cols,Here',
        '9000000001,Meena,support',
        '9000000002,Anil,SUPPORT',
        '9000000003,Nita,billing',
        '9000000004,Om,Billing',
      ].join('\n'),
    ).preview
    expect(p.changed).toEqual([
      {
        line: 1,
        number: '9876543210',
        normalizedNumber: '+919876543210',
        before: { name: 'Asha Kulkarni', department: 'Sales' },
        after: { name: 'Dup of Asha', department: 'Sales' },
      },
    ])
    expect(p.refused).toEqual([
      { line: 2, text: '9812345005,Extra,Cols,Here', reason: expect.stringMatching(/^4 values/) },
    ])
    expect(p.added.map((a) => [a.line, a.name, a.department])).toEqual([
      [3, 'Meena', 'Support'],
      [4, 'Anil', 'Support'],
      // A department new to the directory takes the first line's spelling.
      [5, 'Nita', 'billing'],
      [6, 'Om', 'billing'],
    ])
    expect(p.departments).toEqual([
      { typed: 'support', as: 'Support' },
      { typed: 'SUPPORT', as: 'Support' },
      { typed: 'Billing', as: 'billing' },
    ])
  })

  it('leaves a line that matches the directory as it is, and keeps a department the file omits', () => {
    const p = plan('number,name\n+91 98765 43210,Asha Kulkarni\n09123456789,Ravi Kumar\n').preview
    expect(p.unchanged.map((u) => u.line)).toEqual([2])
    expect(p.changed.map((c) => [c.before, c.after])).toEqual([
      [
        { name: 'Ravi', department: 'Support' },
        { name: 'Ravi Kumar', department: 'Support' },
      ],
    ])
    expect(p.added).toEqual([])
  })

  it('shows a cleared department as a change', () => {
    const p = plan('number,name,department\n9876543210,Asha Kulkarni,\n').preview
    expect(p.changed[0]?.after).toEqual({ name: 'Asha Kulkarni', department: null })
  })

  it('refuses invalid numbers and a number given twice, keeping the first line', () => {
    const p = plan('12345,Bad\n9000000001,Meena\n+91 90000 00001,Meena again\n').preview
    expect(p.refused.map((r) => [r.line, r.text, r.reason])).toEqual([
      [1, '12345,Bad', expect.stringMatching(/not a valid phone number/)],
      [
        3,
        '+91 90000 00001,Meena again',
        '+91 90000 00001 is already on line 2: only that line is used',
      ],
    ])
    expect(p.added.map((a) => a.name)).toEqual(['Meena'])
  })

  it('ties the preview to the directory and the file', () => {
    const csv = '9876543210,Asha K,Sales\n9000000001,Meena,Sales\n'
    const first = plan(csv).preview.preview
    expect(plan(csv).preview.preview).toBe(first)
    const renamed = DIRECTORY.map((a) =>
      a.name === 'Asha Kulkarni' ? { ...a, name: 'Asha R' } : a,
    )
    expect(plan(csv, renamed).preview.preview).not.toBe(first)
    expect(plan(csv.replace('Meena', 'Meenakshi')).preview.preview).not.toBe(first)
    // An agent the file does not touch does not matter.
    const other = DIRECTORY.map((a) => (a.name === 'Ravi' ? { ...a, department: null } : a))
    expect(plan(csv, other).preview.preview).toBe(first)
  })

  it('lists what it would write, in line order', () => {
    const p = plan('9000000002,Anil,Sales\n9876543210,Asha K,Sales\n9000000001,Meena,Sales\n')
    expect(p.add.map((a) => a.normalizedNumber)).toEqual(['+919000000002', '+919000000001'])
    expect(p.change).toEqual([
      {
        number: '9876543210',
        normalizedNumber: '+919876543210',
        name: 'Asha K',
        department: 'Sales',
      },
    ])
  })
})
