/**
 * Functions Framework entry point: registers every function by name. Nothing
 * heavy is imported here; each function's module loads on its first request.
 */
import { http } from '@google-cloud/functions-framework'
import { FUNCTIONS, lazy } from './names.js'
import { installBodyErrorHandler } from '../shared/ff-errors.js'

installBodyErrorHandler()
for (const name of Object.keys(FUNCTIONS)) http(name, lazy(name))
