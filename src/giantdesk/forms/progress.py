"""A draft at a glance (home list, parts list, review and check pages): completeness per part,
problems in plain words, the items to confirm, and the eligibility in one sentence per criterion.

Nothing is judged here: "required" and "visible" are the definition's (``FieldDef.required``,
``condition_met``), "to fill" is what validation reports as ``required`` / ``table.min_rows``,
"wrong" is every other error, and the criteria are ``rules.group_met`` of the ``LiveForm``'s
results. Every window that shows one of these numbers takes it from here, so the parts list,
the eligibility panel, the review page, the check page and the home window agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from giantdesk.forms.live import LiveForm
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FormDefinition, Part, TableDef
from giantdesk.forms.record import Problem, Submission
from giantdesk.forms.rules import (
    RULE_ORDER,
    RuleResult,
    Status,
    group_met,
    load_ruleset,
    rule_inputs,
)
from giantdesk.forms.validation import MISSING_CODES, Findings, condition_met, is_missing

__all__ = [
    "MISSING_CODES",
    "Confirm",
    "Criterion",
    "Eligibility",
    "Glance",
    "Kind",
    "PartProgress",
    "PartState",
    "Verdict",
    "eligibility",
    "glance",
    "glance_record",
    "items_to_confirm",
    "kind_of",
    "parts_progress",
    "required_items",
    "root_id",
    "rule_target",
    "to_fill_count",
    "used_values",
]


def root_id(path: str) -> str:
    """``table[2].column`` → ``table``; a field id stays itself."""
    return path.split("[", 1)[0]


# --------------------------------------------------------------------------------------------
# Problems in plain words


class Kind(StrEnum):
    TO_FILL = "to_fill"  # a required item is empty: not wrong, just not done yet
    WRONG = "wrong"  # a value the checker rejects
    CONFIRM = "confirm"  # a warning: the user must look at it and tick it before finalizing


KIND_WORDS = {
    Kind.TO_FILL: Message("待填写", "To fill"),
    Kind.WRONG: Message("需改正", "To correct"),
    Kind.CONFIRM: Message("请核实", "To confirm"),
}


def kind_of(problem: Problem, *, warning: bool = False) -> Kind:
    if warning:
        return Kind.CONFIRM
    return Kind.TO_FILL if is_missing(problem) else Kind.WRONG


# --------------------------------------------------------------------------------------------
# Items to confirm before finalizing: field warnings and rule-level warnings


@dataclass(frozen=True)
class Confirm:
    """One thing the user must look at and tick before finalizing.

    ``key`` stays the same while the finding says the same (with the same numbers), so a tick
    survives unrelated edits and is asked again when the numbers change.
    """

    key: str
    path: str  # the field / table / cell to go to
    part_id: str | None
    message: Message
    rule_id: str | None = None


def rule_target(definition: FormDefinition, result: RuleResult) -> str | None:
    """The field or table a rule's result points to: what it lacks, else its first input in
    the form's order (``None`` when none is in this form)."""
    inputs = rule_inputs(definition)[result.id]
    wanted = [m for m in result.missing if m in inputs or definition.part_of(m) is not None]
    wanted += [i for i in list(definition.fields) + list(definition.tables) if i in inputs]
    return next((i for i in wanted if definition.part_of(i) is not None), None)


def _part_id(definition: FormDefinition, path: str | None) -> str | None:
    if path is None:
        return None
    part = definition.part_of(root_id(path))
    return part.id if part is not None else None


def _rule_line(definition: FormDefinition, result: RuleResult) -> Message:
    group = load_ruleset(definition.rules).groups.get(result.group, Message(result.group,
                                                                            result.group))
    return Message(f"{group.zh}：{result.message.zh}", f"{group.en}: {result.message.en}")


