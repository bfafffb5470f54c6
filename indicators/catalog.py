"""Indicator definitions as data.

The catalog lives in YAML files in ``indicators/definitions/`` (one file per field of action) plus
``variables.yaml`` (the base variables that uploads deliver). Every file is validated at start-up;
a bad definition raises :class:`CatalogError` naming the file, the indicator and the field.

Formula kinds (like dbt's metric types, the SQL behind them lives in :mod:`indicators.compute`):

``published``      the value of one base variable as the source publishes it (a count, a published rate)
``share``          numerator / denominator x 100                             (unit ``%``)
``rate``           numerator / denominator x ``per`` (default 1000)          (e.g. ``je 1000 EW``)
``ratio``          numerator / denominator x ``per`` (default 1)
``gap``            the share (or, without denominator, the published value) of one group minus that of
                   another along ``compare.dimension``, in %-Pkt.
``dissimilarity``  1/2 x sum over the Gemeinden of |a_i/A - b_i/B| x 100 for the parent region

Any operand may carry ``lag: 1``: the denominator then comes from the previous year (lagged
denominator, e.g. Einbürgerungsquote). A filter value may be a list: those codes are summed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

#: The breakdown dimensions of the observation table (a whitelist: these are the only column names
#: that definitions and uploads may refer to).
DIMENSIONS: tuple[str, ...] = ("nationality", "sex", "age_group", "category")
TOTAL = "insgesamt"
NATIONALITIES = ("insgesamt", "deutsch", "auslaendisch", "eu", "drittstaat", "schutzsuchend")
SEXES = ("insgesamt", "maennlich", "weiblich")
KINDS = ("published", "share", "rate", "ratio", "gap", "dissimilarity")
UNITS = ("%", "%-Pkt.", "je 1000 EW", "je 100", "Anzahl", "Tage", "Index")
DIRECTIONS = ("up", "down", "zero", "context")

Dim = Literal["nationality", "sex", "age_group", "category"]
Code = Annotated[str, Field(pattern=r"^[a-z0-9_\-]+$", max_length=60)]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]

#: Plausible range of a computed value by unit (used by tests and by the import's checks).
PLAUSIBLE_RANGE: dict[str, tuple[float, float]] = {
    "%": (0.0, 100.0),
    "%-Pkt.": (-100.0, 100.0),
    "je 1000 EW": (-1000.0, 1000.0),
    "je 100": (0.0, 10000.0),
    "Anzahl": (0.0, 1e9),
    "Tage": (0.0, 3650.0),
    "Index": (0.0, 100.0),
}


class CatalogError(Exception):
    """A definition file is not valid. The message is German and names file, indicator and field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Plausibility(Strict):
    """Plausibility thresholds of a variable (issue 21), checked before an import is committed: a value beyond them is
    a warning the person confirms. Unset fields take the defaults of the variable's unit (``plausibility_defaults``
    in variables.yaml)."""

    #: largest change against the previous year, in percent of the previous value
    change_pct: float | None = Field(default=None, gt=0)
    #: the change rule applies from this previous value on (small counts vary by chance)
    min_base: float | None = Field(default=None, ge=0)
    #: counts of persons are whole numbers (a fraction is a typing error or a wrong column)
    whole: bool | None = None
    #: a total and its parts in one file: the parts per dimension that add up to its "insgesamt"
    #: (nationality: deutsch + auslaendisch; sex: maennlich + weiblich); checked for additive counts
    parts: dict[Dim, list[Code]] | None = None
    #: largest excess of a total over the sum of its parts, in percent of the total (a part "keine Angabe" is
    #: missing in some sources); a total below its parts is an error already
    parts_pct: float | None = Field(default=None, ge=0)


class Variable(Strict):
    id: Ident
    name: str
    unit: Literal["Anzahl", "%", "Tage", "Index", "Euro"] = "Anzahl"
    additive: bool = True  # counts can be summed from Gemeinden to the Kreis
    allow_negative: bool = False  # e.g. a migration balance
    rounded_to: int | None = None  # AZR counts are rounded to multiples of 5
    description: str = ""
    #: German labels of the variable's category codes (mit_mh → "mit Migrationshintergrund"), shown instead of codes
    categories: dict[str, str] = Field(default_factory=dict)
    #: what a value of a year is: "Jahresdurchschnitt" (the mean of the year's months: a value of one month or
    #: reference date is not it), or empty (a reference date such as 31.12. or 30.06., or a count of the year)
    period: Literal["", "Jahresdurchschnitt"] = ""
    plausibility: Plausibility = Field(default_factory=Plausibility)


