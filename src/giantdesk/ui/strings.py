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

# Home window (the drafts of this PC)
HOME_TITLE = Message("本机草稿", "Drafts on this PC")
COL_TITLE = Message("名称", "Name")
COL_ENTERPRISE = Message("企业", "Enterprise")
COL_FORM = Message("申请书", "Form")
COL_STATUS = Message("状态", "Status")
COL_COMPLETE = Message("完成度", "Complete")
COL_ELIGIBILITY = Message("认定标准", "Criteria")
COL_CHANGED = Message("最后修改", "Last change")
STATUS_EDITING = Message("编辑中", "editing")
STATUS_FINALIZED = Message("已定稿", "finalized")
COMPLETENESS = Message("{pct}%（必填项 {done}/{total}）", "{pct}% ({done}/{total} required)")
ALL_GROUPS_MET = Message("全部满足", "all groups met")
GROUPS_NOT_MET = Message("{n} 项未满足", "{n} not met")
GROUPS_UNKNOWN = Message("{n} 项缺数据", "{n} lack data")
CHANGED_BY = Message("{when}（{user}）", "{when} ({user})")
NO_DRAFTS = Message("本机还没有草稿。点击“新建”开始填写，或“导入记录”打开已有的申报记录文件。",
                    "No drafts on this PC yet. Click “New” to start, or “Import record” to open "
                    "an existing record file.")
ACT_NEW_DRAFT = Message("新建(&N)", "&New")
ACT_OPEN_DRAFT = Message("打开(&O)", "&Open")
ACT_IMPORT = Message("导入记录(&I)…", "&Import record…")
ACT_CARRY = Message("结转为附件2复核稿(&C)", "&Carry over to Annex 2")
ACT_CARRY_SELECTED = Message("从所选的附件1草稿", "From the selected Annex 1 draft")
ACT_CARRY_FILE = Message("从记录或申报包文件…", "From a record or bundle file…")
ACT_RENAME = Message("重命名(&R)…", "&Rename…")
ACT_BACKUPS = Message("备份(&B)", "&Backups")
ACT_BACKUP_NOW = Message("立即备份", "Back up now")
ACT_SHOW_BACKUPS = Message("打开备份文件夹", "Open the backups folder")
ACT_REFRESH = Message("刷新", "Refresh")
RENAME_TITLE = Message("重命名草稿", "Rename the draft")
RENAME_LABEL = Message("新名称：", "New name:")
IMPORT_TITLE = Message("导入申报记录", "Import a record")
CARRY_TITLE = Message("选择附件1记录或申报包", "Choose an Annex 1 record or bundle")
CARRY_FILTER = Message("申报记录或申报包 (*.json *.zip)", "Records or bundles (*.json *.zip)")
CARRY_NEEDS_ANNEX1 = Message("请先在列表中选中一份附件1草稿，或从文件结转。",
                             "Select an Annex 1 draft in the list first, or carry over from a file.")
CARRIED = Message("已建立附件2复核稿（草稿 {id}）。", "An Annex 2 review draft was created (draft {id}).")
IMPORTED = Message("已导入为草稿 {id}。", "Imported as draft {id}.")
BACKUP_DONE = Message("已备份到：\n{path}", "Backed up to:\n{path}")
ALREADY_OPEN_TITLE = Message("GiantDesk 已经打开", "GiantDesk is already open")
DAMAGED_TITLE = Message("草稿数据库无法使用", "The drafts database cannot be used")
STORE_UNAVAILABLE = Message("本机草稿库无法打开，草稿功能不可用。", "The drafts database is not available.")
DRAFT_UNAVAILABLE = Message("无法使用这份草稿", "This draft cannot be used")
DRAFT_REPAIRED_TITLE = Message("草稿已修复", "The draft was repaired")
NOT_SHOWN = Message("—", "—")

# What the home window offers when the drafts database, or one draft, cannot be used (ui/recovery)
DB_DAMAGED = Message("草稿数据库无法按原样使用：\n{path}\n原因：{detail}。",
                     "The drafts database cannot be used as it is:\n{path}\nWhy: {detail}.")
