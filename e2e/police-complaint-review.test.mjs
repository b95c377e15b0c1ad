// Police complaint reviews in a real browser: the public request (with mistakes, in time, late,
// and by the IOPC route), the tracker, and a caseworker and the force's Professional Standards
// Department completing a review with a recommendation; the published figures. Axe on every page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, assertNoProblems, demoAccounts, signIn, trackWithoutNames, daysAgo, fillDate, errorsShown, finishPage } from './support.mjs'

const shared = useServerAndBrowser()

async function continueOn (page) {
  await page.getByRole('button', { name: 'Continue' }).click()
}

/** Asks for a review; returns the reference on the confirmation page. */
async function askForReview (page, server, { reviewBody, outcomeDaysAgo, email, mistakes = false }) {
  await page.goto(server.url('/police-complaint-review'))
  await assertAccessible(page, 'start page')
  await page.getByRole('button', { name: 'Start now' }).click()
  if (mistakes) {
    await continueOn(page)
    await errorsShown(page, 'review body with an error')
  }
  await assertAccessible(page, 'who reviews')
  await page.getByLabel(reviewBody).check()
  await continueOn(page)
  if (reviewBody.startsWith('The Independent Office')) {
    await page.getByRole('heading', { name: 'The IOPC reviews your complaint' }).waitFor()
    await assertAccessible(page, 'IOPC guidance')
    assert.equal(await page.getByRole('link', { name: 'Apply to the IOPC for a review' }).count(), 1)
    await page.getByRole('button', { name: /Send my request to the Commissioner’s office anyway/ }).click()
  }
  await assertAccessible(page, 'your complaint')
  if (mistakes) {
    await fillDate(page, 'outcome', daysAgo(-2))
    await continueOn(page)
    await page.locator('.govuk-error-summary').waitFor()
    const messages = await page.locator('.govuk-error-summary li').allInnerTexts()
    assert.deepEqual(messages, ['Enter the force’s reference for your complaint', 'The date on your outcome letter must be today or in the past'])
    await assertAccessible(page, 'your complaint with errors')
  }
  await page.getByLabel('The force’s reference for your complaint').fill('CO/01234/26')
  await fillDate(page, 'outcome', daysAgo(outcomeDaysAgo))
  await continueOn(page)
  if (outcomeDaysAgo > 28) {
    await page.getByRole('heading', { name: /You are asking after 28 days/ }).waitFor()
    await assertAccessible(page, 'late')
    await page.getByLabel('Why are you asking now?').fill('The letter went to my old address.')
    await continueOn(page)
  }
  await assertAccessible(page, 'did you make the complaint')
  if (mistakes) {
    await page.getByLabel('No, I am acting for the person who made it').check()
    await continueOn(page)
    await assertAccessible(page, 'representative')
    await page.getByLabel('Name of the person who made the complaint').fill('Sam Person')
    await page.getByLabel('How are you connected to them?').fill('Their son')
    await continueOn(page)
    await page.locator('.govuk-error-summary').waitFor()
    assert.match((await page.locator('.govuk-error-summary li').allInnerTexts())[0], /without their consent/)
    await assertAccessible(page, 'representative without consent')
    await page.getByLabel('I declare that they have agreed to me acting for them').check()
    await continueOn(page)
  } else {
    await page.getByLabel('Yes, I made the complaint').check()
    await continueOn(page)
  }
  await assertAccessible(page, 'contact details')
  await page.getByLabel('Your full name').fill('Alex Example')
  await page.getByLabel('Email', { exact: true }).check()
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Postcode').fill('ST16 2DH')
  await continueOn(page)
  await assertAccessible(page, 'first allegation')
  await page.getByLabel('What was this part of your complaint about?').fill('The officer was rude at the front desk')
  await page.getByLabel('The outcome', { exact: true }).check()
  await page.getByLabel('Why are you unhappy with it?').fill('Nobody looked at the camera footage.')
  await page.getByRole('button', { name: 'Save and continue' }).click()
  await assertAccessible(page, 'allegations so far')
  await page.getByLabel('No', { exact: true }).check()
  await continueOn(page)
  await assertAccessible(page, 'documents')
  await page.getByLabel('Upload a file').setInputFiles({ name: 'outcome-letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\noutcome') })
  await page.getByRole('button', { name: 'Upload', exact: true }).click()
  await page.getByText('outcome-letter.pdf (1 KB)').waitFor()
  await assertAccessible(page, 'documents with one uploaded')
  await continueOn(page)
  await page.getByRole('heading', { name: 'Check your answers before sending your request' }).waitFor()
  await assertAccessible(page, 'check your answers')
  await page.getByRole('button', { name: 'Send request' }).click()
  await page.getByRole('heading', { name: 'Request sent' }).waitFor()
  await assertAccessible(page, 'request sent')
  return page.locator('.app-reference').innerText()
}

test('the public ask for a review, make mistakes, and track it', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  const reference = await askForReview(page, server, { reviewBody: 'The Commissioner’s office (the local policing body)', outcomeDaysAgo: 6, email: 'alex@example.com', mistakes: true })
  assert.match(reference, /^CRV-\d{4}-\d{6}$/)
  await page.goto(server.url('/police-complaint-review/track'))
  await trackWithoutNames(page, { reference, postcode: 'st16 2dh', shows: 'We have your request for a review', name: 'Alex Example' })
  await finishPage(page, 'public request')
})

