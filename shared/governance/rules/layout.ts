/**
 * Layout tricks and size.
 * - whitespace-run: a run of blank characters (spaces, tabs, newlines, invisible
 *   fillers) long enough to push text out of view. high at 80 or more (or 16 or
 *   more line breaks), medium at 40 or more.
 * - base64-run: 120 or more base64 characters in a row with mixed case and
 *   digits. high when it decodes to readable text (an encoded instruction),
 *   medium otherwise.
 * - oversized (medium): a description over 8 KiB, or a definition over 64 KiB.
 */
import type { Emit, Input, Rule } from './types.js'

const BLANK = /[\s\u200b-\u200f\u2060\u2800\u3164\uffa0\u115f\u1160\u00a0]{16,}/gu
const BASE64 = /[A-Za-z0-9+/_-]{120,}={0,2}/g
export const MAX_DESCRIPTION = 8 * 1024
export const MAX_DEFINITION = 64 * 1024

function readable(run: string): boolean {
  const b = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').subarray(0, 4096)
  let printable = 0, spaces = 0
  for (const c of b) {
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) printable++
    if (c === 0x20) spaces++
  }
  return b.length > 0 && printable / b.length >= 0.9 && spaces >= 2
}

function blanks(f: Input, emit: Emit) {
  let n = 0
  for (const m of f.raw.matchAll(BLANK)) {
    const lines = m[0].split('\n').length - 1
    const sev = m[0].length >= 80 || lines >= 16 ? 'high' : m[0].length >= 40 ? 'medium' : null
    if (!sev) continue
    if (n++ >= 3) break
    emit(sev, 'whitespace-run', m.index!, m.index! + m[0].length, `⟨${m[0].length} blank characters⟩`)
  }
}

function base64(f: Input, emit: Emit) {
  let n = 0
  for (const m of f.raw.matchAll(BASE64)) {
    const s = m[0]
    if (!/[a-z]/.test(s) || !/[A-Z]/.test(s) || !/[0-9]/.test(s) || n++ >= 3) continue
    emit(readable(s) ? 'high' : 'medium', 'base64-run', m.index!, m.index! + s.length)
  }
}

export const layout: Rule = {
  run(f, _ctx, emit) {
    if (f.raw.length >= 16) blanks(f, emit)
    if (f.raw.length >= 120) base64(f, emit)
    if (f.pointer === '/description' && f.raw.length > MAX_DESCRIPTION) emit('medium', 'oversized', MAX_DESCRIPTION, f.raw.length, `⟨description of ${f.raw.length} characters⟩`)
  },
  end(ctx, emit) {
    if (ctx.size > MAX_DEFINITION) emit('medium', 'oversized', '', `⟨definition of ${ctx.size} characters⟩`)
  },
}
