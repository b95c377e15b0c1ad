// Plans in a real browser, with axe on every page: the public reading the demo Police and Crime
// Plan (its priorities, the programme overview chart, a locked quarter, the Panel's report) and
// subscribing to a priority; a partner lead sending a quarterly update without JavaScript and
// the performance officer approving it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, demoAccounts, signIn, finishPage, lookAt, errorsShown, mailTo } from './support.mjs'

const shared = useServerAndBrowser()
const PLAN = '/plans/police-and-crime-plan-2021-to-2024'

test('the public read a plan, its overview, a locked quarter and its report, and subscribe to a priority', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/plans'))
  await assertAccessible(page, 'plans index')
  await page.getByRole('link', { name: 'Police and Crime Plan 2021 to 2024' }).click()
  await page.getByRole('heading', { name: 'Police and Crime Plan 2021 to 2024', level: 1 }).waitFor()
  for (const priority of ['A local and responsive service', 'Prevent harm and protect people', 'Support victims and witnesses', 'Reduce offending and reoffending', 'A more effective criminal justice system']) {
    await page.getByRole('heading', { name: priority, level: 2 }).waitFor()
  }
  assert.match(await page.locator('body').innerText(), /Delivery status as reported for July to September 2023/)
  // Statuses are words as well as colours.
  assert.ok(await page.locator('.govuk-tag', { hasText: /Being implemented \(A\)/ }).count() > 0)
  await lookAt(page, 'the public plan', 'plan')

  await page.getByRole('link', { name: 'Programme overview: actions by theme and status' }).click()
  await page.getByRole('heading', { name: 'Programme overview', level: 1 }).waitFor()
  assert.equal(await page.locator('svg[role="img"]:visible').count(), 1, 'the overview chart, drawn for this width')
  const total = await page.getByRole('table', { name: 'Actions by theme and delivery status' }).getByRole('row', { name: /^Total/ }).innerText()
  assert.match(total, /\s21$/, `21 actions in all: ${total}`)
  await lookAt(page, 'the programme overview', 'plan-overview')

  await page.goto(server.url(PLAN))
  await page.getByRole('link', { name: 'April to June 2023' }).click()
  await page.getByRole('heading', { name: 'Delivery in April to June 2023', level: 1 }).waitFor()
  assert.match(await page.locator('code.app-fingerprint').innerText(), /^[0-9a-f]{64}$/)
  await assertAccessible(page, 'a locked quarter')
  await page.getByRole('link', { name: 'The Panel’s update report for this quarter' }).click()
  await page.getByRole('heading', { name: /update for April to June 2023/, level: 1 }).waitFor()
  assert.equal(await page.getByRole('navigation', { name: 'Contents' }).getByRole('link').count(), 7)
  assert.match(await page.locator('body').innerText(), /85% were answered within 10 seconds/)
  await lookAt(page, 'the Panel’s update report', 'plan-report')
  const pdf = await page.request.get(page.url() + '.pdf')
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-')

  // An action's history across the locked quarters.
  await page.goto(server.url(`${PLAN}/actions/1.1`))
  await page.getByRole('heading', { name: /Action 1.1/, level: 1 }).waitFor()
  assert.equal(await page.getByRole('table', { name: 'Status and progress by quarter' }).getByRole('row').count(), 3, 'a header and two quarters')
  await assertAccessible(page, 'an action with its history')

  // Subscribing: mistakes named, then a link by email that confirms it.
  await page.goto(server.url(PLAN))
  await page.getByRole('link', { name: 'Get emails when progress on A local and responsive service is reported' }).click()
  await assertAccessible(page, 'the subscribe form')
  await page.getByRole('button', { name: 'Send me a link' }).click()
  assert.deepEqual(await errorsShown(page, 'the subscribe form with a mistake'), ['Enter your email address'])
  await page.getByLabel('Email address').fill('resident@example.org')
  await page.getByRole('button', { name: 'Send me a link' }).click()
  await page.getByRole('heading', { name: 'Check your email' }).waitFor()
  await assertAccessible(page, 'check your email')
  const [mail] = await mailTo(server, 'resident@example.org')
  const link = mail.match(/http:\/\/\S+\/plans\/subscriptions\/confirm\/\S+/)[0]
  await page.goto(server.url(link.replace(/^https?:\/\/[^/]+/, '')))
  await page.getByRole('heading', { name: 'You’re subscribed' }).waitFor()
  await assertAccessible(page, 'subscribed')
  await finishPage(page, 'the public plan journey')
})