def items_to_confirm(live: LiveForm, found: Findings | None = None) -> list[Confirm]:
    """Every warning the user must confirm: the checker's warnings (a field) and the criteria
    whose status is "请核实" (e.g. TS-1: declared share vs sales ÷ market size), in the form's
    order of parts. Exactly what the eligibility panel marks amber plus what is under the
    fields — the check page and the review page list this, nothing else."""
    definition = live.scope.definition
    out: list[Confirm] = []
    for p in (live.problems() if found is None else found).warnings:
        out.append(Confirm(f"{p.path}\x1f{p.code}\x1f{p.message.zh}", p.path,
                           _part_id(definition, p.path), p.message))
    for rule_id in RULE_ORDER:
        result = live.results.get(rule_id)
        if result is None or result.status is not Status.WARN:
            continue
        target = rule_target(definition, result)
        out.append(Confirm(f"rule:{rule_id}\x1f{result.message.zh}", target or "",
                           _part_id(definition, target), _rule_line(definition, result),
                           rule_id))
    order = {p.id: i for i, p in enumerate(definition.parts)}
    return sorted(out, key=lambda c: order.get(c.part_id or "", len(order)))


# --------------------------------------------------------------------------------------------
# Completeness per part


class PartState(StrEnum):
    UNTOUCHED = "untouched"  # nothing entered or visited yet: grey, never red
    TO_FILL = "to-fill"  # started, required items still empty
    ERRORS = "errors"  # a value is wrong
    CONFIRM = "confirm"  # complete, with warnings to confirm
    COMPLETE = "complete"
    RECOMMENDER = "recommender"  # filled in by the recommending unit: not for the enterprise


@dataclass(frozen=True)
class PartProgress:
    part: Part
    index: int
    #: Required, visible items (fields and tables with a minimum of rows) and how many hold a
    #: value; a part with nothing required counts all its visible items (``optional``).
    total: int
    filled: int
    optional: bool
    to_fill: int  # "待填写" findings (empty required fields, required cells, too few rows)
    errors: int  # wrong values (and inputs the screen could not accept)
    to_confirm: int
    state: PartState

    @property
    def summary(self) -> Message:
        """"已填 12/15 · 2 项待填写 · 1 项需改正 · 1 项请核实" (only what is not zero)."""
        if self.state is PartState.RECOMMENDER:
            return Message("推荐单位填写", "by the recommending unit")
        if self.optional:
            head = Message(f"选填 · 已填 {self.filled}/{self.total}",
                           f"optional · {self.filled}/{self.total} filled")
        else:
            head = Message(f"已填 {self.filled}/{self.total}", f"{self.filled}/{self.total} filled")
        zh, en = [head.zh], [head.en]
        if self.state is PartState.UNTOUCHED:
            zh.append("未开始")
            en.append("not started")
        else:
            for n, word in ((self.to_fill, KIND_WORDS[Kind.TO_FILL]),
                            (self.errors, KIND_WORDS[Kind.WRONG]),
                            (self.to_confirm, KIND_WORDS[Kind.CONFIRM])):
                if n:
                    zh.append(f"{n} 项{word.zh}")
                    en.append(f"{n} {word.en.lower()}")
        return Message(" · ".join(zh), " · ".join(en))


def _visible_items(live: LiveForm, part: Part) -> list[tuple[str, bool]]:
    """(id, required) of the inputs of ``part`` the user can see now, in the form's order."""
    out: list[tuple[str, bool]] = []
    for f in part.fields():
        if f.computed is None and condition_met(f.condition, live.scope.get):
            out.append((f.id, f.required))
    for item in part.items:
        if isinstance(item, TableDef) and condition_met(item.condition, live.scope.get):
            out.append((item.id, item.min_rows > 0))
    return out


def _has_value(live: LiveForm, item_id: str) -> bool:
    if live.scope.definition.table(item_id) is not None:
        return bool(live.scope.tables.get(item_id))
    value = live.scope.values.get(item_id)
    return value is not None and value != ()


