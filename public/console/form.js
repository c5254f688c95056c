// A form generated from a JSON Schema object (a tool's inputSchema, an
// elicitation's requested_schema): strings, numbers, integers, booleans and
// enums get their own inputs; arrays, objects and anything else a JSON textarea.
import { h } from './dom.js'

const typeOf = (s) => (Array.isArray(s?.type) ? s.type.find((t) => t !== 'null') : s?.type)
const enumOf = (s) => s?.enum ?? (Array.isArray(s?.oneOf) && s.oneOf.every((o) => 'const' in o) ? s.oneOf.map((o) => o.const) : null)

/** One field: {el, read()} where read() gives the value, undefined for "left empty", or throws Error(message). */
function field(name, s, required, idp) {
  const id = `${idp}-${name}`
  const t = typeOf(s)
  const en = enumOf(s)
  const label = h('label', { for: id }, s?.title ?? name, required ? ' *' : '')
  const help = s?.description ? h('small', {}, s.description) : null
  let input
  let read
  if (en) {
    input = h('select', { id, name },
      required ? null : h('option', { value: '' }, '—'),
      en.map((v, i) => h('option', { value: String(i), selected: s.default !== undefined && v === s.default }, String(v))))
    read = () => (input.value === '' ? undefined : en[Number(input.value)])
  } else if (t === 'boolean') {
    input = h('input', { id, name, type: 'checkbox', checked: s?.default === true })
    read = () => input.checked
  } else if (t === 'number' || t === 'integer') {
    input = h('input', { id, name, type: 'number', step: t === 'integer' ? '1' : 'any', value: s?.default !== undefined ? String(s.default) : undefined,
      min: s?.minimum !== undefined ? String(s.minimum) : undefined, max: s?.maximum !== undefined ? String(s.maximum) : undefined })
    read = () => {
      if (input.value.trim() === '') return undefined
      const n = Number(input.value)
      if (!Number.isFinite(n)) throw new Error('is not a number')
      if (t === 'integer' && !Number.isInteger(n)) throw new Error('must be a whole number')
      return n
    }
  } else if (t === 'string') {
    const long = (s?.maxLength ?? 0) > 200 || s?.format === 'textarea'
    const type = s?.format === 'email' ? 'email' : s?.format === 'uri' ? 'url' : s?.format === 'date' ? 'date' : 'text'
    input = long ? h('textarea', { id, name, rows: 4 }, s?.default ?? '') : h('input', { id, name, type, value: s?.default, placeholder: s?.format })
    read = () => (input.value === '' ? undefined : input.value)
  } else {
    // arrays, objects, unions: the user writes JSON.
    input = h('textarea', { id, name, rows: 4, class: 'json-input', placeholder: t === 'array' ? '[ ]' : t === 'object' ? '{ }' : 'JSON' },
      s?.default !== undefined ? JSON.stringify(s.default, null, 2) : '')
    read = () => {
      if (input.value.trim() === '') return undefined
      try {
        return JSON.parse(input.value)
      } catch {
        throw new Error('is not valid JSON')
      }
    }
  }
  const err = h('span', { class: 'field-error', role: 'alert' })
  return { el: h('div', { class: 'field', dataset: { field: name } }, label, input, help, err), read, err, name, required }
}

/**
 * schemaForm(schema, {id}) → {el, value()}; value() returns the object or throws
 * an Error whose message lists the fields at fault (each is also marked in the form).
 */
export function schemaForm(schema, { id = 'f' } = {}) {
  const props = schema && typeof schema === 'object' && schema.properties && typeof schema.properties === 'object' ? schema.properties : {}
  const req = new Set(Array.isArray(schema?.required) ? schema.required : [])
  const fields = Object.entries(props).map(([n, s]) => field(n, s ?? {}, req.has(n), id))
  const el = h('div', { class: 'schema-form' }, fields.length ? fields.map((f) => f.el) : h('p', { class: 'muted' }, 'No arguments.'))
  return {
    el,
    value() {
      const out = {}
      const bad = []
      for (const f of fields) {
        f.err.textContent = ''
        try {
          const v = f.read()
          if (v === undefined) {
            if (f.required) throw new Error('is required')
          } else out[f.name] = v
        } catch (e) {
          f.err.textContent = e.message
          bad.push(`${f.name} ${e.message}`)
        }
      }
      if (bad.length) throw new Error(bad.join('; '))
      return out
    },
  }
}
