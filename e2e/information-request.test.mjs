// Information requests in a real browser: a request shown a published answer before it is sent
// (with mistakes on the way), the tracker, a transparency officer answering it with an exemption
// and a document checked for hidden data, and the disclosure log finding it. Axe on every page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, assertNoProblems, demoAccounts, signIn } from './support.mjs'

const shared = useServerAndBrowser()

async function continueOn (page) {
  await page.getByRole('button', { name: 'Continue' }).click()
}

/** Makes a request by post; returns the reference on the confirmation page. */
async function makeRequest (page, server, text) {
  await page.goto(server.url('/information-request'))
  await assertAccessible(page, 'start page')
  await page.getByRole('button', { name: 'Start now' }).click()
  await page.getByRole('heading', { name: 'Your request' }).waitFor()
  await assertAccessible(page, 'request page')
  await continueOn(page)
  await page.locator('.govuk-error-summary').waitFor()
  assert.deepEqual(await page.locator('.govuk-error-summary li').allInnerTexts(), [
    'Enter the information you want',
    'Select how you would like to receive the information'
  ])
  await assertAccessible(page, 'request page with errors')
  await page.getByLabel('What information do you want?').fill(text)
  await page.getByLabel('An electronic copy').check()
  await continueOn(page)
  return page
}

test('a request is shown a published answer first, then sent and tracked', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await makeRequest(page, server, 'How much did the speed cameras on the A34 raise in fines last year?')
  // The demo log answered a request like this one.
  await page.getByRole('heading', { name: 'Your answer may already be published' }).waitFor()
  await assertAccessible(page, 'published answers like the request')
  const suggestion = page.getByRole('link', { name: 'Speed cameras on the A34 and A50' })
  assert.equal(await suggestion.count(), 1)
  await suggestion.click()
  await page.getByRole('heading', { name: 'Speed cameras on the A34 and A50' }).waitFor()
  await assertAccessible(page, 'a published answer')
  await page.goBack()
  await page.getByRole('button', { name: /None of these answers my request/ }).click()

  await page.getByRole('heading', { name: 'Your contact details' }).waitFor()
  await page.getByLabel('Your full name').fill('Robin Requester')
  await page.getByLabel('By post').check()
  await continueOn(page)
  await page.locator('.govuk-error-summary').waitFor()
  assert.deepEqual(await page.locator('.govuk-error-summary li').allInnerTexts(), ['Enter your postal address', 'Enter your postcode'])
  await assertAccessible(page, 'contact details with errors')
  await page.getByLabel('Postal address').fill('2 Market Square\nStafford')
  await page.getByLabel('Postcode').fill('ST16 2JP')
  await continueOn(page)
  await page.getByRole('heading', { name: 'Check your request before sending it' }).waitFor()
  await assertAccessible(page, 'check your request')
  await page.getByRole('button', { name: 'Send request' }).click()
  await page.getByRole('heading', { name: 'Request sent' }).waitFor()
  await assertAccessible(page, 'confirmation')
  const reference = (await page.locator('.app-reference').innerText()).trim()
  assert.match(reference, /^FOI-\d{4}-\d{6}$/)

  await page.getByRole('link', { name: 'check the progress of your request' }).click()
  await assertAccessible(page, 'tracker look-up')
  await page.getByLabel('Reference number').fill(reference)
  await page.getByLabel('Postcode').fill('st16 2jp')
  await page.getByRole('button', { name: 'Check progress' }).click()
  await page.getByText('Answer due').waitFor()
  await assertAccessible(page, 'tracker')
  assert.equal(await page.getByText('Robin Requester').count(), 0, 'the tracker shows no names')
  assertNoProblems(page, 'requester')
  await page.context().close()
})

