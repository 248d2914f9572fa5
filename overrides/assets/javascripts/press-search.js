/*
 * press-dossier search (issues 3 and 12): Pagefind's index (site/pagefind/, written after every
 * MkDocs build by build_scripts/search_index.py) rendered in Material's own search dialog
 * (written below, once for the site), because Material's lunr search misses elisions
 * (« l’OTAN ») and unaccented queries. See tests/search/COMPARISON.md.
 *
 * - Same keys as Material: "/", "s" or "f" open the search; Escape closes it, and so does
 *   moving the focus out of it (Tab past its last control); the arrows move between the
 *   field and the results; Enter opens the first one. Tab reaches the filters, the order and
 *   « Plus de résultats ».
 * - Results come PAGE at a time; « Plus de résultats » shows the next ones, so every
 *   matching article is reachable. Filters by dossier, year and outlet (each value with the
 *   number of results it would give) combine with each other and with the query, and one
 *   button clears them; the order is relevance or newest first.
 * - The index is loaded lazily, on first focus or key press: readers who never search
 *   download nothing; the filter counts are loaded with the first search.
 *   <html data-press-search="ready"> then tells the tests it is loaded, and the results box
 *   carries aria-busy while a search runs and data-query once its results are shown.
 * - Every request stays under the site's own root, computed from Material's relative
 *   config.base, so the site works under a sub-path (GitHub Pages project site).
 * - Result texts come from the seeds: titles, dates, dossiers and filter values are inserted
 *   as text, and excerpts keep only Pagefind's <mark> highlights (everything else as text).
 */
