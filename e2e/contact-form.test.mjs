// The contact form as a person uses it: mistakes first, then a message that goes through,
// with JavaScript on and with it off.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, finishPage } from './support.mjs'

const shared = useServerAndBrowser()

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript'

  test(`a person corrects their mistakes and sends a message, ${mode}`, async () => {
    const page = await newPage(shared.browser, { javaScriptEnabled })
    await page.goto(shared.server.url('/contact'))
    await assertAccessible(page, `contact form ${mode}`)

    // Send it empty: the error summary lists every problem and links to each field.
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.waitForURL(shared.server.url('/contact'))
    const summary = page.locator('.govuk-error-summary')
    await summary.waitFor()
    assert.match(await page.title(), /^Error: /)
    const problems = await summary.locator('li').allInnerTexts()
    assert.deepEqual(problems, [
      'Enter your full name',
      'Select how you would like us to reply',
      'Enter your email address or your postal address',
      'Enter your message'
    ])
    if (javaScriptEnabled) {
      // GOV.UK Frontend moves focus to the summary so screen readers announce it.
      await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'))
    }
    await assertAccessible(page, `contact form with errors ${mode}`)
    await summary.getByRole('link', { name: 'Enter your full name' }).click()
    assert.equal(await page.evaluate(() => document.activeElement.id), 'full-name')

    // Fill in part of it with a mistake: what was typed is kept.
    await page.getByLabel('Full name').fill('Sam Taylor')
    await page.getByLabel('Letter').check()
    await page.getByLabel('Postal address').fill('1 Mill Lane\nStafford')
    await page.getByLabel('Postcode').fill('not a postcode')
    await page.getByLabel('Your message').fill('The street lights on Mill Lane have been out for a month.')
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    assert.deepEqual(await page.locator('.govuk-error-summary li').allInnerTexts(), ['Enter a real postcode, like ST16 2DJ'])
    assert.equal(await page.getByLabel('Full name').inputValue(), 'Sam Taylor')
    assert.equal(await page.getByLabel('Postal address').inputValue(), '1 Mill Lane\nStafford')
    assert.ok(await page.getByLabel('Letter').isChecked())
    await assertAccessible(page, `contact form with one error ${mode}`)

    // Correct it and send.
    await page.getByLabel('Postcode').fill('st16 2dj')
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.waitForURL(/\/contact\/sent\/[0-9a-f]{32}$/)
    assert.equal(await page.locator('h1').innerText(), 'Message sent')
    const reference = await page.locator('.app-reference').innerText()
    assert.match(reference, /^CON-\d{4}-\d{6}$/)
    assert.match(await page.locator('main').innerText(), /reply by letter by \w+day \d{1,2} \w+ \d{4}/)
    await assertAccessible(page, `confirmation ${mode}`)
    await finishPage(page, `contact journey ${mode}`)
  })
}

test('the character count tells a person how much they can still type', async () => {
  const page = await newPage(shared.browser)
  await page.goto(shared.server.url('/contact'))
  await page.getByLabel('Your message').fill('a'.repeat(4990))
  const status = page.locator('.govuk-character-count__status')
  await status.waitFor()
  assert.match(await status.innerText(), /You have 10 characters remaining/)
  await page.getByLabel('Your message').fill('a'.repeat(5003))
  assert.match(await status.innerText(), /You have 3 characters too many/)
  await assertAccessible(page, 'character count over the limit')
  await page.context().close()
})

test('a person attaches a file of the wrong type, then a good one', async () => {
  const page = await newPage(shared.browser)
  await page.goto(shared.server.url('/contact'))
  await page.getByLabel('Full name').fill('Jo Resident')
  await page.getByLabel('Email', { exact: true }).check()
  await page.getByLabel('Email address').fill('jo@example.com')
  await page.getByLabel('Your message').fill('Video of the incident attached.')
  const program = { name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00', 'latin1') }
  await page.getByLabel('Attach files (optional)').setInputFiles(program)
  await page.getByRole('button', { name: 'Send message' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  const problems = await page.locator('.govuk-error-summary li').allInnerTexts()
  assert.equal(problems.length, 1)
  assert.match(problems[0], /^The selected file must be a PDF/)
  assert.equal(await page.getByLabel('Full name').inputValue(), 'Jo Resident', 'answers kept')
  await assertAccessible(page, 'contact form with a refused file')

  const pdf = { name: 'statement.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n', 'latin1') }
  await page.getByLabel('Attach files (optional)').setInputFiles(pdf)
  await page.getByRole('button', { name: 'Send message' }).click()
  await page.waitForURL(/\/contact\/sent\/[0-9a-f]{32}$/)
  assert.match(await page.locator('.app-reference').innerText(), /^CON-\d{4}-\d{6}$/)
  await page.context().close()
})