DB_BACKUP = Message("可以用这个备份恢复：\n{path}\n（备份于 {when}，其中有 {drafts} 份草稿，最后修改于 {last}）。"
                    "恢复时现在的数据库文件会移到 damaged 文件夹中保留，不会删除。",
                    "It can be restored from this backup:\n{path}\n(made {when}; it holds {drafts} "
                    "draft(s), last changed {last}). The current database file is moved to the "
                    "damaged folder, not deleted.")
DB_KEEP = Message("{lead}按现有内容继续：保留数据库里现在的全部草稿和修改；丢失的最近修改找不回来，需要重新填写。"
                  "受损的日志文件和原来的记录保存在 damaged 文件夹中，供技术支持查看。",
                  "{lead}go on with what it holds now: every draft and change in the database is "
                  "kept; the latest changes that were lost cannot be brought back and must be "
                  "typed again. The damaged log file and the old record are kept in the damaged "
                  "folder for support.")
DB_KEEP_ALSO = Message("也可以", "Or ")
DB_KEEP_ONLY = Message("没有保存了这些修改的备份。可以", "No backup holds those changes. You can ")
DB_NO_BACKUP = Message("没有可以恢复的备份（{folder}）。请不要删除这个文件，并联系技术支持。",
                       "There is no backup to restore ({folder}). Do not delete the file; contact "
                       "support.")
DB_LATER = Message("选“暂不处理”则不做任何改动，下次启动时会再次询问。",
                   "“Not now” changes nothing; you are asked again at the next start.")
CHOICE_RESTORE = Message("用这个备份恢复", "Restore this backup")
CHOICE_KEEP = Message("按现有内容继续", "Go on with what it holds")
CHOICE_LATER = Message("暂不处理", "Not now")
ACT_RECOVER = Message("处理…", "Deal with it…")
DB_RESTORED = Message("已用备份恢复：{path}\n原来的数据库文件已移到 damaged 文件夹：{kept}",
                      "Restored from the backup: {path}\nThe old database file was moved to the "
                      "damaged folder: {kept}")
DB_HIDDEN = Message("注意：这个备份之后记录的 {n} 处修改不在其中（最后一处在 {when}），需要时请重新填写。",
                    "Note: {n} change(s) recorded after this backup are not in it (the last at "
                    "{when}); type them again where needed.")
DB_KEPT = Message("已按数据库现有的内容继续（{drafts} 份草稿）。丢失的修改需要重新填写。",
                  "Going on with what the database holds ({drafts} draft(s)). The lost changes "
                  "must be typed again.")
DB_GONE_BAD = Message("草稿数据库 {path} 已损坏或无法读取（{detail}）。请关闭 GiantDesk，再从开始菜单或桌面图标启动："
                      "主窗口会检查数据库，并提出处理办法（例如用备份恢复）。",
                      "The drafts database {path} is damaged or unreadable ({detail}). Close "
                      "GiantDesk and start it again from the Start menu or the desktop icon: "
                      "its home window checks the database and offers what can be done (such "
                      "as restoring a backup).")
DRAFT_DAMAGED_STATUS = Message("⚠ 内容损坏", "⚠ damaged")
DRAFT_DAMAGED_TIP = Message("这份草稿中有 {n} 处保存的内容已损坏，无法读取：\n{items}\n打开它时可以修复；其他草稿不受影响。",
                            "{n} stored value(s) of this draft are damaged and cannot be read:\n"
                            "{items}\nOpening it offers a repair; the other drafts are not "
                            "affected.")
DRAFT_DAMAGED = Message("草稿“{title}”中有 {n} 处保存的内容已损坏，无法读取：\n{items}",
                        "{n} stored value(s) of the draft “{title}” are damaged and cannot be "
                        "read:\n{items}")
DRAFT_REPAIR = Message("可以修复：把这些内容恢复为修改记录中最后一个完好的值；没有完好记录的将被清空，需要重新填写。"
                       "草稿的其他内容不变，修复会记入修改记录。",
                       "It can be repaired: each of these values is set back to the last "
                       "readable value in its history; one with none is emptied and must be "
                       "filled in again. The rest of the draft is not changed; the repair is "
                       "recorded in the history.")
