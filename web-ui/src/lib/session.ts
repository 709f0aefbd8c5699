// The signed-in user and what the UI may offer them. The server decides every
// permission (GET /auth/me lists them: units.read, figures.write, users.manage,
// pii.reveal, audit.read, ...); the UI only hides what would be refused anyway.
import type { Me, Role } from './api';

let me: Me | null = null;

export function session(): Me | null {
  return me;
}

export function setSession(next: Me | null): void {
  me = next;
}

/** Roles' permissions as docs/api.md describes them, used only if the server sends no list. */
const FALLBACK: Record<Role, string[]> = {
  province_admin: ['units.read', 'units.write', 'figures.read', 'figures.write', 'users.read', 'users.manage', 'pii.reveal', 'audit.read', 'registry.read', 'registry.write', 'suitability.read', 'suitability.write'],
  province_officer: ['units.read', 'figures.read', 'figures.write', 'registry.read', 'registry.write', 'suitability.read', 'suitability.write'],
  unit_officer: ['units.read', 'figures.read', 'figures.write', 'registry.read', 'registry.write', 'suitability.read'],
  producer: ['units.read', 'registry.read', 'suitability.read'],
  inspector: ['units.read', 'figures.read', 'registry.read', 'suitability.read'],
};

export function can(permission: string): boolean {
  if (!me) return false;
  const list = Array.isArray(me.permissions) ? me.permissions : FALLBACK[me.user.role] ?? [];
  return list.includes(permission);
}

export function isAdmin(): boolean {
  return can('users.read') || can('users.manage');
}

export function canWriteFigures(): boolean {
  return can('figures.write');
}

export function canRevealPersonalData(): boolean {
  return can('pii.reveal');
}
