import type { MessageSet } from '../../i18n/index.js'

export const peopleMessages: MessageSet = {
  vi: {},
  en: {},
}