DRAFT_REPAIR_REOPEN = Message("这份草稿已定稿：修复前会重新打开它（修复后需要再次定稿）。",
                              "This draft is finalized: it is reopened before the repair (finalize "
                              "it again afterwards).")
DRAFT_NO_REPAIR = Message("这份草稿的申请书类型无法识别，无法修复。请联系技术支持；其他草稿不受影响。",
                          "This draft's form cannot be recognised, so it cannot be repaired. "
                          "Contact support; the other drafts are not affected.")
CHOICE_REPAIR = Message("修复并打开", "Repair and open")
CHOICE_REOPEN_REPAIR = Message("重新打开、修复并打开", "Reopen, repair and open")
CHOICE_NOT_OPEN = Message("暂不打开", "Do not open")
DRAFT_REPAIRED = Message("已修复草稿“{title}”：\n{items}", "The draft “{title}” was repaired:\n{items}")
REPAIRED_RESTORED = Message("{where}：已恢复为修改记录中的值", "{where}: set back to its recorded value")
REPAIRED_CLEARED = Message("{where}：没有完好的记录，已清空，请重新填写",
                           "{where}: no readable record, emptied — fill it in again")
UNREADABLE_VALUE = Message("保存的内容已损坏", "the stored value is damaged")
DRAFT_IS_FINALIZED = Message("草稿 {id} 已定稿，只读；如需修改请先点“重新打开”。",
                             "Draft {id} is finalized and read-only; click “Reopen” first to "
                             "change it.")
DRAFT_IS_IN_BIN = Message("草稿 {id} 在回收站中；如需使用请先在“回收站”中恢复。",
                          "Draft {id} is in the recycle bin; restore it from the “Recycle bin” "
                          "first.")
DRAFT_NEEDS_CONFIRMING = Message("草稿 {id} 已定稿；删除已定稿的草稿需要再次确认。",
                                 "Draft {id} is finalized; deleting it needs a second "
                                 "confirmation.")
DRAFT_DAMAGED_SHORT = Message("草稿 {id} 中有 {n} 处保存的内容已损坏，无法读取。请回到主窗口打开这份草稿："
                              "GiantDesk 会提出修复。",
                              "{n} stored value(s) of draft {id} are damaged and cannot be read. "
                              "Open the draft from the home window: GiantDesk offers a repair.")
LOADING = Message("正在读取草稿…", "Reading the drafts…")
NEW_FORM_QUESTION = Message("选择要填写的申请书：", "Choose the form to fill in:")

# Draft window: status banner, history
FINALIZED_BANNER = Message("已定稿（{when}），只读。如需修改请重新打开。",
                           "Finalized ({when}); read-only. Reopen it to make changes.")
ACT_REOPEN = Message("重新打开(&R)", "&Reopen")
MENU_DRAFT = Message("草稿(&D)", "&Draft")
ACT_HISTORY = Message("修改记录…", "History…")
TEXT_UNVERIFIED = Message("（此句原文未在一手来源中找到，仅供参考）",
                          "(this wording was not found in a primary source; for reference only)")
ACT_UNDO = Message("撤销上一处修改", "Undo the last change")
ACT_HOME = Message("本机草稿列表", "Drafts on this PC")
HISTORY_TITLE = Message("修改记录 — {name}", "History — {name}")
COL_WHEN = Message("时间", "When")
COL_WHO = Message("修改人", "By")
COL_FIELD = Message("填报项", "Field")
COL_CHANGE = Message("修改", "Change")
COL_ACTION = Message("操作", "Action")
EMPTY_VALUE = Message("（空）", "(empty)")
TABLE_ROWS_VALUE = Message("{n} 行", "{n} row(s)")
ACT_RESTORE_VALUE = Message("恢复此值", "Restore this value")
RESTORE_DONE = Message("已恢复“{field}”。", "“{field}” was restored.")
HISTORY_READ_ONLY = Message("草稿已定稿：重新打开后才能恢复修改前的值。",
                            "The draft is finalized: reopen it to restore a value.")
