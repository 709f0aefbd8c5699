// The inspector's GPS position (navigator.geolocation), watched while the app is open:
// the latest fix with its accuracy, and listeners the map and the measurement use.
import type { Position } from './map';

let last: (Position & { at: number }) | null = null;
let error = '';
let started = false;
const listeners = new Set<(p: Position | null) => void>();

/** Starts watching (again after a refusal: the inspector may allow it meanwhile). */
export function startGps(): void {
  if (started || !('geolocation' in navigator)) return;
  started = true;
  const id = navigator.geolocation.watchPosition(
    (p) => {
      last = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, at: Date.now() };
      error = '';
      for (const f of listeners) f(last);
    },
    (e) => {
      error = e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable';
      if (error === 'denied') {
        navigator.geolocation.clearWatch(id);
        started = false;
      }
      for (const f of listeners) f(last);
    },
    { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 },
  );
}

export function lastPosition(): (Position & { at: number }) | null {
  return last;
}
export function gpsError(): string {
  return error;
}

/** Calls `f` with every new fix; returns the function that stops it. */
export function onPosition(f: (p: Position | null) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The position now: the latest fix if it is recent, else one asked for (null after a few seconds without). */
export function currentPosition(): Promise<Position | null> {
  if (last && Date.now() - last.at < 30000) return Promise.resolve(last);
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }),
      () => resolve(last),
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 5000 },
    );
  });
}