(function () {
  "use strict"

  var configNode = document.getElementById("__config")
  var button = document.querySelector(".md-header label[for=__search]")
  if (!configNode || !button) return
  var config = JSON.parse(configNode.textContent)
  var t = config.translations
  /* The site root, e.g. /dossiers-presse/: config.base is relative to the current page */
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href)

  /*
   * The dialog is written here, once for the whole site, not into each page (issue 21: its
   * markup was 2.9 kB of every one of the site's pages). It goes where Material puts its own,
   * after the header's search button, as the page loads: this script runs at the end of <body>,
   * before a key or a click can open it. It is Material's search dialog (partials/search.html
   * of 9.8.1) with these differences. The form has no name="search" and no data-md-component
   * attributes on purpose: Material's bundle then neither fetches search_index.json nor mounts
   * its own search here, while Material's CSS still gives the dialog its usual look.
   * The dialog is named « Recherche » (Material's French lang.t("search"), as are the other
   * texts) for assistive technologies. The result list has no role="presentation" (unlike
   * Material's) so that its items stay a real list. Issue #8: no autocorrect attribute on the
   * field (a Safari-only hint that the Nu HTML Checker rejects), and the results box is out of
   * the Tab order (tabindex -1, Material has 0): it was an invisible Tab stop while the search
   * is closed; results are reached with the arrow keys. Issue 12: above the results, filters by
   * dossier, year and outlet and the order (shown once there is something to narrow; filled
   * below with their counts); under them, « Plus de résultats » shows the next ones, so every
   * matching article is reachable. Icons are drawn from the site's icons (build_scripts/icons.py).
   */
  function icon(name) {
    var svg = '<svg viewBox="0 0 24 24"><use href="' + root.pathname + "assets/press-icons.svg#" + name.replace(/\//g, "-")
    return svg + '"></use></svg>'
  }
  function field(id, label, attributes) {
    return '<div class="press-search-field"><label for="press-search-' + id + '">' + label + "</label>" +
      '<select id="press-search-' + id + '" ' + attributes + ">" + (id === "ordre"
        ? '<option value="">Pertinence</option><option value="date">Plus récents d’abord</option>' : "") +
      "</select></div>"
  }
  button.insertAdjacentHTML("afterend",
    '<div class="md-search" role="dialog" aria-label="Recherche" data-press-search="dialog">' +
    '<label class="md-search__overlay" for="__search"></label>' +
    '<div class="md-search__inner" role="search">' +
    '<form class="md-search__form" data-press-search="form">' +
    '<input type="text" class="md-search__input" name="q" aria-label="Rechercher" placeholder="Rechercher"' +
    ' autocapitalize="off" autocomplete="off" spellcheck="false" data-press-search="query" required>' +
    '<label class="md-search__icon md-icon" for="__search">' + icon("material/magnify") + icon("material/arrow-left") +
    "</label>" +
    '<nav class="md-search__options" aria-label="Recherche">' +
    '<button type="reset" class="md-search__icon md-icon" title="Effacer" aria-label="Effacer" tabindex="-1">' +
    icon("material/close") + "</button></nav></form>" +
    '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="-1" data-md-scrollfix>' +
    '<div class="md-search-result" data-press-search="result" aria-busy="false">' +
    '<div class="press-search-filters" role="group" aria-label="Filtrer et ordonner les résultats"' +
    ' data-press-search="filters" hidden>' +
    field("dossier", "Dossier", 'data-press-search-filter="dossier" data-press-search-all="Tous"') +
    field("annee", "Année", 'data-press-search-filter="annee" data-press-search-all="Toutes"') +
    field("source", "Source", 'data-press-search-filter="source" data-press-search-all="Toutes"') +
    field("ordre", "Ordre", 'data-press-search="order"') +
    '<button type="button" class="press-search-button" data-press-search="clear" hidden>Effacer les filtres</button>' +
    "</div>" +
    '<div class="md-search-result__meta" aria-live="polite" data-press-search="meta">' +
    "Initialisation de la recherche</div>" +
    '<ol class="md-search-result__list" data-press-search="list"></ol>' +
    '<button type="button" class="press-search-button press-search-more" data-press-search="more" hidden>' +
    "Plus de résultats</button>" +
    "</div></div></div></div></div>")

  var form = document.querySelector("[data-press-search=form]")
  var toggle = document.getElementById("__search")
  var dialog = document.querySelector("[data-press-search=dialog]")
  var input = form.querySelector("[data-press-search=query]")
  var meta = document.querySelector("[data-press-search=meta]")
  var list = document.querySelector("[data-press-search=list]")
  var result = document.querySelector("[data-press-search=result]")
  var filterBar = document.querySelector("[data-press-search=filters]")
  var order = document.querySelector("[data-press-search=order]")
  var clear = document.querySelector("[data-press-search=clear]")
  var more = document.querySelector("[data-press-search=more]")
  var selects = Array.prototype.slice.call(document.querySelectorAll("[data-press-search-filter]"))

  /* Each result shown costs one small fragment request: show them a page at a time */
  var PAGE = 20
  var pagefind = null
  var filtersLoaded = null

  /*
   * Every Pagefind the page loads (the merged search and, for newest first, each part alone)
   * ranks alike. termFrequency 0: rank on where a word occurs (the headline weighs 10, the
   * text 1, names and tags 0.5, see article.md.j2), not on how often: with Pagefind's default,
   * an article repeating « Ukraine » seven times outranked one with it in its headline.
   */
  var OPTIONS = { baseUrl: root.pathname, excerptLength: 24, ranking: { termFrequency: 0 } }

  function load() {
    if (!pagefind)
      pagefind = Promise.all([
        import(new URL("pagefind/pagefind.js", root).href),
        fetch(new URL("pagefind/pagefind-entry.json", root).href).then(function (response) { return response.json() }),
      ]).then(function (loaded) {
        var pf = loaded[0]
        /* No article yet (a new copy of the site): Pagefind would only throw « No language indexes found » */
        var ready = Object.keys(loaded[1].languages || {}).length
          ? pf.options(OPTIONS)
            .then(function () { return mergeParts(pf) })
            .then(function () { return pf.init() })
            .then(function () { return pf })
          : Promise.resolve(NOTHING)
        return ready.then(function (pf) {
          if (!active()) meta.textContent = t["search.result.placeholder"]
          document.documentElement.setAttribute("data-press-search", "ready")
          if (active()) run()
          return pf
        })
      })
    return pagefind
  }

  /* The search of an index with no page: every search finds nothing, and there is nothing to filter */
  function nothing() { return Promise.resolve({ results: [], filters: {} }) }
  var NOTHING = { search: nothing, debouncedSearch: nothing, filters: function () { return Promise.resolve({}) } }

  /*
   * A large archive is indexed in parts (search_index.py SHARD_SIZE: Pagefind holds a whole
   * index in memory while it writes it); pagefind/press-shards.json lists the other parts,
   * which Pagefind merges into one set of results, filters included. Merged results are
   * ordered by score only, so newest first searches each part on its own (see sortedSearch).
   */
  var parts = []
  function mergeParts(pf) {
    return fetch(new URL("pagefind/press-shards.json", root).href)
      .then(function (response) { return response.json() })
      .then(function (names) {
        parts = names
        return Promise.all(names.map(function (part) {
          return pf.mergeIndex(new URL("pagefind/" + part + "/", root).href, { baseUrl: root.pathname })
        }))
      })
  }

  /*
   * Each part on its own, for newest first: the parts are spans of dates, the first the
   * newest (the build feeds Pagefind the articles newest first), so each part's results
   * sorted by date, one part after the other, are the whole archive newest first. A part's
   * own pagefind.js is a separate Pagefind; the first part's is loaded again under another
   * address (?seul), since its usual one is the merged search.
   */
  var alone = null
  function partsAlone() {
    if (!alone)
      alone = Promise.all([""].concat(parts.map(function (part) { return part + "/" })).map(function (folder, i) {
        var url = new URL("pagefind/" + folder + "pagefind.js" + (i ? "" : "?seul"), root).href
        return import(url).then(function (pf) {
          return pf.options(OPTIONS)
            .then(function () { return pf.init() })
            .then(function () { return pf })
        })
      }))
    return alone
  }

  /* The merged search; newest first over several parts, each part's results in turn */
  function sortedSearch(pf, terms, options, found) {
    if (!options.sort || !parts.length) return Promise.resolve(found)
    return partsAlone().then(function (each) {
      return Promise.all(each.map(function (part) { return part.search(terms, options) }))
    }).then(function (all) {
      var results = []
      all.forEach(function (one) { if (one) results = results.concat(one.results) })
      return Object.assign({}, found, { results: results })
    })
  }

  /* The filter counts need Pagefind's filter index: loaded once, with the first search */
  function withFilters(pf) {
    if (!filtersLoaded) filtersLoaded = pf.filters()
    return filtersLoaded.then(function () { return pf })
  }

  /*
   * The index was built from pages where ’ became ' + U+200B (search_index.py), because
   * Pagefind splits words on ' only. Metadata and filter values keep the U+200B, so exactly
   * those apostrophes turn back into ’. Excerpts lose it, so there an apostrophe between
   * letters becomes ’ (the seeds' typography); an ASCII apostrophe typed in a seed's text
   * shows as ’ there.
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

  /*
   * Material's result markup (so Material's CSS styles it), plus a date · dossier line. The
   * box inside the link is a <div>, not Material's <article>: Chromium names a link by the
   * text inside it, but not through an <article>, so the results had no name (issue 12).
   */
  function item(doc) {
    var li = el("li", "md-search-result__item")
    var link = el("a", "md-search-result__link")
    link.href = doc.url
    link.tabIndex = -1
    var box = el("div", "md-search-result__article md-search-result__article--document md-typeset")
    box.appendChild(el("div", "md-search-result__icon md-icon"))
    box.appendChild(el("h1", null, metaText(doc.meta.title) || doc.url))
    var info = [doc.meta.date, doc.meta.dossier].filter(Boolean).map(metaText).join(" · ")
    if (info) box.appendChild(el("p", "press-search-meta", info))
    var excerpt = el("p", "press-search-excerpt")
    excerpt.appendChild(excerptNodes(doc.excerpt || ""))
    box.appendChild(excerpt)
    link.appendChild(box)
    li.appendChild(link)
    return li
  }

  /* --- Filters ---------------------------------------------------------------------- */

  /* The chosen value of each filter, e.g. { dossier: "Ukraine", annee: "2022" } */
  function chosen(except) {
    var filters = {}
    selects.forEach(function (select) {
      var key = select.getAttribute("data-press-search-filter")
      if (select.value && key !== except) filters[key] = select.value
    })
    return filters
  }

  function filtering() {
    return Object.keys(chosen()).length > 0
  }

  /* Something to search for: words, or at least one filter */
  function active() {
    return Boolean(input.value.trim()) || filtering()
  }

  var COLLATOR = new Intl.Collator("fr")
  function byValue(key) {
    /* Years newest first; dossiers and outlets in French alphabetical order */
    if (key === "annee") return function (a, b) { return Number(b) - Number(a) }
    return function (a, b) { return COLLATOR.compare(metaText(a), metaText(b)) }
  }

  /*
   * One select's options: « all » with the number of results the other filters leave, then
   * each value with the number of results it would give. Values that would give none are
   * left out, except the chosen one.
   */
  function fillSelect(select, total, counts) {
    var key = select.getAttribute("data-press-search-filter")
    var value = select.value
    var options = [el("option", null, select.getAttribute("data-press-search-all") + " (" + total + ")")]
    options[0].value = ""
    Object.keys(counts || {}).sort(byValue(key)).forEach(function (name) {
      if (!counts[name] && name !== value) return
      var option = el("option", null, metaText(name) + " (" + (counts[name] || 0) + ")")
      option.value = name
      options.push(option)
    })
    select.replaceChildren.apply(select, options)
    select.value = value
  }

  /*
   * The counts of a filter are those of the search with every other filter applied: the
   * search itself for a filter with no chosen value, one more search without it otherwise
   * (Pagefind's own counts would add a second value to the chosen one).
   */
  function facetCounts(pf, terms, search) {
    return Promise.all(selects.map(function (select) {
      var key = select.getAttribute("data-press-search-filter")
      if (!select.value) return { total: search.results.length, counts: search.filters[key] }
      return pf.search(terms, { filters: chosen(key) }).then(function (other) {
        return { total: other.results.length, counts: other.filters[key] }
      })
    }))
  }

  function showFilters(facets) {
    /* Filters with no value to choose (an archive with no article yet) are not shown */
    filterBar.hidden = !filtering() && facets.every(function (facet) { return !Object.keys(facet.counts || {}).length })
    selects.forEach(function (select, i) { fillSelect(select, facets[i].total, facets[i].counts) })
    clear.hidden = !filtering()
  }

  /* --- Searching -------------------------------------------------------------------- */

  /*
   * French elisions: "l'OTAN", "qu’ils" mean OTAN and ils. Pagefind would otherwise also
   * require the particle (l, qu…) as a word of its own, so "qu'ils" would miss an article
   * that writes "ils" but never "qu’".
   */
  var ELISION = /(^|[^\p{L}])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\p{L})/giu
  function searchTerms(query) {
    return query.replace(ELISION, "$1")
  }

  /* What is on screen: the results of the last search, and how many are shown */
  var current = null
  var pending = 0

  function busy(on) {
    result.setAttribute("aria-busy", on ? "true" : "false")
  }

  function run(event) {
    var query = input.value.trim()
    var ticket = ++pending
    if (!active()) {
      current = null
      list.replaceChildren()
      more.hidden = true
      filterBar.hidden = true
      meta.textContent = pagefind ? t["search.result.placeholder"] : t["search.result.initializer"]
      result.setAttribute("data-query", "")
      busy(false)
      return
    }
    busy(true)
    /* Without words, relevance means nothing: the filtered articles come newest first */
    var terms = query ? searchTerms(query) : null
    var options = { filters: chosen() }
    if (order.value === "date" || !query) options.sort = { date: "desc" }
    /* Typing waits for a pause; a changed filter or order searches at once */
    var typed = event && event.type === "input"
    load().then(withFilters).then(function (pf) {
      var search = typed ? pf.debouncedSearch(terms, options, 100) : pf.search(terms, options)
      return search.then(function (merged) {
        if (!merged || ticket !== pending) return null /* superseded by a newer search */
        return sortedSearch(pf, terms, options, merged)
      }).then(function (found) {
        if (!found || ticket !== pending) return null
        return facetCounts(pf, terms, found).then(function (facets) {
          return Promise.all(found.results.slice(0, PAGE).map(function (r) { return r.data() }))
            .then(function (docs) {
              if (ticket !== pending) return
              current = { results: found.results, shown: docs.length, query: query }
              meta.textContent = count(found.results.length)
              list.replaceChildren.apply(list, docs.map(item))
              showFilters(facets)
              showMore()
              result.setAttribute("data-query", query)
              busy(false)
            })
        })
      })
    }).catch(function (error) {
      meta.textContent = t["search.result.none"]
      busy(false)
      console.error(error)
    })
  }

  function showMore() {
    var left = current ? current.results.length - current.shown : 0
    more.hidden = left <= 0
    if (left > 0) more.textContent = "Plus de résultats (" + left + (left > 1 ? " autres)" : " autre)")
  }

  /* The next page of results; the focus moves to the first of them */
  function showNext() {
    var shown = current
    if (!shown) return
    var ticket = pending
    busy(true)
    Promise.all(shown.results.slice(shown.shown, shown.shown + PAGE).map(function (r) { return r.data() }))
      .then(function (docs) {
        if (ticket !== pending || shown !== current) return
        var items = docs.map(item)
        items.forEach(function (li) { list.appendChild(li) })
        shown.shown += docs.length
        showMore()
        busy(false)
        if (items.length) items[0].querySelector("a").focus()
      }).catch(function (error) {
        busy(false)
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
    if (dialog.contains(document.activeElement)) document.activeElement.blur()
  }

  function editable(node) {
    return node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName))
  }

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll("a[href]"))
  }

  input.addEventListener("focus", function () { if (!toggle.checked) open(); else load() })
  input.addEventListener("input", run)
  form.addEventListener("reset", function () { setTimeout(run) })
  form.addEventListener("submit", function (event) { event.preventDefault() })
  selects.concat(order).forEach(function (select) { select.addEventListener("change", run) })
  clear.addEventListener("click", function () {
    selects.forEach(function (select) { select.value = "" })
    selects[0].focus() /* the button hides itself: the focus stays in the filters */
    run()
  })
  more.addEventListener("click", showNext)
  result.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) toggle.checked = false
  })
  /* Tab (or a click) out of the dialog closes it, as Tab out of the field did before */
  document.addEventListener("focusin", function (event) {
    if (toggle.checked && event.target instanceof Node && !dialog.contains(event.target)) close()
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
    var links = resultLinks()
    var focused = document.activeElement
    var onResult = links.indexOf(focused) >= 0
    switch (event.key) {
      case "Escape":
        close()
        break
      case "Enter":
        if (focused === input && links.length) {
          event.preventDefault()
          links[0].click()
        }
        break
      case "ArrowUp":
      case "ArrowDown":
        /* The field, the results, then « Plus de résultats »; a select keeps its own arrows */
        var items = [input].concat(links, more.hidden ? [] : [more])
        if (items.indexOf(focused) < 0) break
        var i = items.indexOf(focused)
        items[(i + items.length + (event.key === "ArrowUp" ? -1 : 1)) % items.length].focus()
        event.preventDefault()
        break
      default:
        /* Typing on a result goes on in the field */
        if (onResult && event.key.length === 1) input.focus()
    }
  })
})()