def parts_progress(live: LiveForm, *, touched: Iterable[str] = (), refused: Iterable[str] = (),
                   confirm: list[Confirm] | None = None,
                   found: Findings | None = None) -> list[PartProgress]:
    """Completeness of every part. ``touched``: ids the user has visited (a visited part is no
    longer "untouched"); ``refused``: ids whose typed text the screen could not accept (each
    counts as one wrong value); ``confirm`` (:func:`items_to_confirm`) and ``found``
    (``live.problems()``), if already computed."""
    definition = live.scope.definition
    found = live.problems() if found is None else found
    touched_ids = {root_id(t) for t in touched}
    refused_ids = {root_id(r) for r in refused}
    confirm = items_to_confirm(live, found) if confirm is None else confirm
    by_part: dict[str, list[Problem]] = {}
    for p in found.errors:
        part_id = _part_id(definition, p.path)
        if part_id is not None:
            by_part.setdefault(part_id, []).append(p)
    out: list[PartProgress] = []
    for index, part in enumerate(definition.parts):
        items = _visible_items(live, part)
        required = [i for i, needed in items if needed]
        counted = required or [i for i, _ in items]
        filled = sum(1 for i in counted if _has_value(live, i))
        own = {f.id for f in part.fields()} | {i.id for i in part.items if isinstance(i, TableDef)}
        problems = by_part.get(part.id, [])
        to_fill = sum(1 for p in problems if is_missing(p))
        refused_here = own & refused_ids
        errors = sum(1 for p in problems if not is_missing(p)
                     and root_id(p.path) not in refused_here) + len(refused_here)
        to_confirm = sum(1 for c in confirm if c.part_id == part.id)
        started = any(_has_value(live, i) for i in own) or bool(own & touched_ids) or bool(
            refused_here)
        if part.filled_by != "enterprise":
            state = PartState.RECOMMENDER
        elif not started:
            state = PartState.UNTOUCHED
        elif errors:
            state = PartState.ERRORS
        elif to_fill:
            state = PartState.TO_FILL
        elif to_confirm:
            state = PartState.CONFIRM
        else:
            state = PartState.COMPLETE
        out.append(PartProgress(part, index, len(counted), filled, not required, to_fill, errors,
                                to_confirm, state))
    return out


# --------------------------------------------------------------------------------------------
# Eligibility in one sentence per criterion


class Verdict(StrEnum):
    MET = "met"  # every criterion met and nothing required left empty
    MET_TO_FILL = "met-to-fill"  # the criteria hold so far, but required items are empty
    NOT_MET = "not-met"
    UNKNOWN = "unknown"  # a criterion lacks data


@dataclass(frozen=True)
class Criterion:
    """One line of the summary: "特色化：主导产品全国细分市场占有率 8.20%，要求 ≥ 10%"."""

    group: str
    rule_id: str
    status: Status
    message: Message
    target: str | None  # where to go to fix it


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    groups: dict[str, bool | None]
    failed: tuple[Criterion, ...]  # every failing rule of a group that is not met
    unknown: tuple[Criterion, ...]  # rules lacking data in the groups that cannot be judged
    to_fill: int  # required items still empty (anywhere in the enterprise's parts)

    @property
    def groups_failed(self) -> int:
        return sum(1 for met in self.groups.values() if met is False)

    @property
    def groups_unknown(self) -> int:
        return sum(1 for met in self.groups.values() if met is None)

    @property
    def headline(self) -> Message:
        if self.verdict is Verdict.NOT_MET:
            return Message(f"{self.groups_failed} 项条件未满足",
                           f"{self.groups_failed} criterion group(s) not met")
        if self.verdict is Verdict.UNKNOWN:
            return Message(f"尚缺数据，{self.groups_unknown} 项条件无法判断",
                           f"Data missing: {self.groups_unknown} criterion group(s) cannot be "
                           "judged")
        if self.verdict is Verdict.MET_TO_FILL:
            return Message(f"已填数据满足各项条件，但还有 {self.to_fill} 项待填写",
                           f"The data entered meet every criterion, but {self.to_fill} item(s) "
                           "are still to fill")
        return Message("符合认定标准的全部条件", "Meets every criterion of the standard")

    @property
    def short(self) -> Message:
        """For a table cell (home window): "全部满足" only when nothing is left to fill."""
        if self.verdict is Verdict.NOT_MET:
            return Message(f"{self.groups_failed} 项未满足", f"{self.groups_failed} not met")
        if self.verdict is Verdict.UNKNOWN:
            return Message(f"{self.groups_unknown} 项缺数据", f"{self.groups_unknown} lack data")
        if self.verdict is Verdict.MET_TO_FILL:
            return Message(f"暂满足，{self.to_fill} 项待填写",
                           f"met so far, {self.to_fill} to fill")
        return Message("全部满足", "all groups met")

    def lines(self) -> tuple[Criterion, ...]:
        """What to say under the headline: the failing criteria, else what lacks data."""
        return self.failed if self.verdict is Verdict.NOT_MET else self.unknown


