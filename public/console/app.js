// The console: sign in, MCPs (list, register, connect, health, tools, run), audit.
// Everything goes through the typed client (/client/gateway.js).
import { Gateway, GatewayError } from '/client/gateway.js'
import { h, fill, problemView, fmtTime } from './dom.js'
import * as auth from './auth.js'
import { runPanel } from './run.js'

const main = document.getElementById('main')
const nav = document.getElementById('nav')
const who = document.getElementById('who')
const signout = document.getElementById('signout')

/** /config.json (written by the deploy): {auth: 'firebase', api_key, project_id, execute_stream_url?}. Absent: local mode. */
async function loadConfig() {
  try {
    const r = await fetch('/config.json', { cache: 'no-store' })
    if (r.ok && (r.headers.get('content-type') ?? '').includes('json')) return await r.json()
  } catch { /* local mode */ }
  return { auth: 'dev' }
}

const cfg = await loadConfig()
const gw = new Gateway({ baseUrl: '', token: () => auth.token(), ...(cfg.execute_stream_url ? { streamBase: cfg.execute_stream_url } : {}) })
window.__gw = gw

/** Runs fn, showing its failure in `into`; an expired or refused sign-in goes back to the sign-in screen. */
async function guard(into, fn) {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof GatewayError && e.status === 401) {
      auth.signOut()
      return showSignIn('Your sign-in was refused or has expired: sign in again.')
    }
    into.append(problemView(e))
    return undefined
  }
}

function header() {
  const u = auth.user()
  const on = Boolean(u)
  nav.hidden = !on
  signout.hidden = !on
  who.textContent = on ? `${u.sub}${u.org_id ? ` (${u.org_id}${u.org_role === 'admin' ? ', admin' : ''})` : ''}` : ''
}

signout.addEventListener('click', () => {
  auth.signOut()
  showSignIn()
})
nav.addEventListener('click', (e) => {
  const s = e.target?.dataset?.screen
  if (s === 'mcps') showMcps()
  if (s === 'audit') showAudit()
})

// ---- sign in ----
function showSignIn(message) {
  header()
  const msg = h('p', { class: 'problem', role: 'alert', hidden: !message }, message ?? '')
  if (cfg.auth === 'firebase') {
    const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true })
    const pw = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true })
    const form = h('form', { id: 'signin', onsubmit: async (e) => {
      e.preventDefault()
      try {
        await auth.firebaseSignIn(cfg, email.value, pw.value)
        start()
      } catch (err) {
        msg.hidden = false
        msg.textContent = err.message
      }
    } },
    h('label', { for: 'email' }, 'Email'), email, h('label', { for: 'password' }, 'Password'), pw, h('button', { type: 'submit' }, 'Sign in'))
    return fill(main, h('section', { class: 'card narrow' }, h('h2', {}, 'Sign in'), msg, form))
  }
  const box = h('textarea', { id: 'dev-token', rows: 4, placeholder: 'eyJhbGciOi…', autocomplete: 'off', spellcheck: false })
  const form = h('form', { id: 'signin', onsubmit: (e) => {
    e.preventDefault()
    if (auth.setDevToken(box.value)) return start()
    msg.hidden = false
    msg.textContent = 'That is not a token that is still valid.'
  } },
  h('label', { for: 'dev-token' }, cfg.auth === 'dev' ? 'Dev token' : 'ID token'), box, h('button', { type: 'submit' }, 'Sign in'))
  const why = cfg.auth === 'dev'
    ? h('p', {}, 'Open the console URL that ', h('code', {}, 'npm start'), ' prints, or paste a token from ',
      h('code', {}, 'npm run -s dev-token -- --user alice'), '. It is kept in this tab only (sessionStorage).')
    : h('p', {}, 'Paste an ID token from the identity provider this gateway trusts. It is kept in this tab only (sessionStorage).')
  fill(main, h('section', { class: 'card narrow' }, h('h2', {}, cfg.auth === 'dev' ? 'Sign in (local mode)' : 'Sign in'), msg, why, form))
}

// ---- MCP list and register ----
const badge = (text, kind) => h('span', { class: `badge ${kind ?? ''}` }, text)
const stateOf = (m) => (m.auth_type === 'oauth' ? m.connection?.state ?? m.status : m.status)
const healthBadge = (hl) => (!hl ? badge('unchecked') : hl.ok ? badge('healthy', 'ok') : badge(`down: ${hl.error?.reason ?? hl.error?.code ?? 'error'}`, 'bad'))

