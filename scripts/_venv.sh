# Shared by scripts/quickstart and scripts/test (sourced, not run).
VENV="${TRIANGULATE_VENV:-.venv}"

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    # The pip that ships with a fresh Python 3.11 mis-resolves lxml[html_clean]; upgrade first.
    "$VENV/bin/python" -m pip install -q -U pip
}

have_browser() {
    # The names tests/app/cdp.py looks for.
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1
}

in_ci() {
    case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
        true|1|yes) return 0 ;;
        *) return 1 ;;
    esac
}

install_browser() {
    # Headless Chromium for the browser test. Returns 1 when none is there afterwards: the
    # caller decides whether that fails the run (CI) or only skips the test (a user's clone).
    if have_browser; then return 0; fi
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || echo "note: could not install chromium with apt-get" >&2
    fi
    have_browser
}