class Operand(Strict):
    variable: Ident
    filter: dict[Dim, Code | list[Code]] = Field(default_factory=dict)
    lag: int = Field(0, ge=0, le=5)
    # for the profile (Steckbrief): what is counted, from which source, on which reference date (issue 14)
    label: str = ""
    source: str = ""
    reference_date: str = ""


class Compare(Strict):
    dimension: Dim = "nationality"
    minuend: Code = "auslaendisch"
    subtrahend: Code = "deutsch"


class SeriesBreak(Strict):
    year: int = Field(ge=1990, le=2100)
    note: str


class Indicator(Strict):
    id: Ident
    field: Ident
    name: str = Field(min_length=3)
    kind: Literal["published", "share", "rate", "ratio", "gap", "dissimilarity"]
    unit: Literal["%", "%-Pkt.", "je 1000 EW", "je 100", "Anzahl", "Tage", "Index"]
    direction: Literal["up", "down", "zero", "context"]
    value: Operand | None = None  # published
    numerator: Operand | None = None  # share, rate, ratio, gap
    denominator: Operand | None = None  # share, rate, ratio, (gap)
    group_a: Operand | None = None  # dissimilarity
    group_b: Operand | None = None  # dissimilarity
    #: a published value of the same quantity (e.g. derived from the complement series a source publishes), taken
    #: where the operands give no value (Land, Bund): comparison values, with their flag (``abg``: derived)
    official: Operand | None = None
    per: float | None = None
    compare: Compare | None = None
    breakdowns: list[Dim] = Field(default_factory=list)
    headline: dict[Dim, Code] = Field(default_factory=dict)
    description: str = Field(min_length=10)
    interpretation: str = Field(min_length=10)
    source: str = Field(min_length=2)
    update_interval: Literal["monatlich", "vierteljährlich", "jährlich", "zweijährlich", "fünfjährlich", "unregelmäßig"]
    reference_date: str = Field(min_length=2)  # e.g. "31.12.", "30.06.", "Schuljahr"
    gemeinde_level: bool = False
    min_count: int | None = Field(None, ge=0)  # None: the configured default
    series_breaks: list[SeriesBreak] = Field(default_factory=list)
    reference: str = ""
    headline_of_field: bool = False  # shown first in the projector sequence
    limit: float | None = None  # natural limit for the Open SDG method (e.g. 100 %)
    #: on the public website (issue 23); None: as its field of action says (``public`` there, default no)
    public: bool | None = None

    @field_validator("breakdowns")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("Aufschlüsselungen dürfen nicht doppelt vorkommen")
        return v

    @model_validator(mode="after")
    def _operands_match_kind(self) -> Indicator:
        need: dict[str, tuple[str, ...]] = {
            "published": ("value",),
            "share": ("numerator", "denominator"),
            "rate": ("numerator", "denominator"),
            "ratio": ("numerator", "denominator"),
            "gap": ("numerator",),
            "dissimilarity": ("group_a", "group_b"),
        }
        allowed = set(need[self.kind]) | ({"denominator"} if self.kind == "gap" else set())
        for name in ("value", "numerator", "denominator", "group_a", "group_b"):
            present = getattr(self, name) is not None
            if name in need[self.kind] and not present:
                raise ValueError(f"Feld '{name}': fehlt, Formelart '{self.kind}' braucht es")
            if present and name not in allowed:
                raise ValueError(f"Feld '{name}': Formelart '{self.kind}' kennt dieses Feld nicht")
        if self.kind == "gap" and self.compare is None:
            object.__setattr__(self, "compare", Compare())
        if self.kind != "gap" and self.compare is not None:
            raise ValueError("Feld 'compare': gibt es nur bei der Formelart 'gap'")
        if self.kind == "share" and self.per not in (None, 100):
            raise ValueError("Feld 'per': ein Anteil (share) wird immer mit 100 multipliziert; bitte weglassen")
        if self.kind == "gap" and self.comparison.dimension in self.breakdowns:
            raise ValueError(
                "Feld 'breakdowns': die Vergleichsdimension einer Lücke kann nicht zugleich Aufschlüsselung sein"
            )
        expected_unit = {"share": "%", "gap": "%-Pkt.", "dissimilarity": "Index"}.get(self.kind)
        if expected_unit and self.unit != expected_unit:
            raise ValueError(
                f"Feld 'unit': Formelart '{self.kind}' hat die Einheit '{expected_unit}', nicht '{self.unit}'"
            )
        for dim in self.headline:
            if dim not in self.breakdowns:
                raise ValueError(f"Feld 'headline': '{dim}' ist keine Aufschlüsselung dieses Indikators (breakdowns)")
        known: dict[str, tuple[str, ...]] = {"nationality": NATIONALITIES, "sex": SEXES}
        for role, op in self.operands().items():
            for dim, codes in op.filter.items():
                for code in codes if isinstance(codes, list) else [codes]:
                    if dim in known and code not in known[dim]:
                        raise ValueError(
                            f"Feld '{role}.filter.{dim}': unbekannter Code '{code}' (erlaubt: {', '.join(known[dim])})"
                        )
        for dim, code in self.headline.items():
            if dim in known and code not in known[dim]:
                raise ValueError(f"Feld 'headline.{dim}': unbekannter Code '{code}'")
        return self

    # -- derived -------------------------------------------------------------------------------
    @property
    def comparison(self) -> Compare:
        """The comparison of a gap (the validator gives every gap one; only a gap has one)."""
        assert self.compare is not None, "only a gap has a comparison"
        return self.compare

    @property
    def factor(self) -> float:
        if self.per is not None:
            return float(self.per)
        return {"share": 100.0, "rate": 1000.0, "ratio": 1.0, "gap": 100.0}.get(self.kind, 1.0)

    def operands(self) -> dict[str, Operand]:
        names = ("value", "numerator", "denominator", "group_a", "group_b")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def variables(self) -> set[str]:
        return {op.variable for op in self.operands().values()} | ({self.official.variable} if self.official else set())

    def operand_texts(self, variables: dict[str, Variable]) -> dict[str, str]:
        """Each operand as the profile states it: what, reference date, source (from the definition; where
        the definition gives none, the variable's name and filter, and 'Vorjahr' for a lagged operand)."""
        out = {}
        for role, op in self.operands().items():
            var = variables.get(op.variable)
            what = op.label or (
                (var.name if var else op.variable)
                + "".join(f", {d} = {'/'.join(c) if isinstance(c, list) else c}" for d, c in op.filter.items())
            )
            date = op.reference_date or (f"Stichtag {op.lag} Jahr(e) vor dem Berichtsjahr" if op.lag else "")
            out[role] = "; ".join(x for x in (what, date, op.source) if x)
        return out

    def fixed_output(self, dim: str) -> str:
        """The value a non-breakdown dimension carries in the result rows.

        The numerator's (or published value's) filter value when every ratio operand agrees on it,
        else ``insgesamt`` (e.g. Ausländer / Bevölkerung insgesamt is not a value 'for Ausländer').
        """
        ops = [op for op in (self.value, self.numerator, self.denominator) if op is not None]
        values = {_as_code(op.filter.get(cast(Dim, dim), TOTAL)) for op in ops}
        return values.pop() if len(values) == 1 else TOTAL

    @property
    def headline_key(self) -> dict[str, str]:
        """Breakdown values of the headline series (the one the cockpit shows)."""
        key: dict[str, str] = {}
        for dim in DIMENSIONS:
            if dim in self.headline:
                key[dim] = self.headline[dim]
            elif dim in self.breakdowns:
                key[dim] = TOTAL
            else:
                key[dim] = self.fixed_output(dim)
        if self.kind == "gap":
            key[self.comparison.dimension] = TOTAL
        return key