async function showMcps() {
  header()
  const list = h('tbody')
  const status = h('div')
  const section = h('section', { class: 'card' }, h('h2', {}, 'MCP servers'), status,
    h('table', { id: 'mcps' }, h('thead', {}, h('tr', {}, ['Name', 'Type', 'Endpoint', 'Status', 'Health'].map((c) => h('th', {}, c)))), list))
  fill(main, section, registerForm())
  await guard(status, async () => {
    let n = 0
    for await (const m of gw.listMcps()) {
      n++
      list.append(h('tr', { dataset: { id: m.id } },
        h('td', {}, h('a', { href: '#', class: 'mcp-link', onclick: (e) => { e.preventDefault(); showMcp(m.id) } }, m.name)),
        h('td', {}, m.type), h('td', { class: 'endpoint' }, m.endpoint ?? m.stdio?.server ?? ''),
        h('td', {}, badge(stateOf(m), m.status === 'ready' ? 'ok' : 'warn')), h('td', {}, healthBadge(m.health))))
    }
    if (!n) status.append(h('p', { class: 'muted' }, 'No MCP servers yet: register one below.'))
  })
}

function registerForm() {
  const name = h('input', { id: 'reg-name', required: true, maxlength: '100' })
  const type = h('select', { id: 'reg-type' }, ['http', 'sse', 'stdio'].map((t) => h('option', { value: t }, t)))
  const endpoint = h('input', { id: 'reg-endpoint', type: 'url', placeholder: 'https://mcp.example.com/mcp' })
  const authType = h('select', { id: 'reg-auth' }, ['none', 'bearer', 'oauth'].map((t) => h('option', { value: t }, t)))
  const tok = h('input', { id: 'reg-token', type: 'password', autocomplete: 'off' })
  const tokRow = h('div', { class: 'field', hidden: true }, h('label', { for: 'reg-token' }, 'Bearer token'), tok)
  const server = h('input', { id: 'reg-server', placeholder: 'catalog entry' })
  const serverRow = h('div', { class: 'field', hidden: true }, h('label', { for: 'reg-server' }, 'stdio server (catalog entry)'), server)
  const endpointRow = h('div', { class: 'field' }, h('label', { for: 'reg-endpoint' }, 'Endpoint'), endpoint)
  const out = h('div')
  const sync = () => {
    tokRow.hidden = authType.value !== 'bearer'
    serverRow.hidden = type.value !== 'stdio'
    endpointRow.hidden = type.value === 'stdio'
  }
  type.addEventListener('change', sync)
  authType.addEventListener('change', sync)
  const form = h('form', { id: 'register', onsubmit: async (e) => {
    e.preventDefault()
    out.replaceChildren()
    const body = { name: name.value, type: type.value, auth_type: authType.value }
    if (type.value === 'stdio') body.stdio = { server: server.value }
    else body.endpoint = endpoint.value
    if (authType.value === 'bearer') body.config = { token: tok.value }
    const m = await guard(out, () => gw.createMcp(body))
    if (m) showMcp(m.id)
  } },
  h('div', { class: 'field' }, h('label', { for: 'reg-name' }, 'Name'), name),
  h('div', { class: 'field' }, h('label', { for: 'reg-type' }, 'Transport'), type),
  endpointRow, serverRow,
  h('div', { class: 'field' }, h('label', { for: 'reg-auth' }, 'Auth'), authType),
  tokRow, h('button', { type: 'submit' }, 'Register'), out)
  return h('section', { class: 'card' }, h('h2', {}, 'Register an MCP server'), form)
}

