// Every public page in a real browser: it renders, GOV.UK Frontend starts, the CSP holds,
// and axe-core finds nothing at WCAG 2.2 AA.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, finishPage } from './support.mjs'

const PAGES = [
  ['/', 'Staffordshire Commissioner’s Office'],
  ['/contact', 'Contact the Commissioner’s office'],
  ['/accessibility', 'Accessibility statement'],
  ['/privacy', 'Privacy notice'],
  ['/cookies', 'Cookies'],
  ['/staff/sign-in', 'Sign in'],
  ['/no-such-page', 'Page not found']
]

const shared = useServerAndBrowser()

for (const [path, heading] of PAGES) {
  test(`${path} renders, starts GOV.UK Frontend and passes axe`, async () => {
    const page = await newPage(shared.browser)
    const response = await page.goto(shared.server.url(path))
    assert.equal(response.status(), path === '/no-such-page' ? 404 : 200)
    assert.equal((await page.locator('h1').first().innerText()).trim(), heading)
    // The inline script ran (allowed by its CSP hash) and the module loaded.
    await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'))
    await assertAccessible(page, path)
    await finishPage(page, path)
  })
}

test('the skip link moves focus to the main content', async () => {
  const page = await newPage(shared.browser)
  await page.goto(shared.server.url('/'))
  await page.keyboard.press('Tab')
  const focused = await page.evaluate(() => document.activeElement.textContent.trim())
  assert.equal(focused, 'Skip to main content')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main-content')
  await page.context().close()
})

test('pages are usable on a small screen', async () => {
  const page = await newPage(shared.browser, { viewport: { width: 320, height: 640 } })
  await page.goto(shared.server.url('/contact'))
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 320px wide (WCAG 1.4.10 reflow)`)
  await assertAccessible(page, '/contact at 320px')
  await page.context().close()
})