def _group_rules(results: dict[str, RuleResult], group: str) -> list[str]:
    if group == "CX":  # the general path's rules; the direct path (CX-D) is an alternative
        return ["CX-1", "CX-2", "CX-3"]
    return [rid for rid in RULE_ORDER if rid in results and results[rid].group == group]


def to_fill_count(live: LiveForm, found: Findings | None = None) -> int:
    """Required items still empty in the enterprise's parts (fields, cells, tables)."""
    definition = live.scope.definition
    errors = (live.problems() if found is None else found).errors
    return sum(1 for p in errors if is_missing(p) and _enterprise_part(definition, p.path))


def eligibility(live: LiveForm, *, to_fill: int | None = None) -> Eligibility:
    """The criteria as a verdict and one line per failing (or undecidable) criterion, built
    from the rule results with their numbers. ``to_fill``: the number of required items still
    empty (computed when not given)."""
    definition = live.scope.definition
    ruleset = load_ruleset(definition.rules)
    results = live.results
    groups = {g: group_met(results, g) for g in ruleset.groups}
    failed: list[Criterion] = []
    unknown: list[Criterion] = []
    for group, met in groups.items():
        if met:
            continue
        wanted = Status.FAIL if met is False else Status.NA
        for rid in _group_rules(results, group):
            result = results[rid]
            if result.status is wanted:
                line = Criterion(group, rid, result.status, _rule_line(definition, result),
                                 rule_target(definition, result))
                (failed if met is False else unknown).append(line)
    if to_fill is None:
        to_fill = to_fill_count(live)
    if failed:
        verdict = Verdict.NOT_MET
    elif unknown:
        verdict = Verdict.UNKNOWN
    elif to_fill:
        verdict = Verdict.MET_TO_FILL
    else:
        verdict = Verdict.MET
    return Eligibility(verdict, groups, tuple(failed), tuple(unknown), to_fill)


def _enterprise_part(definition: FormDefinition, path: str) -> bool:
    part = definition.part_of(root_id(path))
    return part is not None and part.filled_by == "enterprise"


# --------------------------------------------------------------------------------------------
# The numbers a rule used, in the user's words (tooltips: labels, never ids)

#: Keys of ``RuleResult.values`` that are not a field of the form: what they are.
_DERIVED_WORDS: dict[str, Message] = {
    "share": Message("主营业务收入占营业收入比重", "main business share of revenue"),
    "average": Message("近2年平均增长率", "average growth, last 2 years"),
    "compound": Message("复合增长率", "compound growth"),
    "ratio": Message("资产负债率", "debt ratio"),
    "derived_share": Message("主导产品销售额 ÷ 细分市场规模", "leading-product sales ÷ market size"),
    "tier": Message("营业收入档位（1：≥ 1亿元；2：5000万–1亿元；3：< 5000万元）",
                    "revenue tier (1: ≥ 100M; 2: 50–100M; 3: < 50M)"),
    "equity_financing_2y": Message("近2年新增股权融资合计", "new equity financing, 2 years"),
    "rd_expense_2y": Message("近2年研发费用合计", "R&D expense, 2 years"),
    "rd_staff_share": Message("研发人员占全部职工比重", "R&D staff share of employees"),
    "institutions": Message("研发机构数", "R&D institutions"),
    "qualifying": Message("符合条件的Ⅰ类知识产权（项）", "qualifying Class I IP items"),
    "listed": Message("填报的Ⅰ类知识产权（项）", "Class I IP items listed"),
    "awards": Message("符合条件的国家级科技奖励（项）", "qualifying national awards"),
    "maker_china": Message("符合条件的“创客中国”50强（项）", "qualifying Maker-in-China entries"),
    "certifications": Message("管理体系或产品认证（项）", "certifications"),
}
_YEAR_WORDS: dict[str, Message] = {
    "growth": Message("{y}年主营业务收入增长率", "main-business revenue growth {y}"),
    "rd_intensity": Message("{y}年研发费用占营业收入比重", "R&D expense share of revenue {y}"),
}
_YES, _NO = Message("是", "yes"), Message("否", "no")
#: Value keys named after a field other than by its last segment.
_KEY_FIELDS = {"areas": "refinement.info_system_areas", "roles": "chain.role"}


