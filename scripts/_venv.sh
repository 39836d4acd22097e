# Shared by scripts/quickstart and scripts/test (sourced, not run).
VENV="${TRIANGULATE_VENV:-.venv}"

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    # The pip that ships with a fresh Python 3.11 mis-resolves lxml[html_clean]; upgrade first.
    "$VENV/bin/python" -m pip install -q -U pip
}

install_browser() {
    # Headless Chromium for the browser test; the test skips with a message when it is absent.
    if command -v chromium >/dev/null 2>&1; then return 0; fi
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || echo "note: could not install chromium; the browser test will be skipped"
    fi
}
