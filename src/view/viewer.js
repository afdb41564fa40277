// The viewer page: documents, a page with its article boxes in reading order, and the articles'
// text; clicking an article (text or box) highlights its blocks. Data comes from the view server's
// /api, or from the data embedded by `newsprint report` (window.NEWSPRINT_REPORT). No framework:
// everything is built with DOM calls and textContent, so no text from the output is read as markup.
'use strict';
(function () {
  const report = window.NEWSPRINT_REPORT;
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const data = {
    list: () => (report ? Promise.resolve(report.documents) : fetch('api/documents').then((r) => r.json())),
    get: (id) => (report ? Promise.resolve(report.views[id]) : fetch('api/documents/' + encodeURIComponent(id)).then((r) => r.json())),
    image: (id, page) => (report ? report.images[id + '/' + page] : encodeURIComponent(id) + '/page-' + page + '.png?width=1600'),
  };
  let view = null;
  let pageNumber = 1;

  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const svg = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  };
  const confClass = (c) => (c >= 0.9 ? 'good' : c >= 0.8 ? 'fair' : 'poor');
  const confBadge = (c) => el('span', { class: 'conf ' + confClass(c), title: 'mean line confidence' }, (c * 100).toFixed(0) + '%');

  function articlesOn(page) {
    const position = new Map(page.blocks.map((b, i) => [b.id, i]));
    return view.doc.articles
      .map((a) => ({ article: a, blocks: a.blockIds.filter((id) => position.has(id)) }))
      .filter((p) => p.blocks.length > 0)
      .sort((x, y) => Math.min(...x.blocks.map((id) => position.get(id))) - Math.min(...y.blocks.map((id) => position.get(id))));
  }

  function select(articleId) {
    document.querySelectorAll('.active').forEach((n) => n.classList.remove('active'));
    if (!articleId) return;
    document.querySelectorAll('[data-article="' + CSS.escape(articleId) + '"]').forEach((n) => n.classList.add('active'));
    const item = $('articles').querySelector('li[data-article="' + CSS.escape(articleId) + '"]');
    if (item) item.scrollIntoView({ block: 'nearest' });
  }

  function showPage() {
    const page = view.doc.pages.find((p) => p.number === pageNumber) || view.doc.pages[0];
    const overlay = $('overlay');
    overlay.replaceChildren();
    overlay.setAttribute('viewBox', '0 0 ' + page.widthPx + ' ' + page.heightPx);
    overlay.setAttribute('preserveAspectRatio', 'none');
    const img = $('page-image');
    img.src = data.image(view.doc.documentId, page.number);
    img.style.aspectRatio = page.widthPx + ' / ' + page.heightPx;
    const parts = articlesOn(page);
    const owner = new Map();
    parts.forEach((p) => p.blocks.forEach((id) => owner.set(id, p.article.id)));
    for (const block of page.blocks) {
      const [x, y, w, h] = block.bbox;
      const cls = block.type === 'furniture' ? 'furniture' : 'block';
      const attrs = { x, y, width: w, height: h, class: cls, 'data-block': block.id };
      if (owner.has(block.id)) attrs['data-article'] = owner.get(block.id);
      const rect = svg('rect', attrs);
      const title = svg('title', {});
      title.textContent = block.type + ' ' + block.id;
      rect.appendChild(title);
      overlay.appendChild(rect);
    }
    const list = $('articles');
    list.replaceChildren();
    parts.forEach((part, i) => {
      const a = part.article;
      const box = a.pageIndex === page.number ? a.bbox : null;
      const n = i + 1;
      if (box) {
        const rect = svg('rect', { x: box[0], y: box[1], width: box[2], height: box[3], class: 'article', 'data-article': a.id, 'data-order': n });
        rect.addEventListener('click', () => select(a.id));
        overlay.appendChild(rect);
        const label = svg('g', { class: 'label' });
        label.appendChild(svg('rect', { x: box[0], y: box[1], width: 96, height: 80 }));
        const t = svg('text', { x: box[0] + 18, y: box[1] + 62 });
        t.textContent = String(n);
        label.appendChild(t);
        overlay.appendChild(label);
      }
      const li = el('li', { 'data-article': a.id });
      const head = el('div');
      head.append(el('span', { class: 'num' }, String(n)), el('span', { class: 'headline' }, a.headline || (a.kind === 'photo' ? '(photo)' : '(no headline)')), ' ', confBadge(a.confidence));
      const meta = [a.kind, a.section, a.byline, a.continuedOn ? 'continued on page ' + a.continuedOn : '', a.continuedFrom ? 'continued from page ' + a.continuedFrom : '', a.blockIds.length + ' blocks']
        .filter(Boolean)
        .join(' · ');
      li.append(head, el('div', { class: 'meta' }, meta), el('div', { class: 'text' }, [...a.paragraphs, ...a.captions].join('\n')));
      li.addEventListener('click', () => select(a.id));
      list.appendChild(li);
    });
    const furniture = $('furniture');
    furniture.replaceChildren(...page.furniture.map((f) => el('li', {}, f.role + ': ' + f.text)));
    $('summary').textContent =
      page.columns + ' columns · ' + page.textSource + ' · skew ' + page.skewDeg + '° · mean confidence ' + (page.meanConfidence * 100).toFixed(1) + '%';
    // Overlay click outside any article clears the highlight.
    overlay.onclick = (e) => { if (!e.target.closest('[data-article]')) select(null); };
  }

  function showScores() {
    const box = $('scores');
    box.replaceChildren();
    if (!view.scores) return;
    const table = el('table');
    table.appendChild(el('caption', {}, 'Eval against ground truth'));
    const fmt = (v) => (v === null || v === undefined ? '–' : v.toFixed(3));
    const header = el('tr');
    ['', 'CER', 'P', 'R', 'F1', 'hlCER', 'paraAgr'].forEach((h) => header.appendChild(el('th', {}, h)));
    table.appendChild(header);
    const row = (label, s) => {
      const tr = el('tr');
      tr.appendChild(el('th', {}, label));
      [s.cer, s.precision, s.recall, s.f1, s.headlineCer, s.paragraphAgreement].forEach((v) => tr.appendChild(el('td', {}, fmt(v))));
      table.appendChild(tr);
    };
    view.scores.pages.forEach((p) => row('page ' + p.page, p));
    row('all', view.scores.overall);
    box.appendChild(table);
  }

  async function openDocument(id) {
    view = await data.get(id);
    const pages = $('pages');
    pages.replaceChildren(...view.doc.pages.map((p) => el('option', { value: p.number }, 'page ' + p.number + (p.printedPage ? ' (第' + p.printedPage + '版)' : ''))));
    pageNumber = view.doc.pages[0].number;
    showScores();
    showPage();
  }

  async function start() {
    const docs = await data.list();
    const select = $('documents');
    select.replaceChildren(...docs.map((d) => el('option', { value: d.documentId }, d.documentId + ' — ' + d.articles + ' articles')));
    select.onchange = () => openDocument(select.value);
    $('pages').onchange = () => { pageNumber = Number($('pages').value); showPage(); };
    const wanted = new URLSearchParams(location.search).get('doc');
    const first = docs.find((d) => d.documentId === wanted) || docs[0];
    if (first) {
      select.value = first.documentId;
      await openDocument(first.documentId);
    }
    document.body.dataset.ready = 'true';
  }
  start();
})();