def _input_of(definition: FormDefinition, result: RuleResult, key: str) -> str | None:
    """The rule's input a value key stands for: ``main_revenue_2019`` →
    ``finance.2019.main_revenue``; ``market_share`` → ``distinctiveness.market_share``."""
    inputs = rule_inputs(definition)[result.id]
    if _KEY_FIELDS.get(key) in inputs:
        return _KEY_FIELDS[key]
    head, _sep, tail = key.rpartition("_")
    if tail.isdigit() and f"finance.{tail}.{head}" in inputs:
        return f"finance.{tail}.{head}"
    ends = sorted(i for i in inputs if i.endswith(f".{key}"))
    if len(ends) > 1:  # the same name in several years: the rule's year
        ends = [i for i in ends if f".{definition.year}." in i] or ends
    return ends[0] if ends else None


def _value_text(definition: FormDefinition, field_id: str | None, raw: str) -> Message:
    f = definition.field(field_id) if field_id else None
    if raw in ("true", "false"):
        return _YES if raw == "true" else _NO
    if f is not None and f.choices:
        labels = []
        for choice_id in (c for c in raw.split(",") if c):
            choice = f.choice(choice_id)
            labels.append(choice.label if choice is not None else Message(choice_id, choice_id))
        return Message("、".join(m.zh for m in labels), "; ".join(m.en for m in labels))
    if f is not None and f.unit is not None and raw and raw[-1].isdigit():
        return Message(f"{raw} {f.unit.zh}", f"{raw} {f.unit.en}")
    return Message(raw, raw)


def used_values(definition: FormDefinition, result: RuleResult) -> list[tuple[Message, Message]]:
    """(what, value) for every number a rule used, named by its label — never its id."""
    out: list[tuple[Message, Message]] = []
    for key, raw in result.values.items():
        field_id = _input_of(definition, result, key)
        if field_id is not None:
            label = definition.label_of(field_id)
        elif key in _DERIVED_WORDS:
            label = _DERIVED_WORDS[key]
        else:
            head, _sep, year = key.rpartition("_")
            words = _YEAR_WORDS.get(head)
            label = (Message(words.zh.format(y=year), words.en.format(y=year))
                     if words is not None and year.isdigit() else Message(key, key))
        out.append((label, _value_text(definition, field_id, raw)))
    return out


# --------------------------------------------------------------------------------------------
# The home window's line


@dataclass(frozen=True)
class Glance:
    required: int  # required, visible items the enterprise fills in
    filled: int
    groups_failed: int
    groups_unknown: int  # a group whose inputs are missing
    errors: int
    warnings: int
    #: Required items still empty; wrong values; items to confirm (field and rule warnings).
    to_fill: int = 0
    wrong: int = 0
    to_confirm: int = 0
    verdict: Verdict = Verdict.UNKNOWN
    criteria: Message = field(default_factory=lambda: Message("", ""))
    #: The criteria that fail (or lack data), one line each, for a tooltip.
    reasons: tuple[Message, ...] = ()

    @property
    def percent(self) -> int:
        if self.required == 0:
            return 100
        return int(100 * self.filled / self.required)  # never shows 100 % before it is

    @property
    def eligible(self) -> bool:
        return self.verdict is Verdict.MET


def required_items(live: LiveForm) -> list[str]:
    """Ids of the required fields and tables the enterprise fills in and can currently see."""
    definition = live.scope.definition
    out: list[str] = []
    for part in definition.parts:
        if part.filled_by != "enterprise":
            continue
        out.extend(i for i, needed in _visible_items(live, part) if needed)
    return out


def glance(live: LiveForm) -> Glance:
    found = live.problems()
    required = required_items(live)
    wanted = set(required)
    missing = {p.path for p in found.errors if p.code in MISSING_CODES and p.path in wanted}
    to_fill = to_fill_count(live, found)
    verdict = eligibility(live, to_fill=to_fill)
    confirm = items_to_confirm(live, found)
    return Glance(len(required), len(required) - len(missing), verdict.groups_failed,
                  verdict.groups_unknown, len(found.errors), len(found.warnings),
                  to_fill=to_fill, wrong=len(found.errors) - sum(map(is_missing, found.errors)),
                  to_confirm=len(confirm), verdict=verdict.verdict, criteria=verdict.short,
                  reasons=tuple(c.message for c in verdict.lines()))


def glance_record(record: Submission, today: date) -> Glance:
    return glance(LiveForm(record, today=today))
