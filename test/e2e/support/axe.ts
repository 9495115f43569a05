/**
 * axe-core on the page as it is, through @axe-core/playwright (it injects axe into every frame and
 * runs it over playwright-core, which this suite already drives): the WCAG 2.0/2.1 A and AA rules
 * plus axe's best practices, and only what axe rates serious or critical counts.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

export interface Finding {
  /** Where: the screen or dialog and the scheme. */
  where: string
  rule: string
  impact: string
  targets: string[]
  summary: string
}

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

export async function seriousFindings(page: Page, where: string): Promise<Finding[]> {
  // Legacy mode runs axe in the page itself instead of gathering the frames' results in a new
  // blank page: the app has no frames, and it halves the time of a run.
  const result = await new AxeBuilder({ page }).withTags(TAGS).setLegacyMode(true).analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      where,
      rule: v.id,
      impact: v.impact ?? '',
      targets: v.nodes.map((n) => n.target.join(' ')),
      summary: (v.nodes[0]?.failureSummary ?? v.help).replace(/\s+/g, ' '),
    }))
}

/** One line per finding, for a failing test's message: rule, where, how many, first targets. */
export function describeFindings(findings: Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.where}: ${f.rule} (${f.impact}) × ${f.targets.length}\n    ${f.targets.slice(0, 6).join('\n    ')}\n    ${f.summary.slice(0, 300)}`,
    )
    .join('\n')
}