def _as_code(v: str | list[str]) -> str:
    return TOTAL if isinstance(v, list) else v


class FieldOfAction(Strict):
    id: Ident
    name: str
    short: str = ""
    order: int = 0
    icon: str = ":material/insights:"
    description: str = ""
    #: False: the field gets no combined verdict (Rahmendaten: background for every field of action)
    rollup: bool = True
    #: its indicators are on the public website unless one says ``public: false`` (issue 23); default: not public
    public: bool = False


class _FieldFile(Strict):
    field: FieldOfAction
    indicators: list[dict[str, Any]] = Field(default_factory=list)


@dataclass(frozen=True)
class Catalog:
    fields: dict[str, FieldOfAction]
    indicators: dict[str, Indicator]
    variables: dict[str, Variable]
    fingerprint: str  # changes whenever any definition file changes

    def by_field(self, field_id: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.field == field_id]

    def is_public(self, ind: Indicator) -> bool:
        """Whether the definitions mark the indicator public (its own ``public``, else its field's)."""
        return ind.public if ind.public is not None else self.fields[ind.field].public

    def ordered_fields(self) -> list[FieldOfAction]:
        return sorted(self.fields.values(), key=lambda f: (f.order, f.id))

    def headline_indicators(self) -> list[Indicator]:
        """One indicator per field: the one marked as headline, else the first assessable one."""
        out = []
        for f in self.ordered_fields():
            inds = self.by_field(f.id)
            if not inds:
                continue
            marked = [i for i in inds if i.headline_of_field]
            judged = [i for i in inds if i.direction != "context"]
            out.append((marked or judged or inds)[0])
        return out


