// The peer of nongsan's CBV 2.0 event hash: GS1 France's epcis2.js (eventToHashedId)
// on the events of EPCIS documents. Two uses:
//   node peer_hash.js vectors DIR      every DIR/NAME.jsonld against DIR/NAME.hashes:
//                                      prints "NAME ok|WRONG n/m" per vector
//   node peer_hash.js time FILE REPS   hashes every event of FILE (an EPCISDocument)
//                                      REPS times; prints "events seconds"
//   node peer_hash.js hashes FILE      one hash per event of FILE, in document order
'use strict';
const fs = require('fs');
const path = require('path');
const { eventToHashedId } = require('epcis2.js');

function eventsOf(doc) {
  const body = doc.epcisBody || {};
  if (body.eventList) return body.eventList;
  if (body.queryResults && body.queryResults.resultsBody) return body.queryResults.resultsBody.eventList || [];
  return [];
}

function hashes(doc) {
  const ctx = doc['@context'] || [];
  return eventsOf(doc).map((e) => {
    try {
      return eventToHashedId(e, e['@context'] || ctx);
    } catch (err) {
      return 'error: ' + String(err.message || err).split('\n')[0];
    }
  });
}

const [mode, arg, reps] = process.argv.slice(2);
if (mode === 'vectors') {
  let wrong = 0;
  for (const f of fs.readdirSync(arg).filter((n) => n.endsWith('.jsonld')).sort()) {
    const name = f.slice(0, -'.jsonld'.length);
    const wantFile = path.join(arg, name + '.hashes');
    if (!fs.existsSync(wantFile)) continue;
    const want = fs.readFileSync(wantFile, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
    const got = hashes(JSON.parse(fs.readFileSync(path.join(arg, f), 'utf8')));
    let bad = 0;
    for (let i = 0; i < want.length; ++i) if (got[i] !== want[i]) ++bad;
    if (got.length !== want.length) bad = Math.max(bad, 1);
    if (bad) ++wrong;
    console.log(`${name} ${bad ? 'WRONG' : 'ok'} ${want.length - bad}/${want.length}` +
                (bad ? '  first: ' + (got.find((g, i) => g !== want[i]) || '(missing)') : ''));
  }
  console.log(`vectors wrong: ${wrong}`);
} else if (mode === 'time') {
  const doc = JSON.parse(fs.readFileSync(arg, 'utf8'));
  const n = Number(reps || 1);
  const t0 = process.hrtime.bigint();
  let count = 0;
  for (let r = 0; r < n; ++r) count += hashes(doc).length;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${count} ${secs.toFixed(3)}`);
} else if (mode === 'hashes') {
  for (const h of hashes(JSON.parse(fs.readFileSync(arg, 'utf8')))) console.log(h);
} else {
  console.error('usage: node peer_hash.js vectors DIR | time FILE REPS | hashes FILE');
  process.exit(64);
}
