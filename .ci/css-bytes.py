# CSS bytes each page kind of a built site links (raw and gzip): `python3 .ci/css-bytes.py PUBLIC`.
# Counts the <link rel="stylesheet"> files of each page of tests/page-kinds.txt.
import sys,re,os,gzip
root=sys.argv[1]
kinds=[l.split() for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'page-kinds.txt')) if l.strip() and not l.startswith('#')]
tot=0
for k in kinds:
    name,url=k[0],k[1]
    p=os.path.join(root,url.lstrip('/').split('#')[0].split('?')[0])
    if os.path.isdir(p): p=os.path.join(p,'index.html')
    if not os.path.exists(p): p=os.path.join(root,'404.html')
    html=open(p).read()
    raw=gz=0
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"',html):
        f=os.path.join(root,href.lstrip('/'))
        b=open(f,'rb').read(); raw+=len(b); gz+=len(gzip.compress(b,6))
    print(f"{name:14} {raw/1024:6.1f} KiB  gzip {gz/1024:5.1f} KiB")
