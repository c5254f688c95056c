// DOM helpers. Server-provided strings only ever become text nodes or attribute
// values set through the DOM, never markup (no innerHTML anywhere in the console).

/** h('div', {class: 'x', onclick: fn}, 'text', child, [more]) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (k === 'class') el.className = v
    else if (k === 'dataset') Object.assign(el.dataset, v)
    else if (k in el && typeof v !== 'string') el[k] = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  append(el, children)
  return el
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else if (c instanceof Node) el.append(c)
    else el.append(document.createTextNode(String(c)))
  }
}

/** Replaces el's children. */
export function fill(el, ...children) {
  el.replaceChildren()
  append(el, children)
  return el
}

/** A JSON value shown as text. */
export const json = (v) => h('pre', { class: 'json' }, JSON.stringify(v, null, 2))

/** An error as the user should see it: the problem's code and detail, never a stack. */
export function problemView(e) {
  const code = e?.code ?? e?.name ?? 'error'
  const msg = e?.problem?.detail ?? e?.message ?? String(e)
  const errs = Array.isArray(e?.errors) ? e.errors : []
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, code), ': ', msg,
    errs.length ? h('ul', {}, errs.map((x) => h('li', {}, `${x.path ?? ''} ${x.message ?? ''}`))) : null)
}

export const fmtTime = (s) => {
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? String(s ?? '') : d.toLocaleString()
}
