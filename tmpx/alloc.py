import json, sys, collections
p=json.load(open(sys.argv[1]))
# samples: {size, nodeId, ordinal}; head: tree of callFrame, selfSize, id, children
nodes={}
def walk(n, stack):
    cf=n['callFrame']; fr=f"{cf['functionName'] or '(anon)'} {cf['url'].split('/')[-1]}:{cf['lineNumber']+1}"
    st=stack+[fr]; nodes[n['id']]=st
    for c in n['children']: walk(c, st)
walk(p['head'], [])
self=collections.Counter(); tot=0
for s in p['samples']:
    st=nodes[s['nodeId']]; self[' <- '.join(reversed(st[-4:]))]+=s['size']; tot+=s['size']
print('total sampled MB', tot/1e6)
for k,v in self.most_common(25): print(f'{v/1e6:8.1f} MB  {k[:230]}')
