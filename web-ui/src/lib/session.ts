// The signed-in user and what the UI may offer them. The server decides every
// permission; the UI only hides what would be refused anyway.
import type { Me, Role } from './api';

let me: Me | null = null;

export function session(): Me | null {
  return me;
}

export function setSession(next: Me | null): void {
  me = next;
}

function has(permission: string): boolean {
  return me?.permissions?.includes(permission) ?? false;
}

function role(): Role | null {
  return me?.user.role ?? null;
}

export function isAdmin(): boolean {
  return role() === 'province_admin' || has('users.manage') || has('users.write');
}

export function canWriteFigures(): boolean {
  if (has('figures.write')) return true;
  if (me?.permissions?.some((p) => p.startsWith('figures.'))) return false;
  const r = role();
  return r === 'province_admin' || r === 'province_officer' || r === 'unit_officer';
}

export function canRevealPersonalData(): boolean {
  return isAdmin() || has('personal_data.reveal') || has('users.reveal');
}
