/** /admin/backups: the schedule (folder, interval, how many to keep), "back up now", and the scheduler itself. */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actor, audit } from '../../audit.js'
import { scheduledBackup } from '../../backup.js'
import { checkbox, optionalText, parseForm } from '../../forms.js'
import { formatDateTime } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { backupDue, readBackupSettings, writeBackupSettings, type BackupSettings } from './settings.js'

const int = (min: number, max: number) =>
  z.preprocess((v) => v ?? '', z.string().trim().min(1, 'err.required').regex(/^\d{1,6}$/, 'err.invalid').transform(Number).pipe(z.number().min(min, 'err.invalid').max(max, 'err.invalid')))

const BackupForm = z.object({
  enabled: checkbox,
  folder: optionalText(400),
  everyHours: int(1, 720),
  keep: int(1, 1000),
})

function listBackups(folder: string): { name: string; bytes: number; at: number }[] {
  try {
    return fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.sqlite'))
      .map((f) => {
        const st = fs.statSync(path.join(folder, f))
        return { name: f, bytes: st.size, at: st.mtimeMs }
      })
      .sort((a, b) => b.at - a.at)
  } catch {
    return []
  }
}

export default async function backupRoutes(app: FastifyInstance) {
  const { db } = app
  const guard = { preHandler: app.authorize('settings.manage') }

  const render = (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) => {
    const s = readBackupSettings(db)
    const files = listBackups(s.folder).map((f) => ({ ...f, when: formatDateTime(request.locale, f.at), mib: (f.bytes / 1048576).toFixed(1) }))
    return reply.page('backups/index', { settings: s, lastRun: formatDateTime(request.locale, s.lastRunAt), values, errors, files }, status)
  }

  app.get('/admin/backups', guard, async (request, reply) => {
    const s = readBackupSettings(db)
    return render(request, reply, { enabled: s.enabled, folder: s.folder, everyHours: String(s.everyHours), keep: String(s.keep) }, {})
  })

  app.post('/admin/backups', guard, async (request, reply) => {
    const form = parseForm(request, BackupForm)
    if (!form.ok) return render(request, reply, { ...form.values, enabled: form.values.enabled === 'on' }, form.errors, 422)
    if (form.data.enabled && form.data.folder === '') {
      const { everyHours, keep } = form.data
      return render(request, reply, { enabled: true, folder: '', everyHours: String(everyHours), keep: String(keep) }, { folder: request.t('err.required') }, 422)
    }
    const before = readBackupSettings(db)
    const next: BackupSettings = { ...before, ...form.data, folder: form.data.folder || before.folder }
    inTransaction(db, () => {
      writeBackupSettings(db, next)
      audit(db, { ...actor(request), action: 'settings.backup', entity: 'settings', entityId: 'backup', data: { before: { ...before, lastResult: undefined }, after: { ...next, lastResult: undefined } } })
    })
    flash(reply, 'form.saved')
    return reply.redirect('/admin/backups', 303)
  })

  app.post('/admin/backups/run', guard, async (request, reply) => {
    const s = readBackupSettings(db)
    try {
      const r = await scheduledBackup(db, s.folder, s.keep)
      writeBackupSettings(db, { ...s, lastRunAt: Date.now(), lastResult: 'ok ' + path.basename(r.file) })
      audit(db, { ...actor(request), action: 'backup.run', entity: 'settings', entityId: 'backup', data: { file: r.file, bytes: r.bytes } })
      flash(reply, 'backups.done')
    } catch (e) {
      request.log.error({ err: e }, 'backup failed')
      writeBackupSettings(db, { ...s, lastRunAt: Date.now(), lastResult: 'failed: ' + (e as Error).message })
      flash(reply, 'backups.failed')
    }
    return reply.redirect('/admin/backups', 303)
  })

  // The scheduler: checks every few minutes whether a backup is due. Not in tests.
  if (app.config.mode !== 'test') {
    const tick = async () => {
      const s = readBackupSettings(db)
      if (!backupDue(s, Date.now())) return
      try {
        const r = await scheduledBackup(db, s.folder, s.keep)
        writeBackupSettings(db, { ...s, lastRunAt: Date.now(), lastResult: 'ok ' + path.basename(r.file) })
        audit(db, { actorId: null, action: 'backup.scheduled', entity: 'settings', entityId: 'backup', data: { file: r.file, bytes: r.bytes } })
      } catch (e) {
        app.log.error({ err: e }, 'scheduled backup failed')
        writeBackupSettings(db, { ...s, lastRunAt: Date.now(), lastResult: 'failed: ' + (e as Error).message })
      }
    }
    const timer = setInterval(() => void tick(), 5 * 60_000)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  }
}
