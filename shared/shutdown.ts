/**
 * Graceful shutdown under the Functions Framework. On SIGTERM the framework
 * calls process.exit() at once; Cloud Run allows about 10 s. This runs the
 * registered hooks first (stop stdio children with their grace, flush audit
 * records, close upstream sessions) and lets the framework's exit proceed when
 * they are done or the grace has passed.
 */
const hooks: (() => Promise<unknown>)[] = []
let installed = false
let stopping: Promise<void> | undefined

/** Work to finish before the process exits on SIGTERM. */
export function onShutdown(hook: () => Promise<unknown>): void {
  hooks.push(hook)
}

export function installShutdown(graceMs = 8_000): void {
  if (installed) return
  installed = true
  // Ahead of the framework's own SIGTERM listener, which exits immediately.
  process.prependListener('SIGTERM', () => {
    if (stopping) return
    let timer: NodeJS.Timeout | undefined
    stopping = Promise.race([
      Promise.allSettled(hooks.map((h) => h())).then(() => undefined),
      new Promise<void>((r) => (timer = setTimeout(r, graceMs))),
    ]).finally(() => clearTimeout(timer))
    const exit = process.exit.bind(process)
    let released = false
    void stopping.then(() => { released = true })
    process.exit = ((code?: number) => {
      if (released) return exit(code)
      void stopping!.then(() => exit(code))
      return undefined as never
    }) as typeof process.exit
  })
}
