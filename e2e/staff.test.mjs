// Staff in a real browser: sign-in with a password and an authenticator code, the pages each
// role reaches, a page a role may not see, and axe on every one of them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useServerAndBrowser, newPage, assertAccessible, demoAccounts, signIn, errorsShown, finishPage } from './support.mjs'

const shared = useServerAndBrowser()

test('an administrator signs in with a code, manages accounts and reads the audit log', async () => {
  const { server, browser } = shared
  const accounts = demoAccounts(server)
  const page = await newPage(browser)
  await signIn(page, server, accounts.administrator)
  assert.equal(await page.locator('h1').innerText(), 'Hello, Demo Administrator')
  await assertAccessible(page, 'staff home')

  await page.getByRole('link', { name: 'Staff accounts' }).first().click()
  await page.waitForURL(server.url('/staff/admin/users'))
  await assertAccessible(page, 'staff accounts')
  // A mistake first, then a good account.
  await page.getByLabel('Name').fill('Robin Example')
  await page.getByLabel('Email address').fill('robin@office.example')
  await page.getByRole('button', { name: 'Add account' }).click()
  assert.deepEqual(await errorsShown(page, 'staff accounts with an error'), ['Select a role'])
  await page.getByLabel('Caseworker').check()
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.getByText('emailed a link to choose a password to robin@office.example').waitFor()
  await assertAccessible(page, 'staff accounts after adding')
  // The other new staff pages, each checked with axe and at 320 px.
  for (const [path, what] of [
    ['/staff/search?q=ASB', 'case search results'],
    ['/staff/information-requests/settings', 'information request settings'],
    ['/staff/feedback', 'feedback on the website'],
    ['/staff/admin/audit?record=staff', 'audit log with older events'],
    ['/privacy', 'privacy notice while signed in']
  ]) {
    await page.goto(server.url(path))
    await assertAccessible(page, what)
  }
  await page.goto(server.url('/staff/admin/users'))
  // Robin's account: last signed in never; made a transparency officer.
  await page.getByRole('link', { name: 'Robin Example' }).click()
  await page.getByRole('heading', { name: 'Robin Example' }).waitFor()
  await page.getByRole('heading', { name: 'Open cases assigned to them' }).waitFor()
  await assertAccessible(page, 'a staff account')
  await page.getByLabel('Transparency officer').check()
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByText('Account changed').waitFor()
  await assertAccessible(page, 'a staff account changed')
  await page.getByRole('link', { name: 'Staff accounts' }).first().click()

  // Partner organisations: a mistake, then a provider added.
  await page.getByRole('link', { name: 'Partner organisations' }).first().click()
  await page.getByRole('heading', { name: 'Partner organisations' }).waitFor()
  await assertAccessible(page, 'partner organisations')
  await page.getByRole('button', { name: 'Add organisation' }).click()
  assert.deepEqual(await errorsShown(page, 'partner organisations with errors'), [
    'Enter the organisation’s name',
    'Select what kind of organisation it is'
  ])
  await page.getByLabel('Name', { exact: true }).fill('Victim Support West Midlands')
  await page.getByLabel('Commissioned service provider').check()
  await page.getByRole('button', { name: 'Add organisation' }).click()
  await page.getByText('Victim Support West Midlands added').waitFor()
  await assertAccessible(page, 'partner organisations after adding')
  await page.getByRole('link', { name: /Victim Support West Midlands/ }).click()
  await page.getByRole('heading', { name: 'Victim Support West Midlands', level: 1 }).waitFor()
  await assertAccessible(page, 'an organisation’s contacts and name')
  // Its contact, whom requests for information are emailed to: a mistake first.
  await page.getByLabel('Full name').fill('Ali Khan')
  await page.getByLabel('Email address').fill('ali.khan')
  await page.getByRole('button', { name: 'Add contact' }).click()
  assert.deepEqual(await errorsShown(page, 'a contact with an error'), ['Enter an email address in the correct format, like name@example.com'])
  await page.getByLabel('Email address').fill('ali.khan@victimsupport.example')
  await page.getByLabel('Job title (optional)').fill('Contract manager')
  await page.getByRole('button', { name: 'Add contact' }).click()
  await page.getByText('Contact added').waitFor()
  await page.getByText('ali.khan@victimsupport.example').waitFor()
  await assertAccessible(page, 'an organisation with a contact')

  // The new administrators' pages do not scroll sideways on a small screen (WCAG 1.4.10).
  await page.setViewportSize({ width: 320, height: 640 })
  for (const path of ['/staff/admin/office', '/staff/admin/organisations', '/staff/admin/retention', '/staff/admin/calendar', '/staff/people?name=demo']) {
    await page.goto(server.url(path))
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 320px wide`)
    await assertAccessible(page, `${path} at 320px`)
  }
  await page.setViewportSize({ width: 1280, height: 800 })

  // The bank holidays: each nation's, for the year chosen, with whether a GOV.UK list confirmed them.
  await page.goto(server.url('/staff/admin/calendar'))
  await page.getByLabel('Year').selectOption('2027')
  await page.getByRole('button', { name: 'Show holidays' }).click()
  await page.getByRole('heading', { name: 'Bank holidays 2027' }).waitFor()
  assert.equal(await page.getByText('Computed by rule').count(), 3)
  await assertAccessible(page, 'bank holidays')

  await page.goto(server.url('/staff/admin/audit?person=demo'))
  assert.match(await page.locator('caption').innerText(), /\d+ events/)
  assert.ok(await page.getByRole('cell', { name: /signed in/ }).count() > 0, 'the sign-in is in the log')
  await assertAccessible(page, 'audit log')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(/\/staff\/sign-in\?signed-out=yes$/)
  await page.getByText('You have signed out.').waitFor()
  await finishPage(page, 'administrator journey')
})

test('a caseworker reads a message from the public', async () => {
  const { server, browser } = shared
  const publicPage = await newPage(browser)
  await publicPage.goto(server.url('/contact'))
  await publicPage.getByLabel('Full name').fill('Alex Resident')
  await publicPage.getByLabel('Email', { exact: true }).check()
  await publicPage.getByLabel('Email address').fill('alex@example.com')
  await publicPage.getByLabel('Your message').fill('Speeding on the B5066 every evening.')
  await publicPage.getByRole('button', { name: 'Send message' }).click()
  const reference = await publicPage.locator('.app-reference').innerText()
  await publicPage.context().close()

  const page = await newPage(browser)
  await signIn(page, server, demoAccounts(server).caseworker)
  await page.getByRole('link', { name: 'Messages from the public' }).first().click()
  await assertAccessible(page, 'messages list')
  await page.getByRole('link', { name: reference }).click()
  await page.getByText('Speeding on the B5066 every evening.').waitFor()
  await assertAccessible(page, 'one message')
  // Worked like a case: assigned, replied to, closed.
  await page.getByRole('button', { name: 'Assign to me' }).click()
  await page.getByText('Assigned to you').waitFor()
  await page.getByLabel('Reply', { exact: true }).fill('Thank you: we have passed this to the road safety partnership.')
  await page.getByRole('button', { name: /^(Send the reply by email|Record the reply)$/ }).click()
  await page.getByText('Reply recorded').waitFor()
  await page.getByLabel('Passed to another organisation (the police, a council)').check()
  await page.getByRole('button', { name: 'Close the message' }).click()
  await page.getByText('Message closed').waitFor()
  await assertAccessible(page, 'a message closed')
  await finishPage(page, 'caseworker journey')
})

test('a Panel member is refused the administrator’s pages with a clear page', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await signIn(page, server, demoAccounts(server)['panel-member'])
  assert.equal(await page.getByRole('link', { name: 'Staff accounts' }).count(), 0, 'no link to what they cannot use')
  const response = await page.goto(server.url('/staff/admin/users'))
  assert.equal(response.status(), 403)
  assert.equal(await page.locator('h1').innerText(), 'You do not have permission to see this page')
  await assertAccessible(page, 'permission denied page')
  await page.context().close()
})

test('a wrong password is explained without saying which part was wrong', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/staff/sign-in'))
  await page.getByLabel('Email address').fill(demoAccounts(server).caseworker.email)
  await page.getByLabel('Password').fill('not the right password')
  await page.getByRole('button', { name: 'Continue' }).click()
  assert.deepEqual(await errorsShown(page, 'sign-in with an error'), ['Enter a correct email address and password'])
  await page.context().close()
})

test('two minutes before a session ends for want of activity, staff are asked whether to stay signed in', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.clock.install()
  await signIn(page, server, demoAccounts(server)['panel-member'])
  const warning = page.getByRole('dialog', { name: 'You are about to be signed out' })
  assert.equal(await warning.isVisible(), false)
  await page.clock.fastForward('28:30')
  await warning.waitFor()
  await assertAccessible(page, 'the timeout warning')
  const renewed = page.waitForResponse(r => r.url().endsWith('/staff/keep-alive'))
  await page.getByRole('button', { name: 'Stay signed in' }).click()
  assert.equal((await renewed).status(), 204)
  await warning.waitFor({ state: 'hidden' })
  // Left alone past the limit, the page says so and keeps what was typed.
  await page.clock.fastForward('30:30')
  await page.getByText('You have been signed out. What you typed on this page is still here').waitFor()
  await page.context().close()
})

test('feedback on the website has its own short form', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/'))
  await page.getByRole('link', { name: 'Give feedback' }).click()
  await page.getByRole('button', { name: 'Send feedback' }).click()
  assert.deepEqual(await errorsShown(page, 'feedback with an error'), ['Select how you felt about the service'])
  await page.getByLabel('Satisfied', { exact: true }).check()
  await page.getByLabel('How could we improve this service? (optional)').fill('A map of the districts would help.')
  await page.getByRole('button', { name: 'Send feedback' }).click()
  await page.getByRole('heading', { name: 'Thank you for your feedback' }).waitFor()
  await assertAccessible(page, 'feedback sent')
  await page.context().close()
})
