(function () {
  'use strict';
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  /* One entry of the details panel: a bold label, a value, a dim note. */
  function item(parent, label, value, note) {
    var d = el('div', null, 'w');
    d.appendChild(el('b', label));
    if (note) d.appendChild(el('span', note, 'dim'));
    if (value !== null && value !== undefined) d.appendChild(el('span', value, 'val'));
    parent.appendChild(d);
  }
  /* --- the link graph --- */
  var svg = document.getElementById('g');
  var dataEl = document.getElementById('g-data');
  if (svg && dataEl) {
    var data = JSON.parse(dataEl.textContent);
    var detail = document.getElementById('detail');
    var vb0 = svg.getAttribute('viewBox').split(' ').map(Number), vb = vb0.slice();
    var setVB = function () { svg.setAttribute('viewBox', vb.join(' ')); };
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect();
      var mx = vb[0] + (ev.clientX - r.left) / r.width * vb[2];
      var my = vb[1] + (ev.clientY - r.top) / r.height * vb[3];
      var f = ev.deltaY < 0 ? 0.8 : 1.25;
      vb = [mx - (mx - vb[0]) * f, my - (my - vb[1]) * f, vb[2] * f, vb[3] * f];
      setVB();
    }, { passive: false });
    var drag = null, moved = false;
    svg.addEventListener('pointerdown', function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, vb: vb.slice() }; moved = false;
    });
    window.addEventListener('pointermove', function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { moved = true; svg.classList.add('drag'); }
      if (!moved) return;
      var s = Math.max(vb[2] / r.width, vb[3] / r.height);
      vb = [drag.vb[0] - dx * s, drag.vb[1] - dy * s, vb[2], vb[3]];
      setVB();
    });
    window.addEventListener('pointerup', function () { drag = null; svg.classList.remove('drag'); });
    document.getElementById('g-reset').addEventListener('click', function () {
      vb = vb0.slice(); setVB(); select(null);
    });
    document.getElementById('g-labels').addEventListener('change', function (ev) {
      svg.classList.toggle('nolabels', !ev.target.checked);
    });
    var nodes = svg.querySelectorAll('g.n'), edges = svg.querySelectorAll('line.e');
    var select = function (target) {
      Array.prototype.forEach.call(svg.querySelectorAll('.sel,.dimmed'), function (e) {
        e.classList.remove('sel'); e.classList.remove('dimmed');
      });
      if (target) target.classList.add('sel');
    };
    var showDevice = function (i) {
      var d = data.dev[i];
      detail.textContent = '';
      detail.appendChild(el('h4', d[0]));
      detail.appendChild(el('p', d[2] + ' identifier hits' + (d[1] ? ', group ' + d[1] : ', in no group')));
      d[3].forEach(function (c) { item(detail, c[0], null, c[1] + ' hits'); });
      var ls = [];
      data.links.forEach(function (l, k) { if (l[0] === i || l[1] === i) ls.push(k); });
      ls.sort(function (a, b) { return data.links[b][2] - data.links[a][2]; });
      detail.appendChild(el('p', ls.length + ' link' + (ls.length === 1 ? '' : 's') + (ls.length > 15 ? ', the 15 strongest:' : ':')));
      ls.slice(0, 15).forEach(function (k) {
        var l = data.links[k], o = l[0] === i ? l[1] : l[0];
        item(detail, data.dev[o][0], null, 'score ' + l[2].toFixed(2) + ', ' + l[3] + ' shared');
      });
      var a = el('a', 'This device in the report'); a.href = '#dev-' + i; detail.appendChild(a);
      var keep = {}; keep[i] = 1;
      ls.forEach(function (k) { keep[data.links[k][0]] = 1; keep[data.links[k][1]] = 1; });
      Array.prototype.forEach.call(nodes, function (n) { if (!keep[n.getAttribute('data-i')]) n.classList.add('dimmed'); });
      Array.prototype.forEach.call(edges, function (e) {
        var l = data.links[e.getAttribute('data-i')];
        if (l[0] !== i && l[1] !== i) e.classList.add('dimmed');
      });
    };
    var showLink = function (k) {
      var l = data.links[k];
      detail.textContent = '';
      detail.appendChild(el('h4', data.dev[l[0]][0] + ' \u2194 ' + data.dev[l[1]][0]));
      detail.appendChild(el('p', 'score ' + l[2].toFixed(2) + ', ' + l[3] + ' shared features'));
      var why = data.why[k];
      if (why) {
        detail.appendChild(el('p', 'The strongest shared features:'));
        why.forEach(function (w) {
          item(detail, w[0], w[1], 'on ' + w[2] + ' devices, adds ' + w[3].toFixed(2));
        });
      } else {
        detail.appendChild(el('p', 'trawl links CASE ' + data.dev[l[0]][0] + ' lists what they share.', 'dim'));
      }
    };
    svg.addEventListener('click', function (ev) {
      if (moved) return;
      var n = ev.target.closest('g.n'), e = ev.target.closest('line.e');
      if (n) { select(n); showDevice(+n.getAttribute('data-i')); }
      else if (e) { select(e); showLink(+e.getAttribute('data-i')); }
    });
  }
  /* --- the identifier index: search and sort --- */
  var ix = document.getElementById('ix'), q = document.getElementById('q');
  if (ix && q) {
    var tbody = ix.tBodies[0], rows = Array.prototype.slice.call(tbody.rows), texts = null;
    var count = document.getElementById('q-count');
    var apply = function () {
      if (!texts) texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
      var s = q.value.trim().toLowerCase(), n = 0;
      for (var i = 0; i < rows.length; i++) {
        var show = !s || texts[i].indexOf(s) >= 0;
        if (rows[i].hidden === show) rows[i].hidden = !show;
        if (show) n++;
      }
      count.textContent = s ? n + ' of ' + rows.length + ' shown' : rows.length + ' identifiers';
      ix.setAttribute('data-shown', n);
    };
    var timer = null;
    q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
    count.textContent = rows.length + ' identifiers';
    var fromHash = function () {
      var h = location.hash;
      if (h.indexOf('#q=') === 0) {
        q.value = decodeURIComponent(h.slice(3)); apply();
        document.getElementById('index').scrollIntoView();
      } else if (h.indexOf('#v-') === 0) {
        var r = document.getElementById(h.slice(1));
        if (r && r.hidden) { q.value = ''; apply(); r.scrollIntoView(); }
      }
    };
    window.addEventListener('hashchange', fromHash);
    fromHash();
    Array.prototype.forEach.call(ix.tHead.rows[0].cells, function (th, col) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      th.addEventListener('click', function () {
        var asc = !th.classList.contains('asc');
        Array.prototype.forEach.call(ix.tHead.rows[0].cells, function (c) { c.classList.remove('asc', 'desc'); });
        th.classList.add(asc ? 'asc' : 'desc');
        var key = function (r) {
          var c = r.cells[col];
          return kind === 'num' ? +c.getAttribute('data-v') : c.textContent;
        };
        var idx = rows.map(function (r, i) { return [key(r), i]; });
        idx.sort(function (a, b) {
          var d = kind === 'num' ? a[0] - b[0] : (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
          return (asc ? d : -d) || a[1] - b[1];
        });
        var frag = document.createDocumentFragment(), nt = [];
        idx.forEach(function (p) { frag.appendChild(rows[p[1]]); if (texts) nt.push(texts[p[1]]); });
        rows = idx.map(function (p) { return rows[p[1]]; });
        if (texts) texts = nt;
        tbody.appendChild(frag);
      });
    });
  }
  document.documentElement.setAttribute('data-ready', '1');
})();
