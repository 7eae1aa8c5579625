import type { MessageSet } from '../../i18n/index.js'

export const accountsMessages: MessageSet = {
  vi: {},
  en: {},
}
