import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { Firestore } from '@google-cloud/firestore'
import { freePort } from './net.js'
import { missing, type Missing } from './components.js'

export interface FirestoreEmulator {
  /** `127.0.0.1:PORT` */
  host: string
  projectId: string
  stop(): Promise<void>
  /** Deletes every document of the default database. */
  reset(): Promise<void>
}

const PACKAGE = 'google-cloud-cli-firestore-emulator'

/** For `needs()`: the emulator as a missing component (announced once). */
export const noEmulator = (): Missing => missing('the Firestore emulator', `apt-get install ${PACKAGE} (and a Java 17+ runtime)`)
const FALLBACK_JAR = '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar'
const READY = 'Dev App Server is now running'
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

function findJar(): string | null {
  try {
    const out = execFileSync('dpkg', ['-L', PACKAGE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    const jar = out.split('\n').find((l) => l.endsWith('.jar') && existsSync(l))
    if (jar) return jar
  } catch {}
  return existsSync(FALLBACK_JAR) ? FALLBACK_JAR : null
}

/**
 * Starts the official Firestore emulator (Java) on a free loopback port, or
 * returns null, with a loud warning, when it is not installed (gate the
 * suite with `needs(test, emu ? null : noEmulator())`). Sets
 * FIRESTORE_EMULATOR_HOST and METADATA_SERVER_DETECTION=none for this process.
 */
export async function startFirestoreEmulator(projectId = 'demo-test'): Promise<FirestoreEmulator | null> {
  const jar = findJar()
  if (!jar) {
    noEmulator()
    return null
  }
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  // Detached: the emulator leads its own process group, so stop() can kill all of it.
  const child = spawn('java', ['-cp', jar, 'com.google.cloud.datastore.emulator.firestore.CloudFirestore', 'start', '--host=127.0.0.1', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const kill = (sig: NodeJS.Signals) => {
    try { process.kill(-child.pid!, sig) } catch {}
  }
  // No orphan java: kill the group when this process exits or is interrupted.
  const onExit = () => kill('SIGKILL')
  const onSignal = (sig: NodeJS.Signals) => {
    onExit()
    process.removeListener(sig, onSignal)
    process.kill(process.pid, sig)
  }
  process.on('exit', onExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const unregister = () => {
    process.removeListener('exit', onExit)
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }

  let log = ''
  try {
    await waitReady(child, (s) => (log = (log + s).slice(-4000)))
  } catch (e) {
    kill('SIGKILL')
    await exited
    unregister()
    throw new Error(`Firestore emulator did not start: ${(e as Error).message}\n${log}`)
  }
  // Keep draining its output (a full pipe would block java) without keeping node alive.
  for (const s of [child.stdout, child.stderr]) (s as unknown as { unref?: () => void }).unref?.()
  child.unref()

  process.env.FIRESTORE_EMULATOR_HOST = host
  process.env.METADATA_SERVER_DETECTION = 'none'

  let stopped: Promise<void> | undefined
  return {
    host,
    projectId,
    stop: () =>
      (stopped ??= (async () => {
        kill('SIGTERM')
        const t = setTimeout(() => kill('SIGKILL'), STOP_TIMEOUT_MS)
        await exited
        clearTimeout(t)
        unregister()
      })()),
    async reset() {
      const res = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' })
      if (!res.ok) throw new Error(`emulator reset failed: ${res.status}`)
    },
  }
}

function waitReady(child: ChildProcess, onLog: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${READY}" within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
    let tail = '' // the marker may straddle two chunks
    const onData = (b: Buffer) => {
      const s = b.toString()
      onLog(s)
      tail = (tail + s).slice(-2 * READY.length - s.length)
      if (tail.includes(READY)) done()
    }
    const onExit = (code: number | null) => done(new Error(`exited with ${code}`))
    const onError = (e: Error) => done(e)
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', onExit)
    child.once('error', onError)
    function done(err?: Error) {
      clearTimeout(timer)
      child.removeListener('exit', onExit)
      child.removeListener('error', onError)
      // Stop recording, keep draining.
      child.stdout!.removeListener('data', onData)
      child.stderr!.removeListener('data', onData)
      child.stdout!.resume()
      child.stderr!.resume()
      err ? reject(err) : resolve()
    }
  })
}

/** A Firestore client for the emulator; the caller must `terminate()` it. */
export async function emulatorFirestore(emu: FirestoreEmulator): Promise<Firestore> {
  process.env.METADATA_SERVER_DETECTION = 'none'
  const { Firestore } = await import('@google-cloud/firestore')
  const [host, port] = emu.host.split(':')
  return new Firestore({
    projectId: emu.projectId,
    host,
    port: Number(port),
    ssl: false,
    customHeaders: { Authorization: 'Bearer owner' },
    ignoreUndefinedProperties: true,
  })
}