HISTORY_FILTER = Message("只看所选填报项", "Only the selected field")
ACTIONS = {
    "import": Message("导入", "import"), "set": Message("填写", "set"),
    "clear": Message("清除", "clear"), "edit": Message("修改", "edit"),
    "delete": Message("删除行", "delete row"), "restore": Message("恢复", "restore"),
    "finalize": Message("定稿", "finalize"), "reopen": Message("重新打开", "reopen"),
    "attach": Message("添加附件", "attach"), "detach": Message("移除附件", "detach"),
    "title": Message("重命名", "rename"), "new": Message("新建", "new"),
}
SPECIAL_PATHS = {
    "@status": Message("状态", "status"), "@title": Message("名称", "name"),
    "@attachments": Message("附件", "attachments"), "@created": Message("建立草稿", "created"),
}

# Attachments page
ATTACHMENTS_PAGE = Message("附件", "Attachments")
ATTACHMENTS_TITLE = Message("附件（佐证材料）", "Attachments (supporting documents)")
ATTACHMENTS_NOTE = Message(
    "按类别添加 PDF、JPEG 或 PNG 文件；文件会复制到本机草稿库，导出时放入申报包。"
    "每个文件不超过 {mb} MB；加密的 PDF 不能添加。",
    "Add PDF, JPEG or PNG files by category; each file is copied into the drafts database on "
    "this PC and goes into the bundle on export. At most {mb} MB per file; encrypted PDFs "
    "cannot be added.")
COL_FILE = Message("文件", "File")
COL_SIZE = Message("大小", "Size")
COL_ADDED = Message("添加时间", "Added")
ACT_ADD_FILE = Message("添加文件(&A)…", "&Add file…")
ACT_REMOVE_FILE = Message("移除(&M)", "Re&move")
ADD_FILE_TITLE = Message("为“{category}”选择文件", "Choose a file for “{category}”")
ATTACH_FILTER = Message("PDF 或图片 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)",
                        "PDF or images (*.pdf *.jpg *.jpeg *.png);;All files (*)")
ADDING = Message("正在添加“{name}”…", "Adding “{name}”…")
NOT_ADDED = Message("未添加“{name}”：{reason}", "“{name}” was not added: {reason}")
ADDED = Message("已添加“{name}”。", "“{name}” added.")
PENDING = Message("…", "…")
VALUE_KEPT = Message("{message}（未采用：上次的有效值“{old}”仍保留，按 Esc 恢复）",
                     "{message} (not taken: the last valid value “{old}” is kept; Esc restores it)")
RESTORE_VALUE = Message("恢复为“{old}”", "Restore “{old}”")
REMOVE_QUESTION = Message("从草稿中移除“{name}”？（原文件不受影响）",
                          "Remove “{name}” from the draft? (The original file is not touched.)")
FILES_COUNT = Message("{n} 个文件", "{n} file(s)")
NO_FILES = Message("未添加", "none")
SELECT_CATEGORY = Message("请先选中一个类别。", "Select a category first.")
CANCEL = Message("取消", "Cancel")
CLOSE = Message("关闭", "Close")
NEEDS_STORE = Message("附件和导出需要本机草稿库（当前记录保存在文件中）。",
                      "Attachments and export need the drafts database (this record is a file).")
SIZE_KB = Message("{n} KB", "{n} KB")
SIZE_MB = Message("{n} MB", "{n} MB")

# Check & export page
CHECK_PAGE = Message("核对与导出", "Check & export")
CHECK_TITLE = Message("核对与导出", "Check and export")
NO_ERRORS = Message("没有错误。", "No errors.")
NO_WARNINGS = Message("没有需要核实的提示。", "Nothing to confirm.")
CHECKED = Message("已核实", "checked")
ELIGIBILITY_HEADING = Message("认定标准", "Recognition criteria")
ATTACHMENTS_HEADING = Message("附件清单（未添加的类别仅作提醒，不影响导出）",
                              "Attachments checklist (an empty category is a reminder, not a block)")
