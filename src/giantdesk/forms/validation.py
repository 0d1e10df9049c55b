"""Whole-record validation: per-field checks, table rows and cross-field checks.

Each check declares the field and table ids it reads, so a live form re-runs only the checks an
edit can affect (see :mod:`giantdesk.forms.live`). ``validate`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from giantdesk.forms import codes, limits, sme_size
from giantdesk.forms import validators as v
from giantdesk.forms.computed import round2
from giantdesk.forms.messages import Message
from giantdesk.forms.model import Condition, FieldDef, FieldType, FormDefinition, TableDef, Value
from giantdesk.forms.record import Problem, Row, Submission
from giantdesk.forms.scope import Scope
from giantdesk.forms.values import input_text, parse_input

TOLERANCE = Decimal("0.01")

#: Validation codes that mean "a required item is empty" (to fill, not wrong).
MISSING_CODES = frozenset({"required", "table.min_rows"})


def is_missing(problem: Problem) -> bool:
    """True when ``problem`` says a required item is still empty ("待填写"), not that a value
    is wrong."""
    return problem.code in MISSING_CODES


@dataclass
class Findings:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    id: str
    inputs: frozenset[str]
    run: Callable[[Scope, Findings], None]


def condition_met(condition: Condition | None, get: Callable[[str], object]) -> bool:
    return condition is None or condition.holds(get)


def _labelled(f: FieldDef, message: Message, where: str = "") -> Message:
    return Message(f"{where}“{f.label.zh}”：{message.zh}", f"{where}“{f.label.en}”: {message.en}")


def _required(f: FieldDef, where: str = "") -> Message:
    return Message(f"{where}请填写“{f.label.zh}”", f"{where}“{f.label.en}” is required")


def _check_value(f: FieldDef, value: Value, path: str, today: date, out: Findings,
                 where: str = "") -> None:
    """Re-validate a typed value through the same parser the editors use."""
    try:
        checked = parse_input(f, input_text(f, value), today=today)
    except v.InvalidValue as exc:
        out.errors.append(Problem(path, exc.code, _labelled(f, exc.message, where)))
        return
    for warning in checked.warnings:
        out.warnings.append(Problem(path, warning.code, _labelled(f, warning.message, where)))


def _field_check(f: FieldDef) -> Check:
    def run(scope: Scope, out: Findings) -> None:
        value = scope.values.get(f.id)
        if not condition_met(f.condition, scope.get):
            if value is not None:
                out.warnings.append(Problem(f.id, "field.hidden", Message(
                    f"“{f.label.zh}”仅在前置选项满足时填写，此值不会打印",
                    f"“{f.label.en}” applies only when its condition holds; the value is not printed")))
            return
        if value is None or value == ():
            if f.required:
                out.errors.append(Problem(f.id, "required", _required(f)))
            return
        _check_value(f, value, f.id, scope.today, out)

    inputs = {f.id} | ({f.condition.field} if f.condition else set())
    return Check(f"field:{f.id}", frozenset(inputs), run)


def _computed_check(f: FieldDef) -> Check:
    def run(scope: Scope, out: Findings) -> None:
        typed = scope.values.get(f.id)  # a stored copy of a computed value, if the record has one
        if not isinstance(typed, Decimal):
            return
        actual = scope.computed.get(f.id)
        if actual is None or abs(round2(actual) - typed) > TOLERANCE:
            shown = "—" if actual is None else f"{round2(actual)}"
            out.errors.append(Problem(f.id, "computed.mismatch", Message(
                f"“{f.label.zh}”为计算值，应为 {shown}，记录中为 {typed}",
                f"“{f.label.en}” is computed: expected {shown}, the record has {typed}")))

    assert f.computed is not None
    return Check(f"computed:{f.id}", frozenset({f.id, *f.computed.inputs}), run)


def _table_check(table: TableDef) -> Check:
    def run(scope: Scope, out: Findings) -> None:
        rows = scope.rows(table.id)
        if len(rows) < table.min_rows:
            out.errors.append(Problem(table.id, "table.min_rows", Message(
                f"“{table.label.zh}”至少需要 {table.min_rows} 行",
                f"“{table.label.en}” needs at least {table.min_rows} row(s)")))
        too_many = limits.rows_problem(table, len(rows))
        if too_many is not None:
            out.errors.append(Problem(table.id, too_many.code, Message(
                f"“{table.label.zh}”：{too_many.message.zh}",
                f"“{table.label.en}”: {too_many.message.en}")))
        for index, row in enumerate(rows, start=1):
            _check_row(table, row, index, scope.today, out)

    return Check(f"table:{table.id}", frozenset({table.id}), run)


def _check_row(table: TableDef, row: Row, index: int, today: date, out: Findings) -> None:
    where = f"{table.label.zh}第 {index} 行"
    for template in table.columns:
        # e.g. a patent number when the row is a patent
        column = template.for_row(row) if template.type_when else template
        path = f"{table.id}[{index}].{column.id}"
        value = row.get(column.id)
        if not condition_met(column.condition, row.get):
            continue
        if value is None or value == ():
            if column.required:
                out.errors.append(Problem(path, "required", Message(
                    f"{where}：请填写“{column.label.zh}”",
                    f"{table.label.en}, row {index}: “{column.label.en}” is required")))
            continue
        _check_value(column, value, path, today, out, where=f"{where}：")


def _cross(check_id: str, inputs: Iterable[str],
           test: Callable[[Scope], tuple[str, v.InvalidValue] | None]) -> Check:
    def run(scope: Scope, out: Findings) -> None:
        found = test(scope)
        if found is not None:
            path, problem = found
            out.errors.append(Problem(path, problem.code, problem.message))

    return Check(check_id, frozenset(inputs), run)


def _year_checks(definition: FormDefinition) -> list[Check]:
    checks = []
    for year in definition.finance_years:
        main, operating = f"finance.{year}.main_revenue", f"finance.{year}.operating_revenue"
        staff, employees = f"finance.{year}.rd_staff", f"finance.{year}.employees"

        def revenue(scope: Scope, main: str = main, operating: str = operating,
                    year: int = year) -> tuple[str, v.InvalidValue] | None:
            a, b = scope.number(main), scope.number(operating)
            problem = None if a is None or b is None else v.check_main_within_operating(a, b)
            return None if problem is None else (main, _in_year(problem, year))

        def people(scope: Scope, staff: str = staff, employees: str = employees,
                   year: int = year) -> tuple[str, v.InvalidValue] | None:
            a, b = scope.values.get(staff), scope.values.get(employees)
            if not isinstance(a, int) or not isinstance(b, int):
                return None
            problem = v.check_rd_staff_within_employees(a, b)
            return None if problem is None else (staff, _in_year(problem, year))

        checks.append(_cross(f"cross:revenue:{year}", (main, operating), revenue))
        checks.append(_cross(f"cross:staff:{year}", (staff, employees), people))
    return checks


def _in_year(problem: v.InvalidValue, year: int) -> v.InvalidValue:
    return v.InvalidValue(problem.code, Message(f"{year}年：{problem.message.zh}",
                                                f"{year}: {problem.message.en}"))


def _niche_check() -> Check:
    def test(scope: Scope) -> tuple[str, v.InvalidValue] | None:
        niche, industry = scope.values.get("enterprise.niche_code"), scope.values.get(
            "enterprise.industry_code")
        if not isinstance(niche, str) or not isinstance(industry, str):
            return None
        problem = v.check_niche_within_industry(niche, industry)
        return None if problem is None else ("enterprise.niche_code", problem)

    return _cross("cross:niche", ("enterprise.niche_code", "enterprise.industry_code"), test)


def _uscc_region_check() -> Check:
    def run(scope: Scope, out: Findings) -> None:
        uscc, province = scope.values.get("enterprise.uscc"), scope.values.get(
            "enterprise.region_province")
        if (isinstance(uscc, str) and isinstance(province, str) and len(uscc) == 18
                and uscc[2:4] != province and uscc[2:4].isdigit()):
            out.warnings.append(Problem("enterprise.uscc", "uscc.region", Message(
                f"统一社会信用代码第 3–4 位（{uscc[2:4]}）与注册地省份代码（{province}）不同，请核对",
                f"USCC positions 3–4 ({uscc[2:4]}) differ from the province code ({province});"
                " please check")))

    return Check("cross:uscc_region",
                 frozenset({"enterprise.uscc", "enterprise.region_province"}), run)


def _size_check(definition: FormDefinition) -> Check:
    """Warn when the ticked size differs from what 300号文 gives for the year-Y figures."""
    year = definition.year
    employees_id, revenue_id = f"finance.{year}.employees", f"finance.{year}.operating_revenue"

    def run(scope: Scope, out: Findings) -> None:
        size, industry = scope.values.get("enterprise.size"), scope.values.get(
            "enterprise.industry_code")
        employees, revenue = scope.values.get(employees_id), scope.number(revenue_id)
        if not (isinstance(size, str) and isinstance(industry, str)
                and isinstance(employees, int) and revenue is not None):
            return
        sector = sme_size.sector_of(industry)
        if sector is None:
            return
        computed = sme_size.classify(sector, employees, revenue)
        if computed == size:
            return
        f = definition.field("enterprise.size")
        assert f is not None
        ticked, expected = f.choice(size), f.choice(computed)
        if ticked is None or expected is None:
            return
        out.warnings.append(Problem("enterprise.size", "size.mismatch", Message(
            f"按 300 号文{sector.label.zh}标准，{year}年全职员工 {employees} 人、营业收入 "
            f"{revenue:,.2f} 万元应为“{expected.label.zh}”，与所选“{ticked.label.zh}”不一致，请核对",
            f"Under MIIT 2011 No. 300 ({sector.label.en}), {employees} employees and revenue of "
            f"{revenue:,.2f} (10k CNY) in {year} make a “{expected.label.en}” enterprise, not "
            f"“{ticked.label.en}” as ticked; please check")))

    inputs = {"enterprise.size", "enterprise.industry_code", employees_id, revenue_id}
    return Check("cross:size", frozenset(inputs), run)


def region_year(definition: FormDefinition) -> int:
    """The year whose GB/T 2260 names a form is checked against: its declaration year."""
    return (definition.reference_date or date(definition.year + 1, 1, 1)).year


def _division_message(found: codes.Division) -> str:
    parent = codes.division_name(found.code[:4] + "00") if found.code[4:] != "00" else ""
    province = codes.division_name(found.province)
    return f"{province}{parent if parent != province else ''}{found.name}"


def _elsewhere(hits: list[codes.Division], province: str) -> Message:
    names = "、".join(dict.fromkeys(_division_message(h) for h in hits[:4]))
    return Message(names, names)


def _spelled(f: FieldDef, found: codes.Division, typed: str) -> Problem | None:
    """A division found under another spelling (苏州 for 苏州市, or its code): a warning."""
    if found.name == typed:
        return None
    return Problem(f.id, "division.name", _labelled(f, Message(
        f"GB/T 2260 中的名称为“{found.name}”，请核对",
        f"the GB/T 2260 name is “{found.name}”; please check")))


def _city_problem(f: FieldDef, province: str, city: str, year: int) -> Problem | None:
    if not codes.city_choices(province, year):
        return None  # no city data for the province (台湾, 香港, 澳门)
    pname = codes.division_name(province)
    found = codes.find_city(province, city, year)
    if found is not None:
        return _spelled(f, found, city)
    hits = codes.find_anywhere(city, year)
    here = [h for h in hits if h.province == province]
    if hits and not here:
        where = _elsewhere(hits, province)
        return Problem(f.id, "division.province", _labelled(f, Message(
            f"“{city}”是{where.zh}，不在所选的{pname}；请核对省份或城市",
            f"“{city}” is {where.en}, not in the chosen province {pname}; check the province"
            " or the city")))
    if here:
        where = _elsewhere(here, province)
        return Problem(f.id, "division.level", _labelled(f, Message(
            f"“{city}”是县级行政区（{where.zh}）；此处应填写所在的地级市、地区或自治州",
            f"“{city}” is a county-level division ({where.en}); give the prefecture-level city,"
            " prefecture or autonomous prefecture here")))
    return Problem(f.id, "division.unknown", _labelled(f, Message(
        f"{year} 年 GB/T 2260 中{pname}没有“{city}”这一地级行政区；请核对（开发区、园区请填写所在的市）",
        f"{pname} had no prefecture-level division “{city}” in GB/T 2260 in {year}; please"
        " check (for a development zone or park give its city)")))


def _county_problem(f: FieldDef, province: str, city: str, county: str,
                    year: int) -> Problem | None:
    city_division = codes.find_city(province, city, year)
    if city_division is None:
        return None  # the city is named first
    choices = codes.county_choices(city_division, year)
    if not choices:
        return None  # a county-level city or a municipality's district: nothing below it
    found = codes.find_county(city_division, county, year)
    if found is not None:
        return _spelled(f, found, county)
    hits = [h for h in codes.find_anywhere(county, year) if h.code[4:] != "00"]
    if hits and all(h.province != province for h in hits):
        where = _elsewhere(hits, province)
        return Problem(f.id, "division.province", _labelled(f, Message(
            f"“{county}”是{where.zh}，不在所选的{codes.division_name(province)}{city_division.name}；"
            "请核对",
            f"“{county}” is {where.en}, not in the chosen {city_division.name},"
            f" {codes.division_name(province)}; please check")))
    return Problem(f.id, "division.unknown", _labelled(f, Message(
        f"{year} 年 GB/T 2260 中{city_division.name}下没有“{county}”；请核对（开发区、园区请填写所在的区县）",
        f"{city_division.name} had no county-level division “{county}” in GB/T 2260 in {year};"
        " please check (for a development zone or park give its district or county)")))


def _region_checks(definition: FormDefinition) -> list[Check]:
    """A city lies in the chosen province, a county in the chosen city (GB/T 2260, in the
    batch's year). A city of another province is an error; an unknown name (a development
    zone, say) or a name spelled differently is a warning."""
    year = region_year(definition)
    checks = []
    for f in definition.fields.values():
        if f.type is FieldType.CITY:
            def city_run(scope: Scope, out: Findings, f: FieldDef = f) -> None:
                province, city = scope.values.get(f.within), scope.values.get(f.id)
                if isinstance(province, str) and isinstance(city, str):
                    _add(out, _city_problem(f, province, city, year))

            checks.append(Check(f"cross:region:{f.id}", frozenset({f.id, f.within}), city_run))
        elif f.type is FieldType.COUNTY:
            city_field = definition.field(f.within)
            if city_field is None or city_field.type is not FieldType.CITY:
                continue
            province_id = city_field.within

            def county_run(scope: Scope, out: Findings, f: FieldDef = f,
                           province_id: str = province_id) -> None:
                province = scope.values.get(province_id)
                city, county = scope.values.get(f.within), scope.values.get(f.id)
                if isinstance(province, str) and isinstance(city, str) and isinstance(county, str):
                    _add(out, _county_problem(f, province, city, county, year))

            checks.append(Check(f"cross:region:{f.id}",
                                frozenset({f.id, f.within, province_id}), county_run))
    return checks


def _add(out: Findings, problem: Problem | None) -> None:
    if problem is not None:
        (out.errors if problem.code == "division.province" else out.warnings).append(problem)


@cache
def checks_for(definition: FormDefinition) -> tuple[Check, ...]:
    checks: list[Check] = []
    for f in definition.fields.values():
        if f.computed is None:
            checks.append(_field_check(f))
        else:
            checks.append(_computed_check(f))
    checks.extend(_table_check(t) for t in definition.tables.values())
    checks.extend(_year_checks(definition))
    if definition.field("enterprise.niche_code") and definition.field("enterprise.industry_code"):
        checks.append(_niche_check())
    checks.append(_uscc_region_check())
    checks.extend(_region_checks(definition))
    if definition.field("enterprise.size") and definition.field("enterprise.industry_code"):
        checks.append(_size_check(definition))
    return tuple(checks)


def validate(record: Submission, *, today: date) -> Findings:
    """Every error and warning of ``record``, in the form's order."""
    scope = Scope.of(record, today)
    # The computed-mismatch checks compare with the *stored* values, which Scope.of leaves out.
    scope.values.update({k: val for k, val in record.values.items() if k not in scope.values})
    out = Findings()
    for check in checks_for(record.definition):
        check.run(scope, out)
    return out


def normalized(record: Submission, *, today: date) -> Submission:
    """A copy whose values are in canonical form (e.g. a full-width USCC made half-width).

    Values that do not parse are kept as they are, for the validator to report.
    """
    definition = record.definition
    out = record.copy()
    for field_id, value in record.values.items():
        f = definition.field(field_id)
        if f is None or f.computed is not None:
            continue
        with suppress(v.InvalidValue):
            out.values[field_id] = parse_input(f, input_text(f, value), today=today).value
    for table_id, rows in out.tables.items():
        table = definition.table(table_id)
        if table is None:
            continue
        for row in rows:
            original = dict(row)
            for column_id, value in list(row.items()):
                column = table.column(column_id)
                if column is None:
                    continue
                column = column.for_row(original)
                with suppress(v.InvalidValue):
                    row[column_id] = parse_input(column, input_text(column, value),
                                                 today=today).value
    return out
