"""Every user-facing string of the GUI that is not in a form definition or ruleset.

Labels of fields, parts, choices and rules come from the definitions (``Message`` objects); only
the application's own chrome (menus, buttons, status words) lives here, as ``Message(zh, en)``
pairs, Chinese first. A Qt ``.ts``/``.qm`` catalogue can replace this module later (docs/ui.md).
"""

from __future__ import annotations

from giantdesk.forms.messages import Message

APP_NAME = Message("GiantDesk 专精特新“小巨人”申报助手", "GiantDesk — “Little Giant” application helper")

# Menus and actions
MENU_FILE = Message("文件(&F)", "&File")
MENU_VIEW = Message("视图(&V)", "&View")
MENU_LANGUAGE = Message("语言(&L)", "&Language")
ACT_NEW = Message("新建", "New")
ACT_OPEN = Message("打开记录…", "Open record…")
ACT_SAVE = Message("保存", "Save")
ACT_SAVE_AS = Message("另存为…", "Save as…")
ACT_OPEN_SAMPLE = Message("打开示例（附件1）", "Open the sample (Annex 1)")
ACT_QUIT = Message("退出", "Quit")
ACT_PREV_PART = Message("上一部分", "Previous part")
ACT_NEXT_PART = Message("下一部分", "Next part")
LANG_ZH = Message("中文", "中文")
LANG_EN = Message("English", "English")
LANGUAGE = Message("语言", "Language")

# Status
SAVED = Message("已保存", "Saved")
NOT_SAVED = Message("未保存", "Not saved")
AUTOSAVED = Message("已自动保存", "Saved automatically")
SAVING = Message("正在保存…", "Saving…")
SAVE_FAILED = Message("保存失败", "Save failed")
UNTITLED = Message("未命名", "Untitled")
OPENING = Message("正在打开…", "Opening…")
REFUSED_INPUTS = Message("{n} 处输入未被接受（见红色提示）", "{n} input(s) not accepted (see the red notes)")
STORE_MODE = Message("草稿自动保存在本机", "Drafts are saved automatically on this PC")
FILE_MODE = Message("记录保存在文件中：请按 Ctrl+S 保存", "The record is kept in a file: press Ctrl+S")

# Parts list
PART_COMPLETE = Message("已完成", "Complete")
PART_ERRORS = Message("有待处理的问题：{n} 项", "{n} problem(s) to fix")
PART_NOT_STARTED = Message("未开始", "Not started")
PART_RECOMMENDER = Message("由推荐单位填写，打印为空白", "Filled in by the recommending unit; printed blank")
PART_NOT_OFFICIAL = Message("非官方模板内容（辅助填写）", "Not in the official template (a helper)")

# Editors
REQUIRED_MARK = Message("必填", "required")
YES = Message("是", "Yes")
NO = Message("否", "No")
NOT_ANSWERED = Message("（请选择）", "(choose)")
ADD_ROW = Message("添加一行", "Add row")
REMOVE_ROW = Message("删除所选行", "Remove selected row")
TABLE_ROWS = Message("共 {n} 行", "{n} row(s)")
COMPUTED = Message("自动计算", "computed")
DATE_PLACEHOLDER = Message("年-月-日，如 2015-06-30", "YYYY-MM-DD, e.g. 2015-06-30")
CODE_PLACEHOLDER = Message("输入代码或名称", "type a code or a name")
NO_CELL = Message("（该年度不填）", "(not filled for this year)")
YEAR_HEADER = Message("{year}年", "{year}")
UNIT_HEADER = Message("单位", "Unit")
INDICATOR_HEADER = Message("指标", "Indicator")

# Eligibility panel
PANEL_TITLE = Message("认定标准核对", "Recognition criteria")
ELIGIBLE = Message("符合认定标准的全部条件", "Meets every criterion of the standard")
NOT_ELIGIBLE = Message("{n} 项条件未满足", "{n} criterion(s) not met")
INCOMPLETE = Message("尚缺数据，{n} 项条件无法判断", "Data missing: {n} criterion(s) cannot be judged")
STATUS_PASS = Message("满足", "met")
STATUS_FAIL = Message("不满足", "not met")
STATUS_WARN = Message("请核实", "check")
STATUS_NA = Message("缺少数据", "no data")
OFFICIAL_TEXT = Message("认定标准原文", "Official sentence")
THRESHOLD = Message("要求", "Threshold")
VALUES_USED = Message("所用数值", "Values used")
CLICK_TO_GO = Message("点击跳转到相关填报项", "Click to go to the field")
CX_DIRECT = Message("满足创新直通条件时，创新能力一般性条件不再要求",
                    "When the direct path is met, the general innovation criteria are not required")

# Dialogs
OPEN_TITLE = Message("打开申报记录", "Open a record")
SAVE_TITLE = Message("保存申报记录", "Save the record")
RECORD_FILTER = Message("申报记录 (*.json)", "Records (*.json)")
CANNOT_OPEN = Message("无法打开“{name}”", "Cannot open “{name}”")
CANNOT_READ = Message("无法读取文件：{error}", "The file cannot be read: {error}")
CANNOT_SAVE = Message("无法保存到“{name}”：{error}", "Cannot save to “{name}”: {error}")
RECORD_PROBLEMS = Message("该文件不是有效的申报记录：", "The file is not a valid record:")
UNSAVED_TITLE = Message("有未保存的修改", "Unsaved changes")
UNSAVED_QUESTION = Message("是否先保存当前记录？", "Save the current record first?")
STORE_PROBLEM = Message("本机草稿库无法使用，暂以记录文件方式工作",
                        "The drafts database cannot be used; working on record files for now")
NEW_FORM_TITLE = Message("新建申报书", "New application")

# Start-up without a display (printed, not shown)
NO_DISPLAY = Message(
    "GiantDesk 图形界面需要显示器，但当前没有可用的显示环境（未设置 DISPLAY 或 WAYLAND_DISPLAY）。\n"
    "请在桌面环境中运行，或使用命令行：\n"
    "  giantdesk --help     查看全部命令\n"
    "  giantdesk demo       示例演示\n"
    "  giantdesk check 文件  核对申报记录",
    "The GiantDesk window needs a display, and none is available (DISPLAY and WAYLAND_DISPLAY are"
    " not set).\nRun it on a desktop, or use the command line:\n"
    "  giantdesk --help     list the commands\n"
    "  giantdesk demo       a demonstration\n"
    "  giantdesk check FILE check a record",
)