ATTACHMENT_PRESENT = Message("✔ {category}：{n} 个文件", "✔ {category}: {n} file(s)")
ATTACHMENT_MISSING = Message("○ {category}：未添加", "○ {category}: none")
STEP_FINALIZE = Message("① 定稿(&F)", "① &Finalize")
STEP_EXPORT = Message("② 导出申报包(&E)…", "② &Export the bundle…")
BLOCKED_ERRORS = Message("还有 {n} 项待填写或需改正，处理后才能定稿。",
                         "{n} item(s) to fill in or correct before finalizing.")
BLOCKED_WARNINGS = Message("还有 {n} 项提示未勾选“已核实”。", "{n} warning(s) not ticked “checked” yet.")
READY_TO_FINALIZE = Message("核对通过，可以定稿。定稿后草稿只读（可重新打开，留有记录）。",
                            "All checked: ready to finalize. A finalized draft is read-only "
                            "(it can be reopened; that is recorded).")
FINALIZED_READY = Message("已定稿（{when}），可以导出申报包。", "Finalized ({when}): ready to export.")
FINALIZE_QUESTION = Message("定稿后草稿将变为只读。现在定稿吗？",
                            "The draft becomes read-only once finalized. Finalize now?")
EXPORT_FOLDER_TITLE = Message("选择保存申报包的文件夹", "Choose the folder for the bundle")
EXPORTING = Message("正在生成申报包…", "Writing the bundle…")
EXPORT_FAILED = Message("导出未完成", "The export did not complete")
EXPORT_DONE = Message("申报包已生成", "The bundle is ready")
BUNDLE_PATH = Message("申报包", "Bundle")
FINGERPRINT = Message("记录指纹", "Record fingerprint")
KEY_ID = Message("签名密钥编号", "Key id")
OPEN_PDF = Message("打开申请书 PDF", "Open the PDF")
OPEN_FOLDER = Message("打开所在文件夹", "Open the folder")
OPEN_ENTRY_SHEET = Message("打开网上填报对照表", "Open the entry sheet")
KEYRING_TITLE = Message("无法使用签名密钥", "The signing key cannot be used")
CONFIRM_NOT_KEPT = Message("“已核实”未能保存", "The tick could not be kept")
CANNOT_EXTRACT = Message("无法从申报包“{bundle}”中取出 {name}：{why}。",
                         "Cannot take {name} out of the bundle “{bundle}”: {why}.")
EXTRACT_BUNDLE_CHANGED = Message("申报包已被改动或损坏（请重新导出）",
                                 "the bundle was changed or is damaged (export it again)")
EXTRACT_BUNDLE_GONE = Message("申报包已被移走或删除", "the bundle was moved or deleted")
EXTRACT_DISK_FULL = Message("磁盘已满", "the disk is full")
EXTRACT_DENIED = Message("没有权限写入临时文件夹", "no permission to write to the temporary folder")
EXTRACT_UNREADABLE = Message("文件无法读取或写入（详情已记入日志）",
                             "the file could not be read or written (the log has the details)")

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

# -- unexpected errors ---------------------------------------------------------------------------

CRASH_TITLE = Message("GiantDesk 出现意外错误", "GiantDesk: unexpected error")
ABNORMAL_END_TITLE = Message("GiantDesk 上次没有正常关闭", "GiantDesk did not close normally")
ABNORMAL_END = Message(
    "GiantDesk 上次运行（{when} 开始）意外结束了。\n"
    "草稿是安全的：每次修改都已写入本机，正在输入的文字在停止输入约 1 秒后也已保存。\n"
    "请检查最后编辑的内容。若问题再次出现，请将此文件发给技术支持：\n{log}",
    "GiantDesk's last run (started {when}) ended unexpectedly.\n"
    "Your drafts are safe: every change was written to this PC, and text being typed is saved "
    "about 1 second after the last keystroke.\nPlease check what you edited last. If this "
    "happens again, send this file to support:\n{log}")
NO_FAULT_DETAILS = Message("（没有记录到错误信息：程序可能是被强制结束的。）",
                           "(No error was recorded: the program was probably ended by force.)")
CRASH_TEXT = Message(
    "程序遇到了一个意外错误。已保存的草稿不受影响（每次修改在显示“已保存”前已写入本机）。\n"
    "请将下面“详细信息”中的内容或日志文件发给技术支持：\n{log}",
    "The program met an unexpected error. Your saved drafts are not affected (every change is "
    "written to this PC before it shows as saved).\nPlease send the details below, or the log "
    "file, to support:\n{log}")

