// Fills a development database's empty registry through the API (dev aid):
//   NONGSAN_BASE_URL=http://127.0.0.1:8080 node dev/seed_registry.mjs
import { ensureRegistryData } from '../lib/registry_fixture.mjs';
import { DEMO } from '../lib/harness.mjs';

const base = process.env.NONGSAN_BASE_URL ?? 'http://127.0.0.1:8080';
const r = await ensureRegistryData(base, DEMO.admin);
console.log(r.seeded ? `created ${r.parcels.length} parcels, zones ${r.zoneTea.id} and ${r.zoneMac.id}` : 'the registry already holds parcels; nothing added');