test('a partner lead sends a quarterly update without JavaScript and the office approves it', async () => {
  const { server, browser } = shared
  const accounts = demoAccounts(server)
  const lead = await newPage(browser, { javaScriptEnabled: false })
  await signIn(lead, server, accounts.partner)
  await lead.getByRole('link', { name: 'Plan updates' }).first().click()
  await lead.getByRole('heading', { name: 'Plan updates', level: 1 }).waitFor()
  await lookAt(lead, 'the lead’s plan updates', 'plan-updates')
  const awaited = lead.getByRole('row').filter({ hasText: 'Awaited' }).first()
  const action = await awaited.getByRole('link').innerText()
  await awaited.getByRole('link').click()
  await lead.getByRole('heading', { name: `Update on ${action}`, level: 1 }).waitFor()
  await assertAccessible(lead, 'the lead’s update form')
  await lead.getByLabel('What progress has been made this quarter?').fill('')
  await lead.getByRole('button', { name: 'Send the update' }).click()
  assert.deepEqual(await errorsShown(lead, 'the update with a mistake'), ['Enter the progress made this quarter'])
  await lead.getByLabel('What progress has been made this quarter?').fill('Patrols ran every weekend in the town centre; 42 referrals to outreach.')
  await lead.getByLabel('Implemented (G)').check()
  await lead.getByRole('button', { name: 'Send the update' }).click()
  await lead.getByText('Update sent').waitFor()
  await assertAccessible(lead, 'updates after sending')
  await finishPage(lead, 'the lead’s journey')

  const officer = await newPage(browser)
  await signIn(officer, server, accounts['performance-officer'])
  const [plan, reference] = [action.includes('.') ? 'police-and-crime-plan-2021-to-2024' : null, action.split(':')[0]]
  assert.ok(plan, `a Police and Crime Plan action: ${action}`)
  await officer.goto(server.url(`/staff/plans/${plan}/quarters/2023-Q3`))
  await assertAccessible(officer, 'the quarter’s updates')
  await officer.getByRole('link', { name: action }).click()
  await officer.getByRole('heading', { name: `Review the update on ${reference}`, level: 1 }).waitFor()
  assert.match(await officer.locator('body').innerText(), /42 referrals to outreach/)
  await assertAccessible(officer, 'reviewing an update')
  await officer.getByLabel('Approve it').check()
  await officer.getByRole('button', { name: 'Save the decision' }).click()
  await officer.getByText(`Update on ${reference} approved`).waitFor()
  await lookAt(officer, 'the quarter after approving', 'plan-quarter')
  await finishPage(officer, 'the officer’s review')
})

test('a performance officer checks an import’s preview, a priority, the details and the Panel’s report', async () => {
  const { server, browser } = shared
  const officer = await newPage(browser)
  await signIn(officer, server, demoAccounts(server)['performance-officer'])
  await officer.getByRole('link', { name: 'Plans', exact: true }).first().click()
  await officer.getByRole('heading', { name: 'Plans', level: 1 }).waitFor()
  await assertAccessible(officer, 'the staff list of plans')
  await officer.getByRole('link', { name: 'Reducing Reoffending Action Plan' }).click()
  await officer.getByRole('heading', { name: 'Reducing Reoffending Action Plan', level: 1 }).waitFor()
  await lookAt(officer, 'a plan’s staff page', 'plan-staff')

  // An upload with a bad row: the preview names it, by row, before anything changes.
  await officer.getByRole('link', { name: 'Import an action plan' }).click()
  await assertAccessible(officer, 'the import page')
  const csv = 'Theme,Ref,Key deliverable,Actions,Responsible partner / lead,Outcome / impact measure,S/M/L,RAG\n' +
    'Prevention,P13,Knife crime workshops,Run workshops in every secondary school,Staffordshire Police,Schools reached,S,A\n' +
    'Prevention,P14,,No deliverable,,,Q,A\n'
  await officer.getByLabel('Upload the action plan').setInputFiles({ name: 'more-actions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await officer.getByRole('button', { name: 'Upload and preview' }).click()
  await officer.getByRole('heading', { name: 'Check the import of more-actions.csv', level: 1 }).waitFor()
  const problems = await officer.getByRole('table', { name: 'Rows that cannot be taken' }).innerText()
  assert.match(problems, /Row 3\s+Enter the key deliverable/)
  await lookAt(officer, 'the import preview', 'plan-import-preview')
  await officer.getByRole('button', { name: 'Import 1 row' }).click()
  assert.deepEqual(await errorsShown(officer, 'an import into a published plan without a reason'), ['Say why the published plan is changing'])
  await officer.getByLabel('Why is the published plan changing?').fill('Knife crime workshops added after the schools consultation')
  await officer.getByRole('button', { name: 'Import 1 row' }).click()
  await officer.getByText('Action plan imported').waitFor()

  // A priority's own page, and the plan's details, each with a reason asked for once published.
  await officer.getByRole('link', { name: /^Change or withdraw this priority and its commitments/ }).first().click()
  await officer.getByRole('heading', { name: 'Priority 1: Prevention', level: 1 }).waitFor()
  await officer.getByLabel('Priority', { exact: true }).fill('Prevention and early help')
  await officer.getByRole('button', { name: 'Save the priority' }).click()
  assert.deepEqual(await errorsShown(officer, 'a priority changed without a reason'), ['Say why the published plan is changing'])
  await officer.goto(server.url('/staff/plans/reducing-reoffending-action-plan/details'))
  await assertAccessible(officer, 'the plan’s details')

  // The Panel's report for a locked quarter of the Police and Crime Plan, as written in the demo.
  await officer.goto(server.url('/staff/plans/police-and-crime-plan-2021-to-2024/quarters/2023-Q1/report'))
  await officer.getByRole('heading', { name: 'The Panel’s update report for April to June 2023', level: 1 }).waitFor()
  assert.match(await officer.getByLabel('A local and responsive service').inputValue(), /1,962 in post/)
  await assertAccessible(officer, 'the report’s words')
  await finishPage(officer, 'the officer’s plan pages')
})
