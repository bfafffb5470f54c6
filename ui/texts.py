"""All interface texts in one place (German, Sie-form), so that another language can follow."""

APP_TITLE = "Integrationsmonitor Landkreis Peine"
APP_SUBTITLE = "Controlling der Integrationsstrategie · Stabsstelle Migration und Teilhabe"
DEMO_BANNER = (
    "**Demodaten (synthetisch)** – alle Zahlen sind erfunden und dienen nur der Vorführung. "
    "Echte Daten laden Sie auf der Seite *Daten*."
)
DEMO_BADGE = "Demodaten (synthetisch)"

NAV_OVERVIEW = "Überblick"
NAV_FIELDS = "Handlungsfelder"
NAV_ANALYSIS = "Analyse"
NAV_DATA = "Daten"

PAGE_COCKPIT = "Cockpit"
PAGE_INDICATOR = "Indikator"
PAGE_COMPARISON = "Gemeindevergleich"
PAGE_DATA = "Daten und Upload"
PAGE_TARGETS = "Ziele"
PAGE_COVERAGE = "Datenabdeckung"
PAGE_PRESENTATION = "Präsentation"
TARGETS_INTRO = (
    "Zielwerte (Soll) je Indikator für den Landkreis: Zielwert, Zieljahr, Basisjahr, optional ein Sollpfad mit "
    "Meilensteinen und eine Toleranz. Jede Änderung wird mit Zeitpunkt, altem und neuem Wert und Begründung protokolliert."
)
COVERAGE_INTRO = (
    "Welche Indikatoren für welche Jahre Werte haben (Landkreis, Hauptreihe), wo Werte gesperrt oder mit einem "
    "Kennzeichen versehen sind, und welche Reihen veraltet sind."
)
COVERAGE_LEGEND = "● Wert vorhanden · ◐ Wert mit Kennzeichen · ∅ gesperrt oder fehlend (amtliches Zeichen) · leer: keine Daten"
STALE_TITLE = "Veraltete Reihen"
TARGET_EDIT = "Ziel festlegen oder ändern"
TARGET_HISTORY = "Verlauf der Zieländerungen"

COL_INDICATOR = "Indikator"
COL_YEAR = "Stand"
COL_VALUE = "Wert"
COL_CHANGE = "Veränderung zum Vorjahr"
COL_TREND = "Verlauf"
COL_NOTE = "Hinweis"
COL_LINK = "Details"
COL_STATUS = "Bewertung"
COL_TARGET = "Ziel"
STATUS_HELP = (
    "Bewertung gegen das Ziel: ✔ Ziel erreicht · ▲ auf Kurs · ◆ Beschleunigung nötig · ▼ geringer Fortschritt · "
    "✖ Verschlechterung; Wettersymbole ☀ Sonne, ☀☁ leicht bewölkt, ☁ bewölkt, ⚡ Gewitter; Sollpfad ● ◐ ○; – nicht bewertbar."
)
STALE_HELP = "„veraltet“: der neueste Wert ist älter, als das Aktualisierungsintervall der Quelle erwarten lässt."

NO_DATA = "Für diesen Indikator liegen noch keine Werte vor."
STALE = "veraltet"
COCKPIT_INTRO = (
    "Jedes Handlungsfeld mit seinen Indikatoren: neuester Wert für den Landkreis, Veränderung zum Vorjahr und "
    "Verlauf. Ein Klick auf „öffnen“ zeigt den Indikator im Detail."
)
FLAG_LEGEND_TITLE = "Kennzeichen"
BREAKDOWN_LABELS = {"": "Gesamt", "nationality": "Deutsche / Ausländer", "sex": "Geschlecht"}
INDICATOR_SELECT = "Indikator"
REGION_SELECT = "Regionen"
BREAKDOWN_SELECT = "Aufschlüsselung"
YEAR_SELECT = "Jahr"
STECKBRIEF = "Steckbrief"
VALUES_TABLE = "Werte"
DOWNLOAD_CSV = "Werte als CSV herunterladen"
DOWNLOAD_XLSX = "Werte als Excel herunterladen"
VERDICT = "Bewertung"
SOLL_IST = "Soll/Ist"
NOTES = "Notizen"
NOTE_ADD = "Notiz zu einem Jahr hinzufügen"
KIND_LABELS = {
    "published": "Wert wie veröffentlicht", "share": "Anteil (Zähler / Nenner × 100)", "rate": "Rate (je 1000 bzw. je 100)",
    "ratio": "Verhältnis", "gap": "Abstand zweier Gruppen in %-Punkten", "dissimilarity": "Segregationsindex (Dissimilarität)",
}

