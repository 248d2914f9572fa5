/*
 * press-dossier search (issue #3): Pagefind's index (site/pagefind/, written after every MkDocs
 * build by build_scripts/search_index.py) rendered in Material's own search dialog
 * (overrides/partials/press-search.html), because Material's lunr search misses elisions
 * (« l’OTAN ») and unaccented queries. See tests/search/COMPARISON.md.
 *
 * - Same keys as Material: "/", "s" or "f" open the search; Escape and Tab close it; the
 *   arrows move between results; Enter opens the first one.
 * - The index is loaded lazily, on first focus or key press: readers who never search
 *   download nothing. <html data-press-search="ready"> then tells the tests it is loaded.
 * - Every request stays under the site's own root, computed from Material's relative
 *   config.base, so the site works under a sub-path (GitHub Pages project site).
 * - Result texts come from the seeds: titles, dates and dossiers are inserted as text, and
 *   excerpts keep only Pagefind's <mark> highlights (everything else is shown as text).
 */
(function () {
  "use strict"

  var form = document.querySelector("[data-press-search=form]")
  var configNode = document.getElementById("__config")
  if (!form || !configNode) return
  var config = JSON.parse(configNode.textContent)
  var t = config.translations
  var toggle = document.getElementById("__search")
  var input = form.querySelector("[data-press-search=query]")
  var meta = document.querySelector("[data-press-search=meta]")
  var list = document.querySelector("[data-press-search=list]")
  var result = document.querySelector("[data-press-search=result]")

  /* The site root, e.g. /dossiers-presse/: config.base is relative to the current page */
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href)
  /* Each result shown costs one small fragment request: show the best ones only */
  var MAX_RESULTS = 20
  var pagefind = null

  function load() {
    if (!pagefind)
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        /*
         * termFrequency 0: rank on where a word occurs (the headline weighs 10, see
         * article.md.j2), not on how often: with Pagefind's default, an article repeating
         * « Ukraine » seven times outranked one with « Ukraine » in its headline.
         */
        return pf.options({ baseUrl: root.pathname, excerptLength: 24, ranking: { termFrequency: 0 } })
          .then(function () { return pf.init() })
          .then(function () {
            if (!input.value.trim()) meta.textContent = t["search.result.placeholder"]
            document.documentElement.setAttribute("data-press-search", "ready")
            if (input.value.trim()) run()
            return pf
          })
      })
    return pagefind
  }

  /*
   * The index was built from pages where ’ became ' + U+200B (search_index.py), because
   * Pagefind splits words on ' only. Metadata keeps the U+200B, so exactly those apostrophes
   * turn back into ’. Excerpts lose it, so there an apostrophe between letters becomes ’
   * (the seeds' typography); an ASCII apostrophe typed in a seed's text shows as ’ there.
   */
  function metaText(text) {
    return (text || "").split("'\u200b").join("’")
  }

  function excerptText(text) {
    return metaText(text).replace(/([A-Za-zÀ-ÖØ-öø-ÿŒœ])'(?=[A-Za-zÀ-ÖØ-öø-ÿŒœ])/g, "$1’")
  }

  /* Pagefind escapes < and > in its excerpts and wraps matches in <mark>…</mark> */
  var ENTITIES = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\"", "&#39;": "'", "&#x27;": "'" }
  function decode(text) {
    return text.replace(/&(?:lt|gt|amp|quot|#39|#x27);/g, function (entity) { return ENTITIES[entity] })
  }

  /* Excerpt as DOM nodes: <mark> elements and text nodes only, never parsed HTML */
  function excerptNodes(html) {
    var fragment = document.createDocumentFragment()
    var mark = null
    html.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") {
        mark = document.createElement("mark")
        fragment.appendChild(mark)
      } else if (part === "</mark>") {
        mark = null
      } else if (part) {
        (mark || fragment).appendChild(document.createTextNode(excerptText(decode(part))))
      }
    })
    return fragment
  }

  function count(n) {
    if (n === 0) return t["search.result.none"]
    if (n === 1) return t["search.result.one"]
    return t["search.result.other"].replace("#", n)
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag)
    if (cls) node.className = cls
    if (text) node.textContent = text
    return node
  }

  /* Material's result markup (so Material's CSS styles it), plus a date · dossier line */
  function render(total, docs) {
    meta.textContent = count(total)
    list.replaceChildren.apply(list, docs.map(function (doc) {
      var item = el("li", "md-search-result__item")
      var link = el("a", "md-search-result__link")
      link.href = doc.url
      link.tabIndex = -1
      var article = el("article", "md-search-result__article md-search-result__article--document md-typeset")
      article.appendChild(el("div", "md-search-result__icon md-icon"))
      article.appendChild(el("h1", null, metaText(doc.meta.title) || doc.url))
      var info = [doc.meta.date, doc.meta.dossier].filter(Boolean).map(metaText).join(" · ")
      if (info) article.appendChild(el("p", "press-search-meta", info))
      var excerpt = el("p", "press-search-excerpt")
      excerpt.appendChild(excerptNodes(doc.excerpt || ""))
      article.appendChild(excerpt)
      link.appendChild(article)
      item.appendChild(link)
      return item
    }))
  }

  /*
   * French elisions: "l'OTAN", "qu’ils" mean OTAN and ils. Pagefind would otherwise also
   * require the particle (l, qu…) as a word of its own, so "qu'ils" would miss an article
   * that writes "ils" but never "qu’".
   */
  var ELISION = /(^|[^\p{L}])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\p{L})/giu
  function searchTerms(query) {
    return query.replace(ELISION, "$1")
  }

  var pending = 0
  function run() {
    var query = input.value.trim()
    var ticket = ++pending
    if (!query) {
      list.replaceChildren()
      meta.textContent = pagefind ? t["search.result.placeholder"] : t["search.result.initializer"]
      return
    }
    load().then(function (pf) {
      return pf.debouncedSearch(searchTerms(query), {}, 100)
    }).then(function (search) {
      if (!search || ticket !== pending) return null /* superseded by a newer key press */
      return Promise.all(search.results.slice(0, MAX_RESULTS).map(function (r) { return r.data() }))
        .then(function (docs) { if (ticket === pending) render(search.results.length, docs) })
    }).catch(function (error) {
      meta.textContent = t["search.result.none"]
      console.error(error)
    })
  }

  function open() {
    toggle.checked = true
    toggle.dispatchEvent(new Event("change"))
    input.focus()
    input.select()
    load()
  }

  function close() {
    toggle.checked = false
    toggle.dispatchEvent(new Event("change"))
    input.blur()
  }

  function editable(node) {
    return node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName))
  }

  input.addEventListener("focus", function () { if (!toggle.checked) open(); else load() })
  input.addEventListener("input", run)
  form.addEventListener("reset", function () { setTimeout(run) })
  form.addEventListener("submit", function (event) { event.preventDefault() })
  result.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) toggle.checked = false
  })

  window.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return
    if (!toggle.checked) {
      if ((event.key === "/" || event.key === "s" || event.key === "f") && !editable(document.activeElement)) {
        event.preventDefault() /* the key opens the search; it is not typed into the box */
        open()
      }
      return
    }
    var links = Array.prototype.slice.call(list.querySelectorAll("a[href]"))
    switch (event.key) {
      case "Escape":
      case "Tab":
        close()
        break
      case "Enter":
        if (document.activeElement === input && links.length) {
          event.preventDefault()
          links[0].click()
        }
        break
      case "ArrowUp":
      case "ArrowDown":
        var items = [input].concat(links)
        var i = Math.max(0, items.indexOf(document.activeElement))
        items[(i + items.length + (event.key === "ArrowUp" ? -1 : 1)) % items.length].focus()
        event.preventDefault()
        break
      default:
        if (document.activeElement !== input && event.key.length === 1) input.focus()
    }
  })
})()
