/** Every scanner rule, in the order they run. */
import { concealment } from './concealment.js'
import { context } from './context.js'
import { exfil } from './exfil.js'
import { layout } from './layout.js'
import { markup } from './markup.js'
import { override } from './override.js'
import { secrets } from './secrets.js'
import { sensitive } from './sensitive.js'
import { tools } from './tools.js'
import type { Rule } from './types.js'
import { unicode } from './unicode.js'

export const RULES: readonly Rule[] = [unicode, markup, concealment, override, sensitive, exfil, tools, context, layout, secrets]
