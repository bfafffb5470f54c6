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

COL_INDICATOR = "Indikator"
COL_YEAR = "Stand"
COL_VALUE = "Wert"
COL_CHANGE = "Veränderung zum Vorjahr"
COL_TREND = "Verlauf"
COL_NOTE = "Hinweis"
COL_LINK = "Details"

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

DATA_INTRO = (
    "Hier sehen Sie, was geladen ist, und laden neue Dateien hoch. Jede Datei wird vollständig oder gar nicht "
    "übernommen; die Originaldatei wird mit Prüfsumme archiviert."
)
UPLOAD_LABEL = "Datei(en) hochladen (Vorlage des Integrationsmonitors, GENESIS, BA, Open SDG)"
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
