// Rahnuma search client. Index format and ranking: generator/search/doc.go.
// Every step mirrors generator/search (analyze.go, query.go); keep them equal.
(() => {
'use strict'
const D = document, SP = new Map, mp = Math

// ---- text analysis (analyze.go) ----
const STRIP = /[\xad\u0300-\u036f\u0610-\u061a\u061c\u0640\u064b-\u0652\u0656-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u200d-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ufeff]/g
const FOLD = {'\u0643': '\u06a9', '\u064a': '\u06cc', '\u0649': '\u06cc', '\u0647': '\u06c1', '\u06c2': '\u06c1', '\u0629': '\u06c3', '\u03c2': '\u03c3', '\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u066a': '%', '\u066b': '.', '\u066c': ','}
const norm = s => s.normalize('NFKC').toLowerCase().normalize('NFD').replace(STRIP, '').normalize('NFC')
  .replace(/[\u0660-\u0669\u06f0-\u06f9\u0643\u064a\u0649\u0647\u06c2\u0629\u03c2\u2018\u2019\u02bc\u066a-\u066c]/g, c => FOLD[c] || String.fromCharCode(c.charCodeAt() & 15 | 48))
  .replace(/\u06cc\u0654/g, '\u0626')
const cls = c => /[\p{L}\p{M}]/u.test(c) ? 'a' : /\p{N}/u.test(c) ? '0' : /[-\u200c\u2010]/.test(c) ? 'j' : "'.,%".includes(c) ? c : ' '

// seg splits normalised text into [word, parts, width] (segment in Go).
const seg = s => {
  const r = [...s], c = r.map(cls), out = []
  c.push(' ', ' ')
  for (let i = 0; i < r.length;) {
    if (c[i] != 'a' && c[i] != '0') { i++; continue }
    const p = [], k = []
    let cur = '', cc = ''
    const fl = () => { if (cur) p.push(cur), k.push(cc), cur = '' }
    for (; i < r.length; i++) {
      const x = c[i], n = c[i + 1]
      if (x == 'a' || x == '0') { if (x != cc) fl(); cur += r[i]; cc = x }
      else if (x == "'" && cc == 'a' && n == 'a') { if (r[i + 1] == 's' && c[i + 2] != 'a') i++ }
      else if (x == ',' && cc == '0' && n == '0') ;
      else if (x == '.' && cc == '0' && n == '0') cur += '.'
      else if (x == '%' && cc == '0') { fl(); p.push('%'); k.push('%'); i++; break }
      else if (x == 'j' && (n == 'a' || n == '0')) fl()
      else break
    }
    fl()
    out.push([p.join(''), p.length > 1 ? p.filter((_, j) => k[j] != '%') : [], p.length])
  }
  return out
}

// Snowball English stemmer, a port of github.com/kljensen/snowball/english.
'skis:ski skies:sky dying:die lying:lie tying:tie idly:idl gently:gentl ugly:ugli early:earli only:onli singly:singl sky news howe atlas cosmos bias andes inning innings:inning outing outings:outing canning cannings:canning herring herrings:herring earring earrings:earring proceed proceeds:proceed proceeded:proceed proceeding:proceed exceed exceeds:exceed exceeded:exceed exceeding:exceed succeed succeeds:succeed succeeded:succeed succeeding:succeed'
  .split(' ').forEach(x => { x = x.split(':'); SP.set(x[0], x[1] || x[0]) })
const V = c => 'aeiouy'.includes(c)
const stem = w => {
  if (w.length < 3) return w
  if (SP.has(w)) return SP.get(w)
  let s = '', x, o1, o2
  for (const c of w) s += c == 'y' && (!s || V(s.at(-1))) ? 'Y' : c
  w = s
  const L = () => w.length
  const vnv = a => { for (let i = a + 1; i < L(); i++) if (V(w[i - 1]) && !V(w[i])) return i + 1; return L() }
  let r1 = (/^(gener|commun|arsen)/.exec(w) || [''])[0].length || vnv(0), r2 = vnv(r1)
  const cut = (n, a = '') => { w = w.slice(0, L() - n) + a; r1 = mp.min(r1, L()); r2 = mp.min(r2, L()) }
  const short = i => i == 2 ? V(w[0]) && !V(w[1]) : i > 2 && !V(w[i - 1]) && !'wxY'.includes(w[i - 1]) && V(w[i - 2]) && !V(w[i - 3])
  // find the first listed suffix; [suffix, replacement] if it lies in region r, 0 if not
  const rule = (l, r) => { for (const p of l.split(' ')) { const [a, b = ''] = p.split(':'); if (w.endsWith(a)) return a.length <= L() - r && [a, b] } }
  x = rule('sses ied ies us ss s', 0)
  if (x && x[0] == 'sses') cut(2)
  else if (x && x[0][0] == 'i') cut(3, L() > 4 ? 'i' : 'ie')
  else if (x && x[0] == 's' && /[aeiouy]/.test(w.slice(0, -2))) cut(1)
  x = rule('eedly ingly edly ing eed ed', 0)
  if (x && x[0][1] == 'e') { if (x[0].length <= L() - r1) cut(x[0].length, 'ee') }
  else if (x && /[aeiouy]/.test(w.slice(0, L() - x[0].length))) {
    o1 = r1; o2 = r2
    cut(x[0].length)
    x = rule('at bl iz bb dd ff gg mm nn pp rr tt', 0)
    if (!x && r1 >= L() && short(L())) { w += 'e'; r1 = r2 = L() }
    else {
      if (x && 'atbliz'.includes(x[0])) w += 'e'; else if (x) cut(1)
      r1 = mp.min(o1, L()); r2 = mp.min(o2, L())
    }
  }
  if (L() > 2 && /[yY]$/.test(w) && !V(w[L() - 2])) w = w.slice(0, -1) + 'i'
  x = rule('ational:ate fulness:ful iveness:ive ization:ize ousness:ous biliti:ble lessli:less tional:tion alism:al aliti:al ation:ate entli:ent fulli:ful iviti:ive ousli:ous anci:ance abli:able alli:al ator:ate enci:ence izer:ize bli:ble ogi li', r1)
  if (x && x[0] == 'li') { if ('cdeghkmnrt'.includes(w[L() - 3])) cut(2) }
  else if (x && x[0] == 'ogi') { if (w[L() - 4] == 'l') cut(1) }
  else if (x) cut(x[0].length, x[1])
  x = rule('ational:ate tional:tion alize:al icate:ic ative iciti:ic ical:ic ful ness', r1)
  if (x && x[0] == 'ative') { if (L() - r2 >= 5) cut(5) }
  else if (x) cut(x[0].length, x[1])
  x = rule('ement ance ence able ible ment ent ant ism ate iti ous ive ize ion al er ic', r2)
  if (x && (x[0] != 'ion' || 'st'.includes(w[L() - 4] || 0))) cut(x[0].length)
  x = L() - 1
  if (r1 <= x) {
    if (w[x] == 'e') { if (r2 <= x || !short(x)) cut(1) }
    else if (r2 <= x && w[x] == 'l' && w[x - 1] == 'l') cut(1)
  }
  return w.replace(/Y/g, 'y')
}
const loose = w => w.replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627').replace(/\u0624/g, '\u0648').replace(/[\u0626\u06d2\u06d3]/g, '\u06cc')
  .replace(/\u06be/g, '\u06c1').replace(/[\u0653-\u0655]/g, '').replace(/\u06cc+/g, '\u06cc')

// ---- index files ----
const rd = b => { const u = () => { let v = 0, s = 1, c; do { c = b[u.i++]; v += (c & 127) * s; s *= 128 } while (c > 127); return v }; u.i = 0; return u }
const str = u => { let n = u(), s = ''; while (n--) s += String.fromCharCode(u()); return s }
// decode a term (a), typo (t) or positions (p) shard into sorted keys K, data P, alias A
const dec = (b, f) => {
  const u = rd(b), K = [], P = [], A = [], n = u(), m = n + (f == 'a' ? u() : 0)
  let k = ''
  for (let j = 0; j < m; j++) {
    K.push(k = k.slice(0, u()) + str(u))
    let h = f == 'a' ? u() : 1
    A.push((h >> 1) - 1)
    if (f == 't') { const e = []; for (h = u(); h--;) e.push([u(), u()]); P.push(e) }
    else if (h & 1) { const l = u(); P.push(b.subarray(u.i, u.i += l)) } else P.push(0)
  }
  return {K, P, A, n}
}
const lb = (s, k) => { let a = 0, b = s.n; while (a < b) { const m = a + b >> 1; s.K[m] < k ? a = m + 1 : b = m } return a }
const find = (s, k) => { const j = lb(s, k); return s.K[j] == k && j < s.n ? j : -1 }
const of = (f, k) => f.findLastIndex(x => x <= k)

// A search engine over one index folder; fetched files are kept for the page's lifetime.
const engine = (base, m) => {
  const C = new Map, N = m.docs, ur = m.lang == 'ur', F = m.files
  const get = (n, f) => C.get(n) || (C.set(n, fetch(new URL(n, base)).then(r => {
    if (!r.ok) throw Error(r.status + ' ' + n)
    return f ? r.arrayBuffer().then(b => dec(new Uint8Array(b), f)) : r.json()
  })), C.get(n))
  const term = i => get(F.terms + i + '.bin', 'a')
  const key = w => m.lang == 'en' && /^[a-z]+$/.test(w) ? stem(w) : w
  const shards = (k, p) => { const a = of(m.terms, k), r = [a]; if (p) for (let i = a; ++i <= mp.min(of(m.terms, k + '\uffff'), a + 1);) r.push(i); return r }
  const looks = t => {
    const l = ur && loose(t.w), r = [[t.k, 0, 10]]
    if (ur) { r.push(['\x01' + l, 0, 7]); if (l != t.w) r.push([l, 0, 7]) }
    if (t.p && t.w.length > 1) { r.push([t.w, 1, 6]); if (ur) r.push(['\x01' + l, 1, 4]) }
    return r
  }
  const resolve = async ls => {
    const out = [], have = new Set
    for (const [k, p, w] of ls) {
      const c = []
      for (const i of shards(k, p)) {
        const s = await term(i)
        let j = lb(s, k)
        if (!p) { if (s.K[j] == k && j < s.n && s.P[j] && !have.has(k)) have.add(k), out.push([k, s.P[j], w]); continue }
        for (; j < s.n && s.K[j].startsWith(k); j++) {
          if (s.P[j]) c.push([s.K[j], s.P[j], w])
          if (s.A[j] >= 0) c.push([s.K[s.A[j]], s.P[s.A[j]], w])
        }
      }
      c.sort((x, y) => rd(y[1])() - rd(x[1])() || (x[0] < y[0] ? -1 : x[0] > y[0]))
      let n = 0
      for (const x of c) if (n < 32 && !have.has(x[0]) && x[1]) have.add(x[0]), out.push(x), n++
    }
    return out
  }
  const near = (a, b) => {
    if (a.length > b.length) [a, b] = [b, a]
    if (b.length - a.length > 1) return
    let i = 0
    while (i < a.length && a[i] == b[i]) i++
    return a.length < b.length ? a.slice(i) == b.slice(i + 1) : i == a.length || a.slice(i + 1) == b.slice(i + 1) || a[i] == b[i + 1] && a[i + 1] == b[i] && a.slice(i + 2) == b.slice(i + 2)
  }
  const typos = async w => {
    const vs = [w], out = []
    for (let i = 0; i < w.length; i++) vs.push(w.slice(0, i) + w.slice(i + 1))
    const sh = await Promise.all(vs.map(v => get(F.typos + of(m.typos, v) + '.bin', 't')))
    vs.forEach((v, i) => {
      const j = find(sh[i], v)
      if (j >= 0) for (const [p, u] of sh[i].P[j]) {
        const c = p ? v.slice(0, p - 1) + String.fromCharCode(u) + v.slice(p - 1) : v
        if (c != w && near(w, c) && !out.includes(c)) out.push(c)
      }
    })
    return out.sort().slice(0, 16)
  }
  const parse = (q, sec) => {
    let found, lastQ, all = []
    const T = [], P = []
    q = q.replace(/(^|[ \t\n\f\r])([^ \t\n\f\r:"]+):/g, (x, a, k) => !found && m.sections.some(s => s[0] && s[0] == k.toLowerCase()) ? (found = 1, sec = k.toLowerCase(), a) : x)
    const pre = /[\p{L}\p{M}\p{N}]$/u.test(q), g = q.split('"')
    g.forEach((s, i) => {
      const quoted = i % 2 && i < g.length - 1, ph = []
      let o = 0
      for (const [w, ps, n] of seg(norm(s))) {
        if (w.length <= 48) { const t = {w, k: key(w), o, s: ps}; all.push(t); if (quoted) ph.push(t); lastQ = quoted }
        o += n
      }
      if (ph[1]) P.push(ph)
    })
    if (pre && all[0] && !lastQ) all.at(-1).p = 1
    for (const t of all) if (!T.some(u => u.k == t.k && !u.p == !t.p)) T.push(t)
    return {T, P, sec}
  }
  const idf = df => mp.round(64 * mp.log(1 + (N - df + .5) / (df + .5)))

  // run answers a query: [hits, total]; each hit a promise of [url, title, section, heading, excerpt text, marker]
  // from and lim page through the ranking: its hits from to lim-1 (the box asks for the best 8)
  return async (q, sec, from = 0, lim = 8) => {
    const Q = parse(q, sec), T = [], lists = []
    const sub = t => t.s.map((w, j) => ({w, k: key(w), o: t.o + j, p: t.p && j == t.s.length - 1, s: []}))
    const add = (t, l) => T.some(u => u.k == t.k && !u.p == !t.p) || (T.push(t), lists.push(l))
    if (!Q.T[0]) return [[], 0]
    await Promise.all([...Q.T.flatMap(t => [t, ...sub(t)]).flatMap(looks).flatMap(([k, p]) => shards(k, p).map(term)), ...Q.P.flat().map(t => get(F.pos + of(m.pos, t.k) + '.bin', 'p'))])
    for (const t of Q.T) {
      const l = await resolve(looks(t))
      if (l[0] || !t.s[0]) add(t, l)
      else for (const u of sub(t)) add(u, await resolve(looks(u)))
    }
    const ty = []
    T.forEach((t, i) => !lists[i][0] && t.w.length > 4 && t.w.length < 34 && /^[\p{L}\p{M}]+$/u.test(t.w) && !Q.P.flat().some(u => u.k == t.k) && ty.push(i))
    if (ty.length) {
      const tl = (await Promise.all(ty.map(i => typos(T[i].w)))).map(ws => ws.map(w => [key(w), 0, 3]))
      await Promise.all(tl.flat().map(([k]) => term(of(m.terms, k))))
      for (const i in tl) lists[ty[i]] = await resolve(tl[i])
    }
    // per word (list), each document's best candidate score and its hint; summed into tot
    const tot = new Float64Array(N), cnt = new Int32Array(N), H = [], D = []
    for (const l of lists) {
      // all candidates of one word count with the idf of the most common one (as in Go)
      const top = mp.max(0, ...l.map(([, b]) => rd(b)())), seen = [], bs = new Float64Array(N), bh = new Int32Array(N), on = new Uint8Array(N)
      H.push([on, bh])
      for (const [, b, w] of l) {
        // the hot loop: a varint reader over a local index (rd's is slower cold)
        let i = 0, d = 0
        const v = () => { let x = 0, t = 1, c; while ((c = b[i++]) > 127) x += (c & 127) * t, t *= 128; return x + c * t }
        for (let n = v(), f = w * idf(top); n--;) {
          d += v()
          const s = f * v(), h = v()
          if (!on[d]) on[d] = 1, seen.push(d), bs[d] = s, bh[d] = h
          else if (s > bs[d]) bs[d] = s, bh[d] = h
        }
      }
      for (const d of seen) cnt[d]++ || D.push(d), tot[d] += bs[d]
    }
    const sc = m.sections.find(s => s[0] && s[0] == Q.sec)
    let R = D.filter(d => !Q.sec || sc && d >= sc[2] && d < sc[2] + sc[3])
    for (const ph of Q.P) {
      const sets = await Promise.all(ph.map(async t => {
        const s = await get(F.pos + of(m.pos, t.k) + '.bin', 'p'), j = find(s, t.k), r = new Map
        if (j >= 0) { const u = rd(s.P[j]); let d = 0; for (let n = u(); n--;) { const ps = []; d += u(); for (let c = u(), p = 0; c--;) ps.push(p += u()); r.set(d, ps) } }
        return r
      }))
      R = R.filter(d => (sets[0].get(d) || []).some(p0 => ph.every((t, i) => (sets[i].get(d) || []).includes(p0 + t.o - ph[0].o))))
    }
    // the best lim (8 for the box), by score x words matched, then document number (as in Go); no full sort
    const better = (a, b) => tot[a] * cnt[a] - tot[b] * cnt[b] || b - a, best = []
    for (const d of R) {
      if (best.length == lim && better(d, best[lim - 1]) <= 0) continue
      let j = mp.min(best.length, lim - 1)
      for (; j && better(d, best[j - 1]) > 0; j--) best[j] = best[j - 1]
      best[j] = d
    }
    const K = new Set, pf = []
    T.forEach((t, i) => {
      K.add(t.k); if (ur) K.add('\x01' + loose(t.w))
      if (t.p && t.w.length > 1) pf.push(t.w)
      for (const x of lists[i]) if (x[2] == 3) K.add(x[0])
    })
    const MC = new Map, mark = w => MC.has(w) ? MC.get(w) : (MC.set(w, mk(w)), MC.get(w)), mk = w => seg(norm(w)).some(([x, ps]) => [x, ...ps].some(y => K.has(key(y)) || ur && K.has('\x01' + loose(y)) || pf.some(p => y.startsWith(p) || ur && loose(y).startsWith(loose(p)))))
    // one promise per hit: the box shows each as soon as its chunk and those before it are in
    return [best.slice(from).map(async d => {
      const hs = H.filter(([on]) => on[d]).map(([, bh]) => bh[d])
      const [url, title, parts] = (await get(F.chunks + (d / m.chunk | 0) + '.json'))[d % m.chunk], s = m.sections.find(s => d >= s[2] && d < s[2] + s[3])
      let h = 0, v = 0, p = parts[0]
      for (const x of hs) if (x) { const n = hs.filter(y => y == x).length; if (n > v || n == v && x < h) h = x, v = n }
      if (h && parts[h - 1]) p = parts[h - 1]
      return [url + (h && p[0] ? '#' + p[0] : ''), title, s ? s[1] : '', h ? p[1] : '', p ? p[2] : '', mark]
    }), R.length]
  }
}

// ---- the search box ----
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’.,\u200c\u2010-][\p{L}\p{M}\p{N}]+)*[%٪]?/gu
const el = (t, c, ...k) => { const e = D.createElement(t); if (c) e.className = c; e.append(...k); return e }
const excerpt = (t, mark) => {
  const e = el('span', 'search-excerpt'), sp = [...t.matchAll(WORD)].filter(x => mark(x[0]))
  let i = 0
  if (sp[0] && sp[0].index > 100) {
    let f = sp[0].index - 40
    while (f < sp[0].index && t[f] != ' ') f++
    if (f < sp[0].index) e.append('…'), i = f + 1
  }
  for (const x of sp) e.append(t.slice(i, x.index), el('mark', '', x[0])), i = x.index + x[0].length
  e.append(t.slice(i))
  return e
}

// a hit as a link: title, section › heading, excerpt
const card = ([u, t, s, hd, x, mark]) => {
  const a = el('a', '', el('span', 'search-title', t), el('span', 'search-section', s + (hd ? ' › ' + hd : '')), excerpt(x, mark))
  a.href = u
  return a
}

// UI strings for n follow the language's plural rule (CLDR): data-msg-<k>-one, else data-msg-<k>.
const PER = 10
const forms = D.querySelectorAll('form[role=search][data-index]')
forms.forEach(f => {
  const ds = f.dataset, inp = f.querySelector('input[type=search]'), ul = f.querySelector('[role=listbox]'),
    st = f.querySelector('[role=status]'), sel = f.elements.section, see = f.querySelector('.search-see'),
    base = new URL(ds.index, location.href), pr = new Intl.PluralRules(ds.lang)
  const msg = (k, n) => (pr.select(n) == 'one' && ds[k + 'One'] || ds[k]).replace('{n}', n)
  let run, seq = 0, act = -1, timer, last = -1e9, total = 0
  const load = () => run ||= fetch(base).then(r => r.json()).then(m => engine(base, m)).catch(e => { run = 0; throw e })
  const say = t => { if (st) st.textContent = t }
  const open = o => { ul.hidden = !o; if (see) see.hidden = !o || !total; inp.setAttribute('aria-expanded', !!o) }
  const opts = () => ul.querySelectorAll('[role=option]')
  // the results page for the form's query (page p)
  const url = p => f.action + '?' + new URLSearchParams(new FormData(f)) + (p > 1 ? '&page=' + p : '')
  const pick = i => {
    const o = opts()
    act = i
    o.forEach((x, j) => x.setAttribute('aria-selected', j == i))
    if (o[i]) inp.setAttribute('aria-activedescendant', o[i].id), o[i].scrollIntoView({block: 'nearest'})
    else inp.removeAttribute('aria-activedescendant')
  }
  const go = async () => {
    const q = inp.value, my = ++seq
    if (!q.trim()) return total = 0, open(0), ul.replaceChildren(), pick(-1), say('')
    const slow = setTimeout(() => my == seq && say(ds.msgLoading), 300)
    try {
      const [hits, n] = await (await load())(q, sel ? sel.value : '')
      if (my != seq) return
      hits.forEach(h => h.catch(() => 0)) // a failed chunk is reported once, below
      total = n
      if (see) see.firstChild.href = url(), see.firstChild.textContent = msg('msgSee', n)
      if (!hits[0]) ul.replaceChildren(), pick(-1), open(0)
      for (const [i, h] of hits.entries()) {
        const a = card(await h), li = el('li', '', a)
        if (my != seq) return
        // the link is the option (a link inside an option would nest interactive elements)
        a.id = ul.id + '-' + i
        a.tabIndex = -1
        a.setAttribute('role', 'option')
        a.setAttribute('aria-selected', false)
        li.setAttribute('role', 'none')
        if (i) ul.append(li); else ul.replaceChildren(li), pick(-1), open(1)
      }
      say(n ? msg('msgCount', n) : ds.msgNone)
    } catch (e) {
      if (my == seq) say(ds.msgNone), open(0)
      throw e
    } finally {
      clearTimeout(slow)
    }
  }
  // on focus: fetch the manifest, and meanwhile run the text analysis and the excerpt
  // marking once so that the first query does not pay for compiling them
  inp.addEventListener('focus', () => { load().catch(() => 0); excerpt('Warming up: 1.5% Rs500', w => seg(norm(w)).some(([x]) => stem(x) == 'warm')); if (ul.children[0]) open(1) })
  // Input after a pause (a paste, the first keystroke of 2+ characters) searches at once;
  // keystrokes in quick succession wait until 100 ms after the last.
  inp.addEventListener('input', e => {
    const t = e.timeStamp, quick = t - last < 100
    last = t
    clearTimeout(timer)
    if (quick || inp.value.trim().length < 2) timer = setTimeout(go, 100); else go()
  })
  inp.addEventListener('keydown', e => {
    const o = opts(), n = o.length, k = e.key
    if ((k == 'ArrowDown' || k == 'ArrowUp') && n) {
      e.preventDefault()
      open(1)
      pick(act < 0 ? (k == 'ArrowDown' ? 0 : n - 1) : (act + (k == 'ArrowDown' ? 1 : n - 1)) % n)
    } else if (k == 'Enter' && act >= 0 && !ul.hidden) {
      e.preventDefault()
      location.href = o[act].href
    } else if (k == 'Escape' && !ul.hidden) {
      e.preventDefault()
      open(0)
      pick(-1)
    }
  })
  // the results close when focus leaves the form (a click elsewhere moves it too)
  f.addEventListener('focusout', e => f.contains(e.relatedTarget) || (open(0), pick(-1)))

  const u = new URL(location.href), q = u.searchParams.get('q'), pg = D.getElementById('search-page')
  if (u.pathname != new URL(f.action).pathname) { if (sel) sel.addEventListener('change', go); return }
  if (q) inp.value = q
  if (sel) sel.value = u.searchParams.get('section') || ''
  if (!pg) { if (sel) sel.addEventListener('change', go); return q && go() }
  // The results page: every result, PER to a page, with links to the pages before and after.
  const $ = s => pg.querySelector(s), list = $('.search-list'), prev = $('.prev'), next = $('.next')
  pg.hidden = false
  sel.addEventListener('change', () => inp.value.trim() && f.requestSubmit())
  if (!q || !q.trim()) return
  const p = mp.max(1, parseInt(u.searchParams.get('page')) || 1), from = (p - 1) * PER
  D.querySelector('.all-pages').hidden = true
  load().then(e => e(q, sel.value, from, p * PER)).then(async ([hits, n]) => {
    const items = await Promise.all(hits)
    const c = $('.search-count')
    c.textContent = n ? msg('msgCount', n) : ds.msgNone
    c.hidden = false
    list.start = from + 1
    list.replaceChildren(...items.map(h => el('li', '', card(h))))
    prev.hidden = p < 2 || !n
    next.hidden = from + PER >= n
    prev.href = url(p - 1)
    next.href = url(p + 1)
  })
})
D.addEventListener('keydown', e => {
  const t = e.target
  if (e.key == '/' && forms[0] && !e.ctrlKey && !e.metaKey && !e.altKey && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !t.isContentEditable) {
    e.preventDefault()
    forms[0].querySelector('input[type=search]').focus()
  }
})
})()
