import { describe, expect, it } from 'vitest'
import { ConfigError, environmentSecrets, readEnvConfig } from '../../../src/main/config/env'
import { defaultDataDir } from '../../../src/main/ground/paths'

describe('readEnvConfig', () => {
  it('uses the documented defaults', () => {
    const c = readEnvConfig({ HOME: '/home/u' })
    expect(c).toMatchObject({
      webhookHost: '127.0.0.1',
      webhookPort: 8787,
      apiPort: 8788,
      timezone: 'Asia/Kolkata',
      webhookToken: null,
      apiToken: null,
      publicUrl: null,
      vendorUrl: null,
      trustProxy: null,
      databaseUrl: null,
      secretKey: null,
      databaseWaitMs: 60_000,
      logFormat: 'text',
      logLevel: 'info',
      logRetentionDays: 400,
    })
  })

  it('reads the log settings', () => {
    expect(
      readEnvConfig({
        IVRS_LOG_FORMAT: 'JSON',
        IVRS_LOG_LEVEL: 'debug',
        IVRS_LOG_RETENTION_DAYS: '0',
      }),
    ).toMatchObject({ logFormat: 'json', logLevel: 'debug', logRetentionDays: 0 })
  })

  it('reads every variable', () => {
    const c = readEnvConfig({
      IVRS_WEBHOOK_HOST: '0.0.0.0',
      IVRS_WEBHOOK_PORT: '9000',
      IVRS_WEBHOOK_TOKEN: 'abcdefghijklmnopqrstuvwxyz012345',
      IVRS_API_PORT: '0',
      IVRS_API_TOKEN: 'a-long-enough-token',
      IVRS_DATA_DIR: '/tmp/x',
      IVRS_TIMEZONE: 'Europe/London',
      IVRS_PUBLIC_URL: 'https://abc.trycloudflare.com/',
      IVRS_VENDOR_URL: 'http://125.16.147.182',
      IVRS_VENDOR_API_KEY: 'k',
      IVRS_VENDOR_CUST_ID: '42',
      IVRS_SIM_RATE: '60',
      IVRS_TRUST_PROXY: 'loopback, 10.0.0.0/8,::1,192.0.2.7',
      IVRS_DATABASE_URL: 'postgres://ivrs:pw@db.internal:5432/ivrs',
      IVRS_SECRET_KEY: 'a passphrase of enough characters',
      IVRS_DATABASE_WAIT_S: '5',
    })
    expect(c.databaseUrl).toBe('postgres://ivrs:pw@db.internal:5432/ivrs')
    expect(c.secretKey).toBe('a passphrase of enough characters')
    expect(c.databaseWaitMs).toBe(5_000)
    expect(c.webhookPort).toBe(9000)
    expect(c.apiPort).toBe(0)
    expect(c.dataDir).toBe('/tmp/x')
    expect(c.timezone).toBe('Europe/London')
    expect(c.publicUrl).toBe('https://abc.trycloudflare.com')
    expect(c.vendorUrl).toBe('http://125.16.147.182')
    expect(c.simulatorRate).toBe(60)
    expect(c.trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1', '192.0.2.7'])
  })

  it.each([
    ['IVRS_WEBHOOK_PORT', '70000', /IVRS_WEBHOOK_PORT must be a port/],
    ['IVRS_API_PORT', 'abc', /IVRS_API_PORT must be a port/],
    ['IVRS_TIMEZONE', 'Mars/Olympus', /IVRS_TIMEZONE is not a known time zone/],
    ['IVRS_WEBHOOK_TOKEN', 'short', /IVRS_WEBHOOK_TOKEN must be 22 to 128/],
    ['IVRS_API_TOKEN', 'short', /IVRS_API_TOKEN must be at least 16/],
    ['IVRS_PUBLIC_URL', 'ftp://x', /IVRS_PUBLIC_URL must be an http\(s\) URL/],
    ['IVRS_VENDOR_URL', 'not a url', /IVRS_VENDOR_URL must be an http\(s\) URL/],
    ['IVRS_SIM_AWKWARD_SHARE', '2', /IVRS_SIM_AWKWARD_SHARE must be a number from 0 to 1/],
    // Hop counts and "everything" would let a direct client write its own X-Forwarded-For.
    ['IVRS_TRUST_PROXY', '1', /IVRS_TRUST_PROXY must list the proxies/],
    ['IVRS_TRUST_PROXY', 'true', /IVRS_TRUST_PROXY must list the proxies/],
    ['IVRS_TRUST_PROXY', 'loopback,*', /IVRS_TRUST_PROXY must list the proxies/],
    ['IVRS_TRUST_PROXY', '10.0.0.0/33', /IVRS_TRUST_PROXY must list the proxies/],
    ['IVRS_DATABASE_URL', 'mysql://u:secret@h/db', /IVRS_DATABASE_URL must be a PostgreSQL URL/],
    ['IVRS_SECRET_KEY', 'short', /IVRS_SECRET_KEY must be at least 24/],
    ['IVRS_LOG_FORMAT', 'xml', /IVRS_LOG_FORMAT must be one of text, json/],
    ['IVRS_LOG_LEVEL', 'verbose', /IVRS_LOG_LEVEL must be one of debug, info, warn, error/],
    ['IVRS_LOG_RETENTION_DAYS', '1.5', /IVRS_LOG_RETENTION_DAYS must be a whole number of days/],
  ])('rejects a bad %s with a message naming it', (name, value, message) => {
    expect(() => readEnvConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => readEnvConfig({ [name]: value })).toThrow(message)
    // A password in a URL never reaches the message.
    expect(() => readEnvConfig({ [name]: value })).not.toThrow(/secret/)
  })
})

describe('environmentSecrets', () => {
  it("lists every secret of the environment, the database's password included, for redaction", () => {
    const env = readEnvConfig({
      IVRS_VENDOR_API_KEY: 'vendor-key',
      IVRS_DATABASE_URL: 'postgres://ivrs:p%40ss@db:5432/ivrs',
      IVRS_SECRET_KEY: 'a passphrase of enough characters',
    })
    expect(environmentSecrets(env).sort()).toEqual(
      ['vendor-key', 'p@ss', 'a passphrase of enough characters'].sort(),
    )
  })
})

describe('defaultDataDir', () => {
  it('matches the folder Electron uses for userData on each platform', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/IVR Supervisor')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe(
      '/cfg/IVR Supervisor',
    )
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/IVR Supervisor',
    )
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u'),
    ).toContain('IVR Supervisor')
  })
})

