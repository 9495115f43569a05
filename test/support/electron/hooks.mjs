// Module resolution hook for a stand-in run: `electron` (and `electron/main`) resolve to the
// stand-in module instead of the package, whose index.js only returns the binary's path.
let target = null

export function initialize(data) {
  target = data.electronModule
}

export async function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier === 'electron/main')
    return { url: target, shortCircuit: true }
  return next(specifier, context)
}
