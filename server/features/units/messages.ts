import type { MessageSet } from '../../i18n/index.js'

export const unitsMessages: MessageSet = {
  vi: {},
  en: {},
}
