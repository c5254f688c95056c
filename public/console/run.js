// Running a tool: a form from its inputSchema, live progress and logs
// (executeStream), questions answered in place (input_required → a form from
// requested_schema → gw.answer), then the result.
import { h, fill, json, problemView } from './dom.js'
import { schemaForm } from './form.js'

const IMAGE = /^image\/(png|jpeg|gif|webp)$/
const B64 = /^[A-Za-z0-9+/]*={0,2}$/

/** A result's content blocks: text as text, images as data: URLs of known image types only, the rest as JSON. */
function contentView(items) {
  return (items ?? []).map((c) => {
    if (c?.type === 'text') return h('pre', { class: 'text' }, c.text)
    if (c?.type === 'image' && IMAGE.test(c.mimeType ?? c.mime_type ?? '') && typeof c.data === 'string' && B64.test(c.data))
      return h('img', { src: `data:${c.mimeType ?? c.mime_type};base64,${c.data}`, alt: 'image result' })
    return json(c)
  })
}

/** A link the user may follow: http(s) only (never javascript: or data:). */
const safeUrl = (u) => {
  try {
    const x = new URL(u)
    return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null
  } catch {
    return null
  }
}

/** The form for one round of questions; resolves with the responses object once the user has answered. */
function questions(ex, box) {
  return new Promise((resolve) => {
    const parts = []
    for (const [key, q] of Object.entries(ex.input_requests ?? {})) {
      if (q.kind === 'elicitation' && q.mode === 'form') {
        const f = schemaForm(q.requested_schema, { id: `q-${key}` })
        parts.push({ key, el: h('fieldset', {}, h('legend', {}, q.message ?? 'The tool asks:'), f.el), answer: (action) => action === 'accept' ? { action, content: f.value() } : { action } })
      } else if (q.kind === 'elicitation' && q.mode === 'url') {
        const href = safeUrl(q.url)
        parts.push({ key, el: h('fieldset', {}, h('legend', {}, q.message ?? 'The tool asks you to visit a page'),
          href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, `Open ${q.url_host ?? new URL(href).host}`) : h('span', {}, 'The link is not a web address.')),
          answer: (action) => ({ action }) })
      } else {
        // sampling is not offered by the console (it declares elicitation only); decline anything else.
        parts.push({ key, el: h('p', { class: 'muted' }, `A ${q.kind} request the console cannot answer.`), answer: () => ({ action: 'decline' }) })
      }
    }
    const err = h('div')
    const send = (action) => {
      try {
        const responses = Object.fromEntries(parts.map((p) => [p.key, p.answer(action)]))
        form.remove()
        resolve(responses)
      } catch (e) {
        fill(err, problemView(e))
      }
    }
    const form = h('form', { class: 'elicitation', onsubmit: (e) => { e.preventDefault(); send('accept') } },
      h('h4', {}, 'The tool needs your input'), parts.map((p) => p.el), err,
      h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Send'),
        h('button', { type: 'button', onclick: () => send('decline') }, 'Decline'),
        h('button', { type: 'button', onclick: () => send('cancel') }, 'Cancel')))
    box.append(form)
  })
}

export function runPanel(gw, mcpId, tool, guard) {
  const f = schemaForm(tool.input_schema, { id: 'arg' })
  const progress = h('progress', { id: 'progress', hidden: true })
  const progressText = h('span', { id: 'progress-text', class: 'muted' })
  const logs = h('ol', { id: 'logs', class: 'logs' })
  const ask = h('div', { id: 'ask' })
  const result = h('div', { id: 'result' })
  const level = h('select', { id: 'log-level' }, ['debug', 'info', 'notice', 'warning', 'error'].map((l) => h('option', { value: l }, l)))
  const btn = h('button', { type: 'submit', id: 'run-submit' }, 'Run')
  const stop = h('button', { type: 'button', id: 'run-stop', hidden: true }, 'Stop')
  let ctl = null
  let executionId = null
  stop.addEventListener('click', () => {
    ctl?.abort()
    if (executionId) gw.cancelExecution(executionId).catch(() => {})
  })

  async function run(args) {
    ctl = new AbortController()
    executionId = null
    btn.disabled = true
    stop.hidden = false
    progress.hidden = true
    progress.removeAttribute('value')
    progressText.textContent = ''
    logs.replaceChildren()
    ask.replaceChildren()
    result.replaceChildren(h('span', { class: 'muted' }, 'running…'))
    const body = { arguments: args, capabilities: { elicitation: { form: {}, url: {} } }, log_level: level.value }
    await guard(result, async () => {
      for await (const ev of gw.executeStream(mcpId, tool.name, body, { signal: ctl.signal })) {
        const d = ev.data ?? {}
        if (ev.event === 'progress') {
          progress.hidden = false
          if (typeof d.total === 'number' && d.total > 0) {
            progress.max = d.total
            progress.value = d.progress
          }
          progressText.textContent = `${d.progress}${d.total ? ` / ${d.total}` : ''}${d.message ? ` — ${d.message}` : ''}`
        } else if (ev.event === 'log') {
          logs.append(h('li', { class: `log-${d.level}` }, h('strong', {}, d.level), d.logger ? ` [${d.logger}] ` : ' ', typeof d.data === 'string' ? d.data : JSON.stringify(d.data)))
        } else if (ev.event === 'input_required') {
          executionId = d.execution_id
          const responses = await questions(d, ask)
          // The stream goes on once the answer is in; the answer's own response is not needed here.
          gw.answer(d.execution_id, responses).catch((e) => ask.append(problemView(e)))
        } else if (ev.event === 'result') {
          fill(result, d.is_error ? h('p', { class: 'problem' }, 'The tool reported an error:') : h('p', { class: 'ok' }, 'Completed'),
            contentView(d.content), d.structured_content ? json(d.structured_content) : null)
        } else if (ev.event === 'error') {
          fill(result, problemView({ code: d.code, message: d.detail ?? d.title, errors: d.errors }))
        }
      }
    })
    btn.disabled = false
    stop.hidden = true
  }

  const form = h('form', { id: 'run-form', onsubmit: (e) => {
    e.preventDefault()
    let args
    try {
      args = f.value()
    } catch {
      return
    }
    void run(args)
  } }, f.el, h('div', { class: 'row' }, h('label', { for: 'log-level' }, 'Logs from '), level, btn, stop))
  return h('section', { class: 'card', id: 'run-card' },
    h('h3', {}, `Run ${tool.name}`), tool.description ? h('p', { class: 'muted' }, tool.description) : null,
    form, h('div', { class: 'row' }, progress, progressText), ask, h('h4', {}, 'Logs'), logs, h('h4', {}, 'Result'), result)
}
