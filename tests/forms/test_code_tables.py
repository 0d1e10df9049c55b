"""Checks on the shipped code tables: GB/T 4754-2017 industries and GB/T 2260 provinces.

The JSON files are read straight from the source tree (not through the installed
package), so these tests check exactly what will be packaged.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any, cast

import pytest

ROOT = Path(__file__).parents[2]
DATA = ROOT / "src/giantdesk/forms/data"
GBT4754 = DATA / "gbt4754-2017.json"
GBT2260 = DATA / "gbt2260-provinces.json"
BUILD_SCRIPT = ROOT / "resources/data-tools/build_gbt4754.py"


@pytest.fixture(scope="module")
def industry() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(GBT4754.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def regions() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(GBT2260.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- GB/T 4754


def test_industry_header(industry: dict[str, Any]) -> None:
    assert industry["standard"] == "GB/T 4754-2017"
    assert "bi38324/newOA" in industry["source"]
    assert "Czsx-525/Vue-init" in industry["source"]
    assert set(industry) == {"standard", "source", "sections", "divisions", "groups", "classes"}


def test_industry_counts(industry: dict[str, Any]) -> None:
    # 20 门类, 97 大类, 473 中类; 小类: 1380 in the 2017 text, 1381 as commonly cited
    # after the 2019 amendment (sources differ by one or two).
    assert len(industry["sections"]) == 20
    assert len(industry["divisions"]) == 97
    assert len(industry["groups"]) == 473
    assert 1380 <= len(industry["classes"]) <= 1382
    assert len(industry["classes"]) == 1381  # what the current table holds


def test_industry_code_shapes(industry: dict[str, Any]) -> None:
    assert sorted(industry["sections"]) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    for level, width in (("divisions", 2), ("groups", 3), ("classes", 4)):
        for code in industry[level]:
            assert re.fullmatch(rf"\d{{{width}}}", code), (level, code)


def test_industry_hierarchy(industry: dict[str, Any]) -> None:
    sections, divisions = industry["sections"], industry["divisions"]
    groups, classes = industry["groups"], industry["classes"]
    for code, entry in classes.items():
        assert entry["group"] == code[:3], code
        assert entry["group"] in groups, code
    for code, entry in groups.items():
        assert entry["division"] == code[:2], code
        assert entry["division"] in divisions, code
    for code, entry in divisions.items():
        assert entry["section"] in sections, code
    # No empty branches: every level has children.
    assert {e["group"] for e in classes.values()} == set(groups)
    assert {e["division"] for e in groups.values()} == set(divisions)
    assert {e["section"] for e in divisions.values()} == set(sections)


# 门类 → the range of its 大类 codes in GB/T 4754-2017.
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def test_divisions_fall_in_their_section_range(industry: dict[str, Any]) -> None:
    expected = {
        f"{n:02d}": letter for letter, (lo, hi) in SECTION_RANGES.items() for n in range(lo, hi + 1)
    }
    assert {c: e["section"] for c, e in industry["divisions"].items()} == expected


def test_single_class_groups_share_their_name(industry: dict[str, Any]) -> None:
    # A 中类 with one 小类 codes it xxx0 and both carry the same name.
    groups, classes = industry["groups"], industry["classes"]
    for code, entry in classes.items():
        if code.endswith("0"):
            assert groups[code[:3]]["zh"] == entry["zh"], code


def test_names_are_clean(industry: dict[str, Any]) -> None:
    for level in ("sections", "divisions", "groups", "classes"):
        for code, entry in industry[level].items():
            zh = entry["zh"]
            assert zh, (level, code)
            assert zh == zh.strip() and not re.search(r"[\s\u3000]", zh), (level, code, zh)
            assert not re.search(r"[()?]", zh), (level, code, zh)  # full-width （） only


@pytest.mark.parametrize(
    ("level", "code", "name"),
    [
        ("sections", "C", "制造业"),
        ("sections", "I", "信息传输、软件和信息技术服务业"),
        ("divisions", "35", "专用设备制造业"),
        ("divisions", "15", "酒、饮料和精制茶制造业"),
        ("divisions", "11", "开采专业及辅助性活动"),  # 2017 name (2011: 开采辅助活动)
        ("groups", "339", "铸造及其他金属制品制造"),
        ("groups", "398", "电子元件及电子专用材料制造"),
        ("groups", "023", "森林经营、管护和改培"),
        ("classes", "3411", "锅炉及辅助设备制造"),
        ("classes", "6513", "应用软件开发"),  # 2017 edition (2011: 6510 软件开发)
        ("classes", "3985", "电子专用材料制造"),
        ("classes", "0111", "稻谷种植"),
        ("classes", "4620", "污水处理及其再生利用"),
        ("classes", "5267", "机动车充电销售"),
        ("classes", "9700", "国际组织"),
        ("classes", "1922", "皮箱、包（袋）制造"),
    ],
)
def test_industry_spot_checks(industry: dict[str, Any], level: str, code: str, name: str) -> None:
    assert industry[level][code]["zh"] == name


def test_industry_parent_spot_checks(industry: dict[str, Any]) -> None:
    assert industry["divisions"]["35"]["section"] == "C"
    assert industry["classes"]["3411"]["group"] == "341"
    assert industry["groups"]["341"]["division"] == "34"
    assert industry["classes"]["6513"]["group"] == "651"
    assert industry["classes"]["3985"]["group"] == "398"


def test_no_2011_only_codes(industry: dict[str, Any]) -> None:
    # 小类 codes of GB/T 4754-2011 that no longer exist in the 2017 edition.
    classes = industry["classes"]
    assert "6510" not in classes  # 2011 软件开发, split into 6511-6519
    assert "6530" not in classes  # 2011 信息技术咨询服务; 653x is now 信息系统集成和物联网
    assert "6592" not in classes  # 2011 呼叫中心, now 6591
    assert "0230" not in classes  # 2011 森林经营与管护, now 0231/0232


def test_build_script_is_in_sync() -> None:
    spec = importlib.util.spec_from_file_location("build_gbt4754", BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(module.build()) == GBT4754.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- GB/T 2260

MAINLAND = [
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
]
CITIES = {
    "210200": "大连市",
    "370200": "青岛市",
    "330200": "宁波市",
    "350200": "厦门市",
    "440300": "深圳市",
}


def test_provinces_header(regions: dict[str, Any]) -> None:
    assert regions["standard"] == "GB/T 2260"
    assert regions["source"]
    assert set(regions) == {"standard", "source", "provinces", "recommending_units"}


def test_provinces_codes(regions: dict[str, Any]) -> None:
    provinces = regions["provinces"]
    assert len(provinces) == 34
    assert sorted(provinces) == sorted([*MAINLAND, "71", "81", "82"])
    for code, entry in provinces.items():
        assert set(entry) == {"zh", "en"}, code
        assert entry["zh"] and entry["en"], code


@pytest.mark.parametrize(
    ("code", "zh"),
    [
        ("11", "北京市"),
        ("15", "内蒙古自治区"),
        ("44", "广东省"),
        ("45", "广西壮族自治区"),
        ("54", "西藏自治区"),
        ("61", "陕西省"),
        ("14", "山西省"),
        ("64", "宁夏回族自治区"),
        ("65", "新疆维吾尔自治区"),
        ("71", "台湾省"),
        ("81", "香港特别行政区"),
        ("82", "澳门特别行政区"),
    ],
)
def test_province_names(regions: dict[str, Any], code: str, zh: str) -> None:
    assert regions["provinces"][code]["zh"] == zh


def test_recommending_units(regions: dict[str, Any]) -> None:
    units = regions["recommending_units"]
    assert len(units) == 31 + 5 + 1
    ids = [u["id"] for u in units]
    assert len(set(ids)) == len(ids)
    for unit in units:
        assert set(unit) == {"id", "zh", "en"}, unit
        assert unit["zh"] and unit["en"], unit
    by_id = {u["id"]: u for u in units}
    provinces = regions["provinces"]
    for code in MAINLAND:
        assert by_id[code]["zh"] == provinces[code]["zh"]
        assert by_id[code]["en"] == provinces[code]["en"]
    for code in ("71", "81", "82"):
        assert code not in by_id
    for code, zh in CITIES.items():
        assert by_id[code]["zh"] == zh
        assert code[:2] in MAINLAND  # a city of a mainland province
    assert by_id["66"]["zh"] == "新疆生产建设兵团"


def test_provinces_match_python_stdnum(regions: dict[str, Any]) -> None:
    """Cross-check names with the division list shipped in python-stdnum (a dependency)."""
    pytest.importorskip("stdnum.cn.ric")
    from importlib import resources

    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    loc: dict[str, str] = {}
    province = ""
    for line in text.splitlines():
        if match := re.match(r'^(\d\d) province="(.*)"', line):
            province = match.group(1)
            loc[province] = match.group(2)
        elif match := re.match(r'^\s+(\d{4}) county="(.*)"', line):
            loc[province + match.group(1)] = match.group(2)
    traditional = {"香港特別行政區": "香港特别行政区", "澳門特別行政區": "澳门特别行政区"}
    provinces = regions["provinces"]
    assert set(provinces) == {c for c in loc if len(c) == 2}
    for code, entry in provinces.items():
        assert traditional.get(loc[code], loc[code]) == entry["zh"], code
    for code, zh in CITIES.items():
        assert loc[code].endswith(zh), code  # e.g. "[-1980]旅大市,[1981-]大连市"
