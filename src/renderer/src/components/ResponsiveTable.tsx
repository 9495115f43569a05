import { Table } from '@mantine/core'
import { useLayoutEffect, useRef, type ReactNode } from 'react'
import { usePhone } from '../hooks'
import './responsiveTable.css'

/**
 * Names each body cell after its column (`data-label`, from the header's words), so that on a
 * phone the stylesheet can show every row as a card of labelled lines. Derived from the headers
 * in one place, so a screen's cells never carry a second copy of its column names, and a column
 * added later is labelled too; it follows rows as they come and go.
 */
function labelCells(root: HTMLElement): void {
  for (const table of root.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '')
    for (const row of table.querySelectorAll('tbody tr'))
      [...row.children].forEach((cell, i) => {
        const label = heads[i] ?? ''
        if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label)
      })
  }
}

/**
 * A table that scrolls sideways on a wide window when it must (`minWidth`), and on a phone shows
 * each row as a card, one labelled line per column, so nothing ever scrolls sideways there.
 */
export function ResponsiveTable({
  minWidth,
  children,
}: {
  minWidth: number
  children: ReactNode
}): React.JSX.Element {
  const phone = usePhone()
  const ref = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const root = ref.current
    if (!phone || !root) return
    labelCells(root)
    // Attributes set here are no child-list change: the observer never wakes itself.
    const observer = new MutationObserver(() => labelCells(root))
    observer.observe(root, { childList: true, subtree: true, characterData: true })
    return () => observer.disconnect()
  }, [phone])
  if (!phone) return <Table.ScrollContainer minWidth={minWidth}>{children}</Table.ScrollContainer>
  return (
    <div ref={ref} className="stacked-table" data-stacked>
      {children}
    </div>
  )
}
