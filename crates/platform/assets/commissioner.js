// Progressive enhancement only: every page works without this file.
import { initAll } from './govuk-frontend.min.js'

initAll()

// The timeout warning: two minutes before a staff session would end for want of activity, ask
// whether to stay signed in. If the time runs out, nothing on the page is lost: a form sent after
// the session ended is kept, and handed back after signing in again.
const warning = document.querySelector('[data-module="app-timeout-warning"]')
if (warning && typeof warning.showModal === 'function') {
  const idle = Number(warning.dataset.idleMinutes) * 60 * 1000
  const notice = 2 * 60 * 1000
  const text = warning.querySelector('[data-timeout-text]')
  const stay = warning.querySelector('[data-stay-signed-in]')
  let timers = []
  const schedule = () => {
    timers.forEach(clearTimeout)
    timers = [
      setTimeout(() => warning.showModal(), Math.max(idle - notice, 0)),
      setTimeout(() => {
        text.textContent = 'You have been signed out. What you typed on this page is still here: when you save it, sign in again and it will be kept for you.'
        stay.textContent = 'Close'
      }, idle)
    ]
  }
  stay.addEventListener('click', async () => {
    warning.close()
    if (stay.textContent === 'Close') return
    const answer = await fetch('/staff/keep-alive', { credentials: 'same-origin', cache: 'no-store' })
    if (answer.ok) schedule()
  })
  schedule()
}
