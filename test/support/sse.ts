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
