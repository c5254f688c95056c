/** The events of a whole `text/event-stream` body, each with its JSON data (for the gateway's streaming execute). */
export interface SseEvent { event: string; data: any }

export function parseSse(text: string): SseEvent[] {
  return text.split(/\r?\n\r?\n/).flatMap((block) => {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    return data.length ? [{ event, data: JSON.parse(data.join('\n')) }] : []
  })
}

/**
 * A streaming execute's events up to its `input_required` (the stream stays
 * open): the question, and `rest()` reads the stream to its end and returns
 * every event, the question's included. Fails if the stream ends first.
 */
export async function untilInputRequired(res: Response): Promise<{ question: SseEvent; text: () => string; rest: () => Promise<SseEvent[]> }> {
  const reader = res.body!.getReader()
  const dec = new TextDecoder()
  let text = ''
  while (!text.includes('event: input_required')) {
    const c = await reader.read()
    if (c.done) throw new Error(`the stream ended before input_required: ${text}`)
    text += dec.decode(c.value, { stream: true })
  }
  const question = parseSse(text.slice(0, text.lastIndexOf('\n\n') + 2)).find((e) => e.event === 'input_required')!
  return {
    question,
    text: () => text,
    async rest() {
      for (;;) {
        const c = await reader.read()
        if (c.done) break
        text += dec.decode(c.value, { stream: true })
      }
      return parseSse(text)
    },
  }
}
