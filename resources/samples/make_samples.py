"""Regenerate the sample records: ``python resources/samples/make_samples.py``.

Fictional enterprises with valid codes and plausible figures. ``annex1-pass.json`` and
``annex2-pass.json`` meet every criterion; each ``annex1-fail-*.json`` breaks exactly one;
``annex1-large-50ip.json`` is the passing sample with 50 IP rows (the largest record).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from giantdesk.forms.record import dumps, from_json_dict
from giantdesk.forms.validators import patent_check_character

HERE = Path(__file__).parent

FINANCE = {  # year: (employees, rd_staff, revenue, main, net profit, assets, liabilities, rd, equity)
    2019: (268, 62, "14200.00", "13650.00", "1520.36", "21850.00", "8630.50", "712.40", "0.00"),
    2020: (291, 70, "16380.00", "15820.00", "1876.20", "24410.00", "9120.00", "845.60", "0.00"),
    2021: (318, 79, "19460.00", "18730.00", "2310.75", "27960.00", "10580.40", "1046.90",
           "3000.00"),
}
KEYS = ("employees", "rd_staff", "operating_revenue", "main_revenue", "net_profit",
        "total_assets", "total_liabilities", "rd_expense", "equity_financing")


def patent(digits: str) -> str:
    """A patent number with its valid CNIPA check character (fictional application number)."""
    return f"ZL{digits}.{patent_check_character(digits)}"


def finance(rows: dict[int, tuple[Any, ...]]) -> dict[str, Any]:
    return {f"finance.{y}.{k}": v for y, row in rows.items() for k, v in zip(KEYS, row, strict=True)}


ANNEX1: dict[str, Any] = {
    "format": "giantdesk.submission/1", "form": "annex1-batch4", "form_version": "2022.1",
    "rules": "measures-2022-63",
    "values": {
        "enterprise.name": "苏州精研微动科技股份有限公司",
        "enterprise.region_province": "32", "enterprise.region_city": "苏州市",
        "enterprise.region_county": "吴中区",
        "enterprise.address": "江苏省苏州市吴中区吴中大道 1688 号创意产业园 12 栋（虚构）",
        "enterprise.postcode": "215123",
        "legal_rep.name": "顾明远", "legal_rep.phone": "0512-62871000",
        "legal_rep.mobile": "13912876543",
        "enterprise.controlling_shareholder": "顾明远",
        "enterprise.actual_controller": "顾明远",
        "enterprise.actual_controller_nationality": "中国",
        "contact.name": "沈佳怡", "contact.phone": "0512-62871008", "contact.mobile": "18662513920",
        "contact.fax": "0512-62871009", "contact.email": "shenjy@jingyan-motion.example.cn",
        "enterprise.registered_on": "2011-09-16", "enterprise.registered_capital": "8600.00",
        "enterprise.uscc": "9132059458441736XN", "enterprise.size": "medium",
        "enterprise.industry_code": "34", "enterprise.niche_code": "3451",
        "enterprise.ownership": "private",
        "exclusion.controlling_relation": False, "exclusion.group_similar_product": False,
        "enterprise.listing": "planned", "enterprise.listing_progress": "restructured",
        "enterprise.listing_venue": "sse_star",
        **finance(FINANCE),
        "finance.2018.main_revenue": "12480.00",
        "specialization.niche_years": 9,
        "specialization.main_product": "精密交叉滚子轴承",
        "specialization.description": "自 2012 年起专注于工业机器人关节及精密转台用交叉滚子轴承，"
        "主导产品收入占营业收入的 80% 以上。",
        "refinement.info_system_areas": ["rd_design", "manufacturing", "supply_chain"],
        "refinement.info_system_description": "研发设计采用 PLM 系统；生产制造采用 MES 系统并与 ERP "
        "集成；供应链采用 SRM 系统管理 120 余家供应商。",
        "refinement.self_assessment": ["strategy", "governance", "quality", "digital_green"],
        "distinctiveness.market_share": "12.60",
        "distinctiveness.main_product_sales": "15680.00",
        "distinctiveness.market_size": "124400.00",
        "distinctiveness.market_share_source": "中国轴承工业协会《2021 年精密轴承细分市场报告》",
        "distinctiveness.own_brand": True,
        "distinctiveness.brands": "“精研 JYM”",
        "distinctiveness.own_ip": True,
        "distinctiveness.trademark_numbers": "第 12345678 号、第 23456789 号",
        "distinctiveness.brand_revenue": "15680.00",
        "innovation.description": "近 2 年研发费用占营业收入比重均超过 5%，建有省级企业技术中心。",
        "chain.industry_chain": "工业机器人产业链（核心零部件环节）",
        "chain.role": ["fill_shortcoming"],
        "chain.description": "为国内多家工业机器人整机企业配套 RV 减速器用交叉滚子轴承，"
        "替代进口产品，2021 年配套量超过 6 万套。",
        "chain.customers": "（虚构）华东机器人股份有限公司、（虚构）智驱减速机有限公司",
        "field.category": "six_foundations:core_components",
        "field.years_in_field": 9,
        "enterprise.province_title_valid": True,
        "other.province_title_document": "江苏省 2021 年度专精特新中小企业名单（苏工信中小〔2021〕000号，虚构）",
        "exclusion.single_champion": False,
    },
    "tables": {
        "refinement.certifications": [
            {"kind": "management_system", "name": "ISO 9001:2015 质量管理体系认证",
             "number": "00121Q3456R2M", "issuer": "中国质量认证中心", "valid_until": "2024-06-30"},
            {"kind": "management_system", "name": "IATF 16949:2016 汽车质量管理体系认证",
             "number": "0412345", "issuer": "（虚构）恒信认证有限公司", "valid_until": "2024-11-15"},
            {"kind": "product_developed_country", "name": "CE 认证（机械指令）",
             "number": "CE-2021-0876", "issuer": "（虚构）EuroCert GmbH", "valid_until": "2026-03-31"},
        ],
        "innovation.rd_institution": [
            {"kind": "enterprise_tech_center", "name": "江苏省精密轴承工程技术研究中心",
             "level": "provincial", "mode": "own"},
            {"kind": "engineering_center", "name": "精研—苏州大学精密传动联合实验室",
             "level": "municipal", "mode": "joint", "partner": "苏州大学"},
        ],
        "innovation.class1_ip": [
            {"type": "invention_patent", "number": patent("201610123456"),
             "title": "一种高刚性交叉滚子轴承及其装配方法", "granted_on": "2018-05-22",
             "related": True, "in_use": True, "transferred_recently": False},
            {"type": "invention_patent", "number": patent("201710234567"),
             "title": "交叉滚子轴承滚道超精加工装置", "granted_on": "2019-08-13",
             "related": True, "in_use": True, "transferred_recently": False},
            {"type": "invention_patent", "number": patent("201810345678"),
             "title": "一种机器人关节轴承预紧力检测方法", "granted_on": "2020-11-03",
             "related": True, "in_use": True, "transferred_recently": False},
            {"type": "invention_patent", "number": patent("201910456789"),
             "title": "薄壁轴承套圈热处理变形控制方法", "granted_on": "2021-07-27",
             "related": True, "in_use": False, "transferred_recently": False},
        ],
        "innovation.national_award": [],
        "innovation.maker_china_top50": [],
    },
}

ANNEX2_FINANCE = {
    2019: (186, 58, "9850.00", "9420.00", "1108.40", "13620.00", "5470.20", "668.30", "0.00"),
    2020: (205, 66, "11240.00", "10760.00", "1390.85", "15980.00", "6120.00", "782.10", "0.00"),
    2021: (233, 77, "13590.00", "13050.00", "1786.30", "18870.00", "7205.60", "961.70", "0.00"),
}

ANNEX2 = copy.deepcopy(ANNEX1)
ANNEX2["form"] = "annex2-batch1-review"
ANNEX2["values"].update({
    "enterprise.name": "宁波海曙汇感传感技术有限公司",
    "enterprise.region_province": "33", "enterprise.region_city": "宁波市",
    "enterprise.region_county": "海曙区",
    "enterprise.address": "浙江省宁波市海曙区望春工业园区云林中路 88 号", "enterprise.postcode": "315012",
    "legal_rep.name": "林志航", "legal_rep.phone": "0574-87651200", "legal_rep.mobile": "13805741234",
    "enterprise.controlling_shareholder": "宁波汇感投资有限公司（虚构）",
    "enterprise.actual_controller": "林志航",
    "contact.name": "王丽娜", "contact.phone": "0574-87651210", "contact.mobile": "15967823401",
    "contact.fax": "0574-87651211", "contact.email": "wangln@huigan-sensor.example.cn",
    "enterprise.registered_on": "2001-03-08", "enterprise.registered_capital": "5000.00",
    "enterprise.uscc": "91330203726395128L", "enterprise.size": "small",
    "enterprise.industry_code": "39", "enterprise.niche_code": "3983",
    "enterprise.listing": "no_plan",
    **finance(ANNEX2_FINANCE),
    "finance.2018.main_revenue": "8910.00",
    "specialization.niche_years": 15,
    "specialization.main_product": "汽车用 MEMS 压力传感器",
    "specialization.description": "专注汽车进气压力、燃油蒸汽压力传感器 15 年。",
    "distinctiveness.market_share": "14.20",
    "distinctiveness.main_product_sales": "11860.00",
    "distinctiveness.market_size": "83500.00",
    "distinctiveness.market_share_source": "（虚构）中国传感器产业研究报告 2021",
    "distinctiveness.brands": "“汇感 HUIGAN”",
    "distinctiveness.trademark_numbers": "第 34567890 号",
    "distinctiveness.brand_revenue": "11860.00",
    "chain.industry_chain": "新能源汽车产业链（传感器环节）",
    "chain.role": ["fill_gap", "fill_shortcoming"],
    "chain.description": "国内少数量产车规级 MEMS 压力传感器的企业之一，为多家整车厂一级供应商配套。",
    "field.category": "six_foundations:core_electronic_components",
    "field.years_in_field": 15,
    "other.province_title_document": "浙江省 2021 年专精特新中小企业名单（虚构文号）",
    "review.original_batch": "batch1",
    "review.recognition_document": "工业和信息化部第一批专精特新“小巨人”企业名单（2019 年）",
    "review.recognized_on": "2019-06-10",
    "review.changes": ["none"],
    "review.development": "认定以来营业收入由 9850 万元增至 13590 万元，新增发明专利 3 项，"
    "建成省级企业技术中心。",
})
ANNEX2["tables"].update({
    "refinement.certifications": [
        {"kind": "management_system", "name": "IATF 16949:2016 汽车质量管理体系认证",
         "number": "0398765", "issuer": "（虚构）恒信认证有限公司", "valid_until": "2024-09-30"},
        {"kind": "management_system", "name": "ISO 14001:2015 环境管理体系认证",
         "number": "00221E1234R1M", "issuer": "中国质量认证中心", "valid_until": "2025-01-15"},
    ],
    "innovation.rd_institution": [
        {"kind": "enterprise_tech_center", "name": "浙江省汇感 MEMS 传感器企业技术中心",
         "level": "provincial", "mode": "own"},
        {"kind": "postdoc_workstation", "name": "汇感博士后工作站", "level": "provincial",
         "mode": "joint", "partner": "浙江大学"},
    ],
    "innovation.class1_ip": [
        {"type": "invention_patent", "number": patent("201510987654"),
         "title": "一种车规级 MEMS 压力敏感芯片及其封装方法", "granted_on": "2017-04-11",
         "related": True, "in_use": True, "transferred_recently": False},
        {"type": "invention_patent", "number": patent("201711098765"),
         "title": "压力传感器温度漂移自补偿电路", "granted_on": "2019-12-03",
         "related": True, "in_use": True, "transferred_recently": False},
        {"type": "invention_patent", "number": patent("201911209876"),
         "title": "一种燃油蒸汽压力传感器的气密性检测方法", "granted_on": "2021-05-18",
         "related": True, "in_use": True, "transferred_recently": False},
    ],
})
ANNEX2["values"]["innovation.description"] = "建有省级企业技术中心和博士后工作站，近 2 年研发费用占营业收入比重均超过 6%。"
ANNEX2["values"].pop("enterprise.listing_progress")
ANNEX2["values"].pop("enterprise.listing_venue")


def variant(changes: dict[str, Any], tables: dict[str, Any] | None = None) -> dict[str, Any]:
    out = copy.deepcopy(ANNEX1)
    out["values"].update(changes)
    out["tables"].update(tables or {})
    return out


FAILING = {
    # ZY-2: main business 65.00% of revenue in 2021 (threshold 70%)
    "annex1-fail-zy2-main-share": variant({"finance.2021.operating_revenue": "28815.38"}),
    # JX-3: debt ratio 75.00% at the end of 2021 (threshold 70%)
    "annex1-fail-jx3-debt-ratio": variant({"finance.2021.total_liabilities": "20970.00"}),
    # TS-1: market share 8.50% (threshold 10%)
    "annex1-fail-ts1-market-share": variant({"distinctiveness.market_share": "8.50",
                                             "distinctiveness.main_product_sales": "10574.00"}),
    # CX-3: only one qualifying Class I IP (threshold 2)
    "annex1-fail-cx3-ip": variant({}, {"innovation.class1_ip": [
        dict(ANNEX1["tables"]["innovation.class1_ip"][0]),
        {**ANNEX1["tables"]["innovation.class1_ip"][1], "related": False},
    ]}),
    # EX-1: already a manufacturing single champion
    "annex1-fail-ex1-single-champion": variant({"exclusion.single_champion": True}),
}


def large(rows: int = 50) -> dict[str, Any]:
    """The passing sample with ``rows`` Class I IP items: the largest record, for benchmarks."""
    out = copy.deepcopy(ANNEX1)
    out["tables"]["innovation.class1_ip"] = [
        {"type": "invention_patent", "number": patent(f"20151{i:07d}"),
         "title": f"一种精密交叉滚子轴承的改进结构（第 {i + 1} 项）",
         "granted_on": f"{2012 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
         "related": i % 3 != 2, "in_use": i % 4 != 3, "transferred_recently": False}
        for i in range(rows)
    ]
    return out


def write(name: str, data: dict[str, Any]) -> None:
    record = from_json_dict(json.loads(json.dumps(data)))
    (HERE / f"{name}.json").write_text(dumps(record), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    write("annex1-pass", ANNEX1)
    write("annex2-pass", ANNEX2)
    write("annex1-large-50ip", large())
    for sample_name, sample in FAILING.items():
        write(sample_name, sample)