// ---- one MCP ----
async function showMcp(id) {
  header()
  const top = h('div')
  fill(main, h('p', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); showMcps() } }, '← all MCP servers')), top)
  const m = await guard(top, () => gw.getMcp(id))
  if (!m) return
  const health = h('div', { id: 'health' }, healthBadge(m.health))
  const conn = h('div', { id: 'connection' })
  const toolsBox = h('div', { id: 'tools' })
  const run = h('div', { id: 'run' })
  const usageBox = h('div', { id: 'usage' })
  const auditBox = h('div', { id: 'mcp-audit' })

  const renderConn = (v) => {
    fill(conn)
    if (v.auth_type !== 'oauth') return conn.append(badge(v.status, v.status === 'ready' ? 'ok' : 'warn'))
    const st = v.connection?.state ?? 'not_connected'
    conn.append(badge(st, v.connection?.connected ? 'ok' : 'warn'), ' ')
    if (v.connection?.expires_at) conn.append(h('small', {}, ` token expires ${fmtTime(v.connection.expires_at)} `))
    // gw.connect opens the popup synchronously, inside this click (a user gesture): no await before it.
    conn.append(h('button', { type: 'button', id: 'connect', onclick: () => {
      const note = h('span', { class: 'muted' }, ' waiting for the provider…')
      conn.append(note)
      gw.connect(id, { returnTo: location.origin + location.pathname }).then(async () => {
        const fresh = await gw.getMcp(id)
        renderConn(fresh)
        loadTools()
      }, (e) => {
        note.remove()
        conn.append(problemView(e))
        // A blocked popup: the whole tab goes to the provider instead, and finishConnect() completes on return.
        if (e?.code === 'popup_blocked')
          conn.append(h('button', { type: 'button', id: 'connect-tab', onclick: () => {
            gw.connect(id, { popup: false, returnTo: location.origin + location.pathname }).catch((err) => conn.append(problemView(err)))
          } }, 'Connect in this tab'))
      })
    } }, v.connection?.connected ? 'Reconnect' : 'Connect'))
  }
  renderConn(m)

  const check = h('button', { type: 'button', id: 'check', onclick: async () => {
    check.disabled = true
    fill(health, h('span', { class: 'muted' }, 'checking…'))
    const r = await guard(health, () => gw.checkMcp(id))
    check.disabled = false
    if (!r) return
    fill(health, r.ok ? badge('healthy', 'ok') : badge(`down: ${r.error?.reason ?? r.error?.code}`, 'bad'),
      ` ${r.latency_ms} ms`, r.server ? ` · ${r.server.title ?? r.server.name} ${r.server.version ?? ''}` : '',
      r.protocol_version ? ` · protocol ${r.protocol_version}` : '',
      r.error ? h('p', { class: 'muted' }, r.error.detail ?? '') : null)
  } }, 'Check health')

  const del = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!confirm(`Delete ${m.name}?`)) return
    const ok = await guard(top, async () => { await gw.deleteMcp(id); return true })
    if (ok) showMcps()
  } }, 'Delete')

  async function loadTools() {
    fill(toolsBox, h('p', { class: 'muted' }, 'listing tools…'))
    const r = await guard(fill(toolsBox), () => gw.listTools(id))
    if (!r) return
    const rows = r.tools.map((t) => h('tr', { dataset: { tool: t.name } },
      h('td', {}, h('button', { type: 'button', class: 'link tool-run', onclick: () => { fill(run, runPanel(gw, id, t, guard)); run.scrollIntoView({ block: 'start' }) } }, t.name)),
      h('td', {}, t.title ?? ''), h('td', {}, t.description ?? ''),
      h('td', {}, t.approval && t.approval !== 'approved' ? badge(t.approval, 'warn') : '')))
    fill(toolsBox, r.tools.length
      ? h('table', { class: 'tools' }, h('thead', {}, h('tr', {}, ['Tool', 'Title', 'Description', ''].map((c) => h('th', {}, c)))), h('tbody', {}, rows))
      : h('p', { class: 'muted' }, 'This server lists no tools.'),
    (r.warnings ?? []).map((w) => h('p', { class: 'muted' }, `${w.code}: ${w.message ?? w.method ?? ''}`)))
  }

  fill(top,
    h('section', { class: 'card' },
      h('h2', {}, m.name), h('p', { class: 'muted' }, `${m.type} · ${m.endpoint ?? m.stdio?.server ?? ''} · ${m.scope}${m.org_id ? ` (${m.org_id})` : ''} · id ${m.id}`),
      h('div', { class: 'row' }, h('strong', {}, 'Connection: '), conn),
      h('div', { class: 'row' }, h('strong', {}, 'Health: '), health, check),
      h('div', { class: 'row' }, del)),
    h('section', { class: 'card' }, h('h3', {}, 'Tools'), toolsBox),
    run,
    h('section', { class: 'card' }, h('h3', {}, 'Usage'), usageBox),
    h('section', { class: 'card' }, h('h3', {}, 'Recent activity'), auditBox))
  if (m.status === 'ready') loadTools()
  else toolsBox.append(h('p', { class: 'muted' }, 'Connect first to list the tools.'))
  usageView(usageBox, id)
  auditView(auditBox, { mcp_id: id })
}

// ---- usage and audit (the audit API may be absent on an older gateway: said so, not an error) ----
const absent = (e) => e instanceof GatewayError && (e.status === 404 || e.status === 405) && e.code !== 'unauthenticated'

