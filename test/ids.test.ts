import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { newId, newToken, reservedId } from '../shared/ids.js'

// Found by the fuzz suite: Firestore refuses ids of the form __…__, which base64url can draw.
test('ids of the form __…__ are recognised as reserved by the store', () => {
  assert.ok(reservedId('__abcdefghijklmnopqr__'))
  assert.ok(reservedId('____'))
  assert.not.ok(reservedId('_abcdefghijklmnopqrs__'))
  assert.not.ok(reservedId('__abcdefghijklmnopqrs_'))
})

test('new ids and tokens have the documented shapes (128 and 256 bits, base64url)', () => {
  for (let i = 0; i < 2000; i++) {
    const id = newId()
    assert.match(id, /^[A-Za-z0-9_-]{22}$/)
    assert.not.ok(reservedId(id))
  }
  assert.match(newToken(), /^[A-Za-z0-9_-]{43}$/)
})

test.run()
