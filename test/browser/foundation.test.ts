/** The foundation as a person uses it: sign in as each demo account, open each page, switch language, meet a bad form. */
import t from 'tap'
import { screenshot, signIn, switchLanguage, withBrowser } from './browser-helper.js'

t.test('each demo account signs in, opens its pages in both languages, and signs out', async (t) => {
  await withBrowser(t, async (env) => {
    for (const username of ['admin', 'leader', 'politics', 'dept', 'unit']) {
      const page = await env.newPage()
      await signIn(page, env.base, username)
      t.equal(new URL(page.url()).pathname, '/', `${username} lands on home`)
      t.equal(await page.getAttribute('html', 'lang'), 'vi', 'Vietnamese by default')
      // Follow every link of the main navigation.
      const links = await page.$$eval('nav.mainnav a', (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!))
      t.ok(links.length >= 2, `${username} has a navigation`)
      for (const href of links) {
        const res = await page.goto(env.base + href)
        t.equal(res?.status(), 200, `${username} opens ${href}`)
        t.ok(await page.locator('h1').first().isVisible(), `${href} has a heading`)
      }
      await page.goto(env.base + '/')
      await screenshot(page, `home-${username}-vi`)
      await switchLanguage(page)
      t.equal(await page.getAttribute('html', 'lang'), 'en')
      t.match(await page.textContent('nav.mainnav'), /Home/)
      await screenshot(page, `home-${username}-en`)
      // The choice is remembered on the account: a new sign-in comes back in English.
      await page.click('text=Log out')
      await signIn(page, env.base, username)
      t.equal(await page.getAttribute('html', 'lang'), 'en', 'remembered per user')
      await switchLanguage(page)
      await page.context().close()
    }
    t.same(env.problems, [], 'no console errors, CSP violations or server errors')
  })
})

t.test('the login page switches language and a wrong password is explained beside the form', async (t) => {
  await withBrowser(t, async (env) => {
    const page = await env.newPage()
    await page.goto(env.base + '/login')
    await screenshot(page, 'login-vi')
    await switchLanguage(page)
    t.match(await page.textContent('h1'), 'Sign in')
    await page.fill('#username', 'unit')
    await page.fill('#password', 'not-the-password')
    await page.click('button[type=submit].primary')
    await page.waitForSelector('.form-error')
    t.match(await page.textContent('.form-error'), /Wrong username or password/)
    t.equal(await page.inputValue('#username'), 'unit', 'the username is kept')
    await screenshot(page, 'login-error-en')
    t.same(env.problems, [])
  })
})

t.test('a bad password change shows the message beside the field, in the layout', async (t) => {
  await withBrowser(t, async (env) => {
    const page = await env.newPage()
    await signIn(page, env.base, 'dept')
    await page.goto(env.base + '/account/password')
    await page.fill('#current', 'demo1234')
    await page.fill('#password', 'short')
    await page.fill('#confirm', 'short')
    await page.click('main button[type=submit]')
    await page.waitForSelector('#password-error')
    t.match(await page.textContent('#password-error'), /ít nhất 8 ký tự/)
    t.equal(await page.getAttribute('#password', 'aria-invalid'), 'true')
    await screenshot(page, 'password-error-vi')
    const notFound = await page.goto(env.base + '/no-such-page')
    t.equal(notFound?.status(), 404)
    t.match(await page.textContent('h1'), 'Không tìm thấy')
    t.ok(await page.locator('header.topbar').isVisible(), 'error pages are inside the layout')
  })
})
