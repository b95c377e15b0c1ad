// The Panel in a real browser, with axe on every page: the public reading a past meeting with
// its generated papers and minutes, the promised responses and the precept with its bands, and
// asking a question (refused with an error summary, then sent); the Panel's support officer
// accepting that question, being refused a precept step out of order, and reading the annual
// report in draft.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, demoAccounts, signIn, finishPage, lookAt, errorsShown } from './support.mjs'

const shared = useServerAndBrowser()

test('the public read a meeting, its papers, the promised responses and the precept, and ask a question', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/panel'))
  await page.getByRole('heading', { name: 'Police, Fire and Crime Panel', level: 1 }).waitFor()
  await page.getByRole('table', { name: 'Members of the Panel' }).waitFor()
  await lookAt(page, 'the Panel’s home page', 'panel-home')

  // The older past meeting carries the papers made from the plan and performance records.
  const past = page.locator('h2:has-text("Past meetings") + ul a')
  assert.equal(await past.count(), 2)
  await past.last().click()
  await page.getByRole('heading', { name: /^Meeting on /, level: 1 }).waitFor()
  const body = await page.locator('body').innerText()
  assert.match(body, /Not open to the public: Paragraph 3 of Schedule 12A/)
  assert.doesNotMatch(body, /valuation and offers/)
  assert.match(body, /Present:/)
  assert.match(body, /Overdue by \d+ days/)
  await lookAt(page, 'a past meeting', 'panel-meeting')
  await page.getByRole('link', { name: /^Public Performance Meeting/ }).click()
  await page.getByRole('heading', { name: /^Public Performance Meeting/, level: 1 }).waitFor()
  await assertAccessible(page, 'a performance pack as a Panel paper')

  await page.goto(server.url('/panel/promised-responses'))
  await page.getByRole('heading', { name: 'Responses promised to the Panel', level: 1 }).waitFor()
  assert.match(await page.locator('body').innerText(), /Lost property is now reported online/)
  await assertAccessible(page, 'the promised responses')

  await page.goto(server.url('/panel/precept'))
  await page.getByRole('heading', { name: 'The precept and senior appointments', level: 1 }).waitFor()
  await page.getByRole('table', { name: /Police precept .*: amount for each council tax band/ }).first().waitFor()
  assert.match(await page.locator('body').innerText(), /Not yet notified to the Panel/)
  await lookAt(page, 'the precept', 'panel-precept')

  await page.goto(server.url('/panel/questions/ask'))
  await page.getByRole('heading', { name: 'Ask the Commissioner a question at a Panel meeting', level: 1 }).waitFor()
  await page.getByRole('button', { name: 'Send your question' }).click()
  assert.deepEqual(await errorsShown(page, 'a question with nothing filled in'), [
    'Enter your full name',
    'Enter your email address',
    'Enter your question'
  ])
  await page.getByLabel('Your full name').fill('Browser Resident')
  await page.getByLabel('Email address').fill('browser.resident@example.com')
  await page.getByLabel('Your question', { exact: true }).fill('When will the new police station in Tamworth open?')
  await page.getByRole('button', { name: 'Send your question' }).click()
  await page.getByRole('heading', { name: 'Question sent', level: 1 }).waitFor()
  assert.match(await page.locator('.govuk-panel__body').innerText(), /PQ-/)
  await assertAccessible(page, 'the question sent page')
  await finishPage(page, 'the public Panel pages')
})

test('the Panel’s support officer accepts a question and is refused a precept step out of order', async () => {
  const { server, browser } = shared
  const officer = await newPage(browser)
  await signIn(officer, server, demoAccounts(server)['panel-officer'])
  await officer.goto(server.url('/staff/panel'))
  await officer.getByRole('heading', { name: 'Police, Fire and Crime Panel', level: 1 }).waitFor()
  await assertAccessible(officer, 'the Panel’s staff page')
  await officer.locator('h2:has-text("Questions waiting for a decision") + ul a').first().click()
  await officer.getByRole('heading', { name: /^Meeting on /, level: 1 }).waitFor()
  await assertAccessible(officer, 'a meeting in the back office')
  const card = officer.locator('.govuk-summary-card', { hasText: 'Waiting for a decision' }).first()
  await card.getByLabel('Record').selectOption('accept')
  await card.getByRole('button', { name: /^Record it/ }).click()
  await officer.getByRole('heading', { name: /^Meeting on /, level: 1 }).waitFor()
  assert.match(await officer.locator('#questions ~ .govuk-summary-card').first().innerText(), /Accepted for the meeting/)

  await officer.goto(server.url('/staff/panel/precept'))
  await officer.getByRole('heading', { name: 'The precept and confirmation hearings', level: 1 }).waitFor()
  await assertAccessible(officer, 'the precept in the back office')
  const form = officer.locator('form', { has: officer.getByRole('button', { name: /^Record the step/ }) }).first()
  await form.getByLabel('Step').selectOption('issue')
  await form.getByLabel('Date').fill('2027-02-20')
  await form.getByLabel('Band D (notify, revise and issue)').fill('290.00')
  await form.getByRole('button', { name: /^Record the step/ }).click()
  const errors = await errorsShown(officer, 'a precept step out of order')
  assert.equal(errors.length, 1)
  assert.match(errors[0], /has not been notified to the Panel/)

  // Last year's annual report, drafted by the office, read by the Panel as it would be made now.
  await officer.goto(server.url('/staff/annual-reports'))
  await officer.getByRole('heading', { name: 'Annual reports', level: 1 }).waitFor()
  await officer.locator('main ul.govuk-list a').first().click()
  await officer.getByRole('heading', { name: /^Annual report \d{4} to \d{4}$/, level: 1 }).waitFor()
  const preview = await officer.locator('.app-preview').innerText()
  assert.match(preview, /Support after a burglary/)
  assert.match(preview, /Information requests/)
  await assertAccessible(officer, 'an annual report in draft')
  await finishPage(officer, 'the Panel’s back office')
})