def german_error(err: Mapping[str, Any]) -> str:
    """One pydantic error in German (our own validators already speak German)."""
    ctx, typ = err.get("ctx") or {}, err["type"]
    texts = {
        "missing": "Angabe fehlt",
        "extra_forbidden": "unbekannter Eintrag",
        "string_pattern_mismatch": f"ungültiger Code {err.get('input')!r} (erlaubt: Kleinbuchstaben, Ziffern, _ und -)",
        "greater_than_equal": f"muss mindestens {ctx.get('ge')} sein",
        "greater_than": f"muss größer als {ctx.get('gt')} sein",
        "less_than_equal": f"darf höchstens {ctx.get('le')} sein",
        "less_than": f"muss kleiner als {ctx.get('lt')} sein",
        "literal_error": f"erlaubt ist nur {str(ctx.get('expected')).replace(' or ', ' oder ')}",
        "enum": f"erlaubt ist nur {str(ctx.get('expected')).replace(' or ', ' oder ')}",
        "string_too_long": f"höchstens {ctx.get('max_length')} Zeichen",
        "string_too_short": f"mindestens {ctx.get('min_length')} Zeichen",
        "too_short": f"mindestens {ctx.get('min_length')} Einträge",
        "too_long": f"höchstens {ctx.get('max_length')} Einträge",
        "int_parsing": "keine ganze Zahl",
        "int_type": "keine ganze Zahl",
        "int_from_float": "keine ganze Zahl",
        "float_parsing": "keine Zahl",
        "float_type": "keine Zahl",
        "bool_parsing": "weder ja noch nein",
        "bool_type": "weder ja noch nein",
        "string_type": "kein Text",
        "list_type": "keine Liste",
        "dict_type": "keine Zuordnung (Schlüssel: Wert)",
        "model_type": "keine Zuordnung (Schlüssel: Wert)",
    }
    return str(texts.get(typ, err["msg"].replace("Value error, ", "")))


