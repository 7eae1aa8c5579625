/** Scope as an indexable range: see subtreeRange in server/domain/scope.ts. */
export { subtreeRange as scopeRange } from '../../domain/scope.js'
