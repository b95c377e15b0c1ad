// Shared pieces of the browser tests: a real `commissioner serve --demo` on a random port,
// Debian's Chromium driven by playwright-core, and axe-core run on every page visited.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL
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
  page.on('requestfailed', request => page.problems.push(`failed ${request.url()}`))
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