DATA_INTRO = (
    "Hier sehen Sie, was geladen ist, und laden neue Dateien hoch. Jede Datei wird vollständig oder gar nicht "
    "übernommen; die Originaldatei wird mit Prüfsumme archiviert."
)
UPLOAD_LABEL = (
    "Datei(en) hochladen – Vorlage des Integrationsmonitors, GENESIS, BA, Open SDG oder eigene Listen; "
    ".xlsx, .xlsm, .xls, .ods, .csv, .txt; höchstens {mb} MB je Datei"
)
UPLOADER_CSS = "<style>[data-testid='stFileUploaderDropzoneInstructions'] { display: none; }</style>"
UPLOAD_BUTTON = "Prüfung bestanden – jetzt übernehmen"
TEMPLATE_DOWNLOAD = "Leere Vorlage herunterladen (xlsx)"
EXPORT_DOWNLOAD = "Aktuelle Basisdaten als Vorlage herunterladen (xlsx)"
HISTORY = "Upload-Verlauf"
COVERAGE = "Datenabdeckung"
REMOVE_DEMO = "Demodaten entfernen und leer beginnen"
REMOVE_DEMO_HELP = "Nimmt alle Demo-Uploads zurück (im Verlauf weiterhin sichtbar). Ihre eigenen Uploads bleiben."

DIRECTION_TEXT = {
    "up": "Ein höherer Wert ist besser.",
    "down": "Ein niedrigerer Wert ist besser.",
    "zero": "Ein Wert näher an 0 ist besser (Parität).",
    "context": "Kontextindikator: beschreibt die Lage, ohne Bewertung.",
}
UPLOAD_STATUS = {"aktiv": "aktiv", "zurueckgenommen": "zurückgenommen"}

# -- projector mode ---------------------------------------------------------------------------------
PREV = "‹ Zurück"
NEXT = "Weiter ›"
PROJECTOR_CSS = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stSidebarNav"], header, footer { display: none !important; }
  [data-testid="stMainBlockContainer"], .block-container { padding-top: 1.2rem !important; max-width: 100% !important; }
  [data-testid="stAppViewContainer"] { background: #ffffff; color: #000000; }
  [data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
  [data-testid="stMainBlockContainer"] button, .praes-sub, .praes-verdict { font-size: 30px !important; line-height: 1.35; }
  .praes-title { font-size: 52px !important; font-weight: 700; margin: 0 0 .4em 0; color: #000; }
  .praes-value { font-size: 96px; font-weight: 800; line-height: 1.05; color: #000; }
  .praes-field, .praes-count { font-size: 28px; color: #333; }
  .praes-count { text-align: center; font-weight: 700; }
  .praes-verdict { margin-top: .5em; }
  .praes-demo { font-size: 24px; color: #8a4b00; font-weight: 700; }
  [data-testid="stMainBlockContainer"] button { min-height: 64px; }
</style>
"""
PROJECTOR_KEYS_JS = """
<script>
(function () {
  if (window.__praesKeys) return;
  window.__praesKeys = true;
  document.addEventListener('keydown', function (e) {
    var t = e.target && e.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA' || (e.target && e.target.isContentEditable)) return;
    var label = (e.key === 'ArrowRight' || e.key === 'PageDown') ? 'Weiter' :
                (e.key === 'ArrowLeft' || e.key === 'PageUp') ? 'Zurück' : null;
    if (!label) return;
    var btn = Array.from(document.querySelectorAll('button')).find(function (b) { return b.innerText.indexOf(label) >= 0; });
    if (btn) { e.preventDefault(); btn.click(); }
  });
})();
</script>
"""


def one_sentence(ind, verdict) -> str:
    """The verdict in one sentence for the committee (no method jargon)."""
    from indicators.fmt import fmt_value

    if ind.direction == "context":
        return "Kontextindikator: beschreibt die Lage, ohne Bewertung."
    if not verdict.assessable:
        first = verdict.explanation.split(". ")[0].rstrip(".")
        return "Nicht bewertbar: " + first.removeprefix("Nicht bewertbar: ") + "."
    if verdict.projection:
        year, value = verdict.projection[-1]
        return f"{verdict.label}: Bei gleichbleibender Entwicklung {fmt_value(value, ind.unit)} im Jahr {year}."
    return f"{verdict.label}."
