/** Child processes of the bench: every one is tracked and killed at the end, also on errors. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository root (this file runs from dist/bench/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const live = new Set<ChildProcess>()

export interface Child {
  proc: ChildProcess
  pid: number
  /** The last few KiB of stderr, for error messages. */
  stderr(): string
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>
}

export function spawnChild(args: string[], opts: SpawnOptions & { env: NodeJS.ProcessEnv }): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], ...opts })
  if (proc.pid === undefined) throw new Error(`could not spawn node ${args.join(' ')}`)
  live.add(proc)
  let tail = ''
  proc.stderr?.on('data', (c: Buffer) => { tail = (tail + c.toString()).slice(-16384) })
  const exited = new Promise<void>((r) => {
    if (proc.exitCode !== null || proc.signalCode !== null) r()
    else proc.once('exit', () => r())
  }).finally(() => live.delete(proc))
  return {
    proc,
    pid: proc.pid,
    stderr: () => tail,
    async stop(graceMs = 3000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM')
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs)
        await exited
        clearTimeout(t)
      }
      await exited
    },
  }
}

/** Last resort on the way out: SIGKILL whatever is still running. */
export function killAllSync(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
}
process.once('exit', killAllSync)

/** `VmHWM` (peak RSS) and `VmRSS` of a live process, in MiB; null where /proc is unavailable. */
export function memOf(pid: number): { peakMiB: number; rssMiB: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN)
    return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 }
  } catch {
    return null
  }
}

/** Resets the peak-RSS mark of our own child (Linux `clear_refs` 5); false when not permitted. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
