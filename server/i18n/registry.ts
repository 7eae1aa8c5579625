/** The features' message sets. Add a feature's messages.ts here. */
import type { MessageSet } from './index.js'
import { accountsMessages } from '../features/accounts/messages.js'
import { adminMessages } from '../features/admin/messages.js'
import { auditMessages } from '../features/audit/messages.js'
import { backupsMessages } from '../features/backups/messages.js'
import { retentionMessages } from '../features/retention/messages.js'
import { authMessages } from '../features/auth/messages.js'
import { peopleMessages } from '../features/people/messages.js'
import { reportsMessages } from '../features/reports/messages.js'
import { rollupMessages } from '../features/rollup/messages.js'
import { unitsMessages } from '../features/units/messages.js'
import { concernsMessages } from '../features/concerns/messages.js'
import { dialoguesMessages } from '../features/dialogues/messages.js'
import { summaryMessages } from '../features/summary/messages.js'
import { reorgMessages } from '../features/reorg/messages.js'

export const registry: MessageSet[] = [authMessages, unitsMessages, peopleMessages, accountsMessages, adminMessages, auditMessages, backupsMessages, retentionMessages, reportsMessages, rollupMessages]
// Dialogues, concerns, search (kept apart from the list above so parallel edits do not collide).
registry.push(dialoguesMessages, concernsMessages)
// The leadership summary.
registry.push(summaryMessages)
// Reorganisations.
registry.push(reorgMessages)