# -- the wizard: steps, review, plain words (issue 9) --------------------------------------------

STEP_HEADER = Message("第 {n} 步 / 共 {total} 步 · {title}", "Step {n} of {total} · {title}")
STEP_OUTSIDE = Message("不在填写步骤中 · {title}", "Not a step · {title}")
ACT_BACK = Message("← 上一步", "← Back")
ACT_NEXT = Message("下一步 →", "Next →")
NEXT_STEP_IS = Message("接下来：{title}", "Next: {title}")
REVIEW_PAGE = Message("审阅", "Review")
REVIEW_TITLE = Message("审阅：还有什么要做", "Review: what is left to do")
REVIEW_NOTE = Message("每一部分的完成情况、需改正和待填写的项目、需要核实的提示都在这里。"
                      "双击或按 Enter 跳到该项。",
                      "Every part's completeness, what is to fill or to correct, and what to "
                      "confirm, in one place. Double-click or press Enter to go there.")
REVIEW_ALL_DONE = Message("各部分都已填写完整，没有需改正的项目。",
                          "Every part is complete; nothing to correct.")
REVIEW_CRITERIA = Message("认定条件", "Criteria")
REVIEW_ATTACHMENTS = Message("附件：已添加 {n} 个文件（未添加的类别仅作提醒）",
                             "Attachments: {n} file(s) (an empty category is only a reminder)")
PAGE_FILES = Message("已添加 {n} 个文件", "{n} file(s)")
PAGE_NO_FILES = Message("选填 · 未添加文件", "optional · no files yet")
PAGE_BLOCKED = Message("{n} 项需处理", "{n} to deal with")
PAGE_READY = Message("可以定稿", "ready to finalize")
PAGE_FINALIZED = Message("已定稿", "finalized")
BLOCKING_HEADING = Message("定稿前须处理：{n} 项（{fill} 项待填写，{fix} 项需改正）",
                           "To deal with before finalizing: {n} ({fill} to fill, {fix} to correct)")
CONFIRM_HEADING = Message("请核实：{n} 项（包括认定标准中标为“请核实”的条件；逐项核实后勾选）",
                          "To confirm: {n} (the criteria marked “check” included; tick each once "
                          "checked)")
GO_TO_FIELD = Message("跳到“{label}”", "Go to “{label}”")
NOT_OFFICIAL_LINK = Message("这是什么？", "What is this?")
NOT_OFFICIAL_TITLE = Message("非官方模板内容", "Not from the official template")
NOT_OFFICIAL_EXPLAINED = Message(
    "官方申请书模板中这一部分的具体表格没有公开，GiantDesk 依据工信部 2022 年“小巨人”认定标准"
    "设计了这一部分，帮助您逐项对照认定条件填写。\n\n"
    "它会和其他部分一起印在申请书（PDF / Word）中，并注明“非官方模板，依据认定标准设计”。"
    "如果省级主管部门下发了自己的表格，请以其要求为准，并按需调整打印件。",
    "The official template's table for this part is not published. GiantDesk designed this part "
    "after MIIT's 2022 “Little Giant” recognition standard, to help you fill in every criterion.\n\n"
    "It is printed in the application (PDF / Word) with the others, marked “not from the official "
    "template, designed after the standard”. If your provincial authority gives its own form, "
    "follow it and adjust the printout as needed.")
REMAINING_CHARS = Message("还可输入 {n} 字", "{n} characters left")
OVER_CHARS = Message("超出 {n} 字", "{n} characters too many")
ACT_EDIT_ROW = Message("在表单中编辑此行…", "Edit this row in a form…")
ROW_DIALOG_TITLE = Message("{table} — 第 {n} 行", "{table} — row {n}")
CELL_NAME = Message("{table}第 {n} 行 · {column}", "{table}, row {n} · {column}")
OK = Message("确定", "OK")

