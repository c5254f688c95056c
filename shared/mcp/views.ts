/** MCP results in the API's snake_case shapes. */
import type { Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/client'
import { validationOf } from './args.js'

export const toolView = (t: Tool) => ({
  name: t.name,
  title: t.title ?? t.annotations?.title ?? null,
  description: t.description ?? null,
  input_schema: t.inputSchema,
  output_schema: t.outputSchema ?? null,
  annotations: t.annotations ?? null,
  // Whether the gateway checks arguments against input_schema before the call, and if not, why.
  ...validationOf(t.inputSchema),
})

export const resourceView = (r: Resource) => ({
  uri: r.uri,
  name: r.name,
  title: r.title ?? null,
  description: r.description ?? null,
  mime_type: r.mimeType ?? null,
  size: r.size ?? null,
})

export const templateView = (t: ResourceTemplateType) => ({
  uri_template: t.uriTemplate,
  name: t.name,
  title: t.title ?? null,
  description: t.description ?? null,
  mime_type: t.mimeType ?? null,
})

export const promptView = (p: Prompt) => ({
  name: p.name,
  title: p.title ?? null,
  description: p.description ?? null,
  arguments: (p.arguments ?? []).map((a) => ({ name: a.name, description: a.description ?? null, required: Boolean(a.required) })),
})

export const contentsView = (c: { uri: string; mimeType?: string; text?: string; blob?: string }) => ({
  uri: c.uri,
  mime_type: c.mimeType ?? null,
  ...(c.text !== undefined ? { text: c.text } : {}),
  ...(c.blob !== undefined ? { blob: c.blob } : {}),
})

export const resultView = (r: { content?: unknown[]; structuredContent?: unknown; isError?: boolean; toolResult?: unknown }) => ({
  content: r.content ?? (r.toolResult !== undefined ? [{ type: 'text', text: JSON.stringify(r.toolResult) }] : []),
  structured_content: r.structuredContent ?? null,
  is_error: Boolean(r.isError),
})
