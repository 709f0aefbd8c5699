#!/usr/bin/env python3
"""Counts the statements of a PostgreSQL server log that Citus could not route to one
province's shard (docs/scale-out.md, "Queries by province, beyond the hot paths").

The rules and their limits are those of the inspector of
tests/api/citus_routing_api_test.cpp, ported: each distributed table read, changed or
deleted needs `province_code = $n` (or a constant), and a JOIN of two distributed tables
needs province_code in its ON clause.

usage: citus-statement-count.py SERVER_LOG DISTRIBUTED_TABLES
  SERVER_LOG          a log written with log_statement = 'all'
  DISTRIBUTED_TABLES  a file of table names, e.g. from
                      SELECT table_name FROM table_distribution WHERE kind = 'distributed'
"""
import re, sys, collections
if len(sys.argv) != 3:
    sys.exit(__doc__)
log, dist_file = sys.argv[1], sys.argv[2]
dist = set(open(dist_file).read().split())
KW = set("where join left right inner outer full cross natural on using set group order limit offset union except intersect returning having window for as lateral values select and or not is in when then else end".split())
def normalise(sql):
    out=[]; i=0
    while i < len(sql):
        ch=sql[i]
        if ch=="'":
            j=i+1
            while j<len(sql):
                if sql[j]=="'" and j+1<len(sql) and sql[j+1]=="'": j+=2
                elif sql[j]=="'": break
                else: j+=1
            out.append("'s'"); i=j+1; continue
        if ch=='-' and sql[i+1:i+2]=='-':
            while i<len(sql) and sql[i]!='\n': i+=1
            out.append(' '); continue
        if ch.isspace():
            if out and out[-1]!=' ': out.append(' ')
        else: out.append(ch.lower())
        i+=1
    return ''.join(out)
head=re.compile(r"\b(from|join|update|delete from)\s+([a-z_][a-z0-9_]*)(\s+(as\s+)?([a-z_][a-z0-9_]*))?")
more=re.compile(r"^\s*,\s*([a-z_][a-z0-9_]*)(\s+(as\s+)?([a-z_][a-z0-9_]*))?")
def refs(q):
    out=[]
    for m in head.finditer(q):
        alias=m.group(5) or ''
        name=alias if alias and alias not in KW else m.group(2)
        joined=m.group(1)=='join'
        cross=joined and q[max(0,m.start()-6):m.start()]=='cross '
        at=m.end() if alias and alias not in KW else m.end(2)
        out.append((m.group(2),name,joined,cross,at))
        if m.group(1)!='from' or (alias and alias in KW): continue
        pos=m.end()
        while True:
            c=more.match(q[pos:])
            if not c: break
            a=c.group(4) or ''
            pos+=c.end()
            out.append((c.group(1), a if a and a not in KW else c.group(1), False, False, pos))
            if a and a in KW: break
    return out
VAL=r"(?:\$[0-9]+|'s')"
def filtered(q,name,only):
    if re.search(r"(?:^|[^a-z0-9_.])"+name+r"\.province_code\s*=\s*"+VAL,q) or re.search(VAL+r"\s*=\s*"+name+r"\.province_code",q): return True
    return only and bool(re.search(r"(?:^|[^a-z0-9_.])province_code\s*=\s*"+VAL,q) or re.search(VAL+r"\s*=\s*province_code",q))
def on_clause(q,at):
    m=re.search(r"\b(join|where|group by|order by|limit|union)\b",q[at:])
    return q[at:at+m.start()] if m else q[at:]
# statements from the log: "LOG:  statement: ..." or "LOG:  execute <unnamed>: ..." with continuation lines
stmts=[]; cur=None
for line in open(log, errors='replace'):
    m=re.search(r"LOG:  (?:statement|execute [^:]*): (.*)$", line)
    if m:
        if cur is not None: stmts.append(cur)
        cur=m.group(1); continue
    if cur is not None and (line.startswith('\t') or not re.match(r"^\d{4}-\d\d-\d\d ", line)):
        cur+='\n'+line.rstrip('\n'); continue
    if cur is not None: stmts.append(cur); cur=None
if cur is not None: stmts.append(cur)
seen=set(); touching=0; bad=collections.Counter(); kinds=collections.Counter(); multi=0
for s in stmts:
    q=normalise(s)
    if q in seen: continue
    seen.add(q)
    if q.startswith('copy '): continue
    r=[x for x in refs(q) if x[0] in dist]
    if not r: continue
    touching+=1
    probs=[]
    for t,name,joined,cross,at in r:
        if not filtered(q,name,len(r)==1): probs.append(t)
        if joined and not cross and len(r)>1 and 'province_code' not in on_clause(q,at): probs.append(t+' join')
    if probs:
        kinds[q.split(' ',1)[0]]+=1
        if len(r)>1: multi+=1
        for p in probs: bad[p.split(' ')[0]]+=1
print("distinct statement texts on distributed tables:", touching)
print("not routable:", sum(kinds.values()), dict(kinds), "touching two or more distributed tables:", multi)
print("tables most often unfiltered:", bad.most_common(15))
