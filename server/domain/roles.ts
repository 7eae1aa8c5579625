/**
 * Roles and what each may do: the single place that decides it. Scope (which units an account
 * sees) is separate: see scope.ts. Unit-tested as a matrix in test/domain/permissions.test.ts.
 */
export const ROLES = ['admin', 'leadership', 'political', 'unit_leader'] as const
export type Role = (typeof ROLES)[number]

export const ACTIONS = [
  'units.read',
  'units.manage',
  'people.read',
  'people.write',
  'people.import',
  'accounts.manage',
  'audit.read',
] as const
export type Action = (typeof ACTIONS)[number]

const MATRIX: Record<Role, readonly Action[]> = {
  admin: ['units.read', 'units.manage', 'people.read', 'people.write', 'people.import', 'accounts.manage', 'audit.read'],
  // Leadership reads everything in its scope and writes through others.
  leadership: ['units.read', 'people.read'],
  // PX03's political staff keep the register and import it.
  political: ['units.read', 'people.read', 'people.write', 'people.import'],
  // A unit leader keeps the records of their own unit's subtree.
  unit_leader: ['units.read', 'people.read', 'people.write'],
}

export function can(role: Role, action: Action): boolean {
  return MATRIX[role].includes(action)
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}
