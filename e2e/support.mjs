// Shared pieces of the browser tests: a real `commissioner serve --demo` on a random port,
// Debian's Chromium driven by playwright-core, and axe-core run on every page visited.
import { spawn, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createHmac } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { before, after } from 'node:test'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Starts the server and resolves once it logs the address it listens on. */
export async function startServer () {
  const dataDir = mkdtempSync(join(tmpdir(), 'commissioner-e2e-'))
  const binary = process.env.COMMISSIONER_BIN ?? join(root, 'target', 'debug', 'commissioner')
  const env = { ...process.env, COMMISSIONER_DATA_DIR: dataDir, COMMISSIONER_LOG_FORMAT: 'json' }
  // On PostgreSQL each server gets a database of its own, as each gets its own data folder.
  const admin = process.env.E2E_POSTGRES_URL
  if (admin) {
    const name = `commissioner_e2e_${process.env.TEST_RUN_ID ?? 'local'}_${randomBytes(6).toString('hex')}`
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`])
    env.DATABASE_URL = `${admin.slice(0, admin.lastIndexOf('/'))}/${name}`
  }
  const child = spawn(binary, ['serve', '--demo', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  const address = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000)
    child.stderr.on('data', chunk => {
      buffered += chunk
      for (const line of buffered.split('\n')) {
        if (line.includes('Commissioner is listening')) {
          clearTimeout(timer)
          resolve(JSON.parse(line).address)
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1)
    })
    child.on('exit', code => reject(new Error(`server exited with ${code}`)))
  })
  return {
    dataDir,
    binary,
    // The server's environment, so a test can run `commissioner` commands on its database.
    env,
    url: path => `http://${address}${path}`,
    async stop () {
      child.kill('SIGTERM')
      await new Promise(resolve => child.once('exit', resolve))
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export async function launchBrowser () {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
}

/**
 * A page that fails the test on any Content-Security-Policy report or script error, so the
 * strict policy is proven in a real browser and not just in a header.
 */
export async function newPage (browser, options = {}) {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  page.problems = []
  page.javaScriptDisabled = options.javaScriptEnabled === false
  // The page's own status (a 404 page, a 422 form with errors) is the test's business; a
  // stylesheet, script or font failing to load, a CSP refusal or a script error is a problem.
  page.on('console', message => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) page.problems.push(message.text())
  })
  page.on('response', response => {
    if (!response.request().isNavigationRequest() && response.status() >= 400) page.problems.push(`${response.status()} ${response.url()}`)
  })
  // A request the browser cancelled because the page moved on (a favicon still loading when a
  // button is clicked) is no fault of the page; any other failure is.
  page.on('requestfailed', request => {
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') page.problems.push(`failed ${request.url()}: ${request.failure()?.errorText}`)
  })
  page.on('pageerror', error => page.problems.push(String(error)))
  return page
}

/** Runs axe-core on the page as it is now and fails on any WCAG 2.2 AA violation. */
export async function assertAccessible (page, what) {
  if (page.javaScriptDisabled) return assertAccessibleWithoutJavaScript(page, what)
  // evaluate() runs outside the page's CSP, so axe needs no exemption in the policy.
  await page.evaluate(axeSource)
  const results = await page.evaluate(tags => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), [...WCAG_22_AA, 'best-practice'])
  const described = results.violations.map(v => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map(n => n.target.join(' ')).join('\n    ')}`)
  assert.deepEqual(described, [], `${what}: axe found violations`)
  assert.ok(results.passes.length > 10, `${what}: axe ran (${results.passes.length} rules passed)`)
  await assertReflows(page, what)
}

/**
 * WCAG 1.4.10 reflow: at 320 CSS pixels wide the page never scrolls sideways (a wide table
 * scrolls inside its own region instead). Checked on every page axe checks, then the page is
 * put back as it was.
 */
async function assertReflows (page, what) {
  const size = page.viewportSize() ?? { width: 1280, height: 800 }
  if (size.width !== 320) await page.setViewportSize({ width: 320, height: size.height })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  if (size.width !== 320) await page.setViewportSize(size)
  assert.ok(overflow <= 0, `${what}: scrolls sideways by ${overflow}px at 320px wide (WCAG 1.4.10 reflow)`)
}

/**
 * axe needs JavaScript to run, so a page seen without it is checked as a copy: the same HTML,
 * scripts removed, served at the same address (so styles load) in a page where axe can run.
 */
async function assertAccessibleWithoutJavaScript (page, what) {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, '')
  const copy = await newPage(page.context().browser())
  const url = page.url()
  await copy.route(url, route => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }))
  await copy.goto(url)
  await assertAccessible(copy, `${what} (as seen without JavaScript)`)
  await copy.context().close()
}

export function assertNoProblems (page, what) {
  assert.deepEqual(page.problems, [], `${what}: browser console errors`)
}

// Ends a page's journey: no console errors on the way, then its browser context closed.
export async function finishPage (page, what) {
  assertNoProblems(page, what)
  await page.context().close()
}

/**
 * One server and one browser for a test file, started before its tests and stopped after.
 * Returns an object whose `server` and `browser` are set once `before` has run.
 */
export function useServerAndBrowser () {
  const shared = {}
  before(async () => {
    shared.server = await startServer()
    shared.browser = await launchBrowser()
  })
  after(async () => {
    await shared.browser?.close()
    await shared.server?.stop()
  })
  return shared
}

/** The demo office's accounts, from the file `serve --demo` writes into its data folder. */
export function demoAccounts (server) {
  const lines = readFileSync(join(server.dataDir, 'demo-accounts.txt'), 'utf8').split('\n').filter(l => l && !l.startsWith('#'))
  // One account per role, keyed by role; a second account of a role (the force's Professional
  // Standards partner) is keyed by its email's local part.
  const accounts = {}
  for (const line of lines) {
    const [role, email, password, secret] = line.split('\t')
    const key = role in accounts ? email.split('@')[0] : role
    accounts[key] = { email, password, secret: secret === '-' ? null : secret }
  }
  return accounts
}

function base32Decode (text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of text.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const bytes = []
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2))
  return Buffer.from(bytes)
}

/** The code an authenticator app shows now (RFC 6238, as the server checks it). */
export function totpNow (secret) {
  const counter = Buffer.alloc(8)
  counter.writeBigInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)))
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest()
  const offset = digest[19] & 0x0f
  const binary = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3]
  return String(binary % 1_000_000).padStart(6, '0')
}

/** Signs in through the real pages, checking each with axe on the way. */
export async function signIn (page, server, account) {
  await page.goto(server.url('/staff/sign-in'))
  await assertAccessible(page, 'sign-in page')
  await page.getByLabel('Email address').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Continue' }).click()
  if (account.secret) {
    await page.waitForURL(server.url('/staff/two-factor'))
    await assertAccessible(page, 'two-factor page')
    // A code is never taken twice: when a test before signed in with this account's current
    // code, wait for the next one, as a person would.
    let code = totpNow(account.secret)
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.getByLabel(/Code from your authenticator app/).fill(code)
      await page.getByRole('button', { name: 'Continue' }).click()
      const signedIn = page.waitForURL(server.url('/staff')).then(() => true, () => false)
      const refused = page.locator('.govuk-error-summary').waitFor().then(() => false, () => false)
      if (await Promise.race([signedIn, refused])) break
      const used = code
      while ((code = totpNow(account.secret)) === used) await page.waitForTimeout(1000)
    }
  }
  await page.waitForURL(server.url('/staff'))
}

/** Asks a tracker about a case by its reference and a postcode, from the tracker's form page. */
export async function track (page, reference, postcode) {
  await assertAccessible(page, 'tracker form')
  await page.getByLabel('Reference number').fill(reference)
  await page.getByLabel('Postcode').fill(postcode)
  await page.getByRole('button', { name: 'Check progress' }).click()
}

// The tracker opens a case to anyone holding its reference and postcode, so it shows the case's
// progress and nobody's name.
export async function trackWithoutNames (page, { reference, postcode, shows, name }) {
  await track(page, reference, postcode)
  await page.getByText(shows).waitFor()
  await assertAccessible(page, 'tracker status')
  assert.equal(await page.getByText(name).count(), 0, 'no names on the tracker')
}

// A day some days before today (after it, for a negative number), as a GOV.UK date input's parts.
export function daysAgo (days) {
  const d = new Date(Date.now() - days * 86_400_000)
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) }
}

// Types a date into the GOV.UK date input named `field`.
export async function fillDate (page, field, date) {
  await page.locator(`#${field}-day`).fill(date.day)
  await page.locator(`#${field}-month`).fill(date.month)
  await page.locator(`#${field}-year`).fill(date.year)
}