describe('the team server settings', () => {
  const refusal = (env: Record<string, string>): string => {
    try {
      readEnvConfig(env)
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      return (err as Error).message
    }
    throw new Error('no refusal')
  }

  it('keeps the API on loopback by default, and lets a loopback proxy name its hosts', () => {
    expect(readEnvConfig({})).toMatchObject({ apiHost: '127.0.0.1', apiHostnames: [] })
    expect(
      readEnvConfig({ IVRS_API_HOSTNAMES: 'Supervisor.Example.com, team.local' }).apiHostnames,
    ).toEqual(['supervisor.example.com', 'team.local'])
  })

  it('refuses another interface without TLS or a declared proxy, naming what to set', () => {
    const m = refusal({ IVRS_API_HOST: '0.0.0.0' })
    expect(m).toContain('IVRS_API_HOST=0.0.0.0')
    expect(m).toContain('IVRS_TLS_CERT')
    expect(m).toContain('IVRS_TRUST_PROXY')
  })

  it('wants the host names behind a proxy', () => {
    expect(refusal({ IVRS_API_HOST: '10.0.0.5', IVRS_TRUST_PROXY: '10.0.0.1' })).toMatch(
      /^IVRS_API_HOSTNAMES must name/,
    )
    expect(
      readEnvConfig({
        IVRS_API_HOST: '10.0.0.5',
        IVRS_TRUST_PROXY: '10.0.0.1',
        IVRS_API_HOSTNAMES: 'supervisor.example.com',
      }).apiHost,
    ).toBe('10.0.0.5')
  })

  it('takes TLS as a pair', () => {
    expect(
      readEnvConfig({ IVRS_API_HOST: '::', IVRS_TLS_CERT: 'c', IVRS_TLS_KEY: 'k' }),
    ).toMatchObject({ tlsCert: 'c', tlsKey: 'k' })
    expect(refusal({ IVRS_TLS_CERT: '/c.pem' })).toMatch(/IVRS_TLS_CERT is set but IVRS_TLS_KEY/)
    expect(refusal({ IVRS_TLS_KEY: '/k.pem' })).toMatch(/IVRS_TLS_KEY is set but IVRS_TLS_CERT/)
  })

  it('refuses names that are not hosts and hosts that are not addresses', () => {
    expect(refusal({ IVRS_API_HOSTNAMES: 'https://x.example' })).toMatch(/^IVRS_API_HOSTNAMES/)
    expect(refusal({ IVRS_API_HOSTNAMES: 'x.example:443' })).toMatch(/^IVRS_API_HOSTNAMES/)
    expect(refusal({ IVRS_API_HOST: 'my-laptop' })).toMatch(/^IVRS_API_HOST must be an IP/)
  })
})
