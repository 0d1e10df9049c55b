; GiantDesk's Windows installer (NSIS 3, Unicode). Built by packaging/installer.py (`make
; installer`), which passes the defines checked below; see packaging/README.md.
;
; Per user, without administrator rights: the program goes to %LOCALAPPDATA%\Programs\GiantDesk,
; the Add/Remove Programs entry to HKCU. A fixed identity (APP_ID) makes a new version upgrade the
; installed one in place, after closing a running GiantDesk. The uninstaller keeps the user's data
; (%LOCALAPPDATA%\GiantDesk: drafts, backups, attachments, logs) and the signing key (Windows
; Credential Manager) unless the user ticks "also delete my data". Chinese and English pages.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 32

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "Sections.nsh"

!macro REQUIRE NAME
  !ifndef ${NAME}
    !error "${NAME} is not defined: build the installer with packaging/installer.py (make installer)"
  !endif
!macroend
!insertmacro REQUIRE VERSION        ; 0.1.0 (pyproject.toml)
!insertmacro REQUIRE VERSION4       ; 0.1.0.0
!insertmacro REQUIRE DIST_DIR       ; the frozen app folder (dist/GiantDesk)
!insertmacro REQUIRE OUT_FILE       ; dist/GiantDesk-<version>-setup.exe
!insertmacro REQUIRE ICON           ; resources/icons/giantdesk.ico
!insertmacro REQUIRE COMPANY
!insertmacro REQUIRE COPYRIGHT
!insertmacro REQUIRE GUI_EXE        ; GiantDesk.exe (the window program)
!insertmacro REQUIRE CLI_EXE        ; GiantDesk.com (the console program)
!insertmacro REQUIRE PKG            ; GiantDesk.pkg (the archive both run)
!insertmacro REQUIRE DATA_DIR_NAME  ; the data folder's name under %LOCALAPPDATA% (store/paths.py)
!insertmacro REQUIRE CRED_SERVICE   ; the signing key in Credential Manager (export/signing.py)
!insertmacro REQUIRE CRED_USER

!define APP_ID "GiantDesk"  ; the installation's identity: never change it (upgrades find it)
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\GiantDesk"  ; QSettings("GiantDesk", "GiantDesk") in ui/settings.py
!define UNINSTALLER "uninstall.exe"
!define SHORTCUT "GiantDesk.lnk"

!ifdef SIGN_CMD  ; signing hook: %1 is the file (the uninstaller before packing, then the installer)
  !uninstfinalize `${SIGN_CMD}` = 0
  !finalize `${SIGN_CMD}` = 0
!endif

Name "GiantDesk"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\GiantDesk"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "GiantDesk ${VERSION}"
ShowInstDetails hide
ShowUninstDetails hide

Var DataCheckbox
Var DeleteData        ; 1: the uninstaller also deletes the user's data and signing key

; ------------------------------------------------------------------------------------------
; Pages

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE ComponentsLeave
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!insertmacro MUI_PAGE_FINISH

!define MUI_PAGE_CUSTOMFUNCTION_LEAVE un.ConfirmLeave
!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPageCreate un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"  ; the first is the default
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

; ------------------------------------------------------------------------------------------
; Texts

LangString SEC_APP ${LANG_SIMPCHINESE} "GiantDesk 程序（必需）"
LangString SEC_APP ${LANG_ENGLISH} "GiantDesk program (required)"
LangString SEC_DESKTOP ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SEC_DESKTOP ${LANG_ENGLISH} "Desktop shortcut"
LangString MSG_RUNNING ${LANG_SIMPCHINESE} "GiantDesk 正在运行。$\r$\n$\r$\n点击“确定”关闭它并继续（草稿在填写时已随时保存），点击“取消”退出。"
LangString MSG_RUNNING ${LANG_ENGLISH} "GiantDesk is running.$\r$\n$\r$\nClick OK to close it and continue (drafts are saved as you type), or Cancel to stop."
LangString MSG_STILL_RUNNING ${LANG_SIMPCHINESE} "无法关闭 GiantDesk。请关闭所有 GiantDesk 窗口和命令行程序后点击“重试”。"
LangString MSG_STILL_RUNNING ${LANG_ENGLISH} "GiantDesk could not be closed. Close every GiantDesk window and command-line program, then click Retry."
LangString MSG_SETUP_RUNNING ${LANG_SIMPCHINESE} "GiantDesk 安装程序已在运行。"
LangString MSG_SETUP_RUNNING ${LANG_ENGLISH} "The GiantDesk setup is already running."
LangString DATA_TITLE ${LANG_SIMPCHINESE} "您的数据"
LangString DATA_TITLE ${LANG_ENGLISH} "Your data"
LangString DATA_SUBTITLE ${LANG_SIMPCHINESE} "选择是否同时删除您的草稿和签名密钥。"
LangString DATA_SUBTITLE ${LANG_ENGLISH} "Choose whether to delete your drafts and signing key as well."
LangString DATA_TEXT ${LANG_SIMPCHINESE} "草稿、备份、附件和日志保存在 $LOCALAPPDATA\${DATA_DIR_NAME}，签名密钥保存在 Windows 凭据管理器中。$\r$\n$\r$\n默认保留这些数据：重新安装 GiantDesk 后可以继续使用。"
LangString DATA_TEXT ${LANG_ENGLISH} "Your drafts, backups, attachments and logs are in $LOCALAPPDATA\${DATA_DIR_NAME}; the signing key is in Windows Credential Manager.$\r$\n$\r$\nThey are kept unless you choose otherwise: after reinstalling GiantDesk you can go on where you left off."
LangString DATA_CHECK ${LANG_SIMPCHINESE} "同时删除我的数据（草稿、备份、附件、日志、设置）和签名密钥"
LangString DATA_CHECK ${LANG_ENGLISH} "Also delete my data (drafts, backups, attachments, logs, settings) and my signing key"
LangString DATA_WARN ${LANG_SIMPCHINESE} "警告：删除后无法恢复。已导出的申报包不受影响，但以后导出时会使用新的密钥（密钥编号不同）。"
LangString DATA_WARN ${LANG_ENGLISH} "Warning: this cannot be undone. Bundles you already exported are not affected, but later exports will be signed with a new key (a different key id)."
LangString DATA_CONFIRM ${LANG_SIMPCHINESE} "确定要永久删除 $LOCALAPPDATA\${DATA_DIR_NAME} 中的全部草稿和数据，以及签名密钥吗？$\r$\n$\r$\n此操作无法撤销。"
LangString DATA_CONFIRM ${LANG_ENGLISH} "Permanently delete every draft and all data in $LOCALAPPDATA\${DATA_DIR_NAME}, and the signing key?$\r$\n$\r$\nThis cannot be undone."

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "GiantDesk"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${COMPANY}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${COPYRIGHT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "GiantDesk ${VERSION} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "GiantDesk"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${COMPANY}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${COPYRIGHT}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "GiantDesk ${VERSION} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"

; ------------------------------------------------------------------------------------------
; A running GiantDesk (window or command line) holds its program files: close it first.

!macro APP_FUNCTIONS UN
; $R0 = 1 when a program in $INSTDIR is running: Windows refuses to open a running program's
; file for writing (this checks exactly our installation, not a GiantDesk elsewhere).
Function ${UN}AppRunning
  StrCpy $R0 0
  ${If} ${FileExists} "$INSTDIR\${GUI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${GUI_EXE}" a
    ${If} ${Errors}
      StrCpy $R0 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${CLI_EXE}" a
    ${If} ${Errors}
      StrCpy $R0 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
FunctionEnd

; $R1 = 1 when nothing of ours runs any more (asked first; silent mode closes without asking),
; 0 when the user cancelled.
Function ${UN}CloseApp
  StrCpy $R1 1
  Call ${UN}AppRunning
  ${If} $R0 == 0
    Return
  ${EndIf}
  MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(MSG_RUNNING)" /SD IDOK IDOK close
  StrCpy $R1 0
  Return
  close:
  ; Ask the windows to close (as the user would), then insist after about 5 seconds.
  nsExec::Exec 'taskkill /IM "${GUI_EXE}"'
  Pop $0
  StrCpy $R2 0
  ${Do}
    Sleep 500
    IntOp $R2 $R2 + 1
    ${If} $R2 == 10
      nsExec::Exec 'taskkill /F /IM "${GUI_EXE}"'
      Pop $0
      nsExec::Exec 'taskkill /F /IM "${CLI_EXE}"'
      Pop $0
    ${EndIf}
    Call ${UN}AppRunning
    ${If} $R0 == 0
      Return
    ${EndIf}
    ${If} $R2 >= 20
      MessageBox MB_RETRYCANCEL|MB_ICONSTOP "$(MSG_STILL_RUNNING)" /SD IDCANCEL IDRETRY retry
      StrCpy $R1 0
      Return
      retry:
      StrCpy $R2 0
    ${EndIf}
  ${Loop}
FunctionEnd

; In a section there is no page to go back to: cancelling ends the setup (exit code 2).
Function ${UN}CloseAppOrQuit
  Call ${UN}CloseApp
  ${If} $R1 == 0
    SetErrorLevel 2
    Quit
  ${EndIf}
FunctionEnd
!macroend
!insertmacro APP_FUNCTIONS ""
!insertmacro APP_FUNCTIONS "un."

; ------------------------------------------------------------------------------------------
; Installer

Section "$(SEC_APP)" SecApp
  SectionIn RO
  Call CloseAppOrQuit
  SetOutPath "$INSTDIR"
  ; Upgrade in place: the previous version's program files go first. (The user's data is not
  ; here but in $LOCALAPPDATA\${DATA_DIR_NAME}.)
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${PKG}"
  File /r "${DIST_DIR}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${GUI_EXE}"
  Delete "$DESKTOP\${SHORTCUT}"  ; made again below when chosen
  ; Add/Remove Programs, for this user
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "GiantDesk"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${COMPANY}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SEC_DESKTOP)" SecDesktop
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${GUI_EXE}"
SectionEnd

Function .onInit
  ; one setup at a time
  System::Call 'kernel32::CreateMutex(p 0, i 0, t "GiantDeskSetup") p .r1 ?e'
  Pop $R0
  ${If} $R0 == 183  ; ERROR_ALREADY_EXISTS
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(MSG_SETUP_RUNNING)" /SD IDOK
    Abort
  ${EndIf}
  !insertmacro MUI_LANGDLL_DISPLAY
  ; An upgrade keeps the earlier choice about the desktop shortcut; /NODESKTOP leaves it out.
  ClearErrors
  ReadRegStr $0 HKCU "${UNINST_KEY}" "InstallLocation"
  ${IfNot} ${Errors}
  ${AndIfNot} ${FileExists} "$DESKTOP\${SHORTCUT}"
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/NODESKTOP" $1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}
FunctionEnd

Function ComponentsLeave
  Call CloseApp
  ${If} $R1 == 0
    Abort  ; stay on this page
  ${EndIf}
FunctionEnd

; ------------------------------------------------------------------------------------------
; Uninstaller

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
  StrCpy $DeleteData 0
  ${un.GetParameters} $0
  ClearErrors
  ${un.GetOptions} $0 "/DELETEDATA" $1  ; silent uninstall that also deletes the data
  ${IfNot} ${Errors}
    StrCpy $DeleteData 1
  ${EndIf}
FunctionEnd

Function un.ConfirmLeave
  Call un.CloseApp
  ${If} $R1 == 0
    Abort
  ${EndIf}
FunctionEnd

Function un.DataPageCreate
  !insertmacro MUI_HEADER_TEXT "$(DATA_TITLE)" "$(DATA_SUBTITLE)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 48u "$(DATA_TEXT)"
  Pop $0
  ${NSD_CreateCheckbox} 0 56u 100% 20u "$(DATA_CHECK)"
  Pop $DataCheckbox
  ${If} $DeleteData == 1
    ${NSD_Check} $DataCheckbox
  ${EndIf}
  ${NSD_CreateLabel} 12u 80u -12u 32u "$(DATA_WARN)"
  Pop $0
  SetCtlColors $0 0xA00000 transparent
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DataCheckbox $0
  StrCpy $DeleteData 0
  ${If} $0 == ${BST_CHECKED}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(DATA_CONFIRM)" IDYES confirmed
    Abort  ; not confirmed: stay on the page
    confirmed:
    StrCpy $DeleteData 1
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.CloseAppOrQuit
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${PKG}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"  ; only when empty: never files the user put there
  ${If} $DeleteData == 1
    RMDir /r "$LOCALAPPDATA\${DATA_DIR_NAME}"
    DeleteRegKey HKCU "${SETTINGS_KEY}"
    ; keyring's Windows backend keeps the key as a generic credential named after the service,
    ; or "user@service" when another user name took the plain name first (CRED_TYPE_GENERIC = 1)
    System::Call 'advapi32::CredDeleteW(w "${CRED_SERVICE}", i 1, i 0) i .r0'
    System::Call 'advapi32::CredDeleteW(w "${CRED_USER}@${CRED_SERVICE}", i 1, i 0) i .r0'
  ${EndIf}
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd
