// Live reload for `rahnuma serve`. The dev server injects this file into the pages it serves;
// it is never part of a build. It is an external script without inline code or inline styles,
// so it runs under a strict Content-Security-Policy.
//
// It listens to /__rahnuma/events (Server-Sent Events). On a new version of the site:
//   css      swap the stylesheet links, no reload
//   content  fetch this page again and patch the changed parts of the body in place,
//            keeping the scroll position
//   reload   (layouts, settings) reload the page
// Build errors arrive with every event and show as an overlay built from DOM nodes, text only.
(function () {
  'use strict';

  var BASE = '/__rahnuma/';
  var OVERLAY_ID = '__rahnuma-overlay';
  var root = document.documentElement;
  var self = document.currentScript;
  var version = self ? self.getAttribute('data-version') || '' : '';
  var queue = Promise.resolve();
  var stopped = false;
  var dismissed = '';

  function connect() {
    var es = new EventSource(BASE + 'events');
    es.onopen = function () {
      root.setAttribute('data-rahnuma-live', 'open');
    };
    es.onerror = function () {
      root.setAttribute('data-rahnuma-live', 'retrying');
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
    es.onmessage = function (e) {
      var msg;
      try {
        msg = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      queue = queue.then(function () {
        return handle(msg);
      }).catch(function (err) {
        console.warn('rahnuma: live update failed, reloading:', err);
        reload();
      });
    };
  }

  function reload() {
    if (!stopped) {
      stopped = true;
      location.reload();
    }
  }

  function handle(msg) {
    if (stopped) {
      return null;
    }
    showErrors(msg.errors || []);
    if (!msg.version || msg.version === version) {
      return null;
    }
    switch (msg.type) {
      case 'css':
        return refresh(true);
      case 'content':
        return refresh(false);
      default:
        // 'reload', or a 'hello' after a reconnect that missed events: start clean.
        reload();
        return null;
    }
  }

  // refresh fetches this page again and applies it: stylesheets always, the body unless cssOnly.
  function refresh(cssOnly) {
    return fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        var type = r.headers.get('Content-Type') || '';
        if (!r.ok || type.indexOf('text/html') !== 0) {
          // The page is gone (deleted or renamed) or broken: show what the server has.
          reload();
          return null;
        }
        return r.text();
      })
      .then(function (html) {
        if (html === null || stopped) {
          return null;
        }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var s = doc.querySelector('script[src="' + BASE + 'livereload.js"]');
        if (s && s.getAttribute('data-version')) {
          version = s.getAttribute('data-version');
        }
        var styled = syncStyles(doc);
        if (!cssOnly) {
          patchPage(doc);
        }
        return styled;
      });
  }

  // syncStyles puts the new page's stylesheets in place of the old ones. The new link loads
  // before the old one goes, so the page never shows unstyled.
  function syncStyles(doc) {
    var olds = toArray(document.querySelectorAll('link[rel~="stylesheet"]'));
    var news = toArray(doc.querySelectorAll('link[rel~="stylesheet"]'));
    var oldHrefs = olds.map(href);
    var newHrefs = news.map(href);
    if (oldHrefs.join('\n') === newHrefs.join('\n')) {
      return null;
    }
    var anchor = olds.length ? olds[olds.length - 1] : null;
    var loads = news.filter(function (n) {
      return oldHrefs.indexOf(href(n)) < 0;
    }).map(function (n) {
      var link = document.importNode(n, true);
      var p = new Promise(function (resolve) {
        link.onload = resolve;
        link.onerror = resolve;
      });
      if (anchor && anchor.parentNode) {
        anchor.parentNode.insertBefore(link, anchor.nextSibling);
        anchor = link;
      } else {
        document.head.appendChild(link);
      }
      return p;
    });
    return Promise.all(loads).then(function () {
      olds.forEach(function (o) {
        if (newHrefs.indexOf(href(o)) < 0) {
          o.remove();
        }
      });
    });
  }

  function href(link) {
    return link.getAttribute('href') || '';
  }

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  // patchPage brings the body up to date with doc, replacing only what differs, so the
  // scroll position, focus and script state outside the changed parts stay.
  function patchPage(doc) {
    var x = window.scrollX;
    var y = window.scrollY;
    if (document.title !== doc.title) {
      document.title = doc.title;
    }
    ['lang', 'dir'].forEach(function (a) {
      var v = doc.documentElement.getAttribute(a);
      if (v !== null && root.getAttribute(a) !== v) {
        root.setAttribute(a, v);
      }
    });
    patch(document.body, doc.body, 0);
    window.scrollTo(x, y);
  }

  function patch(a, b, depth) {
    if (a.isEqualNode(b)) {
      return;
    }
    syncAttributes(a, b);
    var ak = toArray(a.childNodes);
    var bk = toArray(b.childNodes);
    if (ak.length !== bk.length || depth > 40) {
      a.replaceChildren.apply(a, bk.map(adopt));
      return;
    }
    for (var i = 0; i < ak.length; i++) {
      var x = ak[i];
      var y = bk[i];
      if (x.isEqualNode(y)) {
        continue;
      }
      if (isScript(x) || isScript(y)) {
        continue; // scripts run once; a parsed copy would not run anyway
      }
      if (x.nodeType === Node.TEXT_NODE && y.nodeType === Node.TEXT_NODE) {
        x.nodeValue = y.nodeValue;
      } else if (x.nodeType === Node.ELEMENT_NODE && y.nodeType === Node.ELEMENT_NODE &&
        x.nodeName === y.nodeName) {
        patch(x, y, depth + 1);
      } else {
        x.replaceWith(adopt(y));
      }
    }
  }

  function adopt(n) {
    return document.adoptNode(n);
  }

  function isScript(n) {
    return n.nodeName === 'SCRIPT';
  }

  function syncAttributes(a, b) {
    toArray(a.attributes).forEach(function (attr) {
      if (!b.hasAttribute(attr.name)) {
        a.removeAttribute(attr.name);
      }
    });
    toArray(b.attributes).forEach(function (attr) {
      if (a.getAttribute(attr.name) !== attr.value) {
        a.setAttribute(attr.name, attr.value);
      }
    });
  }

  // The error overlay. Every piece of error text goes in with textContent, never as markup,
  // and styles are set through the CSSOM, which a strict CSP allows.
  function showErrors(list) {
    var old = document.getElementById(OVERLAY_ID);
    if (!list.length) {
      dismissed = '';
      if (old) {
        old.remove();
      }
      return;
    }
    var key = JSON.stringify(list);
    if ((old && old.getAttribute('data-key') === key) || dismissed === key) {
      return;
    }
    var box = el('div', {
      position: 'fixed', inset: '0', 'z-index': '2147483647', overflow: 'auto',
      background: 'rgba(20, 20, 24, 0.92)', color: '#f4f4f5', padding: '2rem',
      font: '14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      'text-align': 'left', 'box-sizing': 'border-box'
    });
    box.id = OVERLAY_ID;
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-label', 'Build errors');
    box.setAttribute('dir', 'ltr');
    box.setAttribute('lang', 'en');
    box.setAttribute('data-key', key);

    var head = el('div', { display: 'flex', 'justify-content': 'space-between', 'align-items': 'baseline', gap: '1rem' });
    var title = el('strong', { color: '#fca5a5', 'font-size': '16px' });
    title.textContent = (list.length === 1 ? '1 problem' : list.length + ' problems') +
      ' — showing the last good version until fixed';
    var close = el('button', {
      font: 'inherit', color: 'inherit', background: 'transparent', border: '1px solid #71717a',
      'border-radius': '4px', padding: '0.2rem 0.6rem', cursor: 'pointer'
    });
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.addEventListener('click', function () {
      dismissed = key;
      box.remove();
    });
    head.appendChild(title);
    head.appendChild(close);
    box.appendChild(head);

    list.forEach(function (p) {
      var item = el('section', { margin: '1.5rem 0 0' });
      item.className = '__rahnuma-error';
      var msg = el('div', { color: '#fecaca', 'white-space': 'pre-wrap', 'overflow-wrap': 'anywhere' });
      msg.textContent = p.text || p.message || '';
      item.appendChild(msg);
      if (p.source && p.source.length) {
        var pre = el('pre', {
          margin: '0.5rem 0 0', padding: '0.5rem 0', background: '#18181b', 'border-radius': '4px',
          overflow: 'auto', font: 'inherit'
        });
        p.source.forEach(function (line) {
          var row = el('div', { padding: '0 0.75rem', 'white-space': 'pre' });
          if (line.n === p.line) {
            row.style.setProperty('background', '#7f1d1d');
          }
          var num = el('span', { color: '#a1a1aa', display: 'inline-block', 'min-width': '4ch', 'user-select': 'none' });
          num.textContent = String(line.n) + ' ';
          var text = el('span', {});
          text.textContent = line.text;
          row.appendChild(num);
          row.appendChild(text);
          pre.appendChild(row);
        });
        item.appendChild(pre);
      }
      box.appendChild(item);
    });
    if (old) {
      old.replaceWith(box);
    } else {
      // Outside <body>, so patching the body leaves the overlay alone.
      root.appendChild(box);
    }
  }

  function el(tag, styles) {
    var e = document.createElement(tag);
    Object.keys(styles).forEach(function (k) {
      e.style.setProperty(k, styles[k]);
    });
    return e;
  }

  connect();
}());