# Home: recycle bin, carry-over summary
ACT_DELETE = Message("删除(&D)…", "&Delete…")
ACT_BIN = Message("回收站…", "Recycle bin…")
DELETE_TITLE = Message("删除草稿", "Delete the draft")
DELETE_QUESTION = Message("把“{title}”移到回收站？{days} 天内可以在“回收站”中恢复，之后将永久清除。",
                          "Move “{title}” to the recycle bin? It can be restored from the "
                          "recycle bin for {days} days; after that it is removed for good.")
DELETE_FINALIZED_QUESTION = Message(
    "“{title}”已经定稿。确实要删除这份已定稿的申报书吗？",
    "“{title}” is finalized. Do you really want to delete a finalized application?")
DELETE_FINALIZED_AGAIN = Message(
    "再确认一次：把已定稿的“{title}”移到回收站？（{days} 天内可恢复；已导出的申报包不受影响）",
    "Once more: move the finalized “{title}” to the recycle bin? (Restorable for {days} days; "
    "bundles already exported are not affected.)")
DELETE_OPEN_WINDOW = Message("“{title}”正在另一个窗口中编辑，请先关闭该窗口。",
                             "“{title}” is open in a window; close it first.")
DELETED = Message("“{title}”已移到回收站（{until} 前可恢复）。",
                  "“{title}” moved to the recycle bin (restorable until {until}).")
BIN_TITLE = Message("回收站", "Recycle bin")
BIN_NOTE = Message("删除的草稿在这里保留 {days} 天，之后永久清除。",
                   "Deleted drafts are kept here for {days} days, then removed for good.")
BIN_EMPTY = Message("回收站是空的。", "The recycle bin is empty.")
BIN_COL_DELETED = Message("删除时间", "Deleted")
BIN_COL_PURGE = Message("永久清除时间", "Removed for good on")
ACT_UNDELETE = Message("恢复(&R)", "&Restore")
UNDELETED = Message("“{title}”已恢复。", "“{title}” was restored.")
PURGED_NOTICE = Message("以下草稿在回收站中已超过 {days} 天，已永久清除：\n{items}",
                        "These drafts were in the recycle bin for over {days} days and have been "
                        "removed for good:\n{items}")
CARRY_SUMMARY_TITLE = Message("已建立附件2复核稿", "Annex 2 review draft created")
CARRY_DONE = Message("已从“{source}”建立附件2复核稿“{title}”。",
                     "The Annex 2 review draft “{title}” was made from “{source}”.")
CARRY_CARRIED = Message("已转入", "Carried over")
CARRY_PART_LINE = Message("{part}：{fields} 项", "{part}: {fields} field(s)")
CARRY_PART_TABLES = Message("，{tables} 个表格共 {rows} 行", ", {tables} table(s), {rows} row(s)")
CARRY_TO_FILL = Message("复核专有、待填写（点击跳到该项）", "Review-only, to fill (click to go there)")
CARRY_OTHER_EMPTY = Message("另有 {n} 项必填内容为空，审阅页会列出。",
                            "{n} other required item(s) are empty; the review page lists them.")
CARRY_ATTACHMENTS = Message("原申报材料中的附件（勾选的将一并转入）",
                            "Attachments of the source (the ticked ones are carried too)")
CARRY_ATTACH_BUTTON = Message("转入所选附件", "Carry the ticked attachments")
CARRY_ATTACHED = Message("已转入 {n} 个附件。", "{n} attachment(s) carried.")
CARRY_NOT_CARRIED_HEADING = Message("未转入（附件2没有对应项）", "Not carried (absent in Annex 2)")
HEADED = Message("{head}：{items}", "{head}: {items}")  # a heading and what it lists
LIST_SEPARATOR = Message("、", ", ")
PURGED_ITEM = Message("· {title}（{deleted} 删除）", "· {title} (deleted {deleted})")
CARRY_OPEN = Message("打开复核稿", "Open the review draft")
ACTIONS.update({"bin": Message("移到回收站", "deleted"), "unbin": Message("从回收站恢复", "restored"),
                "purge": Message("永久清除", "purged")})
SPECIAL_PATHS.update({"@bin": Message("回收站", "recycle bin")})
PARTS_LIST = Message("填写步骤", "Steps")
AND_MORE = Message("……另有 {n} 项", "… and {n} more")