test('a transparency officer answers a request with an exemption and a checked document, and the log finds it', async () => {
  const { server, browser } = shared
  const requester = await newPage(browser)
  await makeRequest(requester, server, 'What did the office spend on translation and interpreting in 2025?')
  // Published answers like it may be shown first: this requester goes on.
  const contact = requester.getByRole('heading', { name: 'Your contact details' })
  const suggested = requester.getByRole('heading', { name: 'Your answer may already be published' })
  await contact.or(suggested).waitFor()
  if (await suggested.isVisible()) {
    await requester.getByRole('button', { name: /None of these answers my request/ }).click()
  }
  await contact.waitFor()
  await requester.getByLabel('Your full name').fill('Dana Asker')
  await requester.getByLabel('By email').check()
  await requester.getByLabel('Email address').fill('dana@example.com')
  await continueOn(requester)
  await requester.getByRole('button', { name: 'Send request' }).click()
  const reference = (await requester.locator('.app-reference').innerText()).trim()
  await requester.context().close()

  const accounts = demoAccounts(server)
  const officer = await newPage(browser)
  await signIn(officer, server, accounts['transparency-officer'])
  await officer.getByRole('link', { name: 'Information requests' }).first().click()
  await assertAccessible(officer, 'queue')
  await officer.getByRole('link', { name: reference }).click()
  await officer.getByRole('heading', { name: 'Answer due' }).waitFor()
  await assertAccessible(officer, 'request page')
  await officer.getByRole('button', { name: 'Assign to me' }).click()
  await officer.waitForLoadState('load')
  await officer.getByLabel('Minutes spent').fill('90')
  await officer.getByLabel('What was done').fill('Searched the finance ledger for interpreting invoices')
  await officer.getByRole('button', { name: 'Log time' }).click()
  await officer.getByText('1.5 hours logged').waitFor()
  await assertAccessible(officer, 'request page with time logged')

  await officer.getByLabel('Disclosed in part').check()
  await officer.getByLabel('The response').fill('The total is attached.')
  await officer.getByRole('button', { name: 'Save the response' }).click()
  await officer.locator('.govuk-error-summary').waitFor()
  assert.match((await officer.locator('.govuk-error-summary li').allInnerTexts())[0], /Select the exemptions/)
  await assertAccessible(officer, 'response with an error')
  await officer.getByLabel(/Section 40\(2\)/).check()
  await officer.getByLabel('The response').fill('The total spent was £3,410; the invoices are attached. Interpreters’ names are withheld under section 40(2).')
  await officer.getByRole('button', { name: 'Save the response' }).click()
  await officer.getByRole('button', { name: 'Approve the response' }).click()
  await officer.getByRole('button', { name: 'Send the response' }).click()
  await officer.getByRole('heading', { name: 'Publish in the disclosure log' }).waitFor()
  await assertAccessible(officer, 'answered, ready to publish')

  // A scanned PDF has no text to check: it must be looked at and confirmed by hand.
  await officer.getByLabel('Add documents').setInputFiles({ name: 'invoices.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF') })
  await officer.getByRole('button', { name: 'Upload and check' }).click()
  await officer.getByText('Check before release').waitFor()
  await assertAccessible(officer, 'a document with findings')
  await officer.getByLabel('Title in the disclosure log').fill('Translation and interpreting costs 2025')
  await officer.getByLabel('Topic').fill('Finance')
  await officer.getByRole('button', { name: 'Publish' }).click()
  await officer.locator('.govuk-error-summary').waitFor()
  assert.match((await officer.locator('.govuk-error-summary li').allInnerTexts())[0], /may hide data/)
  await assertAccessible(officer, 'publish refused')
  await officer.getByRole('button', { name: /Confirm safe/ }).click()
  await officer.getByText(/Confirmed safe by/).waitFor()
  await officer.getByLabel('Title in the disclosure log').fill('Translation and interpreting costs 2025')
  await officer.getByLabel('Topic').fill('Finance')
  await officer.getByRole('button', { name: 'Publish' }).click()
  await officer.getByRole('link', { name: 'See it in the disclosure log' }).waitFor()
  await assertAccessible(officer, 'published')

  const reader = await newPage(browser)
  await reader.goto(server.url('/disclosure-log'))
  await assertAccessible(reader, 'disclosure log')
  await reader.getByLabel('Search the answers').fill('interpreting costs')
  await reader.getByRole('button', { name: 'Search' }).click()
  await reader.getByRole('link', { name: 'Translation and interpreting costs 2025' }).click()
  await reader.getByRole('heading', { name: 'Documents released' }).waitFor()
  await assertAccessible(reader, 'log entry')
  assert.equal(await reader.getByText('Dana Asker').count(), 0, 'the requester is never named')
  assert.equal(await reader.getByText('dana@example.com').count(), 0)
  // Markup and SQL in a search are only characters.
  await reader.goto(server.url('/disclosure-log?q=' + encodeURIComponent('<script>alert(1)</script> \'; DROP TABLE x; --')))
  await reader.getByText(/0 answers/).waitFor()
  await assertAccessible(reader, 'a hostile search')
  assertNoProblems(officer, 'officer')
  assertNoProblems(reader, 'reader')
  await officer.context().close()
  await reader.context().close()
})
