import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseConfig, describeConfig } from '../shared/config.js'

const test = suite('config')

test('production is the default mode, with Firestore, Secret Manager and Firebase Auth defaults', () => {
  const c = parseConfig({ GOOGLE_CLOUD_PROJECT: 'p1' })
  assert.is(c.mode, 'production')
  assert.is(c.store, 'firestore')
  assert.is(c.vault, 'secret-manager')
  assert.is(c.auth.issuer, 'https://securetoken.google.com/p1')
  assert.is(c.auth.audience, 'p1')
  assert.match(c.auth.jwksUrl!, /securetoken@system.gserviceaccount.com/)
  assert.is(c.requireHttps, true)
  assert.is(c.allowLoopback, false)
  assert.is(c.maxBodyBytes, 1 << 20)
  assert.is(c.maxResultBytes, 10 << 20)
  assert.is(c.defaultTimeoutMs, 60_000)
})

test('local mode uses the embedded store and vault, a local issuer, and allows loopback', () => {
  const c = parseConfig({ GATEWAY_MODE: 'local' })
  assert.is(c.store, 'local')
  assert.is(c.vault, 'local')
  assert.is(c.auth.jwksUrl, undefined)
  assert.is(c.allowLoopback, true)
  assert.is(c.dataDir, './.data')
})

test('any OIDC issuer can be configured', () => {
  const c = parseConfig({ AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'gw', AUTH_JWKS_URL: 'https://issuer.example/jwks', AUTH_ORG_CLAIM: 'tenant' })
  assert.is(c.auth.issuer, 'https://issuer.example')
  assert.is(c.auth.orgClaim, 'tenant')
})

test('bad numbers and origins are refused at start, not at the first request', () => {
  assert.throws(() => parseConfig({ MAX_BODY_BYTES: 'lots' }), /MAX_BODY_BYTES/)
  assert.throws(() => parseConfig({ FUNCTION_TIMEOUT_SEC: '0' }), /FUNCTION_TIMEOUT_SEC/)
  assert.throws(() => parseConfig({ APP_ORIGINS: 'https://app.example/path' }), /APP_ORIGINS/)
})

test('the health view of config holds no values that could be secret', () => {
  const c = parseConfig({ GATEWAY_MODE: 'local', LOCAL_VAULT_KEY: 'a'.repeat(64) })
  const text = JSON.stringify(describeConfig(c))
  assert.not.match(text, 'aaaaaaaa')
})

test('persistent stdio homes: local by default in local mode, off in production unless a bucket is set; a malformed key stops start-up without repeating it', () => {
  assert.is(parseConfig({ GATEWAY_MODE: 'local' }).poolHomes, 'local')
  assert.is(parseConfig({}).poolHomes, 'off')
  const gcs = parseConfig({ POOL_HOMES_BUCKET: 'p-mcpgw-stdio-homes', POOL_HOME_KEY: 'a'.repeat(64) })
  assert.is(gcs.poolHomes, 'gcs')
  assert.is(gcs.poolHomesBucket, 'p-mcpgw-stdio-homes')
  assert.is(parseConfig({ GATEWAY_MODE: 'local', POOL_HOMES: 'off' }).poolHomes, 'off')
  assert.throws(() => parseConfig({ POOL_HOMES: 'gcs' }), /POOL_HOMES_BUCKET/)
  assert.throws(() => parseConfig({ POOL_HOMES_BUCKET: 'Bad_Bucket!' }), /bucket name/)
  try {
    parseConfig({ POOL_HOME_KEY: 'not-a-key-but-a-secret-value' })
    assert.unreachable()
  } catch (e) {
    assert.match(String(e), /POOL_HOME_KEY must be 32 bytes/)
    assert.not.match(String(e), 'secret-value')
  }
  const d = parseConfig({ GATEWAY_MODE: 'local' })
  assert.equal([d.poolHomeSaveMs, d.poolLeaseTtlMs, d.poolHandoverPollMs], [300_000, 15_000, 1000])
})

test.run()
