/** People's Public Security ranks (Law on CAND 2018, Art. 21), highest first, and the other register codes. */
export const RANKS = [
  'dai_tuong', 'thuong_tuong', 'trung_tuong', 'thieu_tuong',
  'dai_ta', 'thuong_ta', 'trung_ta', 'thieu_ta',
  'dai_uy', 'thuong_uy', 'trung_uy', 'thieu_uy',
  'thuong_si', 'trung_si', 'ha_si',
  'binh_nhat', 'binh_nhi',
] as const
export type Rank = (typeof RANKS)[number]

export const BRANCHES = ['professional', 'technical', 'conscript', 'worker'] as const
export const PARTY = ['none', 'probationary', 'full'] as const
export const YOUTH_UNION = ['none', 'member', 'secretary'] as const
export const SEX = ['M', 'F'] as const
export const PERSON_STATUS = ['serving', 'left'] as const

export const UNIT_KINDS = ['province', 'department', 'team', 'district', 'commune', 'ward', 'special_zone'] as const
export type UnitKind = (typeof UNIT_KINDS)[number]
