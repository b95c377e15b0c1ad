// Crime and ASB figures in a real browser: the demo office's Staffordshire sample (synthetic
// counts with planted changes), then an import of real police.uk files (three West Yorkshire
// months and the ONS lookup, from the PyPI package crime-sim-toolkit), with axe on every page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { useServerAndBrowser, newPage, assertAccessible, demoAccounts, signIn, finishPage, lookAt } from './support.mjs'

const shared = useServerAndBrowser()
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function wheel () {
  const folder = join(root, 'target', 'test-data')
  const path = join(folder, 'crime_sim_toolkit-1.5.0-py3-none-any.whl')
  if (!existsSync(path)) {
    execFileSync('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', 'crime-sim-toolkit==1.5.0', '-d', folder])
  }
  return path
}

test('the public find the demo office’s planted changes, and real districts after an import', async () => {
  const { server, browser } = shared
  const page = await newPage(browser)
  await page.goto(server.url('/crime'))
  await assertAccessible(page, 'crime index of the demo office')
  await page.getByRole('link', { name: 'Stafford', exact: true }).click()
  await page.getByRole('heading', { name: 'Stafford', level: 1 }).waitFor()
  assert.match(await page.getByRole('row', { name: /^Burglary/ }).innerText(), /a real fall/)
  assert.ok(await page.getByRole('columnheader', { name: 'Gi* z-score' }).count() === 1, 'centroids are held, so Gi* is shown')
  await page.getByRole('heading', { name: 'Map of crimes a year per 1,000 residents' }).waitFor()
  assert.equal(await page.locator('svg[role="img"]:visible').count(), 3, 'two charts and the map, drawn for this width')
  assert.ok(await page.locator('svg[role="img"]:visible path[fill]').count() > 50, 'every Stafford neighbourhood is drawn')
  await assertAccessible(page, 'Stafford crime figures')
  await lookAt(page, 'Stafford crime figures', 'crime-district')
  // The same figures as a report document: the page, its PDF and its figures.
  await page.getByRole('link', { name: 'Read these figures as a report' }).click()
  await page.getByRole('heading', { name: 'Crime and anti-social behaviour in Stafford', level: 1 }).waitFor()
  assert.equal(await page.getByRole('navigation', { name: 'Contents' }).getByRole('link').count(), 6)
  await lookAt(page, 'Stafford crime report', 'crime-report')
  const pdf = await page.request.get(server.url(page.url().replace(/^https?:\/\/[^/]+/, '') + '.pdf'))
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-')
  await page.goBack()
  // The busiest neighbourhood, from the hotspot table: its own figures and charts.
  const busiest = page.getByRole('table', { name: 'Busiest neighbourhoods' }).getByRole('link').first()
  const neighbourhood = await busiest.innerText()
  await busiest.click()
  await page.getByRole('heading', { name: neighbourhood, level: 1 }).waitFor()
  assert.equal(await page.locator('svg[role="img"]:visible').count(), 2, 'a chart for crime and one for ASB')
  assert.match(await page.getByRole('row', { name: /^All crime/ }).innerText(), /^All crime \(not counting anti-social behaviour\)\s+[\d,]+\s+[\d,]+\s+[\d,]+\.\d\s/)
  await assertAccessible(page, 'a Stafford neighbourhood’s crime figures')

  await page.goto(server.url('/crime'))
  await page.getByRole('link', { name: 'Staffordshire', exact: true }).click()
  await page.getByRole('heading', { name: 'Staffordshire: outcomes and stop and search', level: 1 }).waitFor()
  assert.match(await page.getByRole('row', { name: /^All crime [\d,]+ / }).innerText(), /^All crime\s+[\d,]+\s+\d+\.\d%/)
  assert.match(await page.getByRole('table', { name: /with those that have no location/ }).innerText(), /Shoplifting/)
  assert.match(await page.getByRole('row', { name: /^Controlled drugs/ }).innerText(), /^Controlled drugs\s+[\d,]+\s+\d+\.\d%\s+[\d,]+ \(\d+\.\d%\)/)
  assert.equal(await page.locator('svg[role="img"]:visible > rect').count(), 14, 'a bar for each crime type and all crime')
  await assertAccessible(page, 'Staffordshire outcomes and stop and search')

  const run = args => execFileSync(server.binary, args, { env: server.env, encoding: 'utf8' })
  assert.match(run(['crimedata', 'import-geography', wheel()]), /2 geography files read/)
  assert.match(run(['crimedata', 'import', wheel()]), /87348 rows read/)

  await page.goto(server.url('/crime'))
  await assertAccessible(page, 'crime index')
  await page.getByRole('link', { name: 'Leeds' }).click()
  await page.getByRole('heading', { name: 'Leeds', level: 1 }).waitFor()
  await assertAccessible(page, 'Leeds crime figures')
  const violence = page.getByRole('row', { name: /Violence and sexual offences/ })
  // One July against one July (all the package holds): too few months to call a change.
  assert.match(await violence.innerText(), /3,319\s+2,433\s+53\.0\s+too few months to tell/)
  assert.equal(await page.locator('svg[role="img"]:visible').count(), 2, 'a chart for crime and one for ASB')
  const csv = await page.request.get(server.url('/crime/E08000035/data.csv'))
  assert.match(await csv.text(), /E08000035,"Leeds",violent-crime,3319,2433/)
  await finishPage(page, 'crime pages')

  const officer = await newPage(browser)
  await signIn(officer, server, demoAccounts(server)['performance-officer'])
  await officer.getByRole('link', { name: 'Police data' }).first().click()
  await officer.getByRole('cell', { name: 'west-yorkshire' }).or(officer.getByRole('rowheader', { name: 'west-yorkshire' })).first().waitFor()
  await assertAccessible(officer, 'police data history')
  await officer.getByText(/^Problems \(\d+\)$/).first().click()
  await officer.getByText(/not a police.uk street, outcomes or stop-and-search file/).first().waitFor()
  await officer.getByLabel('Month').fill('Sept')
  await officer.getByRole('button', { name: 'Fetch and import' }).click()
  await officer.getByRole('link', { name: 'Enter the month as a year and month, like 2026-09' }).waitFor()
  await assertAccessible(officer, 'police data fetch with an error')
  await finishPage(officer, 'police data history')
})

test('crime pages do not scroll sideways on a small screen: wide tables scroll on their own', async () => {
  const { server, browser } = shared
  const page = await newPage(browser, { viewport: { width: 320, height: 640 } })
  for (const path of ['/crime/E07000197', '/crime/forces/staffordshire']) {
    await page.goto(server.url(path))
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 320px wide (WCAG 1.4.10 reflow)`)
    const region = page.locator('.app-table-scroll').first()
    assert.ok(await region.evaluate(el => el.scrollWidth > el.clientWidth), `${path}: the wide table scrolls inside its region`)
    await assertAccessible(page, `${path} at 320px`)
  }
  await page.context().close()
})
