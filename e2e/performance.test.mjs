// Performance in a real browser, with axe on every page: the public reading the dashboard, a
// measure with its control chart and most similar group, a priority, a meeting pack and the
// inspections; the performance officer importing a table (its bad row named), approving the
// force's waiting return and writing a pack's commentary.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, demoAccounts, signIn, finishPage, lookAt, errorsShown } from './support.mjs'

const shared = useServerAndBrowser()

test('the public read the dashboard, a measure with its chart and group, a priority, a pack and the inspections', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/performance'))
  await page.getByRole('heading', { name: 'How the police and fire service are performing', level: 1 }).waitFor()
  await page.getByRole('heading', { name: 'Police: Staffordshire', level: 2 }).waitFor()
  await page.getByRole('heading', { name: 'Fire and rescue: Stoke-on-Trent and Staffordshire', level: 2 }).waitFor()
  // Verdicts are words, never a colour alone; no red, amber or green.
  const body = await page.locator('body').innerText()
  assert.match(body, /Improving/)
  assert.match(body, /No significant change/)
  assert.doesNotMatch(body, /\bRAG\b|\bAmber\b/)
  await lookAt(page, 'the performance dashboard', 'performance-dashboard')

  await page.getByRole('link', { name: 'Neighbourhood crime' }).first().click()
  await page.getByRole('heading', { name: 'Neighbourhood crime', level: 1 }).waitFor()
  assert.ok(await page.locator('svg[role="img"]:visible').count() >= 3, 'the control chart, the dot plot and the funnel plot')
  await page.getByRole('table', { name: 'Neighbourhood crime by period' }).waitFor()
  const group = await page.getByRole('table', { name: /most similar group$/ }).innerText()
  assert.match(group, /Staffordshire/)
  assert.match(await page.locator('body').innerText(), /About the data: The national measure also uses the Crime Survey/)
  assert.match(await page.locator('body').innerText(), /Put neighbourhood teams back at the heart of policing/)
  await lookAt(page, 'a measure page', 'performance-measure')
  const csv = await page.request.get(server.url('/performance/measures/neighbourhood-crime/figures.csv'))
  assert.match(await csv.text(), /^table,row,column,value/)

  await page.goto(server.url('/performance'))
  await page.getByRole('link', { name: 'Protecting Staffordshire and its people' }).click()
  await page.getByRole('heading', { name: 'Protecting Staffordshire and its people', level: 1 }).waitFor()
  await assertAccessible(page, 'a priority page')

  await page.goto(server.url('/performance'))
  await page.getByRole('link', { name: /^Fire and rescue: / }).first().click()
  await page.getByRole('heading', { name: /Public Performance Meeting: Fire and rescue performance/, level: 1 }).waitFor()
  assert.ok(await page.getByRole('navigation', { name: 'Contents' }).getByRole('link').count() > 3)
  assert.match(await page.locator('body').innerText(), /The office’s commentary/)
  await assertAccessible(page, 'a meeting pack')

  await page.goto(server.url('/performance/inspections'))
  await page.getByRole('heading', { name: 'Inspections and what they found', level: 1 }).waitFor()
  assert.match(await page.locator('body').innerText(), /not comparable/)
  await assertAccessible(page, 'the inspections')
  await page.goto(server.url('/performance/catalogue'))
  assert.match(await page.locator('body').innerText(), /Withdrawn on/)
  await assertAccessible(page, 'the catalogue')
  await finishPage(page, 'the public performance pages')
})

test('the performance officer imports a table, approves the force’s return and writes a pack’s commentary', async () => {
  const { server, browser } = shared
  const officer = await newPage(browser)
  await signIn(officer, server, demoAccounts(server)['performance-officer'])
  await officer.goto(server.url('/staff/performance'))
  await officer.getByRole('heading', { name: 'Performance', level: 1 }).waitFor()
  await assertAccessible(officer, 'the staff performance page')

  // Nothing chosen: every mistake named in the error summary.
  await officer.getByRole('button', { name: 'Upload and preview' }).click()
  assert.deepEqual(await errorsShown(officer, 'an import with nothing chosen'), [
    'Enter which release the file is, as the publisher names it',
    'Select the table’s file'
  ])
  const csv = 'Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n' +
    '2027/28,1,Staffordshire,Robbery of personal property,Robbery,Robbery of personal property,34B,101\n' +
    '2027/28,1,British Transport Police,Robbery of personal property,Robbery,Robbery of personal property,34B,4\n' +
    '2027/28,5,Staffordshire,Robbery of personal property,Robbery,Robbery of personal property,34B,3\n'
  await officer.getByLabel('Which table').selectOption('prc')
  await officer.getByLabel('Which release it is').fill('Home Office, July 2028')
  await officer.getByLabel('Upload the table').setInputFiles({ name: 'prc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await officer.getByRole('button', { name: 'Upload and preview' }).click()
  await officer.getByRole('heading', { name: 'Check the import of prc.csv', level: 1 }).waitFor()
  assert.match(await officer.getByRole('table', { name: 'Rows that cannot be taken' }).innerText(), /Row 4\s+“5” is not a quarter/)
  assert.match(await officer.locator('body').innerText(), /British Transport Police: 1 row/)
  await lookAt(officer, 'an import preview', 'performance-import-preview')
  await officer.getByRole('button', { name: 'Import 1 figure' }).click()
  await officer.getByText(/Import applied: 1 added/).waitFor()

  // The force's latest monthly return waits for the office.
  await officer.goto(server.url('/staff/performance/returns'))
  await assertAccessible(officer, 'the returns')
  await officer.locator('.govuk-summary-list__row', { hasText: 'Waiting for the office' }).getByRole('link').first().click()
  await officer.getByRole('heading', { name: /Police monthly return/, level: 1 }).waitFor()
  await assertAccessible(officer, 'a return waiting for the office')
  await officer.getByRole('button', { name: 'Save the decision' }).click()
  assert.deepEqual(await errorsShown(officer, 'a decision not chosen'), ['Choose whether to approve the return or query it'])
  await officer.getByLabel('Approve: the figures become the measures’').check()
  await officer.getByRole('button', { name: 'Save the decision' }).click()
  await officer.getByText('Approved').first().waitFor()

  await officer.goto(server.url('/staff/performance/packs'))
  await assertAccessible(officer, 'the meeting packs')
  await officer.getByRole('link', { name: /^Police: / }).first().click()
  await officer.getByRole('heading', { name: /^Commentary: Police/, level: 1 }).waitFor()
  await assertAccessible(officer, 'a pack’s commentary')
  await officer.getByLabel('The office’s commentary').first().fill('Homicide is rare and varies by chance: no action is asked of the force.')
  await officer.getByRole('button', { name: 'Save the commentary' }).click()
  await officer.getByText('Commentary saved').waitFor()
  await officer.goto(server.url('/staff/performance/groups/police'))
  await assertAccessible(officer, 'the most similar group')
  await officer.goto(server.url('/staff/performance/inspections'))
  await assertAccessible(officer, 'the staff inspections')
  await finishPage(officer, 'the officer’s performance pages')
})
