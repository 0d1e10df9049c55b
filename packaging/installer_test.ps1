# Silent install, upgrade in place and uninstall of dist\GiantDesk-<version>-setup.exe (the
# Windows workflow runs it after `python packaging/installer.py`). Checks what a clerk would see:
# the program under %LOCALAPPDATA%\Programs\GiantDesk, the Start-menu shortcut, the Add/Remove
# Programs entry; an upgrade closes the running window; uninstalling keeps the drafts and the
# signing key unless /DELETEDATA (the "also delete my data" box) is given.
# Usage: pwsh packaging/installer_test.ps1 [-Setup dist\GiantDesk-0.1.0-setup.exe]
param([string]$Setup = "")
$ErrorActionPreference = "Stop"
[Console]::OutputEncoding = [Text.UTF8Encoding]::new()

if (-not $Setup) { $Setup = (Get-ChildItem "dist\GiantDesk-*-setup.exe" | Select-Object -First 1).FullName }
$programs = Join-Path $env:LOCALAPPDATA "Programs\GiantDesk"
$data = Join-Path $env:LOCALAPPDATA "GiantDesk"
$uninstKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\GiantDesk"
$shortcut = Join-Path ([Environment]::GetFolderPath("Programs")) "GiantDesk.lnk"
$desktop = Join-Path ([Environment]::GetFolderPath("Desktop")) "GiantDesk.lnk"
$samples = Join-Path $programs "_internal\resources\samples"
Remove-Item Env:GIANTDESK_HOME -ErrorAction SilentlyContinue  # the real per-user data folder

function Expect([bool]$ok, [string]$what) {
    if (-not $ok) { throw "installer test failed: $what" }
    Write-Host "ok: $what"
}

function Run([string]$file, [string[]]$arguments) {
    # Start-Process -Wait also waits for the uninstaller's copy of itself in %TEMP%.
    $p = Start-Process -FilePath $file -ArgumentList $arguments -Wait -PassThru
    return $p.ExitCode
}

function Wait-Gone([string]$path) {
    foreach ($i in 1..60) { if (-not (Test-Path $path)) { return $true }; Start-Sleep -Milliseconds 500 }
    return $false
}

function Has-Key {
    # keyring's Windows backend: a generic credential named after the service ("giantdesk")
    return [bool](cmdkey /list | Select-String -SimpleMatch "target=giantdesk")
}

$version = ((Get-Item $Setup).Name -replace '^GiantDesk-(.+)-setup\.exe$', '$1')
Expect ((Run $Setup @("/S")) -eq 0) "silent install of $((Get-Item $Setup).Name)"
Expect (Test-Path "$programs\GiantDesk.exe") "program in $programs"
Expect ((Test-Path $shortcut) -and (Test-Path $desktop)) "Start-menu and desktop shortcuts"
$entry = Get-ItemProperty $uninstKey
Expect (($entry.DisplayVersion -eq $version) -and ($entry.InstallLocation -eq $programs)) `
    "Add/Remove Programs entry (HKCU): $($entry.DisplayName) $($entry.DisplayVersion)"
$out = & "$programs\GiantDesk.com" --version | Out-String
Expect ($out.Trim() -eq "giantdesk $version") "installed console program: $($out.Trim())"
$p = Start-Process -FilePath "$programs\GiantDesk.exe" -ArgumentList "--self-test" -Wait -PassThru
Expect ($p.ExitCode -eq 0) "installed window program --self-test"

# A draft and a signing key of this user (export creates the key in Credential Manager).
& "$programs\GiantDesk.com" drafts import "$samples\annex2-pass.json" | Out-Null
& "$programs\GiantDesk.com" export "$samples\annex1-pass.json" --out (Join-Path $env:TEMP "gd-export") | Out-Null
Expect ($LASTEXITCODE -eq 0) "export signed with the user's key"
Expect (Has-Key) "signing key in Credential Manager"

# Upgrade in place while the window is open: the setup closes it first.
$running = Start-Process -FilePath "$programs\GiantDesk.exe" -PassThru
Start-Sleep -Seconds 5
Expect ((Run $Setup @("/S")) -eq 0) "silent upgrade with the window open"
Expect ($running.HasExited) "the running window was closed by the setup"
$entries = Get-ItemProperty "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*" `
    -ErrorAction SilentlyContinue | Where-Object DisplayName -eq "GiantDesk"
Expect (@($entries).Count -eq 1) "still one Add/Remove Programs entry"

# Uninstall keeps the data and the key ...
Expect ((Run "$programs\uninstall.exe" @("/S")) -eq 0) "silent uninstall"
Expect (Wait-Gone "$programs\GiantDesk.exe") "program removed"
Expect (Wait-Gone $uninstKey) "Add/Remove Programs entry removed (the uninstaller's last step)"
Expect (-not (Test-Path $shortcut) -and -not (Test-Path $desktop)) "shortcuts removed"
Expect (Test-Path (Join-Path $data "giantdesk.sqlite3")) "drafts kept in $data"
Expect (Has-Key) "signing key kept"

# ... unless the user asks: reinstall, then uninstall with the data.
Expect ((Run $Setup @("/S", "/NODESKTOP")) -eq 0) "reinstall without a desktop shortcut"
Expect (-not (Test-Path $desktop)) "/NODESKTOP leaves the desktop alone"
$out = & "$programs\GiantDesk.com" drafts list | Out-String
Expect ($LASTEXITCODE -eq 0) "the kept drafts open after reinstalling"
Expect ((Run "$programs\uninstall.exe" @("/S", "/DELETEDATA")) -eq 0) "silent uninstall with /DELETEDATA"
Expect (Wait-Gone $uninstKey) "uninstalled"
Expect (-not (Test-Path $data)) "data folder deleted"
Expect (-not (Has-Key)) "signing key deleted"
Expect (-not (Test-Path "HKCU:\Software\GiantDesk")) "settings deleted"
Write-Host "installer test passed: $Setup"
