"""Style sheets and scripts of the pages (CSS, JavaScript), apart from the texts: the words stay in
``indicators.texts`` (the translations of Streamlit's own English words among them)."""

import json

from indicators.texts import STREAMLIT_DE

UPLOADER_CSS = "<style>[data-testid='stFileUploaderDropzoneInstructions'] { display: none; }</style>"

PROJECTOR_CSS = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stSidebarNav"], header, footer { display: none !important; }
  /* the slide grows with the screen (issue 25: at 3840x2160 the text stopped at 42 px and the chart's labels at
     24 px): every size follows the screen's height without an upper bound, the chart's labels included */
  :root { --vh: 1vh; }
  /* one slide = one screen: the page is exactly the viewport high, the chart row takes what the text leaves */
  [data-testid="stMainBlockContainer"], .block-container {
    padding: 1rem 2.5rem 1rem !important; max-width: 100% !important; height: 100vh;
    box-sizing: border-box; display: flex; flex-direction: column; }
  [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { flex: 1 1 auto; min-height: 0; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-praes_body) { flex: 1 1 0 !important; min-height: 0; }
  .st-key-praes_body, .st-key-praes_body [data-testid="stLayoutWrapper"],
  .st-key-praes_body [data-testid="stHorizontalBlock"], .st-key-praes_body [data-testid="stColumn"],
  .st-key-praes_body [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; min-height: 0; }
  .st-key-praes_body [class*="st-key-praes_chart"] { flex: 1 1 0 !important; min-height: 0; }
  .st-key-praes_body [class*="st-key-praes_chart"] [data-testid="stFullScreenFrame"] { height: 100% !important; }
  [data-testid="stAppViewContainer"] { background: #ffffff; color: #000000; }
  [data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
  .praes-sub, .praes-verdict { font-size: max(26px, calc(3.9 * var(--vh))) !important; line-height: 1.3; }
  .praes-title { font-size: max(34px, calc(5.6 * var(--vh))) !important; font-weight: 700; margin: 0; padding: 0;
    line-height: 1.15; color: #000; }
  .praes-value { font-size: max(60px, calc(11 * var(--vh))) !important; font-weight: 800; line-height: 1.05;
    color: #000; }
  .praes-field, .praes-count { font-size: max(20px, calc(3.2 * var(--vh))) !important; color: #222;
    line-height: 1.25; }
  .praes-count { text-align: center; font-weight: 700; white-space: nowrap; }
  .praes-verdict { margin-top: .4em; }
  .praes-demo { font-size: max(18px, calc(2.8 * var(--vh))); color: #8a4b00; font-weight: 700; }
  [data-testid="stMainBlockContainer"] button { min-height: 56px; padding-left: .6em; padding-right: .6em; }
  /* the buttons' words are never cut (was "‹ Zurü…" and "Weite…" at 1024x768): the size follows the width too */
  [data-testid="stMainBlockContainer"] button p { font-size: max(18px, min(calc(3.2 * var(--vh)), 2vw)) !important;
    white-space: nowrap; }
  .st-key-praes_field_slide button p { white-space: normal; }
  [data-testid="stPageLink"] a p, [data-testid="stPageLink"] a span {
    font-size: max(18px, min(calc(2.8 * var(--vh)), 1.9vw)) !important; }
  /* the chart's words and lines grow with the screen as the text does (plotly draws them for about 1080 lines):
     by --s on a larger screen. The legend keeps plotly's size (its entries are placed for it). */
  :root { --s: 1; }
  @media (min-width: 2200px) and (min-height: 1240px) { :root { --s: 1.25; } }
  @media (min-width: 2600px) and (min-height: 1460px) { :root { --s: 1.5; } }
  @media (min-width: 3000px) and (min-height: 1700px) { :root { --s: 1.75; } }
  @media (min-width: 3400px) and (min-height: 1940px) { :root { --s: 2; } }
  .st-key-praes_body [data-testid="stPlotlyChart"] .xtick text,
  .st-key-praes_body [data-testid="stPlotlyChart"] .ytick text { font-size: calc(24px * var(--s)) !important; }
  .st-key-praes_body [data-testid="stPlotlyChart"] .ytitle,
  .st-key-praes_body [data-testid="stPlotlyChart"] .textpoint text { font-size: calc(26px * var(--s)) !important; }
  .st-key-praes_body [data-testid="stPlotlyChart"] .scatterlayer .js-line {
    stroke-width: calc(5px * var(--s)) !important; }
  /* Home/End: buttons for the keys only (the bar has Zurück and Weiter) */
  .st-key-praes_first, .st-key-praes_last { display: none !important; }
</style>
"""
PROJECTOR_KEYS_JS = r"""
<script>
(function () {
  if (window.__praesKeys) return;
  window.__praesKeys = true;
  // Keys are queued (issue 25: a key pressed while a slide was being drawn was lost): one step at a time, the
  // next when the slide count has changed; Home/End go to the first/last slide.
  var queue = [], busy = false;
  function count() {
    var e = document.querySelector('.praes-count');
    var m = e && /(\d+)\s*\/\s*(\d+)/.exec(e.innerText);
    return m ? {k: +m[1], n: +m[2], text: e.innerText} : null;
  }
  function button(action) {
    if (action === 'first' || action === 'last') {
      return document.querySelector('.st-key-praes_' + action + ' button');
    }
    var label = action === 'next' ? 'Weiter' : 'Zurück';
    return Array.from(document.querySelectorAll('[data-testid="stMainBlockContainer"] button'))
      .find(function (b) { return b.innerText.indexOf(label) >= 0; });
  }
  function target(action, c) {
    if (action === 'first') return 1;
    if (action === 'last') return c.n;
    return action === 'next' ? c.k % c.n + 1 : (c.k + c.n - 2) % c.n + 1;
  }
  function step() {
    if (busy) return;
    var c = count();
    if (!queue.length || !c) return;
    var action = queue.shift();
    if (target(action, c) === c.k) { step(); return; }  // already there (one slide, Home on the first …)
    var btn = button(action);
    if (!btn || btn.disabled) { queue.unshift(action); setTimeout(step, 50); return; }
    busy = true;
    var before = c.text, started = Date.now();
    btn.click();
    (function wait() {
      var now = count();
      if ((now && now.text !== before) || Date.now() - started > 8000) { busy = false; step(); }
      else setTimeout(wait, 30);
    })();
  }
  document.addEventListener('keydown', function (e) {
    var t = e.target && e.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA' || (e.target && e.target.isContentEditable)) return;
    if (!document.querySelector('.praes-count')) return;  // only on the projector page
    if (e.key === 'Escape') {
      var back = document.querySelector('[data-testid="stPageLink"] a');
      if (back) { e.preventDefault(); back.click(); }
      return;
    }
    var action = (e.key === 'ArrowRight' || e.key === 'PageDown') ? 'next' :
                 (e.key === 'ArrowLeft' || e.key === 'PageUp') ? 'prev' :
                 e.key === 'Home' ? 'first' : e.key === 'End' ? 'last' : null;
    if (!action) return;
    e.preventDefault();
    queue.push(action);
    step();
  });
})();
</script>
"""


GERMAN_UI = """
<style>
  /* visible keyboard focus (WCAG 2.4.7): 3 px dark blue (contrast 7.6:1 on the sidebar, 8.3:1 on white) */
  a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
  [role="option"]:focus-visible, [role="radio"]:focus-visible, [role="checkbox"]:focus-visible {
    outline: 3px solid #0b5394 !important; outline-offset: 2px !important; border-radius: 4px;
  }
  [data-testid="stSidebar"] a:focus-visible, [data-testid="stSidebar"] button:focus-visible {
    outline-offset: -3px !important; background-color: #ffffff;
  }
  /* this element itself takes no room on the page (its style and script work all the same) */
  [data-testid="stElementContainer"]:has(#german-ui) { display: none; }
  /* the table's own CSV download writes every text as it is (=HYPERLINK(…) becomes a formula in Excel): the
     pages offer their own CSV download instead, guarded against formula injection (issue 22) */
  [data-testid="stElementToolbarButton"]:has([aria-label="Download as CSV"]),
  [data-testid="stElementToolbarButton"]:has([aria-label="Tabelle als CSV herunterladen"]),
  button[aria-label="Download as CSV"], button[aria-label="Tabelle als CSV herunterladen"] { display: none !important; }
</style>
<span id="german-ui" hidden></span>
<script>
(function () {
  if (window.__germanUi) return;
  window.__germanUi = true;
  var WORDS = __WORDS__;
  var ATTRS = ['aria-label', 'title', 'data-title', 'placeholder', 'alt'];
  // text the app itself writes (Markdown, captions, headings, tables) is never touched
  var OWN = '[data-testid="stMarkdown"], [data-testid="stCaptionContainer"], [data-testid="stHeading"], ' +
            '[data-testid="stText"], [data-testid="stCode"], [data-testid="stTable"], [data-testid="stWidgetLabel"]';
  function size(n, unit) {  // whole bytes: '0.0B' -> '0 B'
    if (unit === 'B') n = String(Math.round(parseFloat(n)));
    return n.replace('.', ',') + '\\u00a0' + unit;
  }
  function tr(s, attr) {  // attr: an attribute (labels of controls), not text on the page
    if (Object.prototype.hasOwnProperty.call(WORDS, s)) return WORDS[s];
    var m = /^(\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB)$/.exec(s);             // 10.9KB -> 10,9 KB
    if (m) return size(m[1], m[2]);
    m = /^(\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB) per file(.*)$/.exec(s);  // 50MB per file • CSV
    if (m) return size(m[1], m[2]) + ' je Datei' + m[3];
    m = /^File must be (\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB) or smaller\\.$/.exec(s);  // the uploader's size limit
    if (m) return 'Die Datei ist zu groß: erlaubt sind höchstens ' + size(m[1], m[2]) + ' je Datei.';
    m = /^(.+) files are not allowed\\.$/.exec(s);
    if (m) return 'Dateien vom Typ ' + m[1] + ' sind nicht erlaubt.';
    m = /^Select (\\d+) matches$/.exec(s);  // a multiselect's bulk option while typing
    if (m) return 'Alle ' + m[1] + ' Treffer auswählen';
    if (/^[a-z0-9_]+ icon$/.test(s)) return '';  // "download icon": Streamlit's English name of a symbol
    if (!attr) return null;
    m = /^(.+), (\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB)$/.exec(s);         // file chip: "liste.csv, 13.4KB"
    if (m) return m[1] + ', ' + size(m[2], m[3]);
    m = /^Help for (.*)$/.exec(s);
    if (m) return 'Hilfe zu ' + m[1];
    m = /^Remove (.+)$/.exec(s);
    if (m) return m[1] + ' entfernen';
    return null;
  }
  function fixElement(el) {
    for (var i = 0; i < ATTRS.length; i++) {
      var v = el.getAttribute(ATTRS[i]);
      if (!v) continue;
      var t = tr(v.trim(), true);
      if (t !== null && t !== v) el.setAttribute(ATTRS[i], t);
    }
  }
  // Streamlit's own "page not found" dialog: the page itself says precisely what happened (a page the role may not
  // open, an address that does not exist), so the dialog, which would cover that notice, is closed at once
  var NOT_FOUND = "The page that you have requested does not seem to exist. Running the app's main page.";
  function dismissNotFound(node) {
    var dlg = node.parentElement && node.parentElement.closest('[role="dialog"]');
    if (!dlg) return;
    var btn = dlg.querySelector('button[aria-label="Close"], button[aria-label="Schließen"]');
    if (btn) btn.click();
    else document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', code: 'Escape', bubbles: true}));
  }
  function fixText(node) {
    var v = node.nodeValue, s = v && v.trim();
    if (s === NOT_FOUND) setTimeout(function () { dismissNotFound(node); }, 0);
    if (!s || (node.parentElement && node.parentElement.closest(OWN))) return;
    var t = tr(s, false);
    if (t !== null && t !== s) node.nodeValue = v.replace(s, t);
  }
  function walk(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1) return;
    fixElement(root);
    var els = root.querySelectorAll('[' + ATTRS.join('],[') + ']');
    for (var i = 0; i < els.length; i++) fixElement(els[i]);
    var w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), n;
    while ((n = w.nextNode())) fixText(n);
  }
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.type === 'childList') r.addedNodes.forEach(walk);
      else if (r.type === 'characterData') fixText(r.target);
      else if (r.type === 'attributes') fixElement(r.target);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ATTRS});
  walk(document.body);
  document.documentElement.lang = 'de';
})();
</script>
""".replace("__WORDS__", json.dumps(STREAMLIT_DE, ensure_ascii=False))
