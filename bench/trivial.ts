/** The cold-start baseline: the smallest possible Functions Framework function. */
import { http } from '@google-cloud/functions-framework'

http('trivial', (_req, res) => {
  res.send('ok')
})
