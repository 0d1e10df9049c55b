"""The form definition model: parts, fields, tables and year grids, as loaded from data.

A form is defined once, as data (``forms/definitions/*.json``); every rendering (the wizard, the
validator, the rule engine, the PDF, the DOCX, the entry sheet) reads these objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from giantdesk.forms.messages import Message

#: A typed field value as held in memory. Multiple choices are tuples of choice ids.
Value = str | int | bool | Decimal | date | tuple[str, ...]


class FieldType(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    INT = "int"
    YEAR = "year"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    USCC = "uscc"
    MOBILE = "mobile"
    PHONE = "phone"
    POSTCODE = "postcode"
    EMAIL = "email"
    INDUSTRY = "industry"  # GB/T 4754-2017 大类 (2 digits)
    NICHE = "niche"  # GB/T 4754-2017 小类 (4 digits)
    PROVINCE = "province"  # GB/T 2260 province-level division (2 digits)
    CITY = "city"  # GB/T 2260 prefecture-level division, by name, under ``within`` (a province)
    COUNTY = "county"  # GB/T 2260 county-level division, by name, under ``within`` (a city)
    PATENT = "patent"  # CNIPA patent number (application number + check character)


#: Types whose values are decimals (serialized as strings with two decimals).
DECIMAL_TYPES = frozenset({FieldType.MONEY, FieldType.PERCENT})
#: Types whose values are whole numbers (serialized as JSON integers).
INTEGER_TYPES = frozenset({FieldType.INT, FieldType.YEAR})
#: Types whose values are choice ids.
CODE_TYPES = frozenset({FieldType.CHOICE, FieldType.INDUSTRY, FieldType.NICHE, FieldType.PROVINCE})
#: Types whose values are not text: they carry no character limit (their format bounds them).
NON_TEXT_TYPES = frozenset({FieldType.INT, FieldType.YEAR, FieldType.MONEY, FieldType.PERCENT,
                            FieldType.DATE, FieldType.BOOL})
#: Limits used when a definition names none (``limits`` in the definition file overrides them).
DEFAULT_MAX_ROWS = 500
DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Choice:
    id: str
    label: Message


@dataclass(frozen=True)
class Condition:
    """Show (and require) a field only when ``field`` holds one of ``values``.

    ``values`` empty means "when ``field`` is filled / true".
    """

    field: str
    values: tuple[str | bool | int, ...] = ()

    def holds(self, get: Callable[[str], object]) -> bool:
        value = get(self.field)
        if not self.values:
            return value not in (None, "", (), False)
        if isinstance(value, tuple):
            return any(item in self.values for item in value)
        return value in self.values


@dataclass(frozen=True)
class Computed:
    """A value derived from other fields, never typed by the user.

    ``op`` is one of ``ratio`` (a / b × 100), ``growth`` ((a − b) / b × 100), ``mean`` and ``sum``.
    """

    op: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class TypeWhen:
    """A table column whose type depends on another column of its row (e.g. the number of a
    Class I IP item is a CNIPA patent number when the row's type is an invention patent)."""

    condition: Condition
    type: FieldType
    patent_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldDef:
    id: str
    label: Message
    type: FieldType
    unit: Message | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    condition: Condition | None = None
    computed: Computed | None = None
    allow_negative: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    help: Message | None = None
    official: bool = True
    source_note: str = ""
    #: Table rows: the row this field belongs to in a year grid (e.g. "employees"), else "".
    grid_row: str = ""
    year: int | None = None
    #: Dates only: may lie in the future (e.g. "valid until").
    allow_future: bool = False
    #: Text values: the most characters (Unicode code points, after normalization) the field
    #: holds; None for numbers, dates and booleans. For a multiple choice: per selected id.
    max_length: int | None = None
    #: City / county: the id of the field naming the enclosing division (province / city).
    within: str = ""
    #: Table columns: the type this column takes when another column of the row has a value.
    type_when: tuple[TypeWhen, ...] = ()
    #: Patent numbers: the kinds expected ("invention", "utility", "design"); empty = any.
    patent_kinds: tuple[str, ...] = ()
    _variants: tuple[FieldDef, ...] = field(default=(), repr=False, compare=False)

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def for_row(self, row: Mapping[str, object]) -> FieldDef:
        """This column as it applies in ``row`` (its type may depend on another column)."""
        for variant, column in zip(self.type_when, self._variants, strict=True):
            if variant.condition.holds(row.get):
                return column
        return self

    def __post_init__(self) -> None:
        variants = tuple(replace(self, type=v.type, patent_kinds=v.patent_kinds, type_when=())
                         for v in self.type_when)
        object.__setattr__(self, "_variants", variants)

    def remaining(self, text: str) -> int | None:
        """How many more characters fit (negative when over the limit); None = no limit.
        The GUI shows this near the limit."""
        if self.max_length is None:
            return None
        return self.max_length - len(text)


@dataclass(frozen=True)
class TableDef:
    """A repeating table: rows of ``columns``; ``min_rows`` > 0 makes at least one row required."""

    id: str
    label: Message
    columns: tuple[FieldDef, ...]
    min_rows: int = 0
    #: The most rows the table holds (the definition's ``max_rows``).
    max_rows: int = DEFAULT_MAX_ROWS
    condition: Condition | None = None
    help: Message | None = None
    official: bool = True
    source_note: str = ""

    def column(self, column_id: str) -> FieldDef | None:
        return next((c for c in self.columns if c.id == column_id), None)


@dataclass(frozen=True)
class GridRow:
    key: str
    template: FieldDef


@dataclass(frozen=True)
class GridDef:
    """A table of fixed rows × year columns whose cells are plain fields ``<prefix>.<year>.<row>``."""

    id: str
    label: Message
    prefix: str
    years: tuple[int, ...]
    rows: tuple[GridRow, ...]
    official: bool = True
    source_note: str = ""
    cells: tuple[FieldDef, ...] = ()

    def cell_id(self, row: str, year: int) -> str:
        return f"{self.prefix}.{year}.{row}"


@dataclass(frozen=True)
class Note:
    """Static text printed in a part (e.g. the self-assessment checklist or a statement)."""

    id: str
    text: Message
    official: bool = True


Item = FieldDef | TableDef | GridDef | Note


@dataclass(frozen=True)
class Part:
    id: str
    number: Message  # "一" / "1"
    title: Message
    items: tuple[Item, ...]
    filled_by: str = "enterprise"  # or "recommender": printed blank, never filled by the app
    official: bool = True
    source_note: str = ""
    help: Message | None = None

    def fields(self) -> Iterator[FieldDef]:
        for item in self.items:
            if isinstance(item, FieldDef):
                yield item
            elif isinstance(item, GridDef):
                yield from item.cells


@dataclass(frozen=True)
class Cover:
    title: Message
    subtitle: Message
    lines: tuple[Message, ...]  # "企业名称（盖章）" … printed with blanks / values
    issuer: Message  # "工业和信息化部制"


@dataclass(frozen=True, eq=False)  # identity hash: definitions are loaded once and cached
class FormDefinition:
    id: str
    version: str
    rules: str
    title: Message
    short_title: Message
    year: int  # Y, 上年度
    cover: Cover
    instructions: tuple[Note, ...]
    parts: tuple[Part, ...]
    options: dict[str, bool] = field(default_factory=dict)
    #: The batch's declaration date (the online filing opened): what "still valid" is judged at.
    reference_date: date | None = None
    #: The largest record file (UTF-8 bytes of ``submission.json``) the reader accepts.
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    _fields: dict[str, FieldDef] = field(default_factory=dict, repr=False, compare=False)
    _tables: dict[str, TableDef] = field(default_factory=dict, repr=False, compare=False)
    _part_of: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for part in self.parts:
            for item in part.items:
                if isinstance(item, TableDef):
                    self._tables[item.id] = item
                    self._part_of[item.id] = part.id
                elif isinstance(item, FieldDef | GridDef):
                    cells = item.cells if isinstance(item, GridDef) else (item,)
                    for f in cells:
                        self._fields[f.id] = f
                        self._part_of[f.id] = part.id

    @property
    def fields(self) -> dict[str, FieldDef]:
        """Every field by id, in printing order."""
        return self._fields

    @property
    def tables(self) -> dict[str, TableDef]:
        return self._tables

    def field(self, field_id: str) -> FieldDef | None:
        return self._fields.get(field_id)

    def table(self, table_id: str) -> TableDef | None:
        return self._tables.get(table_id)

    def label_of(self, path: str) -> Message:
        """A field, table or cell (``table[2].column``) in the user's words, never its id:
        "其中：主营业务收入（2021年）", "Ⅰ类知识产权第 2 行 · 专利号"."""
        table_id, sep, rest = path.partition("[")
        if sep:
            row, _sep, column_id = rest.partition("].")
            table = self.table(table_id)
            if table is not None:
                column = table.column(column_id)
                zh, en = f"{table.label.zh}第 {row} 行", f"{table.label.en}, row {row}"
                if column is not None:
                    zh, en = f"{zh} · {column.label.zh}", f"{en} · {column.label.en}"
                return Message(zh, en)
        f = self.field(path)
        if f is not None:
            if f.year is not None:
                return Message(f"{f.label.zh}（{f.year}年）", f"{f.label.en} ({f.year})")
            return f.label
        table = self.table(path)
        if table is not None:
            return table.label
        return Message(path, path)

    def part_of(self, item_id: str) -> Part | None:
        part_id = self._part_of.get(item_id)
        return next((p for p in self.parts if p.id == part_id), None)

    @property
    def finance_years(self) -> tuple[int, ...]:
        return (self.year - 2, self.year - 1, self.year)
