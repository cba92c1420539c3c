"""A real browser: Debian's Chromium driven by Playwright, all outside network blocked.

- every report page opens from disk with every chart drawn, no page error, no request leaving
  the machine, and the injection canary inert;
- JupyterLab on 127.0.0.1 runs an analysis notebook, charts render offline, and changing a
  widget changes what is shown.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
ROOT = Path(__file__).resolve().parents[1]

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it; say so loudly elsewhere
    pytest.fail(f"Debian chromium not found at {CHROMIUM}: `apt-get install chromium` (see .ci/run)", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Guard:
    """Blocks and records every request that would leave this machine."""

    def __init__(self, page):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")) or url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


def test_report_pages_open_offline_with_charts_drawn(browser, canary_run):
    rundir, runs = canary_run
    pages = [rundir / "index.html"] + [rundir / f"{Path(r.notebook).stem}.html" for r in runs]
    for path in pages:
        page = browser.new_page()
        guard = Guard(page)
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        assert guard.errors == [], (path.name, guard.errors)
        assert guard.blocked == [], (path.name, guard.blocked)
        assert page.evaluate("window.__pwned") is None, path.name
        if path.name != "index.html":
            charts = page.locator("div.chart > svg")
            n = charts.count()
            assert n >= 1, f"{path.name}: no chart drawn"
            for i in range(n):
                marks = charts.nth(i).locator("path, rect, circle, line, text").count()
                box = charts.nth(i).bounding_box()
                assert marks > 5 and box and box["width"] > 50 and box["height"] > 50, (path.name, i)
        page.close()


def test_index_links_every_page(browser, canary_run):
    rundir, runs = canary_run
    page = browser.new_page()
    Guard(page)
    page.goto((rundir / "index.html").resolve().as_uri())
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    for r in runs:
        assert f"{Path(r.notebook).stem}.html" in hrefs
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a copy of the notebooks, charts in interactive mode."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    os.symlink(ROOT / "data", work / "data")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSLENS_CHARTS"}
    env["JUPYTER_CONFIG_DIR"] = str(work / ".jupyter")
    # Render every cell (no virtual scrolling, so widgets stay in the page) and fetch no news.
    settings = work / "lab-settings"
    for ext, name, body in [("@jupyterlab/notebook-extension", "tracker", '{"windowingMode": "none"}'),
                            ("@jupyterlab/apputils-extension", "notification", '{"fetchNews": "false"}')]:
        (settings / ext).mkdir(parents=True, exist_ok=True)
        (settings / ext / f"{name}.jupyterlab-settings").write_text(body)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
           "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={work / 'notebooks'}",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--allow-root"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + proc.stderr.read().decode()[-2000:])
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _analysis_notebook() -> str:
    for name in ["01_figures", "02_framing", "03_timeline", "04_sources"]:
        if (ROOT / "notebooks" / f"{name}.ipynb").exists():
            return f"{name}.ipynb"
    pytest.fail("no analysis notebook in notebooks/")


def test_jupyterlab_runs_a_notebook_and_a_widget_changes_the_output(browser, lab):
    name = _analysis_notebook()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    guard = Guard(page)
    page.goto(f"{lab}/lab/tree/{name}")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=120_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; return w && w.sessionContext && "
        "w.sessionContext.session && w.sessionContext.session.kernel && "
        "w.sessionContext.session.kernel.connectionStatus === 'connected'; }", timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; const k = w.sessionContext.session.kernel;"
        " const cells = w.content.widgets; return k.status === 'idle' && cells.length > 0 &&"
        " cells.filter(c => c.model.type === 'code').every(c => c.model.executionCount !== null); }",
        timeout=240_000)
    # Charts render offline (Vega draws an SVG or a canvas inside the output).
    page.wait_for_selector(".jp-OutputArea-output canvas, .jp-OutputArea-output .marks, .jp-OutputArea-output svg.marks",
                           timeout=60_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0 or "Error" not in errors.first.inner_text()
    control = page.locator(".jupyter-widgets select, .jupyter-widgets input[type='text'], "
                           ".widget-dropdown select, .widget-text input").first
    control.wait_for(timeout=60_000)
    control.scroll_into_view_if_needed()
    widget_area = control.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-child')][1]/..")
    before = widget_area.inner_text()
    if control.evaluate("el => el.tagName") == "SELECT":
        current = control.evaluate("el => el.selectedIndex")
        count = control.locator("option").count()
        assert count > 1, "the picker offers a choice"
        control.select_option(index=(current + 1) % count)
    else:
        control.fill("rebels")
        control.press("Enter")
    try:
        page.wait_for_function("([el, b]) => el.innerText !== b", arg=[widget_area.element_handle(), before],
                               timeout=30_000)
    except Exception:
        page.screenshot(path=str(Path(os.environ.get("NEWSLENS_BROWSER_SHOTS", "/tmp")) / "jupyterlab-widget.png"))
        raise
    assert widget_area.inner_text() != before
    assert guard.errors == []
    assert [u for u in guard.blocked if "127.0.0.1" not in u] == [], guard.blocked
    page.close()
