#!/usr/bin/env python3
"""Lists the old URLs of a source site from that tool's own rules and checks each is a
file of the built Trailmark site: the "old URLs resolving" column of docs/import.md.

usage: python3 docs/import-old-urls.py mdbook|carpentries|jekyll|zola SRC DEST/public

The Jekyll rules are those of a site with `permalink: /:path/` (opensource.guide); the
others follow the tool's defaults. Needs PyYAML."""
import os, re, sys, tomllib
try:
    import yaml
except ImportError:
    yaml = None

tool, src, public = sys.argv[1:4]

def resolves(url):
    rel = url.lstrip('/')
    p = os.path.join(public, rel)
    if url.endswith('/') or rel == '':
        p = os.path.join(p, 'index.html')
    return os.path.isfile(p)

def front(path):
    text = open(path, encoding='utf-8', errors='replace').read()
    if text.startswith('+++'):
        end = text.find('\n+++', 3)
        return tomllib.loads(text[3:end])
    if text.startswith('---'):
        end = text.find('\n---', 3)
        return yaml.safe_load(text[3:end]) or {}
    return {}

urls = []
if tool == 'mdbook':
    book = tomllib.load(open(os.path.join(src, 'book.toml'), 'rb'))
    summary = open(os.path.join(src, 'src/SUMMARY.md')).read()
    for m in re.finditer(r'\]\(([^)]+\.md)\)', summary):
        p = m.group(1).removeprefix('./')
        d, n = os.path.split(p)
        n = 'index' if n.lower() == 'readme.md' else n[:-3]
        urls.append('/' + os.path.join(d, n + '.html'))
    for old in book.get('output', {}).get('html', {}).get('redirect', {}):
        urls.append('/' + old.lstrip('/'))
elif tool == 'carpentries':
    cfg = yaml.safe_load(open(os.path.join(src, 'config.yaml')))
    for folder in ['episodes', 'learners', 'instructors', 'profiles']:
        for name in cfg.get(folder) or []:
            stem = os.path.splitext(name)[0]
            if folder != 'instructors':
                urls.append(f'/{stem}.html')
            urls.append(f'/instructor/{stem}.html')
    for sub in ['fig', 'data', 'files']:
        root = os.path.join(src, 'episodes', sub)
        for dp, _, fs in os.walk(root):
            for f in fs:
                urls.append('/' + os.path.relpath(os.path.join(dp, f), os.path.join(src, 'episodes')))
elif tool == 'jekyll':
    # opensource.guide: permalink /:path/ for pages and the articles collection.
    for dp, dns, fs in os.walk(src):
        rel_dir = os.path.relpath(dp, src)
        dns[:] = [d for d in dns if not d.startswith(('.', '_')) or d == '_articles']
        if rel_dir.split(os.sep)[0] in ('node_modules', 'docs', 'script', 'test', 'vendor'):
            dns[:] = []
            continue
        for f in fs:
            p = os.path.join(dp, f)
            rel = os.path.relpath(p, src)
            if f.endswith(('.md', '.html')) and open(p, errors='replace').read(3) == '---':
                fm = front(p) or {}
                inner = rel.removeprefix('_articles/')
                stem = os.path.splitext(inner)[0]
                if rel in ('README.md', 'CONTRIBUTING.md', 'CODE_OF_CONDUCT.md'):
                    continue
                if 'permalink' in fm:
                    urls.append(fm['permalink'])
                elif stem.endswith('index'):
                    urls.append('/' + stem[:-5])
                else:
                    urls.append(f'/{stem}/')
                rf = fm.get('redirect_from') or []
                for r in ([rf] if isinstance(rf, str) else rf):
                    urls.append(r)
            elif rel.startswith('assets/'):
                urls.append('/' + rel)
elif tool == 'zola':
    content = os.path.join(src, 'content')
    for dp, _, fs in os.walk(content):
        for f in fs:
            p = os.path.join(dp, f)
            rel = os.path.relpath(p, content)
            if f.endswith('.md'):
                fm = front(p)
                if f == '_index.md':
                    d = os.path.dirname(rel)
                    urls.append('/' + (d + '/' if d else ''))
                    continue
                path = fm.get('path')
                if path:
                    urls.append('/' + path.strip('/') + '/')
                for a in fm.get('aliases', []):
                    a = '/' + a.lstrip('/')
                    urls.append(a if a.endswith(('.html', '/')) else a + '/')
            elif os.path.exists(os.path.join(dp, 'index.md')):
                fm = front(os.path.join(dp, 'index.md'))
                if fm.get('path'):
                    urls.append('/' + fm['path'].strip('/') + '/' + f)
    for dp, _, fs in os.walk(os.path.join(src, 'static')):
        for f in fs:
            urls.append('/' + os.path.relpath(os.path.join(dp, f), os.path.join(src, 'static')))

urls = sorted(set(urls))
missing = [u for u in urls if not resolves(u)]
print(f'{len(urls) - len(missing)} / {len(urls)} old URLs resolve')
for u in missing[:30]:
    print('  missing:', u)
