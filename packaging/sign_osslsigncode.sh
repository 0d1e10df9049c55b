#!/usr/bin/env bash
# A SIGN_CMD for Linux: Authenticode-sign one Windows program in place with osslsigncode (which
# writes to a new file). The certificate and its password come from the environment:
#   SIGN_CMD='packaging/sign_osslsigncode.sh "%1"' SIGN_PKCS12=cert.pfx \
#   SIGN_PASSWORD_FILE=cert.pass [SIGN_TIMESTAMP_URL=http://…] make installer
set -euo pipefail
file="$1"
args=(sign -pkcs12 "${SIGN_PKCS12:?set SIGN_PKCS12 to the .pfx certificate}" -h sha256 -n GiantDesk)
[ -n "${SIGN_PASSWORD_FILE:-}" ] && args+=(-readpass "$SIGN_PASSWORD_FILE")
[ -n "${SIGN_TIMESTAMP_URL:-}" ] && args+=(-ts "$SIGN_TIMESTAMP_URL")
osslsigncode "${args[@]}" -in "$file" -out "$file.signed" >/dev/null
mv -f "$file.signed" "$file"
