"""The demo strategy for the Landkreis (labelled as demo data, removed with it): a Leitbild, per field of action
3 Leitziele and 6 Handlungsziele linked to the field's indicators, 42 measures with partners and milestones
(dates relative to the clock, so that some are delayed or at risk whenever the demo is loaded)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from indicators.permissions import current_tenant
from indicators.store import Store
from indicators.strategy import model

if TYPE_CHECKING:
    import duckdb

    from indicators.catalog import Catalog


DEMO_REASON = "Demo-Strategie (synthetisch)"

LEITBILD = (
    "Der Landkreis Peine ist ein Ort, an dem alle Menschen – gleich welcher Herkunft – gleichberechtigt "
    "leben, lernen, arbeiten und mitgestalten. Integration ist eine Aufgabe aller: der Verwaltung, der "
    "Gemeinden, der Zivilgesellschaft und der Zugewanderten selbst. (Demo-Leitbild, synthetisch)"
)

UNITS = (
    "FD Schule und Bildung",
    "FD Jugend und Familie",
    "FD Soziales",
    "Stabsstelle Migration und Teilhabe",
    "FD Ausländerangelegenheiten",
    "FD Personal",
    "FD Gesundheit",
)

PARTNERS = [
    ("Jobcenter Landkreis Peine", "Jobcenter", ["arbeit", "sprache"], "Bereichsleitung Markt und Integration"),
    ("Agentur für Arbeit Hildesheim, Geschäftsstelle Peine", "Agentur für Arbeit", ["arbeit"], "Team Berufsberatung"),
    ("Berufsbildende Schulen Peine", "Schule", ["bildung", "sprache"], "Schulleitung, Sprachlernklassen"),
    ("Grundschulverbund Peine-Stadt", "Schule", ["bildung"], "Koordination Sprachförderung"),
    ("Kita-Träger Ev.-luth. Kirchenkreis Peine", "Kita-Träger", ["bildung", "sprache"], "Fachberatung Kitas"),
    ("AWO Kreisverband Peine", "Wohlfahrtsverband", ["gesellschaft", "sprache"], "Migrationsberatung"),
    ("Caritas Peine", "Wohlfahrtsverband", ["gesellschaft", "migrationsmanagement"], "Flüchtlingssozialarbeit"),
    ("DRK Kreisverband Peine", "Wohlfahrtsverband", ["gesellschaft"], "Fachbereich Migration"),
    (
        "Integrationsbeirat Landkreis Peine",
        "Migrantenorganisation",
        ["gesellschaft", "kommunikation"],
        "Vorsitz (Geschäftsstelle)",
    ),
    ("Deutsch-Türkischer Kulturverein Peine", "Migrantenorganisation", ["gesellschaft", "bildung"], "Vorstand"),
    ("Ukrainische Gemeinde Peine", "Migrantenorganisation", ["gesellschaft", "sprache"], "Vorstand"),
    ("Integrationslotsen Peiner Land", "Ehrenamt", ["gesellschaft", "sprache"], "Koordinierungsstelle"),
    ("Volkshochschule Peine", "Bildungsträger", ["sprache", "arbeit"], "Fachbereich Deutsch als Fremdsprache"),
    ("IHK Braunschweig, Geschäftsstelle Peine", "Kammer", ["arbeit"], "Anerkennungsberatung"),
    ("Handwerkskammer Braunschweig-Lüneburg-Stade", "Kammer", ["arbeit", "bildung"], "Ausbildungsberatung"),
    ("Stadt Peine, Fachdienst Soziales", "Gemeinde", ["gesellschaft", "migrationsmanagement"], "Fachdienstleitung"),
]

#: per field: 3 Leitziele, each with 2 Handlungsziele (title, indicator ids)
GOALS: dict[str, list[tuple[str, list[tuple[str, list[str]]]]]] = {
    "bildung": [
        (
            "Gleiche Bildungschancen von Anfang an",
            [
                (
                    "Mehr Kinder mit Migrationsgeschichte besuchen eine Kita",
                    ["betreuungsquote_u3_mh", "betreuungsquote_3_6_mh"],
                ),
                ("Übergänge Kita–Schule gezielt begleiten", ["betreuungsquote_3_6_mh"]),
            ],
        ),
        (
            "Schulerfolg unabhängig von der Herkunft",
            [
                (
                    "Weniger Schulabgänge ohne Abschluss",
                    ["schulabgang_ohne_abschluss_ausl", "schulabgang_ohne_abschluss_gap"],
                ),
                ("Mehr Jugendliche erreichen die Hochschulreife", ["hochschulreife_ausl", "gymnasium_jg8_ausl"]),
            ],
        ),
        (
            "Ausbildung und Anerkennung",
            [
                ("Mehr Ausbildungsverträge junger Ausländerinnen und Ausländer", ["ausbildungseinmuendung_ausl"]),
                ("Berufliche Abschlüsse schneller anerkennen", ["anerkennung_quote"]),
            ],
        ),
    ],
    "sprache": [
        (
            "Deutsch lernen für alle Neuzugewanderten",
            [
                ("Integrationskurse schneller beginnen", ["integrationskurs_teilnahme"]),
                ("Mehr Kursplätze im ländlichen Raum", ["sprachkursplaetze_je_100"]),
            ],
        ),
        (
            "Sprachprüfungen erfolgreich ablegen",
            [
                ("Mehr Prüfungen auf B1-Niveau bestanden", ["dtz_b1_quote"]),
                ("Kinderbetreuung während der Kurse sichern", ["integrationskurs_teilnahme"]),
            ],
        ),
        (
            "Frühe sprachliche Bildung",
            [
                ("Sprachförderbedarf bei der Einschulung senken", ["sprachfoerderbedarf_einschulung"]),
                ("Mehrsprachigkeit in Kitas stärken", ["familiensprache_nichtdeutsch_kita"]),
            ],
        ),
    ],
    "arbeit": [
        (
            "Zugang zum Arbeitsmarkt",
            [
                ("Arbeitslosigkeit von Ausländerinnen und Ausländern senken", ["alq_auslaender", "alq_gap"]),
                ("Langzeitarbeitslosigkeit abbauen", ["langzeitarbeitslose_anteil_ausl"]),
            ],
        ),
        (
            "Beschäftigung von Frauen",
            [
                ("Mehr zugewanderte Frauen in Beschäftigung", ["beschaeftigungsquote_ausl_frauen"]),
                ("Teilzeitausbildung bekannt machen", ["beschaeftigungsquote_ausl_frauen"]),
            ],
        ),
        (
            "Eigenständige Existenzsicherung",
            [
                ("Weniger Leistungsbezug nach SGB II", ["sgb2_quote_ausl"]),
                ("Beschäftigungsquote steigern", ["beschaeftigungsquote_ausl"]),
            ],
        ),
    ],
    "gesellschaft": [
        (
            "Teilhabe und Mitbestimmung",
            [
                ("Mehr Menschen mit Migrationsgeschichte in Gremien", ["integrationsbeirat_mitglieder_mh"]),
                ("Beteiligung an Kommunalwahlen erhöhen", ["wahlbeteiligung_kommunal"]),
            ],
        ),
        (
            "Zusammenhalt und Ehrenamt",
            [
                ("Integrationslotsen gewinnen und halten", ["ehrenamt_integrationslotsen"]),
                ("Diskriminierung erkennen und beraten", ["diskriminierung_beratungsfaelle"]),
            ],
        ),
        (
            "Wohnen und Gesundheit",
            [
                ("Dezentrales Wohnen für Geflüchtete", ["wohnen_dezentral_anteil"]),
                ("Vorsorge und Impfungen erreichen alle Kinder", ["masern_impfquote_ausl", "vorsorge_u8u9_ausl"]),
            ],
        ),
    ],
    "kommunikation": [
        (
            "Interkulturelle Öffnung der Verwaltung",
            [
                ("Mehr Beschäftigte mit Migrationsgeschichte", ["personal_mh_anteil", "auszubildende_mh_anteil"]),
                ("Beschäftigte interkulturell schulen", ["interkulturell_geschult_anteil"]),
            ],
        ),
        (
            "Verständliche Information",
            [
                ("Informationen in mehr Sprachen", ["mehrsprachige_informationen"]),
                ("Sprachmittlung bei Terminen sichern", ["sprachmittlung_einsaetze"]),
            ],
        ),
        (
            "Willkommenskultur",
            [
                ("Willkommensmappe für Neuzugewanderte", ["mehrsprachige_informationen"]),
                ("Ausbildung in der Verwaltung für Zugewanderte", ["auszubildende_mh_anteil"]),
            ],
        ),
    ],
    "migrationsmanagement": [
        (
            "Einbürgerung fördern",
            [
                ("Mehr Einbürgerungen", ["einbuergerungsquote", "einbuergerungsquote_alle"]),
                ("Einbürgerungsberatung ausbauen", ["einbuergerungsquote"]),
            ],
        ),
        (
            "Sicherer Aufenthalt",
            [
                ("Mehr Menschen mit sicherem Aufenthaltsstatus", ["sicherer_aufenthalt_anteil"]),
                ("Kettenduldungen verringern", ["duldung_anteil"]),
            ],
        ),
        (
            "Serviceorientierte Ausländerbehörde",
            [
                ("Aufenthaltstitel schneller bearbeiten", ["bearbeitungsdauer_aufenthaltstitel"]),
                ("Online-Terminvergabe einführen", ["bearbeitungsdauer_aufenthaltstitel"]),
            ],
        ),
    ],
}

FIELD_UNITS = {
    "bildung": "FD Schule und Bildung",
    "sprache": "Stabsstelle Migration und Teilhabe",
    "arbeit": "FD Soziales",
    "gesellschaft": "Stabsstelle Migration und Teilhabe",
    "kommunikation": "FD Personal",
    "migrationsmanagement": "FD Ausländerangelegenheiten",
}
ALT_UNITS = {
    "bildung": "FD Jugend und Familie",
    "sprache": "FD Jugend und Familie",
    "arbeit": "FD Soziales",
    "gesellschaft": "FD Gesundheit",
    "kommunikation": "Stabsstelle Migration und Teilhabe",
    "migrationsmanagement": "FD Ausländerangelegenheiten",
}
MEASURE_WORDS = ("Programm", "Projekt", "Angebot", "Netzwerktreffen", "Beratungsangebot", "Kampagne", "Fortbildung")


def load_demo_strategy(store: Store, catalog: Catalog, user: str, today: dt.date) -> int:
    """Write the demo strategy (all rows marked demo) in one transaction; nothing if a strategy exists."""
    if model.measures(store) or model.goals(store):
        return 0
    n = 0
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO strat_leitbild VALUES (1, ?, ?, ?, ?, ?, ?, TRUE, ?)",
            [LEITBILD, dt.date(2021, 6, 24), "Kreistag (Demo)", dt.datetime.now(), user, DEMO_REASON, current_tenant()],
        )
        partner_ids = []
        for name, kind, fields, contact in PARTNERS:
            fields = [f for f in fields if f in catalog.fields]
            partner_ids.append(
                (
                    model.save_partner(
                        store,
                        catalog,
                        {"name": name, "kind": kind, "fields": fields, "contact": contact, "demo": True},
                        user,
                        DEMO_REASON,
                        cur=cur,
                    ),
                    fields,
                )
            )
        k = h = 0
        for field_id, leitziele in GOALS.items():
            if field_id not in catalog.fields:
                continue
            for i, (lz_title, hzs) in enumerate(leitziele, start=1):
                lz = model.save_goal(
                    store,
                    catalog,
                    {"kind": "leitziel", "field": field_id, "title": lz_title, "position": i, "demo": True},
                    user,
                    DEMO_REASON,
                    cur=cur,
                )
                for j, (hz_title, inds) in enumerate(hzs, start=1):
                    inds = [x for x in inds if x in catalog.indicators]
                    hz = model.save_goal(
                        store,
                        catalog,
                        {
                            "kind": "handlungsziel",
                            "parent": lz,
                            "title": hz_title,
                            "indicators": inds,
                            "position": j,
                            "demo": True,
                        },
                        user,
                        DEMO_REASON,
                        cur=cur,
                    )
                    # 1 measure per Handlungsziel, a second one for every sixth (42 in all)
                    h += 1
                    for extra in range(2 if h % 6 == 1 else 1):
                        k += 1
                        n += 1
                        _demo_measure(
                            store,
                            catalog,
                            cur,
                            user,
                            today,
                            k,
                            field_id,
                            hz,
                            hz_title,
                            extra,
                            [p for p, f in partner_ids if field_id in f],
                        )
    return n


def _demo_measure(
    store: Store,
    catalog: Catalog,
    cur: duckdb.DuckDBPyConnection,
    user: str,
    today: dt.date,
    k: int,
    field_id: str,
    hz: str,
    hz_title: str,
    extra: int,
    partners: list[str],
) -> None:
    start = today - dt.timedelta(days=30 * (4 + k % 20))
    end = start + dt.timedelta(days=365 * (1 + k % 3))
    pattern = k % 7  # 0: completed, 1: overdue milestone (verzögert), 2: at risk, others on plan
    status = "abgeschlossen" if pattern == 0 else ("geplant" if k % 11 == 5 else "laufend")
    if pattern == 0:
        end = today - dt.timedelta(days=20 + k)
    elif end < today + dt.timedelta(days=60):
        end = today + dt.timedelta(days=60 + 7 * k)
    if status == "geplant":
        start = today + dt.timedelta(days=30 + k)
        end = start + dt.timedelta(days=365)
    elif pattern == 2:  # its second milestone is long overdue (below): the measure began well before it
        start = min(start, today - dt.timedelta(days=300))
    ms: list[dict[str, Any]] = [
        {"title": "Konzept abgestimmt", "due": start + dt.timedelta(days=60), "done": start + dt.timedelta(days=55)},
        {"title": "Umsetzung gestartet", "due": today + dt.timedelta(days=45 + k), "done": None},
        {"title": "Auswertung vorgelegt", "due": end - dt.timedelta(days=14), "done": None},
    ]
    if status == "geplant":  # nothing due before the start, in the order of the plan
        ms[0]["done"] = None
        ms[1]["due"] = start + dt.timedelta(days=120)
    elif pattern == 0:
        ms = [{**x, "done": x["done"] or min(x["due"], today - dt.timedelta(days=21))} for x in ms]
    elif pattern == 1:
        ms[1]["due"] = today - dt.timedelta(days=10 + k % 30)
    elif pattern == 2:
        ms[1]["due"] = today - dt.timedelta(days=100 + k % 60)
    word = MEASURE_WORDS[k % len(MEASURE_WORDS)]
    reviews = (
        []
        if status == "geplant"
        else [
            {"date": today - dt.timedelta(days=40 + k % 30), "note": "Umsetzung wie geplant (Demo-Notiz)", "by": user}
        ]
    )
    target = 40 + 15 * (k % 9)
    m = {
        "title": f"{word}: {hz_title}" + (" – Ausbaustufe" if extra else ""),
        "description": f"Demo-Maßnahme zum Handlungsziel „{hz_title}“ (synthetisch).",
        "fields": [field_id],
        "goals": [hz],
        "unit": (ALT_UNITS if extra else FIELD_UNITS)[field_id],
        "partners": partners[(k % max(len(partners), 1)) :][:2] if partners else [],
        "start_date": start,
        "end_date": end,
        "budget_planned": float(5000 * (1 + k % 8)),
        "budget_spent": float(5000 * (1 + k % 8)) * (0.9 if pattern == 0 else 0.3 if status == "laufend" else 0),
        "status": status,
        "reach_target": target,
        "reach_actual": None if status == "geplant" else int(target * (0.95 if pattern == 0 else 0.4)),
        "next_review": (today - dt.timedelta(days=5))
        if k % 13 == 4
        else (today + dt.timedelta(days=30 + k % 60))
        if pattern != 0
        else None,
        "milestones": ms,
        "reviews": reviews,
        "demo": True,
    }
    model.save_measure(store, catalog, m, user, DEMO_REASON, cur=cur)