// Waits for the GOV.UK error summary, checks the page with axe, and returns the summary's messages.
export async function errorsShown (page, what) {
  await page.locator('.govuk-error-summary').waitFor()
  await assertAccessible(page, what)
  return page.locator('.govuk-error-summary li').allInnerTexts()
}

/** Decodes one MIME part's body by its transfer encoding. */
function decodePart (headers, body) {
  const encoding = (headers.match(/content-transfer-encoding:\s*([\w-]+)/i)?.[1] ?? '7bit').toLowerCase()
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => `%${hex}`)
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'))
  }
  return body
}

/**
 * The plain-text bodies of the emails the server has written (its development mail transport:
 * `.eml` files in the data folder) to `address`, waiting up to 20 s for at least `count`.
 */
export async function mailTo (server, address, count = 1) {
  const folder = join(server.dataDir, 'mail')
  for (let waited = 0; waited < 20_000; waited += 250) {
    const found = []
    for (const name of existsSync(folder) ? readdirSync(folder).sort() : []) {
      const raw = readFileSync(join(folder, name), 'utf8')
      const [head] = raw.split(/\r?\n\r?\n/)
      if (!new RegExp(`^To:.*${address.replace(/[.+]/g, '\\$&')}`, 'mi').test(head)) continue
      // The text/plain part (or the whole body of a single-part message).
      const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/)
      const plain = parts.find(p => /content-type:\s*text\/plain/i.test(p.split(/\r?\n\r?\n/)[0])) ?? raw
      const [headers, ...rest] = plain.split(/\r?\n\r?\n/)
      found.push(decodePart(headers, rest.join('\n\n')))
    }
    if (found.length >= count) return found
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`no email to ${address} within 20 s`)
}

/**
 * Looks at the page as a phone (320 px) and a desktop (1280 px) would: fails if the page scrolls
 * sideways at 320 px (WCAG 1.4.10 reflow), runs axe at each width, and keeps a full-page
 * screenshot of each in target/test-output/screenshots/ for people to look at (CI keeps them).
 */
export async function lookAt (page, what, name) {
  const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'test-output', 'screenshots')
  mkdirSync(folder, { recursive: true })
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 })
    const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
    if (width === 320) assert.ok(scrollWidth <= clientWidth, `${what} scrolls sideways at 320 px (${scrollWidth} > ${clientWidth})`)
    await assertAccessible(page, `${what} at ${width} px`)
    await page.screenshot({ path: join(folder, `${name}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 720 })
}
