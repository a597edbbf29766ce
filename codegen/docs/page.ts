/**
 * What joinkit adds to a page Redocly rendered: a bar with the way back to the index, a
 * style that keeps code values in tables on one line, and the deep links
 * (`page.html#<operation>`). Nothing here reads spec text at run time: the script knows
 * only the operation names, written as JSON.
 */

/** Height of the bar; Redoc is told (`scrollYOffset`) so its sidebar and scrolling sit below it. */
export const BAR_HEIGHT = 44;

const STYLE = `
  .joinkit-bar { position: fixed; top: 0; left: 0; right: 0; height: ${BAR_HEIGHT}px; z-index: 1000; display: flex; align-items: center; gap: 1rem;
    padding: 0 1rem; box-sizing: border-box; background: #0b2540; color: #fff; font: 14px/1.2 system-ui, sans-serif; }
  .joinkit-bar a { color: #fff; text-decoration: none; font-weight: 600; }
  .joinkit-bar a:hover, .joinkit-bar a:focus { text-decoration: underline; }
  .joinkit-bar .joinkit-title { color: #c7d2de; }
  /* An error code, enum member or other code value in a table cell is one unbroken token. */
  td code { white-space: nowrap; word-break: keep-all; overflow-wrap: normal; }
`;

/** An operation's deep link: its wrapper name, and the sidebar label of the tag Redoc lists it under. */
export interface Anchor {
    readonly name: string;
    readonly tag?: string;
}

/**
 * `#joinCommunity` (an operation's wrapper name) opens that operation. Redoc routes on the
 * hash (`#/<tag>/<operationid>`) and shows "no page" for any other, so this runs before
 * Redoc and swaps the name for Redoc's route before Redoc's own listeners read it — at
 * load (parking on the overview until Redoc has rendered) and on every hash change; a
 * click on a link to `#<name>` inside the operation scrolls to it. The route is the operation's rendered section when
 * there is one, else its tag's link in the sidebar plus the operationId (which the docs
 * set to the wrapper's name).
 */
function deepLinkScript(anchors: readonly Anchor[]): string {
    const table = JSON.stringify(
        Object.fromEntries(anchors.map((a) => [a.name, { id: a.name.toLowerCase(), tag: a.tag ?? null }])),
    ).replace(
        /</g,
        "\\u003c",
    );
    return `(function () {
  var anchors = ${table};
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function routeOf(name) {
    var anchor = anchors[name];
    var suffix = "/" + anchor.id;
    var sections = document.querySelectorAll("[data-section-id]");
    for (var i = 0; i < sections.length; i++) {
      var id = sections[i].getAttribute("data-section-id") || "";
      if (id.toLowerCase().slice(-suffix.length) === suffix) return id;
    }
    if (anchor.tag === null) return null;
    var links = document.querySelectorAll("a[href]");
    for (var j = 0; j < links.length; j++) {
      var href = links[j].getAttribute("href") || "";
      var label = links[j].querySelector("[data-text]");
      if (label && label.getAttribute("data-text") === anchor.tag && /^#?\\/[^#]*$/.test(href)) return href.replace(/^#/, "") + suffix;
    }
    return null;
  }
  function anchorOf(hash) {
    var name;
    try { name = decodeURIComponent(hash.replace(/^#/, "")); } catch (e) { return null; }
    return own(anchors, name) ? name : null;
  }
  function redirect() {
    var name = anchorOf(location.hash);
    if (name === null) return;
    var route = routeOf(name);
    if (route) { history.replaceState(history.state, "", "#" + route); return; }
    history.replaceState(history.state, "", "#/");
    var tries = 0;
    (function wait() {
      var later = routeOf(name);
      if (later) location.replace("#" + later);
      else if (++tries < 400) setTimeout(wait, 50);
    })();
  }
  window.addEventListener("popstate", redirect);
  window.addEventListener("hashchange", redirect);
  window.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
    var name = link ? anchorOf(link.getAttribute("href")) : null;
    if (name === null) return;
    event.preventDefault();
    event.stopPropagation();
    var route = routeOf(name);
    var section = route ? document.querySelector("[data-section-id='" + route.replace(/['\\\\]/g, "") + "']") : null;
    if (!section) { location.hash = route ? route : name; return; }
    // The link sits in its own operation: scroll there directly, and keep at it for a
    // moment while sections above it render and change height.
    history.replaceState(history.state, "", "#" + route);
    var frames = 0;
    (function settle() {
      var offset = section.getBoundingClientRect().top - ${BAR_HEIGHT};
      if (Math.abs(offset) > 1) window.scrollBy(0, offset);
      if (++frames < 30) requestAnimationFrame(settle);
    })();
  }, true);
  redirect();
})();`;
}

/** Text as HTML text or an attribute value. */
export function escapeHtml(text: string): string {
    return text.replace(
        /[&<>"']/g,
        (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
    );
}

/** The page with joinkit's bar, style and deep-link script added. */
export function withPageChrome(html: string, page: { title: string; anchors: readonly Anchor[] }): string {
    const bar =
        `<nav class="joinkit-bar" aria-label="API documentation"><a href="index.html">← All APIs</a><span class="joinkit-title">${
            escapeHtml(page.title)
        }</span></nav>`;
    const head = `<style>${STYLE}</style>`;
    const script = `<script>${deepLinkScript(page.anchors)}</script>`;
    // The inlined renderer's code holds these tags as strings too: the page's own `</head>`
    // and `<body>` come first.
    const withHead = insertAt(html, html.indexOf("</head>"), head);
    const bodyTag = /<body[^>]*>/.exec(withHead);
    if (!bodyTag) throw new Error("the rendered page has no <body>");
    // Before Redoc's module script, which runs after the document is parsed.
    const withBar = insertAt(withHead, bodyTag.index + bodyTag[0].length, `\n${bar}\n${script}`);
    return withBar;
}

function insertAt(html: string, at: number, text: string): string {
    if (at < 0) throw new Error("the rendered page is not the HTML joinkit expects from Redocly");
    return `${html.slice(0, at)}${text}${html.slice(at)}`;
}
