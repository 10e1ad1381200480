#!/usr/bin/env python3
"""Summarise a JFR recording of a server (bench/README.md, "fanout"): execution samples by code category (the innermost
frame of the library, Tyrus, Grizzly, Jedis, the harness, or a JDK socket write/read), by thread group, top frames,
and native samples by thread and top frame.
usage: bench/jfr-summary.py file.jfr [fromSecondsBeforeEnd toSecondsBeforeEnd]"""
import json, subprocess, sys, re, collections, datetime
f = sys.argv[1]
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '64', '--events',
                      'jdk.ExecutionSample,jdk.NativeMethodSample', f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
def ts(e):
    s = e['values']['startTime']
    return datetime.datetime.fromisoformat(s.replace('Z', '+00:00')[:26] + s[-6:] if False else s[:26]).timestamp()
times = [ts(e) for e in ev]
end = max(times)
lo = end - float(sys.argv[2]) if len(sys.argv) > 2 else -1e18
hi = end - float(sys.argv[3]) if len(sys.argv) > 3 else 1e18
def cat(frames):
    for fr in frames:
        m = fr['method']; c = m['type']['name'].replace('/', '.'); n = m['name']
        if c.startswith('sun.nio.ch.') and ('write' in n.lower() or 'Dispatcher' in c):
            if 'write' in n.lower(): return 'socket write (JDK NIO + syscall)'
        if c.startswith('sun.nio.ch.') and 'read' in n.lower(): return 'socket read (JDK NIO + syscall)'
        if c.startswith('sun.nio.ch.') and ('poll' in n.lower() or 'select' in n.lower()): return 'selector'
        if c.startswith('dev.wskit.redis.bench'): return 'bench code'
        if c.startswith('dev.wskit'): return 'library (dev.wskit)'
        if c.startswith('org.glassfish.tyrus'): return 'Tyrus'
        if c.startswith('org.glassfish.grizzly'): return 'Grizzly'
        if c.startswith('redis.clients'): return 'Jedis'
    return 'JDK other'
def tgroup(t):
    return re.sub(r'[-_ #.()0-9]+$', '', t or '?')
agg = collections.Counter(); bythread = collections.Counter(); top = collections.Counter(); nat = collections.Counter()
n = 0
for e, t in zip(ev, times):
    if not (lo <= t <= hi): continue
    v = e['values']; frames = (v.get('stackTrace') or {}).get('frames') or []
    th = (v.get('sampledThread') or {}).get('javaName') or (v.get('sampledThread') or {}).get('osName')
    if e['type'] == 'jdk.NativeMethodSample':
        topf = frames[0]['method']['type']['name'] + '.' + frames[0]['method']['name'] if frames else '?'
        nat[(tgroup(th), topf)] += 1
        continue
    n += 1
    c = cat(frames); agg[c] += 1; bythread[(tgroup(th), c)] += 1
    if frames:
        fr = frames[0]['method']; top[fr['type']['name'] + '.' + fr['name']] += 1
print(f'execution samples: {n} (window {sys.argv[2:] or "all"})')
for c, k in agg.most_common(): print(f'  {c:40s} {k:6d} {100*k/n:5.1f}%')
print('by thread group and category:')
for (g, c), k in bythread.most_common(25): print(f'  {g:40s} {c:35s} {k:6d} {100*k/n:5.1f}%')
print('top frames:')
for c, k in top.most_common(25): print(f'  {c:90s} {k:6d} {100*k/n:5.1f}%')
print('native samples (thread group, top frame):')
for (g, c), k in nat.most_common(15): print(f'  {g:40s} {c:60s} {k:6d}')
