"""Categories of supporting materials (佐证材料), PRODUCT.md §4: fixed ids, in bundle order.

Shared by the store (attachments of a draft) and the export (``attachments/<nn>-<category>-…``).
"""

from __future__ import annotations

from giantdesk.forms.messages import Message

CATEGORIES: dict[str, Message] = {
    "business_license": Message("营业执照", "Business licence"),
    "audit_report": Message("近三年年度审计报告", "Audit reports of the last three years"),
    "social_insurance": Message("社保缴纳人数证明", "Social-insurance headcount certificate"),
    "info_system": Message("信息系统支撑证明", "Information-system evidence"),
    "certification": Message("管理体系/产品认证证书", "Management-system / product certificates"),
    "market_share": Message("细分市场占有率证明", "Niche market-share evidence"),
    "own_brand": Message("自主品牌证明", "Own-brand evidence"),
    "equity_financing": Message("新增股权融资证明", "New equity financing evidence"),
    "rd_institution": Message("研发机构证明", "R&D institution evidence"),
    "ip_certificate": Message("Ⅰ类知识产权证书", "Class I IP certificates"),
    "award": Message("国家级科技奖励证明", "National science award evidence"),
    "maker_china": Message("“创客中国”证明", "“Maker in China” evidence"),
    "chain_role": Message("产业链配套说明", "Industrial-chain role statement"),
    "key_field": Message("主导产品所属领域说明", "Key-field statement"),
    "other": Message("其他", "Other"),
}