test('a late request is accepted and the applicant told it will be considered', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await askForReview(page, server, { reviewBody: 'I’m not sure', outcomeDaysAgo: 45, email: 'late@example.com' })
  await page.getByText('Your request arrived after the 28 days').waitFor()
  await finishPage(page, 'late request')
})

test('an applicant whose letter names the IOPC is told where to go and can still send the request', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await askForReview(page, server, { reviewBody: 'The Independent Office for Police Conduct (IOPC)', outcomeDaysAgo: 2, email: 'iopc@example.com' })
  await page.getByText('You told us your outcome letter names the IOPC').waitFor()
  await finishPage(page, 'IOPC request')
})

test('a caseworker and the force’s PSD complete a review with a recommendation', async () => {
  const { server, browser } = shared
  const applicant = await newPage(browser)
  const reference = await askForReview(applicant, server, { reviewBody: 'The Commissioner’s office (the local policing body)', outcomeDaysAgo: 3, email: 'review@example.com' })
  await applicant.context().close()
  const accounts = demoAccounts(server)

  const office = await newPage(browser)
  await signIn(office, server, accounts.caseworker)
  await office.getByRole('link', { name: 'Police complaint reviews' }).first().click()
  await assertAccessible(office, 'queue')
  await office.getByRole('link', { name: reference }).click()
  await assertAccessible(office, 'case page, new')
  await office.getByRole('button', { name: 'Acknowledge the request' }).click()
  await assertAccessible(office, 'case page, acknowledged')
  await office.getByRole('button', { name: 'Record the validity check' }).click()
  await errorsShown(office, 'validity with an error')
  await office.locator('#schedule-3').check()
  await office.getByRole('button', { name: 'Record the validity check' }).click()
  await office.getByRole('button', { name: 'Ask the force for the file' }).waitFor()
  await assertAccessible(office, 'case page, valid')
  await office.getByLabel('Questions for the force (optional)').fill('Was the footage kept?')
  await office.getByRole('button', { name: 'Ask the force for the file' }).click()
  await office.getByText('Waiting for the complaint file').first().waitFor()
  await assertAccessible(office, 'case page, file asked for')

  const psd = await newPage(browser)
  await signIn(psd, server, accounts.psd)
  await psd.goto(server.url('/staff/complaint-reviews'))
  await assertAccessible(psd, 'PSD queue')
  await psd.getByRole('link', { name: reference }).click()
  await assertAccessible(psd, 'PSD case page')
  assert.equal(await psd.getByText('review@example.com').count(), 0, 'the force does not see the complainant’s contact details')
  await psd.getByLabel('Add files to the complaint file').setInputFiles({ name: 'final-report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nreport') })
  await psd.getByRole('button', { name: 'Upload', exact: true }).click()
  await psd.getByRole('link', { name: 'final-report.pdf' }).waitFor()
  // Waiting for the page to finish loading before the next click: a click mid-load cancels the
  // page's own style and font requests, which would read as failures.
  await assertAccessible(psd, 'PSD case page with the file uploaded')
  await psd.getByRole('button', { name: 'The complaint file is complete' }).click()
  await psd.getByText('Under review').first().waitFor()
  await assertAccessible(psd, 'PSD case page, file sent')

  await office.reload()
  await assertAccessible(office, 'case page, under review')
  await office.locator('input[name="handling-reasonable"][value="no"]').check()
  await office.locator('input[name="outcome-reasonable"][value="no"]').check()
  await office.locator('input[name="finding"][value="upheld"]').check()
  await office.locator('textarea[name="reasons"]').last().fill('The footage was never viewed.')
  await office.getByRole('button', { name: /Record the finding/ }).click()
  await office.getByText('The footage was never viewed.').waitFor()
  await office.waitForLoadState('load')
  await office.getByText('Add a recommendation').click()
  await office.getByLabel('What should the force do?').fill('View the footage and reconsider the outcome')
  await fillDate(office, 'respond-by', daysAgo(-28))
  await office.getByRole('button', { name: 'Add the recommendation' }).click()
  await office.getByText('View the footage and reconsider the outcome').waitFor()
  await assertAccessible(office, 'case page with a finding and a recommendation')
  await office.getByLabel('Overall conclusion').fill('The complaint is upheld: the footage must be viewed.')
  await office.getByRole('button', { name: 'Decide and send the letters' }).click()
  await office.getByText('Waiting for the force’s response').first().waitFor()
  await assertAccessible(office, 'case page, decided')
  await office.getByRole('link', { name: /Decision of the review|Outcome of complaint review/ }).first().click()
  await assertAccessible(office, 'a letter')
  await office.goBack()

  await psd.reload()
  await psd.locator('input[name="response"][value="accepted"]').check()
  await psd.locator('textarea[name="response-detail"]').fill('Footage kept; a new officer will reconsider.')
  await psd.getByRole('button', { name: /Record the response/ }).click()
  await psd.getByText('Footage kept; a new officer will reconsider.').waitFor()
  await assertAccessible(psd, 'PSD case page, responded')

  await office.reload()
  await office.getByRole('button', { name: 'Close recommendation 1' }).click()
  await office.getByText('Closed', { exact: true }).first().waitFor()
  await assertAccessible(office, 'case page, closed')

  await office.goto(server.url('/police-complaint-review/figures'))
  await assertAccessible(office, 'published figures')
  assert.ok(await office.locator('svg[role="img"]:visible').count() === 1)
  assertNoProblems(office, 'office')
  assertNoProblems(psd, 'PSD')
  await office.context().close()
  await psd.context().close()
})