def pydantic_message(exc: ValidationError, entry: str = "Feld '{}'", sep: str = ".", limit: int | None = None) -> str:
    """The validation errors in German, each with the path of keys it concerns (``entry`` names it)."""
    parts = []
    for err in exc.errors()[:limit]:
        loc = sep.join(str(p) for p in err["loc"])
        msg = german_error(err)
        parts.append(f"{entry.format(loc)}: {msg}" if loc else msg)
    return "; ".join(parts)


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, kind: str = "Definitionsdatei", error: type[Exception] = CatalogError) -> Any:
    """A YAML file (safe_load); a file that is not UTF-8 or not YAML raises ``error`` with a German message
    naming the file and, for YAML, the line and column."""
    try:
        # libyaml's safe loader where PyYAML was built with it: same results, a fifth of the time at every start
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except UnicodeDecodeError:
        raise error(f"{kind} {path.name}: nicht in UTF-8 gespeichert.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (Zeile {mark.line + 1}, Spalte {mark.column + 1})" if mark else ""
        raise error(f"{kind} {path.name}{where}: kein gültiges YAML.") from None


def load_catalog(directory: str | Path) -> Catalog:
    """Read and validate every definition file in ``directory``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogError(f"Der Ordner mit den Definitionen fehlt: {directory}")
    digest = hashlib.sha256()
    variables = _load_variables(directory, digest)
    fields: dict[str, FieldOfAction] = {}
    indicators: dict[str, Indicator] = {}
    origin: dict[str, str] = {}
    files = sorted(p for p in directory.glob("*.yaml") if p.name != "variables.yaml")
    if not files:
        raise CatalogError(f"Keine Definitionsdateien (*.yaml) für Handlungsfelder in {directory}.")
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
        _load_field_file(path, variables, fields, indicators, origin)
    order = {f.id: (f.order, n) for n, f in enumerate(fields.values())}
    ranked = sorted(enumerate(indicators.values()), key=lambda p: (order[p[1].field], p[0]))
    indicators = {ind.id: ind for _, ind in ranked}
    return Catalog(fields=fields, indicators=indicators, variables=variables, fingerprint=digest.hexdigest()[:16])


def _load_variables(directory: Path, digest: Any) -> dict[str, Variable]:
    """The base variables of ``variables.yaml``, each with its unit's plausibility defaults where it leaves them
    open."""
    var_path = directory / "variables.yaml"
    if not var_path.exists():
        raise CatalogError(f"Definitionsdatei variables.yaml fehlt in {directory}.")
    digest.update(var_path.read_bytes())
    raw_vars = read_yaml(var_path) or {}
    variables: dict[str, Variable] = {}
    defaults: dict[str, Plausibility] = {}
    for unit, item in ((raw_vars.get("plausibility_defaults") or {}) if isinstance(raw_vars, dict) else {}).items():
        try:
            defaults[str(unit)] = Plausibility.model_validate(item)
        except ValidationError as exc:
            raise CatalogError(
                f"Definitionsdatei variables.yaml, plausibility_defaults '{unit}': {pydantic_message(exc)}"
            ) from exc
    for i, item in enumerate(raw_vars.get("variables", []) if isinstance(raw_vars, dict) else []):
        vid = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        try:
            var = Variable.model_validate(item)
        except ValidationError as exc:
            raise CatalogError(f"Definitionsdatei variables.yaml, Variable '{vid}': {pydantic_message(exc)}") from exc
        base = defaults.get(var.unit)
        if base is not None:  # the unit's defaults fill what the variable leaves open
            own = var.plausibility.model_dump(exclude_none=True)
            var = var.model_copy(update={"plausibility": base.model_copy(update=own)})
        if var.id in variables:
            raise CatalogError(f"Definitionsdatei variables.yaml, Variable '{var.id}': Kennung doppelt vergeben.")
        variables[var.id] = var
    if not variables:
        raise CatalogError("Definitionsdatei variables.yaml: keine Variablen unter 'variables' gefunden.")
    return variables


def _load_field_file(
    path: Path,
    variables: dict[str, Variable],
    fields: dict[str, FieldOfAction],
    indicators: dict[str, Indicator],
    origin: dict[str, str],
) -> None:
    """One field of action and its indicators (added to ``fields``, ``indicators`` and ``origin``)."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise CatalogError(f"Definitionsdatei {path.name}: erwartet werden die Schlüssel 'field' und 'indicators'.")
    try:
        ff = _FieldFile.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(f"Definitionsdatei {path.name}: {pydantic_message(exc)}") from exc
    if ff.field.id in fields:
        raise CatalogError(f"Definitionsdatei {path.name}: Handlungsfeld '{ff.field.id}' ist schon definiert.")
    fields[ff.field.id] = ff.field
    for n, item in enumerate(ff.indicators):
        iid = item.get("id", f"Nr. {n + 1}") if isinstance(item, dict) else f"Nr. {n + 1}"
        data = dict(item) if isinstance(item, dict) else item
        if isinstance(data, dict):
            data.setdefault("field", ff.field.id)
        try:
            ind = Indicator.model_validate(data)
        except ValidationError as exc:
            raise CatalogError(f"Definitionsdatei {path.name}, Indikator '{iid}': {pydantic_message(exc)}") from exc
        if ind.field != ff.field.id:
            raise CatalogError(
                f"Definitionsdatei {path.name}, Indikator '{iid}': Feld 'field' ist '{ind.field}', "
                f"die Datei gehört aber zum Handlungsfeld '{ff.field.id}'."
            )
        if ind.id in indicators:
            raise CatalogError(
                f"Definitionsdatei {path.name}, Indikator '{iid}': Feld 'id' ist schon in {origin[ind.id]} vergeben."
            )
        for role, op in [*ind.operands().items(), *([("official", ind.official)] if ind.official else [])]:
            if op.variable not in variables:
                raise CatalogError(
                    f"Definitionsdatei {path.name}, Indikator '{iid}': Feld '{role}.variable' nennt die "
                    f"unbekannte Basisvariable '{op.variable}' (nicht in variables.yaml)."
                )
        indicators[ind.id] = ind
        origin[ind.id] = path.name
    marked = [i.id for i in indicators.values() if i.field == ff.field.id and i.headline_of_field]
    if len(marked) > 1:
        raise CatalogError(
            f"Definitionsdatei {path.name}, Indikator '{marked[1]}': Feld 'headline_of_field' ist "
            f"schon bei '{marked[0]}' gesetzt; je Handlungsfeld höchstens ein Leitindikator."
        )
