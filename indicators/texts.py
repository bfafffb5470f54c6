"""All interface texts in one place (German, Sie-form), so that another language can follow."""

APP_TITLE = "Integrationsmonitor Landkreis Peine"
APP_SUBTITLE = "Controlling der Integrationsstrategie · Stabsstelle Migration und Teilhabe"
#: the frame's title with the tenant's Kreis (issue 24; „Landkreis Peine“ gives APP_TITLE)
APP_TITLE_FOR = "Integrationsmonitor {name}"
TENANT_SELECT = "Kreis"
TENANT_UNKNOWN = "Den Kreis {key} führt diese Installation nicht; gezeigt wird der Kreis der Installation."
TENANT_REFUSED = (
    "**Kein Zugang zum {name} ({key}).** Ihr Konto hat in diesem Kreis keine Rolle; seine Seiten bleiben "
    "verschlossen. Ihre Kreise:"
)
DEMO_BANNER = (
    "**Demodaten (synthetisch)** – alle Zahlen sind erfunden und dienen nur der Vorführung. "
    "Echte Daten laden Sie auf der Seite *Daten und Upload*."
)
#: the same banner for roles that cannot upload (Betrachter, Analyse, reading without sign-in): no upload hint
#: the banner on the Daten page itself: where on this page (issue 25: it sent the reader to the page they were on)
DEMO_BANNER_HERE = (
    "**Demodaten (synthetisch)** – alle Zahlen sind erfunden und dienen nur der Vorführung. "
    "Echte Daten laden Sie hier unten hoch; mit „Demodaten entfernen und leer beginnen“ beginnen Sie leer."
)
START_GUIDE_TITLE = "So fangen Sie an"
START_GUIDE_INTRO = (
    "Es sind noch keine Daten geladen; das Cockpit füllt sich, sobald die ersten Dateien übernommen sind. "
    "In wenigen Schritten:"
)
START_GUIDE_UPLOAD = (
    "1. Daten laden: Exporte von GENESIS/Regionalstatistik, Bundesagentur für Arbeit, Open SDG oder eigene Listen"
)
START_GUIDE_TARGETS = "2. Zielwerte festlegen: je Indikator Zielwert und Zieljahr – daraus entstehen die Bewertungen"
START_GUIDE_STRATEGY = "3. Strategie erfassen: Leitbild, Leitziele und Handlungsziele, dann die Maßnahmen"
START_GUIDE_MEASURES = "4. Maßnahmen anlegen und die Fachdienste befragen (Maßnahmenabfrage)"
START_GUIDE_READ = "Die Daten lädt die Datenpflege; danach erscheinen hier die Bewertungen je Handlungsfeld."
DEMO_BANNER_READ = (
    "**Demodaten (synthetisch)** – alle Zahlen sind erfunden und dienen nur der Vorführung. "
    "Echte Daten lädt die Datenpflege."
)
#: the same with several Kreise (issue 24): the shared data of all Kreise are the Landesadministration's to load
DEMO_BANNER_READ_LAND = (
    "**Demodaten (synthetisch)** – alle Zahlen sind erfunden und dienen nur der Vorführung. "
    "Echte Daten lädt die Landesadministration (sie gelten für alle Kreise dieser Installation)."
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
COVERAGE_LEGEND = (
    "● Wert vorhanden · ◐ Wert mit Kennzeichen · ∅ gesperrt oder fehlend (amtliches Zeichen) · leer: keine Daten"
)
STALE_TITLE = "Veraltete Reihen"
TARGET_EDIT = "Ziel festlegen oder ändern"
BASE_YEAR_HELP = (
    "Vorgabe: das Basisjahr der Strategie ({year}, Einstellung MONITOR_BASE_YEAR). Fehlt für das "
    "Basisjahr ein Wert, gilt das nächste Jahr mit Wert; die Bewertung nennt das verwendete Basisjahr."
)
TARGET_HISTORY = "Verlauf der Zieländerungen"
NUMBER_HELP = "Zahl mit Dezimalkomma, z. B. 30,5 oder 1.234,5"
TARGET_PATH_HELP = "Sollwert des Jahres als Zahl mit Dezimalkomma, z. B. 12,5; leer lassen, um das Jahr auszulassen."
TARGET_FAR_OFF = (
    "Bitte prüfen Sie diese Angabe – vielleicht ein Tippfehler? Wenn sie stimmt, bestätigen Sie sie unten "
    "und speichern Sie erneut."
)
TARGET_CONFIRM = "Ja, der Wert ist richtig – trotzdem speichern"
TARGET_SAVED = "Ziel für „{name}“ gespeichert: {value} bis {year}."
TARGET_REASON = "Begründung der Änderung (wird protokolliert, höchstens {n} Zeichen)"
TARGET_NEED_REASON = "Feld „Begründung“: Bitte begründen Sie die Änderung eines bestehenden Ziels."
TARGET_SAVE_FAILED = "Das Ziel wurde nicht gespeichert; der vorige Stand gilt weiter. {detail}"
TARGET_DELETE_REASON = "Begründung der Löschung"
SOLL_OPEN = "noch offen"
SOLL_NO_VALUE = "kein Wert"

COL_INDICATOR = "Indikator"
COL_YEAR = "Stand"
COL_VALUE = "Wert"
COL_CHANGE = "Veränderung zum Vorjahr"
CHANGE_NONE = "► unverändert"
CHANGE_BETTER = "besser"
CHANGE_WORSE = "schlechter"
#: a one-year change against the multi-year trend of the verdict (key: the one-year change is better)
CHANGE_AGAINST_TREND = {
    True: "besser als im Vorjahr (mehrjährige Entwicklung: falsche Richtung)",
    False: "schlechter als im Vorjahr (mehrjährige Entwicklung: richtige Richtung)",
}
ROLLUP_SCORE = "mittlere Bewertung {score} auf der Skala von -5 bis +5"
ROLLUP_ASSESSED = "{n} bewertet"
ROLLUP_NOT_ASSESSABLE = "{n} nicht bewertbar"
ROLLUP_CONTEXT_ONE = "{n} Kontextindikator ohne Bewertung"
ROLLUP_CONTEXT = "{n} Kontextindikatoren ohne Bewertung"
COL_TREND = "Verlauf"
COL_NOTE = "Hinweis"
COL_LINK = "Details"
COL_STATUS = "Bewertung"
COL_TARGET = "Ziel"
STATUS_HELP = (
    "Bewertung gegen das Ziel: ✔ Ziel erreicht · ▲ auf Kurs · ◆ Beschleunigung nötig · ▼ geringer Fortschritt · "
    "✖ Verschlechterung; Wettersymbole ☀ Sonne, ☀☁ leicht bewölkt, ☁ bewölkt, ⚡ Gewitter; Sollpfad ● im Soll, "
    "◐ knapp hinter dem Soll, ○ deutlich hinter dem Soll; – nicht bewertbar oder Kontextindikator (ohne Bewertung)."
)
STALE_HELP = "„veraltet“: der neueste Wert ist älter, als das Aktualisierungsintervall der Quelle erwarten lässt."

IND_NO_TARGET = "Für diesen Indikator ist kein Ziel festgelegt."
IND_CONTEXT_NO_TARGET = "Kontextindikator: ohne Ziel und ohne Bewertung."
PAGE_ERROR = (
    "Auf dieser Seite ist ein unerwarteter Fehler aufgetreten. Bitte laden Sie die Seite neu und prüfen Sie, ob Ihre "
    "letzte Eingabe gespeichert wurde; wenn der Fehler bleibt, melden Sie ihn bitte der Administration (Details "
    "stehen im Serverprotokoll)."
)
NO_DATA = "Für diesen Indikator liegen noch keine Werte vor."
STALE = "veraltet"
NO_DATA_NOTE = "noch keine Daten"
COCKPIT_INTRO = (
    "Jedes Handlungsfeld mit seinen Indikatoren: neuester Wert für den Landkreis, Veränderung zum Vorjahr und "
    "Verlauf. Ein Klick auf den Namen eines Indikators zeigt ihn im Detail."
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
NOTE_COLUMNS = {"year": "Jahr", "text": "Notiz", "scope": "Gilt für", "by": "Von", "public": "Öffentlich"}
NOTE_SCOPE_ALL = "alle Indikatoren"
NOTE_SCOPE_ONE = "diesen Indikator"
NOTE_YEAR = "Jahr"
NOTE_TEXT = "Notiz"
NOTE_TEXT_LIMIT = "Notiz (höchstens {n} Zeichen)"
NOTE_TEXT_PLACEHOLDER = "z. B. Zuzug aus der Ukraine"
NOTE_GENERAL = "für alle Indikatoren anzeigen"
NOTE_SAVE = "Notiz speichern"
NOTE_DELETE_PICK = "Notiz löschen"
NOTE_DELETE_SURE = "Ja, diese Notiz löschen"
NOTE_DELETE = "Notiz löschen"
NOTE_DELETE_HELP = "Eine gelöschte Notiz verschwindet aus Diagramm und Liste; ihr Text bleibt im Protokoll."
NOTE_DELETED = "Notiz gelöscht."
NOTE_SAVED = "Notiz gespeichert."
NOTE_ALREADY_GONE = "Diese Notiz war bereits gelöscht (von jemand anderem); die Liste ist jetzt aktuell."
#: the operands of a definition in the profile (Steckbrief), with source and reference date (issue 14)
OPERAND_LABELS = {
    "value": "Wert",
    "numerator": "Zähler",
    "denominator": "Nenner",
    "group_a": "Gruppe A",
    "group_b": "Gruppe B",
}
KIND_LABELS = {
    "published": "Wert wie veröffentlicht",
    "share": "Anteil (Zähler / Nenner × 100)",
    "rate": "Rate (je 1000 bzw. je 100)",
    "ratio": "Verhältnis",
    "gap": "Abstand zweier Gruppen in %-Punkten",
    "dissimilarity": "Segregationsindex (Dissimilarität)",
}

DATA_INTRO = (
    "Hier sehen Sie, was geladen ist, und laden neue Dateien hoch. Jede Datei wird vollständig oder gar nicht "
    "übernommen; die Originaldatei wird mit Prüfsumme archiviert."
)
UPLOAD_LABEL = (
    "Datei(en) hochladen – Vorlage des Integrationsmonitors, GENESIS, BA, Open SDG oder eigene Listen; "
    ".xlsx, .xlsm, .xls, .ods, .csv, .txt; höchstens {mb} MB je Datei"
)

UPLOAD_BUTTON = "Prüfung bestanden – jetzt übernehmen"
#: a text file once opened with the wrong character set and saved again (indicators/ingest/pipeline.py)
ENCODING_REPAIRED = (
    "Zeichenkodierung: Die Datei wurde offenbar einmal mit falschem Zeichensatz geöffnet und wieder gespeichert "
    "(UTF-8 als Windows-1252 gelesen): hier steht „{found}“. {n} dieser Art wurden eindeutig zurückübersetzt "
    "(hier: „{repaired}“). Bitte die Werte und Bezeichnungen in der Vorschau prüfen; besser die Originaldatei erneut "
    "herunterladen oder beim Öffnen im Tabellenprogramm den Zeichensatz „Unicode (UTF-8)“ wählen und als "
    "„CSV UTF-8“ speichern."
)
ENCODING_MEANT = " (gemeint ist wohl „{repaired}“)"
ENCODING_CELL = (
    "Zeichenkodierung: In dieser Zelle steht „{found}“{meant} – die Daten wurden einmal mit falschem Zeichensatz "
    "geöffnet und so gespeichert. Bitte die Originaldatei erneut herunterladen, oder die CSV-Datei im "
    "Tabellenprogramm mit dem richtigen Zeichensatz öffnen („Unicode (UTF-8)“ oder „Westeuropäisch "
    "(Windows-1252)“) und erneut speichern."
)
ENCODING_LOST = (
    "Zeichenkodierung: Hier steht „{found}“ – die Datei wurde mit falschem Zeichensatz geöffnet und wieder "
    "gespeichert; die ursprünglichen Buchstaben (Umlaute) sind dabei verloren gegangen oder nicht eindeutig "
    "({n} in der Datei). Bitte die Originaldatei erneut herunterladen, oder sie im Tabellenprogramm mit dem "
    "Zeichensatz öffnen, in dem sie geschrieben ist („Westeuropäisch (Windows-1252)“ oder „Unicode (UTF-8)“), "
    "und als „CSV UTF-8“ speichern."
)
#: the button when the check found warnings ({n}: „23 Warnungen“)
UPLOAD_BUTTON_WARNINGS = "Geprüft, {n} – trotzdem übernehmen"
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
BACK_TO_COCKPIT = "Zurück zum Cockpit"
BACK_TO_COCKPIT_HELP = "Verlässt die Präsentation (Taste Esc)."

# -- deep links that a page cannot show: one line, then the default --------------------------------
LINK_UNKNOWN_INDICATOR = "Den Indikator {value} aus der Adresse gibt es nicht; angezeigt wird „{shown}“."
LINK_NO_TARGET = "„{name}“ ist ein Kontextindikator und bekommt kein Ziel; angezeigt wird „{shown}“."
LINK_NO_GEMEINDEN = "Den Indikator „{name}“ gibt es nicht für die Gemeinden; angezeigt wird „{shown}“."
LINK_BAD_BREAKDOWN = (
    "Die Aufschlüsselung {value} aus der Adresse gibt es für diesen Indikator nicht; angezeigt wird „Gesamt“."
)
LINK_BAD_REGIONS = "Die Region(en) {value} aus der Adresse gibt es hier nicht; sie werden nicht angezeigt."
LINK_BAD_YEAR = "{value} aus der Adresse ist keine Jahreszahl; angezeigt wird {year}."
LINK_YEAR_NO_VALUES = "Für das Jahr {value} liegen keine Werte vor; angezeigt wird {year}."
LINK_BAD_SLIDE = "Die Folie {value} gibt es nicht (1 bis {n}); angezeigt wird Folie {slide}."
LINK_UNKNOWN_SLIDES = "Diese Indikatoren aus der Adresse gibt es nicht: {values}; sie werden übersprungen."
CMP_KREIS_LINE = "Gestrichelte Linie: Wert des Landkreises. Ein fehlender Wert bleibt eine Lücke mit seinem Zeichen."
CMP_KREIS_SUM = (
    "Anzahlen: Der Landkreis ist die Summe der Gemeinden ({value}) und wird darum nicht als Linie "
    "verglichen. Ein fehlender Wert bleibt eine Lücke mit seinem Zeichen."
)
LINK_NO_SLIDES = "Keinen der Indikatoren aus der Adresse gibt es ({values}); gezeigt wird die Standardfolge."


# -- page "Daten und Upload" (ui/upload.py) ---------------------------------------------------------
TAB_UPLOAD = "Hochladen"
TAB_PROFILES = "Zuordnungsprofile"
METRIC_UPLOADS = "Aktive Uploads"
METRIC_OBS = "Basiswerte (aktuell)"
METRIC_VALUES = "Berechnete Indikatorwerte"
UPL_ERROR_GENERIC = "Die Aktion ist fehlgeschlagen; es wurde nichts geändert. {detail}"
UPL_SECTION_FAILED = (
    "Dieser Bereich konnte nicht angezeigt werden. {detail} Bitte laden Sie die Seite neu; "
    "bleibt der Fehler, wenden Sie sich an die Administration."
)
UPL_DUPLICATE_IN_BATCH = "„{name}“ ist inhaltlich identisch mit „{first}“ und wird nur einmal angezeigt."
UPL_PROGRESS = "Datei {i} von {n}: {name} wird gelesen …"
UPL_PROGRESS_CHECKING = "Datei {i} von {n}: {name} ist gelesen und wird geprüft …"
UPL_PROGRESS_DONE = "{n} Datei(en) gelesen und geprüft."
UPL_STATUS_READING = "{name}: wird gelesen …"
UPL_STATUS_READ = "{name}: gelesen ({rows}), wird geprüft …"  # rows: "1 Wert", "12 Werte"
UPL_STATUS_CHECKED = "{name}: gelesen und geprüft – {rows}, {errors} Fehler, {warnings} Warnungen"
UPL_STATUS_STEP_READ = "Gelesen: {format}, {rows}."
UPL_STATUS_STEP_CHECKED = "Geprüft: {errors} Fehler, {warnings} Warnungen."
UPL_BADGE_OK = ":green-badge[:material/check: bereit zur Übernahme]"
UPL_BADGE_WARN = ":orange-badge[{n} Warnung(en)]"
UPL_BADGE_ERR = ":red-badge[:material/block: {n}]"
UPL_BADGE_DONE = ":blue-badge[übernommen als Upload Nr. {id}]"
UPL_FORMAT = "**Erkanntes Format:** {label}"
UPL_FORMAT_UNKNOWN = "**Format nicht erkannt.**"
UPL_FORMAT_NO_TABLE = "**Keine lesbare Tabelle.**"
UPL_NOT_READABLE = "{reason} Die Datei kann nicht übernommen werden; es wurde nichts gespeichert."
UPL_REASONING = "Begründung: {text}"
UPL_FACT_ROWS = "Werte"
#: the official symbols ('-', '.', 'x' …) read beside the values: counted apart, as the reconciliation does
UPL_FACT_SYMBOLS = "Amtliche Zeichen"
UPL_FACT_YEARS = "Jahre"
UPL_FACT_REGIONS = "Regionen"
UPL_FACT_VARIABLES = "Variablen"
UPL_VARIABLES = "**Variablen:** {items}"
UPL_REGIONS = "**Regionen:** {items}"
UPL_YEARS = "**Jahre:** {items}"
UPL_MORE = " … und {n} weitere"
#: n: '69 Plausibilitätswarnungen'; listed: '' or ', 21 davon einzeln aufgeführt, die übrigen gezählt' (the list shows
#: the first ones per rule and counts the rest: the numbers say the same everywhere, review of issue 21)
UPL_PLAUSIBILITY_LISTED = ", {listed} davon einzeln aufgeführt, die übrigen in Sammelzeilen gezählt"
UPL_PLAUSIBILITY_ALERT = (
    "{n} (eine je Wert und Regel) in der Liste oben{listed}: Werte, die möglich, aber unwahrscheinlich sind (Veränderung zum Vorjahr über der "
    "Schwelle, etwa 1.000-fach, Personenzahl mit Nachkommastellen, Gemeinden über dem Kreis, Zahl durch Zeichen "
    "ersetzt). Bitte prüfen, bevor die Datei übernommen wird."
)
UPL_PLAUSIBILITY_CONFIRM = "Ich habe die Plausibilitätswarnungen geprüft; die Werte sind so richtig."
#: files of the inbox with plausibility warnings, waiting for a person (indicators/inbox.py)
INBOX_PENDING_TITLE = "Aus dem Eingangsordner: Bestätigung nötig"
INBOX_PENDING_INTRO = (
    "Diese Dateien kamen über den Eingangsordner und haben Plausibilitätswarnungen. Sie sind noch nicht übernommen: "
    "bitte die Warnungen prüfen und die Datei übernehmen oder verwerfen."
)
INBOX_PENDING_FILE = "**{name}** – abgelegt von {owner}"
INBOX_PENDING_CONFIRM = "Übernehmen"
INBOX_PENDING_DISCARD = "Verwerfen"
INBOX_PENDING_DONE = "{name}: {rows} Werte übernommen (Upload Nr. {id}). Die Indikatoren sind neu berechnet."
INBOX_PENDING_NOT_TAKEN = "{name} wurde nicht übernommen: {reason}"
INBOX_PENDING_DISCARDED = "{name} wurde verworfen; es wurde nichts übernommen."
INBOX_PENDING_FAILED = "Die Datei aus dem Eingangsordner ließ sich nicht bearbeiten. {detail}"
UPL_ACCOUNTING_TITLE = "Jede Zelle gezählt"
UPL_ACCOUNTING_CAPTION = (
    "Der gefundene Datenblock und sein Abgleich: jede Zelle ist ein übernommener Wert, ein amtliches Zeichen "
    "(„-“, „.“, „x“ …), abgelehnt (Fehler) oder mit Warnung ausgelassen (die übrigen Zeilen werden gelesen) – "
    "abgelehnte und ausgelassene Zellen mit Blatt, Zeile, Spalte, Inhalt und Grund."
)
UPL_ACCOUNTING_OFF = "Der Abgleich geht nicht auf; bitte die Datei mit der Administration prüfen."
UPL_ACCOUNTING_REFUSED = "Abgelehnte Zellen ({n})"
UPL_ACCOUNTING_LEFT_OUT = "Mit Warnung ausgelassene Zellen ({n})"
UPL_ACCOUNTING_COLUMNS = {"sheet": "Blatt", "row": "Zeile", "column": "Spalte", "content": "Inhalt", "reason": "Grund"}
UPL_ASSUMPTIONS = "Annahmen beim Lesen (Zeichenkodierung, Trennzeichen, Kopfzeilen, Spaltenzuordnung)"
UPL_ASSUMPTION_COL = "Annahme"
UPL_ASSUMPTION_VALUE = "Wert"
UPL_ERRORS = "{n} – die Datei kann so nicht übernommen werden. Es wurde nichts gespeichert."
#: how many errors and in how many rows ("5 Fehler, 3 Zeilen betroffen"; a file's error has no row)
UPL_ERROR_COUNT = "{errors} Fehler"
UPL_ERROR_ROWS = {1: "1 Zeile betroffen", "n": "{n} Zeilen betroffen"}
UPL_WARNINGS = "{n} Warnung(en) – bitte prüfen; die Übernahme ist trotzdem möglich."
UPL_PROBLEMS_TITLE = "Gefundene Probleme"
PROBLEM_COLUMNS = {"Art": "Art", "Blatt": "Blatt", "Zeile": "Zeile", "Spalte": "Spalte", "Meldung": "Meldung"}
SEVERITY = {"fehler": "Fehler", "warnung": "Warnung"}
UPL_SAMPLE = "Stichprobe der gelesenen Werte ({shown} von {total})"
UPL_SAMPLE_ALL = "Alle gelesenen Werte anzeigen (höchstens {n} Zeilen)"
OBS_LABELS = {
    "variable": "Variable",
    "region": "Region",
    "year": "Jahr",
    "ref_date": "Stichtag",
    "nationality": "Staatsangehörigkeit",
    "sex": "Geschlecht",
    "age_group": "Altersgruppe",
    "category": "Kategorie",
    "value": "Wert",
    "flag": "Kennzeichen",
    "source_sheet": "Blatt",
    "source_row": "Zeile",
    "source_column": "Spalte",
}
UPL_ALREADY = (
    "Diese Datei ist **bereits vorhanden**: gleiche Prüfsumme wie Upload Nr. {id} vom {when}. "
    "Sie wird nicht doppelt geladen."
)
UPL_ALREADY_NO_BUTTON = (
    "Übernehmen entfällt: die Werte dieser Datei sind schon geladen. Upload Nr. {id} steht im Reiter "
    "„Upload-Verlauf“ (dort lässt er sich auch ansehen oder zurücknehmen)."
)
UPL_BADGE_ALREADY = ":gray-badge[:material/content_copy: bereits vorhanden (Upload Nr. {id})]"
UPL_DIFF_TITLE = "Vergleich mit dem aktuellen Stand"
UPL_DIFF_COUNTS = "**{neu}** neu · **{changed}** geändert · **{same}** unverändert"
UPL_DIFF_CHANGED = "Geänderte Werte (bisher → neu), {shown} von {total}:"
UPL_DIFF_NONE_CHANGED = "Kein bestehender Wert wird geändert."
# the effect of an upload on the indicators of the own Kreis (indicators/ingest/impact.py), before the commit
IMPACT_TITLE = "Auswirkung auf die Indikatoren: {region}"
IMPACT_CAPTION = (
    "Probeweise berechnet, nichts gespeichert: Hauptwerte des eigenen Kreises (wie im Cockpit), die mit der "
    "Übernahme entfallen, neu entstehen oder sich ändern."
)
IMPACT_COUNTS = "**{lost}** entfallen · **{new}** neu · **{changed}** geändert"
IMPACT_NONE = "Die Datei ändert keinen Hauptwert des eigenen Kreises."
IMPACT_JUMPS = (
    "In Vergleichsregionen springen Werte gegenüber den gespeicherten ({n}, Plausibilitätsregel) – bitte prüfen, "
    "sie erscheinen im Regionalvergleich."
)
IMPACT_JUMPS_COLUMN = "Vergleichsregion: Regel, Region, Jahr, Variable, bisher → neu"
IMPACT_LOST_ALERT = (
    "Mit der Übernahme entfallen Werte des eigenen Kreises ({n}): die Zeitreihen im Cockpit bekommen "
    "eine Lücke, die Datenabdeckung zeigt ∅. Welche Werte und warum: Tabelle unten."
)
IMPACT_LOST_WARNING = "{region}: Nach der Übernahme entfällt der Wert „{name}“ {year} (bisher {old})."
IMPACT_REASON = "Grund: {reason}."
IMPACT_LOST_MORE = "{region}: … und {n} weitere Werte entfallen (siehe „Auswirkung auf die Indikatoren“)."
IMPACT_MORE = "… und {n} weitere Werte (nicht aufgeführt; alle gezählt in der Zeile über der Tabelle)."
IMPACT_FAILED = "Die Auswirkung auf die Indikatoren ließ sich nicht probeweise berechnen."
IMPACT_REASONS = {
    "tw": "Summe aus Gemeinden unvollständig",
    "Fz": "kleine Fallzahl, unterdrückt (unter der Mindestfallzahl)",
    "Fz2": "zusätzlich unterdrückt (Sekundärgeheimhaltung)",
    "x0": "Nenner ist 0",
}
IMPACT_MISSING_CELLS = " – ohne Zahl in der Datei: {names}"
IMPACT_SYMBOL = "Kennzeichen „{symbol}“ ({meaning})"
IMPACT_KIND = {"entfällt": "entfällt", "neu": "neu", "geändert": "geändert"}
IMPACT_COLUMNS = {
    "indicator": "Indikator",
    "year": "Jahr",
    "change": "Änderung",
    "old": "Bisher",
    "new": "Neu",
    "reason": "Grund",
}
IMPACT_CLI = "  Indikatoren {region}: {counts}"
IMPACT_DEMO_HIDDEN = (
    "Die synthetischen Demowerte von {regions} ({values}) zählen nach der Übernahme nicht mehr, weil die Datei echte "
    "Werte dieser Regionen bringt: {names}. Sie gelten wieder, wenn die Datei zurückgenommen wird."
)
#: regions named in that sentence at most (the rest: „…“)
IMPACT_DEMO_HIDDEN_NAMES = 12
IMPACT_CLI_MORE = "… und {n} weitere neue oder geänderte Werte (nicht aufgeführt)."
UPL_COMMITTING = "Übernehmen und Indikatoren neu berechnen …"
UPL_SUCCESS = "{name}: {rows} übernommen (Upload Nr. {id}). Die Indikatoren sind neu berechnet."
UPL_REJECTED = "{name} wurde nicht übernommen: {reason}"
UPL_RESULT_DIFF = "Änderung gegenüber dem vorherigen Stand: "
UPL_SEE_HISTORY = "Details, die Änderungen dieses Uploads und die Rücknahme finden Sie im Reiter „Upload-Verlauf“."
UPL_RECHECK = "Datei erneut prüfen"
UPL_COMMIT_FAILED = (
    "Die Übernahme ist fehlgeschlagen und wurde vollständig zurückgenommen; es wurde nichts gespeichert. {detail}"
)
DIFF_COLUMNS = {
    "change": "Änderung",
    "variable": "Variable",
    "region": "Region",
    "year": "Jahr",
    "breakdown": "Aufschlüsselung",
    "old": "Bisher",
    "new": "Neu",
}
DIFF_KINDS = {"neu": "neu", "geändert": "geändert", "unverändert": "unverändert"}
BREAKDOWN_TOTAL = "insgesamt"

UPL_REGIONS_TITLE = "Unbekannte Regionen aufnehmen"
UPL_REGIONS_HELP = (
    "Die Datei enthält Regionen, die nicht in der Regionsliste stehen. Wählen Sie aus, welche mit dem "
    "Namen aus der Datei aufgenommen werden sollen; die Ebene ergibt sich aus der Länge des Schlüssels. "
    "Danach wird die Datei erneut geprüft."
)
UPL_REGIONS_ROW = "**{key}** – {name} ({level})"
UPL_REGIONS_NO_NAME = "ohne Namen in der Datei"
UPL_REGIONS_BUTTON = "Regionen aufnehmen"
UPL_REGIONS_ADDED = "{n} Region(en) aufgenommen: {keys}. Die Datei wurde erneut geprüft."
UPL_REGIONS_FAILED = "Die Regionen konnten nicht aufgenommen werden: {detail}"

UPL_PROFILE_APPLIED = "Gelesen mit dem Zuordnungsprofil „{name}“."
UPL_PROFILE_RESET = "Automatische Erkennung verwenden"
UPL_PROFILE_PRESELECTED = (
    "An ihrer Form erkannt: eine Liste für das Zuordnungsprofil **„{name}“**{title} – die Datei ist damit gelesen "
    "(die Kopfzeile enthält jede Spalte des Profils). Bitte die Vorschau prüfen und dann übernehmen; passt es nicht, "
    "„Automatische Erkennung verwenden“ oder unten ein anderes Profil wählen."
)
UPL_PROFILE_OFFER = "Für Dateien dieser Form gibt es das Zuordnungsprofil **„{name}“**{title}."
UPL_PROFILE_USE = "Mit Profil „{name}“ lesen"
UPL_PROFILE_CHOOSE = "Vorhandenes Zuordnungsprofil anwenden"
UPL_PROFILE_APPLY = "Profil anwenden"
UPL_PROFILE_NOT_FOUND = "Das Zuordnungsprofil „{name}“ gibt es nicht (mehr)."
UPL_MAPPING_TOGGLE = "Spaltenzuordnung anlegen"

MAP_TITLE = "Spaltenzuordnung für diese Datei"
MAP_INTRO = (
    "Legen Sie fest, wie die Tabelle zu lesen ist: in welcher Zeile die Spaltenüberschriften stehen, welche "
    "Spalte die Region, das Jahr und die Werte enthält. „Vorschau mit dieser Zuordnung“ liest die Datei damit; "
    "„Als Profil speichern“ merkt sich die Zuordnung für Dateien derselben Form (z. B. die Liste im nächsten Jahr)."
)
MAP_READ_FAILED = "Die Datei lässt sich für die Zuordnung nicht öffnen: {detail}"
MAP_NO_SHEETS = "Die Datei enthält keine Tabelle, die sich zuordnen lässt."
MAP_SHEET = "Tabellenblatt"
MAP_HEADER_ROW = "Kopfzeile (Zeilennummer wie in der Tabelle)"
MAP_DECIMAL = "Dezimalzeichen bei Zahlen als Text"
MAP_DECIMALS = {",": "Komma (1.234,5)", ".": "Punkt (1,234.5)"}
MAP_GRID = "Anfang der Tabelle (Zeilennummern wie in der Tabelle, die gewählte Kopfzeile ist markiert):"
MAP_HEADER_EMPTY = "Zeile {row} enthält keine Spaltenüberschriften. Bitte wählen Sie eine andere Kopfzeile."
MAP_HEADER_CELLS = "Spalten der Kopfzeile: {cols}"
MAP_NONE = "(keine)"
MAP_LABEL_COLUMN = "Spalte mit Zeilenbeschriftung (Zeilen „Summe“, „Gesamt“, „Insgesamt“ werden übersprungen)"
MAP_REGION = "Region"
MAP_REGION_MODES = {"column": "aus einer Spalte", "value": "fester Regionalschlüssel"}
MAP_REGION_COLUMN = "Spalte mit Regionalschlüssel oder Namen"
MAP_REGION_VALUE = "Regionalschlüssel für alle Zeilen"
MAP_REGION_NAME_COLUMN = "Spalte mit dem Regionsnamen (optional)"
MAP_CODES = "Zuordnung Beschriftung → {what} (optional, eine je Zeile: Beschriftung = Code)"
MAP_CODES_REGION = "Regionalschlüssel"
MAP_CODES_CODE = "Code"
MAP_YEAR = "Jahr"
MAP_YEAR_MODES = {
    "column": "aus einer Spalte",
    "value": "fester Wert",
    "from_title": "aus einer Titelzeile (z. B. „Stand: 31.12.2024“)",
}
MAP_YEAR_COLUMN = "Spalte mit Jahr oder Stichtag"
MAP_YEAR_VALUE = "Jahr für alle Zeilen"
MAP_YEAR_WORD = "Stichwort über der Kopfzeile, dem Datum oder Jahr folgen"
MAP_LAYOUT = "Aufbau der Werte"
MAP_LAYOUTS = {
    "long": "lange Form: eine Wertspalte, je Zeile ein Wert",
    "wide": "breite Form: mehrere Wertspalten, je Spalte eine Variable/Aufschlüsselung",
}
MAP_VALUE_COLUMN = "Wertspalte"
MAP_VARIABLE = "Variable"
MAP_VARIABLE_MODES = {"value": "fest (Basisvariable aus dem Katalog)", "column": "aus einer Spalte"}
MAP_VARIABLE_VALUE = "Basisvariable"
MAP_VARIABLE_COLUMN = "Spalte mit der Variable"
MAP_VALUE_COLUMNS = "Wertspalten"
MAP_WIDE_HINT = "Für jede Wertspalte: Variable und Aufschlüsselung."
MAP_DIMENSIONS = "Aufschlüsselung für alle Zeilen (Staatsangehörigkeit, Geschlecht, Altersgruppe, Kategorie)"
MAP_DIM_MODES = {"total": "insgesamt (nicht aufgeschlüsselt)", "value": "fester Wert", "column": "aus einer Spalte"}
MAP_DIM_VALUE = "{dim}: Code"
MAP_DIM_COLUMN = "{dim}: Spalte"
MAP_FLAG_COLUMN = "Spalte mit Kennzeichen (optional)"
MAP_AGGREGATE = "Zeilen zusammenfassen"
MAP_AGGREGATES = {
    "none": "nein, jede Zeile ist ein eigener Wert",
    "sum": "Summe aller Zeilen je Schlüssel (Zeilen sind Teile einer Region)",
}
MAP_PREVIEW = "Vorschau mit dieser Zuordnung"
MAP_NAME = "Name des Profils"
MAP_NAME_HELP = "Kurz und eindeutig, z. B. „personalamt“; ein Profil gleichen Namens wird ersetzt."
MAP_TITLE_FIELD = "Beschreibung (optional)"
MAP_SAVE = "Als Profil speichern"
MAP_SAVED = "Zuordnungsprofil „{name}“ gespeichert und auf diese Datei angewendet."
MAP_NEED_NAME = "Bitte geben Sie einen Namen für das Profil an."
MAP_NEED_VALUES = "Bitte wählen Sie mindestens eine Wertspalte."
MAP_INVALID = "Die Zuordnung ist so nicht vollständig: {detail}"
MAP_CODES_INVALID = "Zeile „{line}“ der Zuordnung hat kein „=“ (Form: Beschriftung = Code)."
DEFAULT_PROFILE_NAME = "neue_zuordnung"

HIST_EMPTY = "Noch keine Uploads."
HIST_COLUMNS = {
    "id": "Nr.",
    "file": "Datei",
    "format": "Format",
    "when": "Zeitpunkt",
    "user": "Von",
    "rows": "Zeilen",
    "status": "Status",
    "demo": "Demo",
    "sha": "Prüfsumme (SHA-256)",
}
HIST_DEMO_YES = "ja"
HIST_PICK = "Upload auswählen"
HIST_PICK_FORMAT = "Nr. {id}: {file} ({when})"
HIST_DETAILS = "Upload Nr. {id}: {file}"
HIST_FACT_COL = "Angabe"
HIST_META = {
    "format": "Format",
    "when": "Zeitpunkt",
    "user": "Von",
    "rows": "Zeilen",
    "size": "Größe",
    "status": "Status",
    "rolled_back": "Zurückgenommen",
    "sha": "Prüfsumme (SHA-256)",
    "demo": "Demodaten",
}
HIST_ROLLED_BACK = "{when} von {user}"
HIST_ASSUMPTIONS = "Beim Lesen festgehaltene Annahmen"
HIST_NO_ASSUMPTIONS = "Zu diesem Upload sind keine Annahmen festgehalten."
HIST_DIFF_TITLE = "Was dieser Upload geändert hat"
HIST_DIFF_BASIS = (
    "Verglichen mit dem Stand unmittelbar vor diesem Upload, wie in der Vorschau vor dem Übernehmen. "
    "Die bisherigen Werte stammen aus Upload Nr. {uploads}. Werte, die die Datei nicht enthält, "
    "bleiben, wie sie sind."
)
HIST_DIFF_BASIS_ALL_NEW = (
    "Verglichen mit dem Stand unmittelbar vor diesem Upload, wie in der Vorschau vor dem "
    "Übernehmen: Für keinen Wert dieser Datei gab es vorher einen Wert."
)
HIST_DIFF_NONE_CHANGED = "Kein bestehender Wert wurde geändert."
HIST_DOWNLOAD = "Originaldatei herunterladen"
HIST_ARCHIVE_MISSING = "Die Originaldatei ist im Archiv nicht (mehr) vorhanden."
HIST_ROLLBACK_SURE = "Ich möchte Upload Nr. {id} zurücknehmen."
HIST_ROLLBACK = "Upload zurücknehmen"
HIST_ROLLBACK_HELP = "Die Werte dieses Uploads zählen nicht mehr; der vorherige Stand gilt wieder. Der Upload bleibt im Verlauf sichtbar."
HIST_ROLLED_BACK_DONE = "Upload Nr. {id} wurde zurückgenommen; die Indikatoren sind neu berechnet."
HIST_ROLLBACK_FAILED = "Der Upload konnte nicht zurückgenommen werden: {detail}"
HIST_NOT_ACTIVE = "Dieser Upload ist zurückgenommen; seine Werte zählen nicht."
DEMO_REMOVED = "{n} Demo-Uploads zurückgenommen."

PROF_INTRO = (
    "Zuordnungsprofile lesen Tabellen ohne festes Format (z. B. Listen des Personalamts). Ein Profil legen Sie "
    "im Reiter „Hochladen“ an: Datei hochladen, „Spaltenzuordnung anlegen“, „Als Profil speichern“. "
    "Kommt später eine Datei derselben Form, wird das Profil mit einem Klick angeboten."
)
PROF_EMPTY = "Noch keine Zuordnungsprofile."
PROF_COLUMNS = {
    "name": "Name",
    "title": "Beschreibung",
    "origin": "Herkunft",
    "created": "Angelegt",
    "by": "Von",
    "columns": "Spalten der Datei",
}
PROF_ORIGIN = {"gespeichert": "gespeichert", "mitgeliefert": "mitgeliefert (Beispiel)"}
PROF_PICK = "Profil anzeigen"
PROF_SPEC = "Festlegungen des Profils „{name}“"
PROF_DELETE_SURE = "Ja, Profil „{name}“ löschen"
PROF_DELETE = "Profil löschen"
PROF_DELETE_HELP = (
    "Ein gelöschtes Profil wird nicht mehr angeboten. Bereits importierte Daten bleiben, wie sie sind. "
    "Mitgelieferte Beispiele lassen sich nicht löschen."
)
PROF_DELETED = "Profil „{name}“ gelöscht."
PROF_SHIPPED_NOTE = "Mitgeliefertes Beispiel: liegt als Datei vor und lässt sich hier nicht löschen."

# -- German for the chrome of Streamlit and plotly.js, keyboard focus (app.py injects this once) -----
#: plotly.js ships no German in Streamlit's bundle: the dictionary is passed with every chart (ui/components.py)
PLOTLY_LOCALE_DE = {
    "dictionary": {
        "Download plot as a PNG": "Diagramm als PNG-Bild herunterladen",
        "Download plot": "Diagramm herunterladen",
        "Preparing image - this may take a few seconds": "Bild wird erstellt – das kann einige Sekunden dauern",
        "Image download succeeded": "Bild heruntergeladen",
        "Sorry, there was a problem downloading your image!": "Das Bild konnte nicht heruntergeladen werden.",
        "Double-click to zoom back out": "Doppelklick: Ansicht zurücksetzen",
        "Autoscale": "Automatisch skalieren",
        "Reset axes": "Achsen zurücksetzen",
        "Reset": "Zurücksetzen",
        "Zoom": "Vergrößern (Bereich)",
        "Zoom in": "Vergrößern",
        "Zoom out": "Verkleinern",
        "Pan": "Verschieben",
        "Box Select": "Rechteckauswahl",
        "Lasso Select": "Lassoauswahl",
        "Show closest data on hover": "Nächsten Wert beim Überfahren zeigen",
        "Compare data on hover": "Werte beim Überfahren vergleichen",
        "Toggle Spike Lines": "Hilfslinien ein/aus",
        "trace": "Reihe",
    },
    "format": {
        "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        "shortMonths": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": ".",
    },
}

#: Streamlit 1.67 has no setting for its own words; these are replaced in the page (aria-labels, tooltips,
#: placeholders, short texts). Anything not listed stays English (README, "Was englisch bleibt").
STREAMLIT_DE = {
    "Skip to main content": "Zum Inhalt springen",
    "App pages": "Seiten",
    "Sidebar": "Seitenleiste",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Link to heading": "Link zu dieser Überschrift",
    "Select all": "Alle auswählen",
    "Show password": "Eingabe anzeigen",  # not "Passwort …": the field itself is labelled „Passwort“
    "Hide password": "Eingabe verbergen",
    "Deselect all": "Auswahl aufheben",
    "Clear all": "Alle entfernen",
    "Clear value": "Auswahl leeren",
    "Remove": "Entfernen",
    "No results": "Keine Treffer",
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "Open": "Öffnen",
    "Close": "Schließen",
    "Press Enter to submit form": "Eingabetaste: Formular absenden",
    "Press Enter to apply": "Eingabetaste: übernehmen",
    "Press Ctrl+Enter to submit form": "Strg+Eingabetaste: Formular absenden",
    "Press Ctrl+Enter to apply": "Strg+Eingabetaste: übernehmen",
    "Upload": "Hochladen",
    "Browse files": "Dateien auswählen",
    "file upload": "Datei hochladen",
    "Download as CSV": "Tabelle als CSV herunterladen",
    "File too large": "Die Datei ist zu groß.",
    "Search": "Suchen",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild beenden",
    "Exit fullscreen": "Vollbild beenden",
    "Show/hide columns": "Spalten ein-/ausblenden",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Add row": "Zeile hinzufügen",
    "Delete row": "Zeile löschen",
    "Delete rows": "Zeilen löschen",
    "Clear selection": "Auswahl aufheben",
    "Running...": "Läuft …",
    "Stop": "Anhalten",
    "Increment": "Erhöhen",
    "Decrement": "Verringern",
    "Loading": "Lädt …",
    # the table's column menu and search
    "Sort ascending": "Aufsteigend sortieren",
    "Sort descending": "Absteigend sortieren",
    "Pin column": "Spalte fixieren",
    "Unpin column": "Spalte lösen",
    "Hide column": "Spalte ausblenden",
    "Copy column name": "Spaltennamen kopieren",
    "Dataframe column menu": "Spaltenmenü",
    "Type to search": "Suchbegriff eingeben",
    "Close Search": "Suche schließen",
    "Next Result": "Nächster Treffer",
    "Previous Result": "Voriger Treffer",
    "No data": "Keine Daten",
    "No options": "Keine Auswahl",
    "Copied": "Kopiert",
    "Add files": "Dateien hinzufügen",
    # connection messages
    "Connecting": "Verbinde …",
    "Please wait...": "Bitte warten …",
    "Connection error": "Verbindungsfehler",
    "Page not found": "Seite nicht gefunden",
    "The page that you have requested does not seem to exist. Running the app's main page.": "Diese Seite gibt es nicht oder sie ist für Ihre Rolle nicht freigegeben; angezeigt wird das Cockpit.",
    "Error uploading file": "Fehler beim Hochladen der Datei",
    "Error deleting file": "Fehler beim Entfernen der Datei",
    "Dismiss": "Schließen",
}


# -- issue 10: Regionalvergleich, comparison regions of official files, upload page wording -----------------
PAGE_REGIONS = "Regionalvergleich"
REG_INTRO = (
    "Der Landkreis im Vergleich mit dem Land, Deutschland und anderen Kreisen. Die Vergleichswerte "
    "kommen aus amtlichen Dateien, die diese Regionen enthalten (z. B. eine GENESIS-Tabelle aller Kreise)."
)
REG_KREISE = "Vergleichskreise"
REG_KREISE_HELP = "Vorgabe: die Nachbarkreise, soweit die Daten sie enthalten."
REG_KREISE_PLACEHOLDER = "Kreise zum Vergleich wählen"
REG_NO_COMPARISON = (
    "Für diesen Indikator liegen keine Werte anderer Regionen vor. Vergleichswerte kommen mit "
    "amtlichen Dateien, die weitere Regionen enthalten (Seite „Daten und Upload“)."
)
REG_RANK = "Rang {rank} von {count} Kreisen in {land} im Jahr {year} ({order})."
REG_RANK_BEST = "1 = bester Wert"
REG_RANK_HIGHEST = "1 = höchster Wert; der Indikator hat keine Zielrichtung"
REG_RANK_CLOSEST = "1 = bester Wert, am nächsten an 0"
REG_NO_RANK = (
    "Kein Rang unter den Kreisen in {land} für {year}: nicht alle {expected} Kreise haben einen Wert "
    "(vorhanden: {present})."
)
REG_NO_RANK_UNKNOWN = "Kein Rang: für dieses Land ist die Zahl der Kreise nicht hinterlegt."
REG_TREND = "Verlauf"
REG_TABLE_COLUMNS = {"name": "Region", "level": "Ebene", "value": "Wert", "flag": "Kennzeichen"}
REG_OWN_MISSING = "Der Landkreis hat für {year} keinen Wert dieses Indikators."
LINK_BAD_KREISE = "Die Kreise {value} aus der Adresse haben keine Werte dieses Indikators; sie werden nicht angezeigt."
IND_REGIONS_TITLE = "Regionalvergleich"
IND_REGIONS_LINK = "Zum Regionalvergleich"
UPL_OTHER_REGIONS_SKIP = "Weitere Regionen auslassen (nur eigenes Gebiet, Land und Deutschland übernehmen)"
UPL_OTHER_REGIONS_HELP = (
    "Amtliche Dateien enthalten oft alle Kreise eines Landes oder Deutschlands. Übernommen dienen "
    "sie dem Regionalvergleich; das eigene Gebiet (Landkreis und Gemeinden) bleibt davon unberührt."
)
LINK_REGIONS_WITH_BREAKDOWN = (
    "Die Gemeinden {value} aus der Adresse werden mit einer Aufschlüsselung nicht "
    "verglichen; angezeigt wird der Landkreis."
)
LINK_REGIONS_NO_GEMEINDEN = (
    "Für diesen Indikator gibt es keine Gemeindewerte; die Gemeinden {value} werden nicht angezeigt."
)
UPL_STATUS_CHECKED_N = "{name}: gelesen und geprüft – {rows}, {errors}, {warnings}"
UPL_STATUS_STEP_CHECKED_N = "Geprüft: {errors}, {warnings}."
UPL_BADGE_WARN_N = ":orange-badge[{n}]"
UPL_WARNINGS_N = "{n} – bitte prüfen; die Übernahme ist trotzdem möglich."
#: the headline's count of warnings names how many of them are plausibility warnings (each about one value)
UPL_WARNINGS_OF_WHICH = "{n}, davon {plausible}"
#: German labels of the fixed codes (preview, upload history): the codes stay in files and the template
CODE_LABELS = {
    "nationality": {
        "insgesamt": "insgesamt",
        "deutsch": "Deutsche",
        "auslaendisch": "Ausländer/-innen",
        "eu": "EU-Ausländer/-innen",
        "drittstaat": "Drittstaatsangehörige",
        "schutzsuchend": "Schutzsuchende",
    },
    "sex": {"insgesamt": "insgesamt", "maennlich": "männlich", "weiblich": "weiblich"},
}
AGE_LABELS = {
    "range": "{a} bis unter {b} Jahre",
    "under": "unter {a} Jahre",
    "plus": "{a} Jahre und mehr",
    "15-67": "15 Jahre bis zur Regelaltersgrenze",
}
#: canonical column ids beyond OBS_LABELS that readers name in their assumptions
COLUMN_ID_LABELS = {"region_name": "Regionsname"}
# -- issue 11: sign-in, roles, administration, backup ---------------------------------------------------------
AUTH_TITLE = "Anmelden"
AUTH_INTRO = (
    "Der Integrationsmonitor ist nur für angemeldete Personen zugänglich. Konten legt die Administration "
    "an (Seite Verwaltung oder Kommandozeile `user add`)."
)
AUTH_NAME = "Benutzername"
AUTH_PASSWORD = "Passwort"
AUTH_SUBMIT = "Anmelden"
AUTH_SIGNIN_BUTTON = "Anmelden"
AUTH_SIGNOUT = "Abmelden"
AUTH_SIGNED_IN_AS = "Angemeldet als {name} ({role})"
AUTH_SIGNED_OUT = "Sie sind abgemeldet."
AUTH_EXPIRED = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
AUTH_ENDED_ELSEWHERE = (
    "Ihre Sitzung wurde beendet (Abmeldung in einem anderen Fenster oder Passwort geändert). Bitte melden Sie sich "
    "erneut an."
)
AUTH_GONE = "Ihr Konto ist deaktiviert worden. Bitte wenden Sie sich an die Administration."
AUTH_FAILED_INTERNAL = "Die Anmeldung ist gerade nicht möglich. Einzelheiten stehen im Protokoll des Servers."
AUTH_OIDC_BUTTON = "Mit dem Dienstkonto der Kreisverwaltung anmelden"
AUTH_OR_LOCAL = "oder mit einem lokalen Konto des Monitors:"
AUTH_OIDC_UNKNOWN = (
    "Das Dienstkonto {who} ist im Integrationsmonitor nicht freigeschaltet. Die Administration kann es "
    "mit einer Rolle verbinden (Seite Verwaltung, Feld „Dienstkonto“)."
)
AUTH_ANONYMOUS = "anonym"
AUTH_ANONYMOUS_NOTE = "Nur lesen (ohne Anmeldung)"
AUTH_BACK_ANONYMOUS = "Zurück zur Ansicht ohne Anmeldung"
AUTH_READONLY_HINT = "Ihre Rolle ({role}) kann hier nur lesen."
#: Datenpflege or Administration of one Kreis on an installation with several Kreise (issue 24)
AUTH_READONLY_SHARED = (
    "Ihre Rolle ({role}) kann hier nur lesen: Diese Installation führt mehrere Kreise, und die hochgeladenen Daten "
    "gelten für alle Kreise gemeinsam. Sie lädt deshalb die Landesadministration."
)
#: the sidebar's role of an account without a role in the Kreis shown (a link of another Kreis)
AUTH_NO_ROLE_HERE = "keine Rolle in diesem Kreis"
DEMO_REMOVE_SURE = (
    "Ja, alle Demodaten entfernen (die Uploads bleiben im Verlauf und lassen sich nicht einzeln zurückholen)"
)
TARGET_DELETE_SURE = "Ja, dieses Ziel löschen"
HISTORY_READONLY_COLUMNS = {
    "id": "Nr.",
    "file": "Datei",
    "when": "Zeitpunkt",
    "by": "Von",
    "rows": "Zeilen",
    "status": "Status",
}
PAGE_ADMIN = "Verwaltung"
ADMIN_USERS = "Benutzer"
ADMIN_LOCKED = "Das Konto „{name}“ ist nach zu vielen falschen Passwörtern gesperrt bis {until}."
ADMIN_UNLOCK = "Konto entsperren"
ADMIN_UNLOCKED = "Das Konto „{name}“ ist entsperrt; die Anmeldung ist wieder möglich."
ADMIN_USER_COLUMNS = {
    "name": "Name",
    "role": "Rolle",
    "active": "aktiv",
    "oidc": "Dienstkonto",
    "one_time": "Einmalpasswort",
    "last_login": "Letzte Anmeldung",
    "locked": "gesperrt bis",
}
ADMIN_ADD_USER = "Benutzer anlegen"
ADMIN_NEW_NAME = "Benutzername"
ADMIN_NEW_ROLE = "Rolle"
ADMIN_NEW_PASSWORD = "Passwort (mindestens 10 Zeichen)"
ADMIN_NEW_OIDC = "Dienstkonto (E-Mail beim Identitätsanbieter, optional)"
ADMIN_CREATE = "Anlegen"
ADMIN_CREATED = "Benutzer {name} mit der Rolle {role} angelegt."
ADMIN_CHANGE_USER = "Benutzer ändern"
ADMIN_PICK_USER = "Benutzer"
ADMIN_SET_ROLE = "Rolle setzen"
ADMIN_DISABLE = "Deaktivieren"
ADMIN_ENABLE = "Wieder aktivieren"
ADMIN_DISABLE_SURE = "Ja, dieses Konto deaktivieren"
ADMIN_CHANGED = "Benutzer {name} geändert."
ADMIN_ROLE_CHANGED = "Benutzer {name}: Rolle jetzt {role}."
ADMIN_UNCHANGED = "Benutzer {name}: keine Änderung – die Rolle ist schon {role}."
ADMIN_ONE_TIME_NOTE = "Das Passwort gilt nur für die erste Anmeldung; dann setzt die Person ein eigenes."
ADMIN_PW_SET_ONE_TIME = (
    "Benutzer {name}: Einmalpasswort gesetzt. Bei der nächsten Anmeldung setzt die Person ein eigenes Passwort."
)
ADMIN_PW_SET_OWN = "Ihr eigenes Passwort ist geändert."
ADMIN_NEW_PW = "Neues Passwort"
ADMIN_SET_PW = "Passwort setzen"
ADMIN_BACKUP = "Sicherung"
ADMIN_BACKUP_INTRO = (
    "Eine Sicherung enthält die Datenbank (Basisdaten, Uploads, Ziele, Notizen, Profile, Benutzer, "
    "Protokoll) und das Archiv der Originaldateien; sie entsteht im laufenden Betrieb in einem "
    "eigenen Ordner unter {folder}."
)
ADMIN_BACKUP_NOW = "Jetzt sichern"
ADMIN_BACKUP_DONE = "Sicherung {name} angelegt ({files} Dateien im Archiv, {size})."
ADMIN_BACKUP_LIST = "Vorhandene Sicherungen (die neuesten {keep} werden aufbewahrt)"
ADMIN_BACKUP_NONE = "Noch keine Sicherung."
ADMIN_BACKUP_COLUMNS = {"name": "Sicherung", "when": "Zeitpunkt", "by": "Von", "uploads": "Uploads", "size": "Größe"}
ADMIN_RESTORE_HINT = (
    "Wiederherstellen in einen neuen Ordner (die laufende Datenbank bleibt unberührt): "
    "`integrationsmonitor restore SICHERUNGSORDNER --to NEUER_ORDNER/monitor.duckdb`"
)
ADMIN_SETTINGS = "Einstellungen"
ADMIN_SETTINGS_COLUMNS = {"name": "Einstellung", "var": "Variable", "value": "Wert"}
ADMIN_AUDIT = "Protokoll (neueste 200 Einträge)"
ADMIN_FAILED = "Das hat nicht geklappt: {detail}"
INBOX_IMPORTED = "Eingangsordner: {n} Datei(en) übernommen."
AUTH_CHANGE_PW = "Eigenes Passwort ändern"
AUTH_OLD_PW = "Bisheriges Passwort"
AUTH_NEW_PW = "Neues Passwort (mindestens 10 Zeichen)"
AUTH_NEW_PW_AGAIN = "Neues Passwort wiederholen"
AUTH_PW_MISMATCH = "Die beiden neuen Passwörter stimmen nicht überein."
AUTH_PW_CHANGED = "Passwort geändert."
# a one-time password (first admin account, new account, reset by Administration): a password of one's own first
AUTH_MUST_CHANGE_TITLE = "Eigenes Passwort setzen"
AUTH_MUST_CHANGE_INTRO = (
    "Sie sind mit einem Einmalpasswort angemeldet (vergeben bei der Einrichtung oder von der "
    "Administration). Bitte setzen Sie jetzt ein eigenes Passwort; erst danach lässt sich der "
    "Monitor nutzen."
)
AUTH_ONE_TIME_PW = "Einmalpasswort (das Passwort, mit dem Sie sich gerade angemeldet haben)"
AUTH_MUST_CHANGE_SUBMIT = "Passwort setzen und weiter"
AUTH_MUST_CHANGE_DONE = "Eigenes Passwort gesetzt. Künftig melden Sie sich damit an."
AUTH_MUST_CHANGE_SIDEBAR = "Einmalpasswort: bitte zuerst ein eigenes Passwort setzen."
# the command line: the first account, accounts and passwords set for someone else (one-time passwords)
FIRST_ADMIN = (
    "Erste Anmeldung: Benutzer „admin“, Einmalpasswort  {password}\n"
    "Das Passwort wird nur jetzt angezeigt. Bei der ersten Anmeldung verlangt der Monitor ein eigenes\n"
    "Passwort (später ändern: Seitenleiste, „Eigenes Passwort ändern“). Konten für alle legt die\n"
    "Administration auf der Seite Verwaltung an."
)
CLI_USER_ADDED = (
    "Benutzer {name} mit der Rolle {role} angelegt. Das Passwort gilt nur für die erste Anmeldung; dann "
    "verlangt der Monitor ein eigenes."
)
CLI_USER_ADDED_OIDC = "Benutzer {name} mit der Rolle {role} angelegt (Anmeldung über den Identitätsanbieter)."
CLI_PASSWORD_SET = (
    "{name}: Passwort gesetzt. Es gilt nur für die nächste Anmeldung; dann verlangt der Monitor ein eigenes."
)
CLI_ONE_TIME_MARK = "Einmalpasswort"
# a page the role may not open, a page that does not exist (app.py)
NAV_NOT_ALLOWED = (
    "Diese Seite ist für Ihre Rolle nicht freigegeben: „{page}“ erfordert die Rolle {role} "
    "(Sie: {mine}). Sie sehen stattdessen das Cockpit."
)
NAV_NOT_ALLOWED_ANONYMOUS = (
    "Die Seite „{page}“ erfordert eine Anmeldung mit der Rolle {role}. Nach der Anmeldung öffnet sie sich."
)
NAV_NOT_FOUND = "Diese Seite gibt es nicht: „/{path}“. Sie sehen stattdessen das Cockpit."
NAV_NOT_FOUND_SIGNED_OUT = "Diese Seite gibt es nicht: „/{path}“. Nach der Anmeldung sehen Sie das Cockpit."
ADMIN_SETTING_NAMES = {
    "db": "Datenbankdatei",
    "upload": "Höchstgröße eines Uploads (MB)",
    "unpacked": "Arbeitsmappe entpackt (MB)",
    "min_count": "Mindestfallzahl",
    "base_year": "Basisjahr der Strategie",
    "session": "Sitzungsdauer ohne Aktivität (Minuten)",
    "anonymous": "Lesen ohne Anmeldung",
    "keep": "Aufbewahrte Sicherungen",
    "oidc": "Anmeldung über den Identitätsanbieter der Kreisverwaltung (OpenID Connect)",
    "lock": "Fehlversuche bis zur Sperre / Sperrdauer (Minuten)",
    "publish_dir": "Öffentliche Website: Zielordner",
    "publish_imprint": "Öffentliche Website: Impressum (Textdatei)",
    "publish_contact": "Öffentliche Website: Kontakt",
    "publish_internal": "Öffentliche Website: intern gehaltene eigene Listen",
    "publish_withheld": "Öffentliche Website: zurückgehaltene Indikatoren",
}
ADMIN_YES, ADMIN_NO = "ja", "nein"
ADMIN_OIDC_ON, ADMIN_OIDC_OFF = "eingerichtet", "nicht eingerichtet"
AUDIT_COLUMNS = {"when": "Zeitpunkt", "who": "Person", "action": "Aktion", "object": "Objekt", "detail": "Einzelheiten"}
#: the audit log's actions in words (indicators.wording.audit_action); strategy changes are composed from
#: AUDIT_STRATEGY_KINDS and AUDIT_STRATEGY_CHANGES ("strategie_massnahme_geaendert": "Maßnahme geändert")
AUDIT_ACTIONS = {
    "upload": "Datei übernommen",
    "rollback": "Upload zurückgenommen",
    "demodaten_entfernt": "Demodaten entfernt",
    "vergleichsregionen_hinzugefuegt": "Vergleichsregionen übernommen",
    "vergleichsregionen_entfernt": "Vergleichsregionen ohne Werte entfernt",
    "region_hinzugefuegt": "Region angelegt",
    "profil_gespeichert": "Zuordnungsprofil gespeichert",
    "profil_geloescht": "Zuordnungsprofil gelöscht",
    "ziel_gesetzt": "Ziel gesetzt",
    "ziel_geaendert": "Ziel geändert",
    "ziel_geloescht": "Ziel gelöscht",
    "notiz": "Notiz geschrieben",
    "notiz_geloescht": "Notiz gelöscht",
    "benutzer_angelegt": "Benutzer angelegt",
    "rolle_geaendert": "Rolle geändert",
    "kreis_angelegt": "Kreis (Mandant) angelegt",
    "kreis_rolle_gesetzt": "Rolle in diesem Kreis gesetzt",
    "benutzer_aktiviert": "Benutzer aktiviert",
    "benutzer_deaktiviert": "Benutzer deaktiviert",
    "passwort_gesetzt": "Passwort gesetzt (Administration)",
    "passwort_geaendert": "eigenes Passwort geändert",
    "angemeldet": "Angemeldet",
    "abgemeldet": "Abgemeldet",
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "anmeldung_gesperrt": "Anmeldung abgewiesen (Konto gesperrt)",
    "sicherung": "Sicherung angelegt",
    "wiederhergestellt": "Sicherung wiederhergestellt",
    "strategie_import": "Strategie importiert",
    "strategie_import_zurueckgenommen": "Strategie-Import zurückgenommen",
    "strategie_demo_entfernt": "Demo-Strategie entfernt",
    "massnahmenabfrage_gestartet": "Maßnahmenabfrage gestartet",
    "website_veroeffentlicht": "Website veröffentlicht",
}
AUDIT_STRATEGY_KINDS = {
    "leitbild": "Leitbild",
    "ziel": "Strategieziel",
    "massnahme": "Maßnahme",
    "partner": "Partner",
    "meilenstein": "Meilenstein",
    "ueberpruefung": "Überprüfung",
}
AUDIT_STRATEGY_CHANGES = {"angelegt": "angelegt", "geaendert": "geändert", "geloescht": "gelöscht"}
#: the detail's keys in words (indicators.wording.audit_detail); keys not listed are shown as they are
AUDIT_KEYS = {
    "role": "Rolle",
    "oidc": "Dienstkonto",
    "einmalpasswort": "Einmalpasswort",
    "grund": "Grund",
    "fehlversuche": "Fehlversuche",
    "gesperrt_bis": "gesperrt bis",
    "uploads": "Uploads",
    "upload_id": "Upload",
    "upload_ids": "Uploads",
    "rows": "Zeilen",
    "format": "Format",
    "sha256": "Prüfsumme",
    "diff": "Werte",
    "neu": "neu",
    "alt": "bisher",
    "begruendung": "Begründung",
    "import": "Import",
    "jahr": "Jahr",
    "text": "Text",
    "id": "Nr.",
    "count": "Anzahl",
    "keys": "Schlüssel",
    "more": "weitere",
    "name": "Name",
    "level": "Ebene",
    "parent": "übergeordnet",
    "signature": "Kennung",
    "aus": "aus",
    "datei": "Datei",
    "aenderungen": "Änderungen",
    "fachdienste": "Fachdienste",
    "eintraege": "Einträge",
    "oeffentlich": "öffentlich",
    "seiten": "Seiten",
    "dateien": "Dateien",
    "geaendert": "geändert",
    "entfernt": "entfernt",
}
AUDIT_VALUES = {"unbekannt": "unbekannter Name oder kein Passwort"}
AUDIT_TARGET = "Ziel {value} bis {year}"
AUDIT_NONE = "–"
# ---------------------------------------------------------------------------------------------------------------
# Issue 12: Strategie, Maßnahmen, Netzwerk (Leitbild, Ziele, Maßnahmen, Integrationsnetzwerk, Maßnahmenabfrage)
# ---------------------------------------------------------------------------------------------------------------
NAV_STRATEGY = "Strategie"
PAGE_STRATEGY = "Strategie"
PAGE_MEASURES = "Maßnahmen"
PAGE_NETWORK = "Netzwerk"
STRAT_INTRO = (
    "Leitbild → Handlungsfeld → Leitziel → Handlungsziel. Je Handlungsziel links die Bewertung seiner "
    "Indikatoren (*wird die Lage besser?*), rechts der Stand seiner Maßnahmen (*tun wir, was wir "
    "beschlossen haben?*)."
)
STRAT_LEITBILD = "Leitbild"
STRAT_NO_LEITBILD = "Noch kein Leitbild erfasst."
STRAT_ADOPTED = "Beschlossen: {body}, am {date} · Fassung {version}"
STRAT_LEITBILD_VERSIONS = "Frühere Fassungen ({n})"
STRAT_LEITBILD_NEW = "Neue Fassung des Leitbilds"
STRAT_LEITBILD_TEXT = "Text des Leitbilds"
STRAT_ADOPTED_ON = "Beschlossen am"
STRAT_ADOPTED_BY = "Beschlossen durch (z. B. Kreistag)"
STRAT_REASON = "Begründung der Änderung (für das Protokoll)"
STRAT_SAVE = "Speichern"
STRAT_SAVED = "Gespeichert: {what}"
STRAT_FIELD_SELECT = "Handlungsfeld"
STRAT_ALL_FIELDS = "alle Handlungsfelder"
STRAT_NO_GOALS = "Für dieses Handlungsfeld sind noch keine Ziele erfasst."
STRAT_LEITZIEL = "Leitziel"
STRAT_HANDLUNGSZIEL = "Handlungsziel"
STRAT_INDICATORS = "Indikatoren"
STRAT_MEASURES = "Maßnahmen"
STRAT_NO_INDICATORS = "keine Indikatoren verknüpft"
STRAT_MISMATCH = "Maßnahmen im Plan, aber Indikator verschlechtert sich: {names}"
STRAT_TARGET = "Ziel {year}: {value}"
STRAT_NO_TARGET = "kein Zielwert"
STRAT_ONLY_GOAL = (
    "Gezeigt wird nur {kind} {id}. [Alle Ziele des Handlungsfelds {field} zeigen](strategie?feld={field_id})"
)
STRAT_UNKNOWN_GOAL = "Ziel {value} gibt es nicht; angezeigt werden alle."
STRAT_GOAL_LINKS_LEAD = "Gehört in der Strategie zu:"
STRAT_NEW_GOAL = "Ziel anlegen"
STRAT_GOAL_KIND = "Art"
STRAT_GOAL_TITLE = "Titel"
STRAT_GOAL_DESCRIPTION = "Beschreibung"
STRAT_GOAL_PARENT = "Leitziel (nur für Handlungsziele)"
STRAT_GOAL_FIELD = "Handlungsfeld (nur für Leitziele)"
STRAT_GOAL_INDICATORS = "Indikatoren (nur für Handlungsziele)"
STRAT_HISTORY = "Verlauf der Änderungen"
STRAT_UNKNOWN_FIELD = "Handlungsfeld {value} gibt es nicht; angezeigt werden alle."
MEAS_INTRO = (
    "Alle Maßnahmen mit ihrem Stand (abgeleitet aus Meilensteinen, Überprüfungen und Laufzeit; Stichtag "
    "{today}). Überfällige Meilensteine und Überprüfungen sind markiert."
)
MEAS_TAB_LIST = "Übersicht"
MEAS_TAB_TIMELINE = "Zeitleiste"
MEAS_TAB_NEW = "Neue Maßnahme"
MEAS_TAB_ROUND = "Maßnahmenabfrage"
MEAS_FILTER_FIELD = "Handlungsfeld"
MEAS_FILTER_STATE = "Stand"
MEAS_FILTER_UNIT = "Verantwortlich"
MEAS_ALL = "alle"
MEAS_COLS = {
    "id": "Nr.",
    "title": "Maßnahme",
    "state": "Stand",
    "reason": "Grund",
    "unit": "Verantwortlich",
    "end": "Ende",
    "review": "Nächste Überprüfung",
    "flags": "Überfällig",
}
MEAS_FLAG_MILESTONE = "⚑ Meilenstein"
MEAS_FLAG_REVIEW = "⚑ Überprüfung"
MEAS_NONE = "Keine Maßnahme passt zu den Filtern."
MEAS_UNKNOWN = "Maßnahme {value} gibt es nicht; angezeigt wird die Übersicht."
MEAS_BACK = "← Alle Maßnahmen"
MEAS_STATE_LINE = "Stand: {label} – {reason}"
MEAS_FACTS = {
    "unit": "Verantwortlich",
    "fields": "Handlungsfelder",
    "goals": "Handlungsziele",
    "partners": "Partner",
    "status": "Status",
    "period": "Laufzeit",
    "budget": "Budget (verausgabt / geplant)",
    "reach": "Erreichte Personen (Ist / Ziel)",
    "review": "Nächste Überprüfung",
}
MEAS_MILESTONES = "Meilensteine"
MEAS_MS_COLS = ("Meilenstein", "Fällig am", "Erledigt am", "Stand")
MEAS_MS_DONE = "erledigt"
MEAS_MS_OVERDUE = "⚑ überfällig seit {days} Tagen"
MEAS_MS_OPEN = "offen"
MEAS_REVIEWS = "Überprüfungen"
MEAS_REVIEW_COLS = ("Datum", "Fortschrittsnotiz", "Von")
MEAS_NO_REVIEWS = "Noch keine Überprüfung."
MEAS_ADD_REVIEW = "Überprüfung eintragen"
MEAS_REVIEW_NOTE = "Kurze Fortschrittsnotiz (höchstens 500 Zeichen)"
MEAS_REVIEW_NEXT = "Nächste Überprüfung am"
MEAS_HISTORY_COLS = ("Zeitpunkt", "Von", "Begründung", "Geändert")
MEAS_TITLE = "Titel"
MEAS_DESCRIPTION = "Beschreibung"
MEAS_FIELDS = "Handlungsfelder"
MEAS_GOALS = "Handlungsziele"
MEAS_UNIT = "Verantwortlich (Fachdienst/Amt)"
MEAS_PARTNERS = "Partner aus dem Netzwerk"
MEAS_START = "Beginn"
MEAS_END = "Ende"
MEAS_BUDGET = "Budget geplant (EUR)"
MEAS_STATUS = "Status"
MEAS_REACH = "Erreichte Personen, Ziel (0: trifft nicht zu)"
MEAS_NEXT_REVIEW = "Nächste Überprüfung"
MEAS_MS_TITLE = "Meilenstein {i}"
MEAS_MS_DUE = "Meilenstein {i} fällig am"
MEAS_CREATE = "Maßnahme anlegen"
MEAS_TIMELINE_CAPTION = (
    "Balken: Laufzeit; Raute: Meilenstein (schwarz offen, hohl erledigt, ✖ überfällig); senkrechte Linie: Stichtag."
)
ROUND_INTRO = (
    "Die Fachdienste melden den Stand ihrer Maßnahmen in Excel. Eine neue Runde erzeugt je Fachdienst "
    "ein vorausgefülltes Formular (Auswahlliste für den Status, Datumsprüfung); Formulare früherer Runden "
    "werden danach abgelehnt."
)
ROUND_CURRENT = "Aktuelle Runde: {n} (erstellt am {date})"
ROUND_NONE = "Noch keine Runde gestartet."
ROUND_START = "Neue Runde starten und Formulare erzeugen"
ROUND_STARTED = "Runde {n} gestartet: {k} Formulare."
ROUND_CONFIRM = (
    "Eine neue Runde macht die Formulare von Runde {n} ungültig (erzeugt am {date}): {units}. "
    "Zurückgekommen und übernommen sind davon: {back}. Ein danach eingesandtes Formular der Runde {n} wird "
    "abgelehnt; der Fachdienst muss das neue Formular ausfüllen."
)
ROUND_CONFIRM_NONE_BACK = "noch keines"
ROUND_CONFIRM_YES = "Ja, Runde {n} starten – die Formulare von Runde {old} werden ungültig"
ROUND_CONFIRM_NO = "Abbrechen"
ROUND_DOWNLOAD = "Formular {unit}"
ROUND_UPLOAD = "Ausgefülltes Formular hochladen (.xlsx)"
ROUND_REFUSED = "Abgelehnt: {reason}"
ROUND_PROBLEMS = "{n} Problem(e) – nichts wird übernommen. Bitte im Formular korrigieren und erneut hochladen."
ROUND_PROBLEM_COLS = ("Blatt", "Zeile", "Spalte", "Problem")
ROUND_CHANGES = "Vorschau: {n} Änderungen"
ROUND_CHANGE_COLS = ("Nr.", "Maßnahme/Ziel", "Feld", "bisher", "neu")
ROUND_NO_CHANGES = "Das Formular enthält keine Änderungen."
ROUND_APPLY = "Änderungen übernehmen"
ROUND_APPLIED = "Übernommen als Import {id}: {n} Änderungen."
ROUND_HISTORY = "Verlauf der Importe"
ROUND_HISTORY_COLS = ("Import", "Zeitpunkt", "Datei", "Fachdienst", "Runde", "Von", "Änderungen", "Status")
ROUND_ROLLBACK_SELECT = "Import zurücknehmen"
ROUND_ROLLBACK = "Zurücknehmen"
ROUND_ROLLBACK_SURE = "Ich möchte Import Nr. {id} zurücknehmen."
ROUND_ROLLBACK_HELP = (
    "Die Änderungen dieses Imports gelten nicht mehr; Maßnahmen, Ziele, Partner und Leitbild stehen "
    "wieder wie davor. Der Import bleibt im Verlauf sichtbar."
)
ROUND_ROLLED_BACK = (
    "Import {id} zurückgenommen: {n} Einträge (Maßnahmen, Ziele, Partner, Leitbild) wieder im Stand davor."
)
ROUND_STATUS = {"aktiv": "aktiv", "zurueckgenommen": "zurückgenommen"}
ROUND_ROLLBACK_TOGETHER = "Zusammen zurücknehmen: Importe {ids}"
ROUND_ROLLED_BACK_TOGETHER = (
    "Importe {ids} zurückgenommen (die späteren zuerst): {n} Einträge wieder im Stand vor Import {id}."
)
NET_INTRO = "Das Integrationsnetzwerk: Partner nach Handlungsfeld und die Maßnahmen, die jeder Partner trägt."
NET_BY_FIELD = "Partner nach Handlungsfeld"
NET_COLS = ("Partner", "Art", "Kontakt (Funktion)", "Maßnahmen")
NET_NONE = "Noch keine Partner erfasst."
NET_PARTNER_SELECT = "Maßnahmen eines Partners"
NET_PARTNER_NONE = "Dieser Partner trägt keine Maßnahme."
NET_NEW = "Partner anlegen"
NET_NAME = "Name der Organisation"
NET_KIND = "Art"
NET_FIELDS = "Handlungsfelder"
NET_CONTACT = "Kontakt (Funktion oder Funktionsadresse, keine Privatperson)"
NET_UNKNOWN = "Partner {value} gibt es nicht."
COCKPIT_MEASURES = "{summary}"
COCKPIT_MEASURES_LATE = "{id} „{title}“: {label} – {reason}"
COCKPIT_MEASURES_MORE = "… und {n} weitere"
STRAT_DEMO_LABEL = "Demo-Strategie (synthetisch)"
#: beside a growth rate (Open SDG) of an indicator in %: the rate is relative to the value, not percentage points
GROWTH_RELATIVE = "relativ, nicht in %-Pkt.: "
GROWTH_RELATIVE_SHORT = " (relativ)"
#: after the committee's one sentence, where a verdict rests on the change of a single year
THIN_BASIS = "Die Einschätzung beruht auf der Entwicklung eines einzigen Jahres ({first} bis {last})."
PRAES_FIELD_TITLE = "{field}: Lage und Maßnahmen"
PRAES_FIELD_LEFT = "Wird die Lage besser?"
PRAES_FIELD_RIGHT = "Tun wir, was wir beschlossen haben?"
PRAES_FIELD_MORE = "… und {n} weitere (keine schlechter als die gezeigten)"
PRAES_FIELD_BUTTON = "{field}: Lage und Maßnahmen ›"
PRAES_FIRST = "Erste Folie"
PRAES_LAST = "Letzte Folie"
COCKPIT_FIELD_SLIDE = "Als Folie zeigen: Lage und Maßnahmen ›"
# -- issue 13: page "Bericht" (views/bericht.py): Integrationsbericht, PowerPoint, exports, chart images ---------
PAGE_REPORT = "Bericht"
REPORT_INTRO = (
    "Der Integrationsbericht für Landrat, Kreisausschuss und Integrationsbeirat: als PDF zum Versenden und Drucken "
    "oder als PowerPoint für die Sitzung. Wählen Sie Berichtsjahr, Handlungsfelder, Indikatoren und Regionen; "
    "die Reihenfolge der Auswahl ist die Reihenfolge im Bericht."
)
REPORT_YEAR = "Berichtsjahr"
REPORT_FIELDS = "Handlungsfelder (in dieser Reihenfolge)"
REPORT_FIELDS_PLACEHOLDER = "alle Handlungsfelder"
REPORT_INDICATORS = "Indikatoren (leer: alle der gewählten Handlungsfelder)"
REPORT_INDICATORS_PLACEHOLDER = "alle Indikatoren"
REPORT_REGIONS = "Weitere Regionen in den Diagrammen (neben dem Landkreis)"
REPORT_REGIONS_PLACEHOLDER = "nur Landkreis Peine"
REPORT_FORMAT = "Format"
REPORT_FORMATS = {"pdf": "PDF (Integrationsbericht, A4)", "pptx": "PowerPoint (16:9, eine Folie je Indikator)"}
REPORT_BUILD = "Bericht erstellen"
REPORT_BUILDING = "Bericht wird erstellt …"
REPORT_READY = "Der Bericht ist fertig ({size}) · Indikatoren: {n} · Handlungsfelder: {f}"
REPORT_DOWNLOAD = "Bericht herunterladen"
REPORT_PREVIEW = "Vorschau der ersten Seiten"
REPORT_PREVIEW_MISSING = (
    "Eine Vorschau braucht das Programm pdftoppm (Debian: poppler-utils); der Bericht selbst ist vollständig."
)
REPORT_SLIDES_LIST = "Folien: {names}"
REPORT_STALE = "Die Auswahl hat sich geändert: bitte den Bericht neu erstellen."
REPORT_FAILED = "Der Bericht konnte nicht erstellt werden. {detail}"
REPORT_EXPORT_TITLE = "Alle Indikatorwerte exportieren"
REPORT_EXPORT_INTRO = (
    "Alle aktuell berechneten Werte (alle Regionen, Jahre und Aufschlüsselungen): Excel mit einem Blatt je "
    "Handlungsfeld und einem Blatt „Kennzeichen und Quellen“, oder CSV im Langformat (UTF-8, Semikolon). Texte, die "
    "mit =, +, - oder @ beginnen, werden nie als Formel ausgeführt; gesperrte Werte bleiben leer."
)
REPORT_EXPORT_XLSX = "Excel (.xlsx)"
REPORT_EXPORT_CSV = "CSV (.csv)"
REPORT_CHARTS_TITLE = "Diagramme als Bild"
REPORT_CHARTS_INTRO = "Jedes Diagramm des Berichts als PNG (zum Einfügen) und SVG (verlustfrei skalierbar)."
REPORT_CHART_INDICATOR = "Indikator"
REPORT_CHART_KIND = "Diagramm"
REPORT_CHART_KINDS = {
    "verlauf": "Verlauf mit Ziel und Fortschreibung",
    "aufschluesselung": "Aufschlüsselung",
    "folie": "Folie (große Schrift)",
}
REPORT_CHART_MAKE = "Bilder erzeugen"
REPORT_CHART_PNG = "PNG herunterladen"
REPORT_CHART_SVG = "SVG herunterladen"
REPORT_CHART_NONE = "Für diesen Indikator gibt es dieses Diagramm nicht (keine Werte oder keine Aufschlüsselung)."

# -- sign-in switched off (issue 11, review): a banner on every page; refused on a server in the network ------------
AUTH_OFF_BANNER = (
    '<div role="status" style="background:#fff3cd;color:#5c3c00;border:2px solid #b7791f;'
    'border-radius:6px;padding:6px 12px;font-size:0.95rem"><strong>Anmeldung ausgeschaltet</strong> '
    "(MONITOR_AUTH=aus): jede Person an diesem Rechner handelt als {name} mit allen Rechten.</div>"
)
AUTH_OFF_SIDEBAR = "Anmeldung ausgeschaltet (MONITOR_AUTH=aus): alle handeln als {name} mit Administration."
AUTH_OFF_REFUSED = (
    "MONITOR_AUTH=aus ist für diesen Server abgelehnt, weil er aus dem Netz erreichbar ist; die "
    "Anmeldung bleibt an. Einzelheiten stehen im Protokoll des Servers."
)

# -- import: a month's value for a yearly average (BA "Berichtsmonat: Juni 2025" for the Arbeitslosenquote) ----------
MONTH_REPLACES_AVERAGE = (
    "{name}: die Datei liefert den Stand {date}, im Katalog ist der Wert eines Jahres aber der "
    "Jahresdurchschnitt. Für {year} ist der Jahresdurchschnitt schon geladen (bisher {old}); ein "
    "Monatswert ersetzt ihn nicht. Die Datei wird darum nicht übernommen. Enthält sie auch Jahre "
    "ohne Jahresdurchschnitt, bitte nur diese laden; für das Jahr selbst die Tabelle mit dem "
    "Jahresdurchschnitt (BA: „Jahresdurchschnitt“ bzw. „Berichtsjahr“ im Titel)."
)
MONTH_REPLACES_MORE = "… und {n} weitere Werte, die einen Jahresdurchschnitt durch einen Monatswert ersetzen würden."
MONTH_FOR_AVERAGE = (
    "{name}: die Datei liefert Monatswerte (zuerst den Stand {date}), im Katalog ist der Wert eines "
    "Jahres aber der Jahresdurchschnitt. Die {n} Werte werden für {years} übernommen und gelten, bis "
    "eine Datei mit dem Jahresdurchschnitt sie ersetzt."
)
MONTH_REPLACES_COMPARISON = (
    "Dabei ersetzen {n} von ihnen den geladenen Jahresdurchschnitt einer Vergleichsregion (zuerst "
    "{region}, {year}: bisher {old}, neu {new}). Einen Jahresdurchschnitt des eigenen Gebiets "
    "ersetzt ein Monatswert nie."
)
# ---------------------------------------------------------------------------------------------------------------
# Issue 23: Veröffentlichung als statische Website (indicators/publish/, Kommandozeile publish, Seite Verwaltung)
# ---------------------------------------------------------------------------------------------------------------
#: on the public site (for citizens: no setting names)
PUBLISH_NO_IMPRINT = "Die Angaben zum Impressum werden derzeit ergänzt."
PUBLISH_NO_CONTACT = "Eine Kontaktangabe wird derzeit ergänzt."
#: for the administration (preview, command line): what the site still lacks, with the setting to set
PUBLISH_MISSING_IMPRINT = (
    "Das Impressum ist nicht eingerichtet (Einstellung MONITOR_PUBLISH_IMPRESSUM: eine Textdatei mit den Angaben "
    "nach § 5 DDG); die Website sagt dort nur, dass die Angaben ergänzt werden."
)
PUBLISH_MISSING_CONTACT = (
    "Die Kontaktangabe ist nicht eingerichtet (Einstellung MONITOR_PUBLISH_KONTAKT, z. B. die Funktionsadresse der "
    "Stabsstelle); die Website nennt dann keine Stelle für Fragen und Hinweise auf Barrieren."
)
PUBLISH_IMPRINT_UNREADABLE = (
    "Die Impressumsdatei {name} (MONITOR_PUBLISH_IMPRESSUM) lässt sich nicht lesen: sie fehlt oder ist nicht in "
    "UTF-8 gespeichert. Es wurde nichts veröffentlicht."
)
PUBLISH_FOREIGN_FOLDER = (
    "Der Ordner {folder} ist nicht leer und enthält keine frühere Veröffentlichung (manifest.json). Bitte einen "
    "leeren oder neuen Ordner angeben; es wurde nichts geschrieben."
)
PUBLISH_NOT_A_FOLDER = "{folder} ist eine Datei, kein Ordner. Es wurde nichts geschrieben."
PUBLISH_CANNOT_WRITE = "In den Ordner {folder} lässt sich nicht schreiben ({reason}). Es wurde nichts veröffentlicht."
PUBLISH_NO_VALUES = "Es sind noch keine Indikatorwerte berechnet; bitte zuerst Daten laden."
PUBLISH_DONE = "Website erstellt in {folder}: {pages} Seiten, {downloads} Datendateien, {size} insgesamt."
PUBLISH_CHANGES = (
    "Seit der letzten Veröffentlichung: {new} neu, {changed} geändert, {removed} entfernt, {same} unverändert."
)
PUBLISH_FIRST = "Erste Veröffentlichung in diesem Ordner."
PUBLISH_UNCHANGED = "Keine Änderung seit der letzten Veröffentlichung."
PUBLISH_TAB = "Veröffentlichen"
PUBLISH_INTRO = (
    "Erstellt eine statische, barrierefreie Website mit den öffentlichen Indikatoren (ein Ordner mit Dateien, "
    "den jeder Webserver oder die Website des Kreises ausliefern kann). Öffentlich ist, was die Definitionen als "
    "öffentlich markieren (`public`), ohne die Indikatoren aus intern gehaltenen Listen; kleine Fallzahlen bleiben "
    "unterdrückt wie in der App; Notizen nur, wenn sie als öffentlich markiert sind; keine Namen, kein Protokoll."
)
PUBLISH_PREVIEW = "Vorschau: was öffentlich wird"
PUBLISH_PUBLIC_COUNT = "{n} in {f}, {notes}."
PUBLISH_WITHHELD = "Nicht veröffentlicht"
PUBLISH_BUTTON = "Website erstellen"
PUBLISH_FOLDER = "Zielordner: {folder} (Einstellung MONITOR_PUBLISH_DIR)"
PUBLISH_COLUMNS = {"field": "Handlungsfeld", "name": "Indikator", "latest": "Neuester Wert", "verdict": "Bewertung"}
PUBLISH_WITHHELD_COLUMNS = {"name": "Indikator", "reason": "Grund"}
PUBLISH_FILE_COLUMNS = {"path": "Datei", "change": "Änderung"}
PUBLISH_CHANGE_WORDS = {"neu": "neu", "geaendert": "geändert", "entfernt": "entfernt"}
PUBLISH_BREAKDOWN_BY = {"nationality": "nach Staatsangehörigkeit", "sex": "nach Geschlecht"}
NOTE_PUBLIC = "öffentlich (erscheint auch auf der veröffentlichten Website)"
