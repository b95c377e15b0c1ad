// Transparency in a real browser, with axe on every page: the public reading what we publish,
// the decisions (a date that cannot be read refused with an error summary), spending over £500
// with a redacted payment, a register and a document, and asking for another format; the
// transparency officer reading the compliance calendar, being refused a spending file by row,
// publishing a good one, and taking a decision from draft to published.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, demoAccounts, signIn, finishPage, lookAt, errorsShown } from './support.mjs'

const shared = useServerAndBrowser()

test('the public read what is published and ask for a document in another format', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/transparency'))
  await page.getByRole('heading', { name: 'What we publish', level: 1 }).waitFor()
  await page.getByRole('heading', { name: '2. What we spend and how we spend it' }).waitFor()
  await lookAt(page, 'what we publish', 'transparency-home')

  await page.getByRole('link', { name: 'Decisions', exact: true }).first().click()
  await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor()
  await page.getByRole('table', { name: 'Published decisions' }).waitFor()
  await lookAt(page, 'the decisions', 'transparency-decisions')
  await page.getByLabel('Published from').fill('31/02/2026')
  await page.getByRole('button', { name: 'Show decisions' }).click()
  assert.deepEqual(await errorsShown(page, 'a date that cannot be read'), ['Enter the date as a day, month and year, such as 2026-04-30 or 30/04/2026'])
  await page.getByLabel('Published from').fill('')
  await page.getByRole('button', { name: 'Show decisions' }).click()
  await page.getByRole('table', { name: 'Published decisions' }).getByRole('link').first().click()
  await page.getByRole('heading', { name: 'The decision', level: 2 }).waitFor()
  await assertAccessible(page, 'a decision')

  await page.goto(server.url('/transparency/spending'))
  await page.getByRole('heading', { name: 'Spending over £500', level: 1 }).waitFor()
  await page.getByLabel('Supplier or expense type').fill('custody')
  await page.getByRole('button', { name: 'Search payments' }).click()
  await page.getByRole('heading', { name: /^\d+ payments?$/ }).waitFor()
  const found = await page.locator('body').innerText()
  assert.match(found, /Independent custody visitors|Medical services in police custody/)
  await lookAt(page, 'spending over £500', 'transparency-spending')

  await page.goto(server.url('/transparency/registers/contracts'))
  await page.getByRole('table', { name: 'Contracts of £10,000 or less' }).waitFor()
  await lookAt(page, 'the contracts register', 'transparency-contracts')

  await page.goto(server.url('/transparency/documents/budget'))
  await page.getByRole('heading', { name: 'Budget and precept', level: 1 }).waitFor()
  assert.match(await page.locator('body').innerText(), /Version 2/)
  await assertAccessible(page, 'a document')
  await page.getByRole('link', { name: 'Ask for another format' }).click()
  await page.getByRole('button', { name: 'Send request' }).click()
  assert.deepEqual(await errorsShown(page, 'an empty request'), [
    'Enter your name',
    'Enter an email address in the correct format, like name@example.com',
    'Choose the format you need'
  ])
  await page.getByLabel('Your name').fill('Browser Reader')
  await page.getByLabel('Email address').fill('browser.reader@example.com')
  await page.getByLabel('Format you need').selectOption('large-print')
  await page.getByRole('button', { name: 'Send request' }).click()
  await page.getByRole('heading', { name: 'Request sent', level: 1 }).waitFor()
  assert.match(await page.locator('.govuk-panel__body').innerText(), /AF-/)
  await assertAccessible(page, 'the request sent page')
  await finishPage(page, 'the public transparency pages')
})

test('the transparency officer reads the calendar, is refused a bad spending file by row, and publishes a decision', async () => {
  const { server, browser } = shared
  const officer = await newPage(browser)
  await signIn(officer, server, demoAccounts(server)['transparency-officer'])
  await officer.goto(server.url('/staff/transparency'))
  await officer.getByRole('heading', { name: 'Compliance calendar', level: 2 }).waitFor()
  await officer.getByRole('table', { name: /^Overdue or never published/ }).waitFor()
  await officer.getByRole('table', { name: 'Requirements with nothing published' }).waitFor()
  await lookAt(officer, 'the compliance calendar', 'transparency-calendar')

  await officer.goto(server.url('/staff/transparency/spending'))
  const today = new Date().toISOString().slice(0, 10)
  const header = 'Transaction,Date,Supplier,Amount,Expense type,Purpose,Payee type\n'
  await officer.getByLabel('Upload a month’s payments').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header}B1,${today},Acme Ltd,"1,2O0.00",Supplies,Paper,Organisation\n`)
  })
  await officer.getByRole('button', { name: 'Check and publish' }).click()
  const shown = await errorsShown(officer, 'a spending file with a bad row')
  assert.equal(shown.length, 1)
  assert.match(shown[0], /Nothing was published: 1 row in bad.csv cannot be/)
  assert.match(await officer.getByRole('table', { name: /Rows that cannot be published/ }).innerText(), /“1,2O0.00” is not an amount in pounds/)
  await officer.getByLabel('Upload a month’s payments').setInputFiles({
    name: 'good.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header}B1,${today},Acme Ltd,"1,200.00",Supplies,Paper,Organisation\nB2,${today},Mrs P Example,700.00,Witness expenses,Travel,\n`)
  })
  await officer.getByRole('button', { name: 'Check and publish' }).click()
  await officer.getByText('2 payments published from good.csv. Payments to individuals redacted: 1. Left out at £500 or less: 0.').waitFor()
  await assertAccessible(officer, 'the spending page after an import')

  await officer.goto(server.url('/staff/transparency/decisions'))
  await officer.getByRole('heading', { name: 'Decisions register', level: 1 }).waitFor()
  await assertAccessible(officer, 'the decisions register')
  await officer.getByLabel('Title').fill('Browser-tested decision')
  await officer.getByLabel('Date of the decision').fill(today)
  await officer.getByLabel('Decision maker').fill('The Commissioner')
  await officer.getByLabel('What was decided').fill('To test the register in a browser.')
  await officer.getByRole('button', { name: 'Save as a draft' }).click()
  await officer.getByRole('heading', { name: 'Browser-tested decision', level: 1 }).waitFor()
  await assertAccessible(officer, 'a draft decision')
  await officer.getByRole('button', { name: 'Record as signed by the decision maker' }).click()
  await officer.getByRole('button', { name: 'Publish' }).click()
  await officer.getByRole('link', { name: 'the public page' }).click()
  await officer.getByRole('heading', { name: 'Browser-tested decision', level: 1 }).waitFor()

  await officer.goto(server.url('/staff/transparency/registers/gifts'))
  await officer.getByRole('heading', { name: 'Gifts and hospitality', level: 1 }).waitFor()
  await officer.getByRole('button', { name: 'Add the entry' }).click()
  assert.deepEqual(await errorsShown(officer, 'an empty gift'), [
    'Enter who it was offered to',
    'Enter who offered it',
    'Enter what was offered',
    'Enter the date it was offered',
    'Choose whether it was accepted or refused'
  ])
  await lookAt(officer, 'a register in the back office', 'transparency-register')
  await finishPage(officer, 'the transparency officer’s pages')
})
