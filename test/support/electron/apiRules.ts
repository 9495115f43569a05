/**
 * What Electron's own type declarations (node_modules/electron/electron.d.ts, generated from its
 * documentation) say about each main-process API: the platforms it exists on (`@platform`) and
 * whether it must be called before or after the app's `ready` event. The stand-in `electron`
 * module enforces these, so the built main bundle is held to Electron 45's documented rules
 * rather than to rules written by hand.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import ts from 'typescript'

export type { ApiRule, ApiRules, Platform, Readiness } from './rules'
export { ruleFor } from './rules'
import type { ApiRule, ApiRules, Platform, Readiness } from './rules'

const AFTER =
  /(?:must be called|can only be called|can only be used) after (?:the )?(?:`ready` event|app is ready)|cannot be called before the `ready` event/i
const BEFORE =
  /(?:must be called|can only be called|can only be used) before (?:the )?(?:`ready` event|app is ready)/i

export function electronTypesPath(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('electron/package.json')), 'electron.d.ts')
}

function jsDocText(node: ts.Node): { text: string; platforms?: Platform[] } {
  let text = ''
  let platforms: Platform[] | undefined
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(doc)) continue
    text += ts.getTextOfJSDocComment(doc.comment) ?? ''
    for (const tag of doc.tags ?? []) {
      if (tag.tagName.text !== 'platform') continue
      const list = (ts.getTextOfJSDocComment(tag.comment) ?? '').split(',').map((s) => s.trim())
      platforms = list.filter(
        (p): p is Platform => p === 'linux' || p === 'win32' || p === 'darwin',
      )
    }
  }
  return { text, platforms }
}

function memberName(node: ts.ClassElement | ts.TypeElement): string | null {
  const name = node.name
  if (!name) return null
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text
  return null
}

/** The event name of an `on(event: 'name', ...)` overload, or null. */
function eventName(node: ts.ClassElement | ts.TypeElement): string | null {
  if (!(ts.isMethodDeclaration(node) || ts.isMethodSignature(node))) return null
  if (memberName(node) !== 'on') return null
  const first = node.parameters[0]?.type
  if (first && ts.isLiteralTypeNode(first) && ts.isStringLiteral(first.literal))
    return first.literal.text
  return null
}

/** Parses the declarations once (about a megabyte; a second or so). */
export function readApiRules(path = electronTypesPath()): ApiRules {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)
  const rules: ApiRules = new Map()
  const add = (key: string, rule: ApiRule): void => {
    if (!rule.platforms && !rule.readiness) return
    const had = rules.get(key)
    // Overloads: a member is as wide as its widest declaration.
    if (had?.platforms && rule.platforms)
      rule = { ...rule, platforms: [...new Set([...had.platforms, ...rule.platforms])] }
    else if (had && !had.platforms) rule = { ...rule, platforms: undefined }
    rules.set(key, { ...had, ...rule })
  }
  const visitOwner = (
    owner: string,
    members: ts.NodeArray<ts.ClassElement> | ts.NodeArray<ts.TypeElement>,
  ): void => {
    for (const member of members) {
      const { text, platforms } = jsDocText(member)
      const readiness: Readiness | undefined = AFTER.test(text)
        ? 'after-ready'
        : BEFORE.test(text)
          ? 'before-ready'
          : undefined
      const event = eventName(member)
      if (event) {
        add(`${owner}#${event}`, { platforms })
        continue
      }
      const name = memberName(member)
      if (!name || name === 'on' || name === 'once' || name === 'off') continue
      if (name === 'addListener' || name === 'removeListener') continue
      add(`${owner}.${name}`, { platforms, readiness })
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isModuleDeclaration(node) && node.name.getText() === 'Electron' && node.body) {
      const body = node.body as ts.ModuleBlock
      for (const statement of body.statements) {
        if (ts.isClassDeclaration(statement) && statement.name)
          visitOwner(statement.name.text, statement.members)
        else if (ts.isInterfaceDeclaration(statement))
          visitOwner(statement.name.text, statement.members)
      }
      return
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return rules
}
