# Smoke test of the frozen Windows app (after the PyInstaller build; the Windows workflow runs it):
# the console program works (forms, check, demo -> verify, drafts, backup), the window program's
# --self-test exits 0, a window killed while open leaves a store the next program opens, a
# stream of killed commands loses nothing, and the bundle is the lean one with its version
# resource. Usage: pwsh packaging/smoke_test.ps1 [-Dist dist\GiantDesk]
param([string]$Dist = "dist\GiantDesk")
$ErrorActionPreference = "Stop"
[Console]::OutputEncoding = [Text.UTF8Encoding]::new()  # the console program writes UTF-8

$Dist = (Resolve-Path $Dist).Path
$cli = Join-Path $Dist "GiantDesk.com"
$gui = Join-Path $Dist "GiantDesk.exe"
$samples = Join-Path $Dist "_internal\resources\samples"
$work = Join-Path ([IO.Path]::GetTempPath()) ("giantdesk-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory $work | Out-Null
$env:GIANTDESK_HOME = Join-Path $work "home"

function Cli {
    # Run the console program (its stderr goes to the log); fail on a non-zero exit code;
    # return its standard output as one string.
    $out = & $cli @args | Out-String
    if ($LASTEXITCODE -ne 0) { throw "giantdesk $args exited $LASTEXITCODE`n$out" }
    return $out
}

function Expect([bool]$ok, [string]$what) {
    if (-not $ok) { throw "smoke test failed: $what" }
    Write-Host "ok: $what"
}

function Gui-SelfTest {
    $p = Start-Process -FilePath $gui -ArgumentList "--self-test" -Wait -PassThru
    return $p.ExitCode
}

try {
    $version = (Cli --version).Trim()
    Expect ($version -match '^giantdesk \d') "console program: $version"
    Expect ((Cli forms) -match "annex2-batch1-review") "forms"
    Expect ((Cli check "$samples\annex1-pass.json" --format json) -match '"valid": true') "check"
    Expect ((Cli rules "$samples\annex1-pass.json" --format json) -match '"eligible": true') "rules"
    Cli demo --out "$work\out" | Out-Null
    $bundle = Get-ChildItem "$work\out\*.zip" | Select-Object -First 1
    Expect ((Cli verify $bundle.FullName --format json) -match '"valid": true') "demo -> verify"
    Expect ((Cli drafts import "$samples\annex2-pass.json").Trim() -eq "1") "drafts import"
    Expect ((Cli drafts set 1 contact.name 王丽娜) -match "saved") "drafts set (Chinese value)"
    Cli backup | Out-Null
    Expect ((Gui-SelfTest) -eq 0) "window program --self-test exit code"

    # Kill test 1: the window killed while open (no chance to clean up, the store's lock held).
    $p = Start-Process -FilePath $gui -PassThru
    Start-Sleep -Seconds 5
    Expect (-not $p.HasExited) "window program keeps running"
    Stop-Process -Id $p.Id -Force
    $p.WaitForExit()
    Expect ((Cli drafts show 1 --format json) -match "王丽娜") "store opens after the window was killed"
    Expect ((Gui-SelfTest) -eq 0) "window program starts again after being killed"

    # Kill test 2: commands killed at random moments. The value left is the last one reported
    # saved, or a later one whose command was killed after committing but before reporting.
    $savedIndex = 0
    foreach ($n in 1..12) {
        $log = Join-Path $work "set-$n.txt"
        $p = Start-Process -FilePath $cli -ArgumentList "drafts", "set", "1", "contact.name", "值$n" `
            -RedirectStandardOutput $log -NoNewWindow -PassThru
        Start-Sleep -Milliseconds (Get-Random -Minimum 50 -Maximum 900)
        if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force }
        $p.WaitForExit()
        if ((Get-Content $log -Raw -Encoding utf8 -ErrorAction SilentlyContinue) -match "saved") {
            $savedIndex = $n
        }
    }
    $now = Cli drafts show 1 --format json
    $left = if ($now -match "值(\d+)") { [int]$Matches[1] } else { 0 }
    Expect (($left -ge $savedIndex) -and ($left -gt 0 -or $now -match "王丽娜")) `
        "nothing saved was lost in 12 killed commands (last reported saved: $savedIndex, found: $left)"
    Expect ((Cli drafts set 1 contact.name 结束) -match "saved") "store writable after the kills"

    # The lean bundle and its version resource.
    $internal = Join-Path $Dist "_internal"
    Expect (@(Get-ChildItem $Dist -Filter *.pkg).Count -eq 1) "one archive for both programs"
    $qm = @(Get-ChildItem $internal -Recurse -Filter *.qm | ForEach-Object Name)
    Expect (($qm.Count -eq 1) -and ($qm[0] -eq "qtbase_zh_CN.qm")) "only Qt's Chinese translation"
    $leftOut = @(Get-ChildItem $internal -Recurse -Include opengl32sw.dll, Qt6Network.dll, Qt6Svg.dll, qgtk3*, *wayland*)
    Expect ($leftOut.Count -eq 0) "left out: opengl32sw, QtNetwork, QtSvg ($($leftOut -join ', '))"
    $number = ($version -split ' ')[1]
    foreach ($program in $gui, $cli) {
        $info = (Get-Item $program).VersionInfo
        Expect (($info.ProductVersion -eq $number) -and ($info.ProductName -eq "GiantDesk")) `
            "version resource of $(Split-Path $program -Leaf): $($info.ProductVersion), $($info.FileDescription)"
    }
    $size = (Get-ChildItem $Dist -Recurse -File | Measure-Object Length -Sum)
    Write-Host ("smoke test passed: {0} ({1:N0} MB, {2} files)" -f $Dist, ($size.Sum / 1MB), $size.Count)
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