async function usageView(box, id) {
  const sel = h('select', { id: 'usage-window' }, ['1h', '24h', '7d'].map((w) => h('option', { value: w, selected: w === '24h' }, w)))
  const out = h('div')
  const load = async () => {
    fill(out, h('span', { class: 'muted' }, 'loading…'))
    try {
      const u = await gw.usage(id, sel.value)
      const errs = Object.entries(u.errors ?? {})
      fill(out, h('dl', { class: 'usage' },
        h('dt', {}, 'Calls'), h('dd', { id: 'usage-calls' }, String(u.calls)),
        h('dt', {}, 'Errors'), h('dd', {}, errs.length ? errs.map(([c, n]) => `${c}: ${n}`).join(', ') : 'none'),
        h('dt', {}, 'Latency p50 / p95'), h('dd', {}, `${u.latency_ms?.p50 ?? '–'} / ${u.latency_ms?.p95 ?? '–'} ms`),
        h('dt', {}, 'Scope'), h('dd', {}, `${u.scope}, ${fmtTime(u.since)} – ${fmtTime(u.until)}`)))
    } catch (e) {
      fill(out, absent(e) ? h('p', { class: 'muted' }, 'Usage is not available on this gateway.') : problemView(e))
    }
  }
  sel.addEventListener('change', load)
  fill(box, h('label', { for: 'usage-window' }, 'Window '), sel, out)
  await load()
}

// shared/audit.ts AuditEntry['action']
const ACTIONS = ['', 'mcp.create', 'mcp.update', 'mcp.delete', 'tool.execute', 'tool.blocked', 'tool.approve', 'oauth.connect', 'oauth.complete',
  'oauth.disconnect', 'execution.input', 'stdio.home_save', 'token.create', 'token.revoke']

async function auditView(box, query) {
  const body = h('tbody')
  const more = h('button', { type: 'button', hidden: true }, 'More')
  const out = h('div')
  let cursor = null
  const page = async (reset) => {
    if (reset) {
      body.replaceChildren()
      cursor = null
    }
    out.replaceChildren()
    try {
      const p = await gw.auditPage({ ...query, limit: 50, ...(cursor ? { cursor } : {}) })
      for (const r of p.items) {
        body.append(h('tr', { class: r.outcome === 'ok' ? '' : 'bad' },
          h('td', {}, fmtTime(r.at)), h('td', {}, r.actor ?? ''), h('td', {}, r.action), h('td', {}, r.mcp_id ?? ''),
          h('td', {}, r.tool ?? ''), h('td', {}, r.outcome + (r.code ? ` (${r.code})` : '')), h('td', {}, r.duration_ms != null ? `${r.duration_ms} ms` : '')))
      }
      cursor = p.next_cursor
      more.hidden = !cursor
      if (!body.children.length) out.append(h('p', { class: 'muted' }, 'No records.'))
    } catch (e) {
      more.hidden = true
      out.append(absent(e) ? h('p', { class: 'muted' }, 'The audit log is not available on this gateway.') : problemView(e))
    }
  }
  more.addEventListener('click', () => page(false))
  fill(box, h('table', { class: 'audit' },
    h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'MCP', 'Tool', 'Outcome', 'Took'].map((c) => h('th', {}, c)))), body), out, more)
  box.reload = () => page(true)
  await page(true)
}

function showAudit() {
  header()
  const action = h('select', { id: 'audit-action' }, ACTIONS.map((a) => h('option', { value: a }, a || 'any action')))
  const mcp = h('input', { id: 'audit-mcp', placeholder: 'MCP id' })
  const box = h('div', { id: 'audit' })
  const apply = () => auditView(box, { ...(action.value ? { action: action.value } : {}), ...(mcp.value.trim() ? { mcp_id: mcp.value.trim() } : {}) })
  fill(main, h('section', { class: 'card' }, h('h2', {}, 'Audit log'),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); apply() } }, action, mcp, h('button', { type: 'submit' }, 'Filter')), box))
  apply()
}

async function start() {
  if (!auth.signedIn()) return showSignIn()
  // Back from a full-page OAuth redirect (no popup): complete it, then show that MCP.
  const note = h('div')
  const done = await guard(note, () => gw.finishConnect?.() ?? null)
  if (done?.mcp_id) return showMcp(done.mcp_id)
  await showMcps()
  if (note.childNodes.length) main.prepend(note)
}

auth.takeFragmentToken()
start()
