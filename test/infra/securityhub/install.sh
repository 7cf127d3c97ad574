#!/usr/bin/env bash
# Installs moto (AWS service mock, includes Security Hub) into a venv under $PEREGRINE_IT_CACHE.
# Idempotent: a second run with the pinned version present does nothing and touches no network.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=securityhub

MOTO_VERSION=5.2.5   # moto[server] >= 5.1.14 (BatchImportFindings/GetFindings); pinned exactly
PYARROW_VERSION=21.0.0   # an independent Parquet reader for the aws.securitylake test (read-parquet.py)
venv="$PEREGRINE_IT_CACHE/securityhub/venv-moto-$MOTO_VERSION"
logfile="$PEREGRINE_IT_CACHE/securityhub/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/securityhub"

# moto's CloudWatch Logs answer, made to match AWS's documentation (patch-moto.py says how).
patch_moto() {
  local site
  site="$("$venv/bin/python" -c 'import moto, os; print(os.path.dirname(os.path.dirname(moto.__file__)))')" \
    && "$venv/bin/python" "$(dirname "${BASH_SOURCE[0]}")/patch-moto.py" "$site" >>"$logfile" 2>&1 \
    || fail install "patching moto's PutLogEvents answer failed" "$logfile"
}

# pyarrow in the same venv: the aws.securitylake test reads its Parquet objects back with it.
# Installed apart from moto so an existing venv gains it without being rebuilt.
ensure_pyarrow() {
  "$venv/bin/python" -c "import pyarrow, sys; sys.exit(pyarrow.__version__ != '$PYARROW_VERSION')" >/dev/null 2>&1 && return 0
  log "installing pyarrow==$PYARROW_VERSION into $venv"
  "$venv/bin/pip" install --disable-pip-version-check -q "pyarrow==$PYARROW_VERSION" >>"$logfile" 2>&1 \
    || fail install "pip install pyarrow==$PYARROW_VERSION failed" "$logfile"
}

if [ -x "$venv/bin/moto_server" ] && [ -f "$venv/.complete" ]; then
  patch_moto
  ensure_pyarrow
  log "moto $MOTO_VERSION already installed ($venv)"
  exit 0
fi

: >"$logfile"
command -v python3 >/dev/null 2>&1 || fail install "python3 is not installed" ""
# Debian's python3 needs python3-venv (ensurepip) for `python3 -m venv`.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  log "installing python3-venv (apt)"
  { apt_get install -y python3-venv || { apt_get update && apt_get install -y python3-venv; }; } >>"$logfile" 2>&1 \
    || fail install "apt-get install python3-venv failed" "$logfile"
fi

log "creating venv $venv with moto[server]==$MOTO_VERSION"
rm -rf "$venv"
python3 -m venv "$venv" >>"$logfile" 2>&1 || fail install "python3 -m venv failed" "$logfile"
"$venv/bin/pip" install --disable-pip-version-check -q "moto[server]==$MOTO_VERSION" >>"$logfile" 2>&1 \
  || fail install "pip install moto[server]==$MOTO_VERSION failed" "$logfile"
[ -x "$venv/bin/moto_server" ] || fail install "moto_server missing from $venv/bin" "$logfile"
patch_moto
ensure_pyarrow
touch "$venv/.complete"
log "installed moto $MOTO_VERSION"
