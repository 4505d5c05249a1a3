"""Fixtures of the real-browser tests: staff in the migrated database of the current backend,
a gunicorn server on a free local port, and Debian's Chromium driven by Playwright.

`playwright install` cannot download browsers here, so Chromium is /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from notary.core.permissions import Role
from notary.extensions import db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# One folder of page screenshots per run (git-ignored), or the folder E2E_SCREENSHOTS names.
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
RUN = time.strftime("%Y%m%d-%H%M%S")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# The server verifies hashes made with this cheap method (werkzeug reads it from the hash);
# the server's own config uses it too, so anything it hashes stays cheap.
CHEAP_HASH = "pbkdf2:sha256:1000"
STARTUP_SECONDS = 20


@pytest.fixture
def staff(app: Flask) -> dict[str, dict[str, Any]]:
    """A front-desk clerk, a notary and the director, committed before the server starts."""
    from tests.factories import PASSWORD, create_staff

    people = {
        "desk": create_staff(Role.FRONT_DESK, full_name="刘晓燕"),
        "notary": create_staff(Role.NOTARY, full_name="谢文慧"),
        "director": create_staff(Role.DIRECTOR, full_name="王建国"),
    }
    out = {key: {"id": u.id, "username": u.username, "full_name": u.full_name,
                 "password": PASSWORD} for key, u in people.items()}
    db.session.commit()
    # Give the connection back: on SQLite the server opens the same file, and nothing of
    # this process may hold a transaction (and its lock) while the server writes.
    db.session.remove()
    return out


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server by its own PID: SIGTERM, then SIGKILL after 5 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def artifacts(backend: dict[str, Any]) -> Path:
    """test-artifacts/e2e/<backend>/, emptied for this run (the folder is git-ignored)."""
    folder = ARTIFACTS / backend["name"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def server_settings() -> str:
    """Extra lines for the server's instance/config.py (a story overrides this fixture)."""
    return ""


@pytest.fixture
def live_server(backend: dict[str, Any], staff: dict[str, dict[str, Any]], tmp_path: Path,
                artifacts: Path, server_settings: str) -> Iterator[str]:
    """gunicorn serving the app on the current backend's database; yields the base URL."""
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(f'PASSWORD_HASH_METHOD = "{CHEAP_HASH}"\n'
                                        + server_settings)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": backend["url"], "SECRET_KEY": "test",
           "UPLOAD_FOLDER": str(tmp_path / "uploads"), "NOTARY_INSTANCE_PATH": str(instance)}
    env.pop("NOTARY_ALLOW_DEV_SECRET", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_path = artifacts / "gunicorn.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "--no-control-socket", "--access-logfile", "-", "notary:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base_url}/login"):
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                pytest.fail(f"gunicorn did not answer on {base_url} (exit {proc.returncode}):\n"
                            + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        yield base_url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, shared by the tests of the session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium "
                    "fonts-wqy-zenhei")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- The checks every story runs on every page it visits ------------------------------------

DESKTOP: dict[str, int] = {"width": 1366, "height": 768}
# The narrower laptop screen the layout must hold at as well (checked at every look).
LAPTOP: dict[str, int] = {"width": 1280, "height": 800}

# Where the page is measured: the width of the document against the window, the main menu's
# entries (one line: every entry starts at the same height and none breaks inside), and every
# text that the layout squeezed to one character per line (a table column too narrow to read).
_LAYOUT_JS = """() => {
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth,
               menuTops: [], brokenMenu: [], squeezed: []};
  for (const item of document.querySelectorAll('nav .navbar-nav > .nav-item')) {
    if (item.offsetParent === null) continue;  // the collapsed menu of a narrow screen
    out.menuTops.push(Math.round(item.getBoundingClientRect().top));
    const link = item.querySelector('.nav-link');
    const texts = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) out.brokenMenu.push(node.textContent.trim());
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, '');
    const parent = node.parentElement;
    if (text.length < 2 || !parent || parent.offsetParent === null) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                          .map(r => Math.round(r.top)));
    if (lines.size < text.length) continue;
    // Every character on a line of its own: squeezed if the box holding the text is narrower
    // than two characters (a word merely wrapping at the end of a wide line is not).
    let box = parent;
    while (box.parentElement && getComputedStyle(box).display === 'inline') box = box.parentElement;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (box.getBoundingClientRect().width < 2.5 * size) out.squeezed.push(text.slice(0, 40));
  }
  return out;
}"""


# Where the page's words are read: every visible text of the interface, in the language of the
# page (<html lang>). Content is left out: what a template marks as content (`data-content`:
# names, addresses, document and certificate text, legal citations; `lang` other than the
# page's), what people typed (form fields, <pre>, <code>) and the text of scripts.
# In Chinese an English word anywhere is untranslated; in English Chinese characters in the
# interface's own elements (menu, headings, labels, buttons, table headers, badges, alerts,
# help text, table cells) are, except a Chinese term in parentheses after its English
# ("Confidential file (密卷)").
# In both a lowercase snake_case word is a raw code shown instead of its label.
_WORDS_JS = """() => {
  const lang = (document.documentElement.lang || 'zh-CN').toLowerCase();
  const english = lang.startsWith('en');
  const out = {lang: lang, english: [], chinese: [], codes: []};
  // The interface's own words on an English page, a table's cells among them (a cell's
  // name, address or document text is content, marked so by its template); a paragraph's
  // text holds names and document text in Chinese too often to be read as interface.
  const INTERFACE = 'nav, h1, h2, h3, h4, h5, h6, label, legend, button, .btn, th, td, dt, '
                  + '.badge, .alert, .form-text, .invalid-feedback, .nav-link, option, title';
  const skip = 'script, style, noscript, template, pre, code, textarea, [data-content], '
             + '[data-content] *, [lang]:not(html)';
  // Names a setting or a command has in every language: addresses, paths and file names,
  // CONFIG_KEYS (and the value given to one), the make targets of the README, and what an
  // example quotes (“ji”: the Pinyin a person types).
  const technical = t => t.replace(/https?:\\/\\/\\S*|\\S*[\\/.]\\S+/g, ' ')
    .replace(/\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:\\s*=\\s*\\w+)?/g, ' ')
    .replace(/\\bmake [a-z-]+/g, ' ').replace(/\u201c[^\u201d]*\u201d/g, ' ');
  // What stays Chinese in any language: a legal citation (公证法 art. 30, 民法典 arts.
  // 1127-1130) and an official number ((2026)耒证受字第00001号).
  const legal = t => t
    .replace(/\\p{sc=Han}+(?:法典?|条例|规则|办法|规定)\\s+arts?\\.\\s*[-\\d\\u2013, ]+/gu, ' ')
    .replace(/[(\\uff08]\\d{4}[)\\uff09][\\u3400-\\u9fff]+字第\\d+号/g, ' ');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (!text || !parent || parent.closest(skip)) continue;
    if (parent.closest('select') ? false : parent.offsetParent === null
        && getComputedStyle(parent).position !== 'fixed') continue;
    const [...codes] = text.matchAll(/(?<![\\w.\\/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\\w.\\/-])/g);
    for (const m of codes) out.codes.push(m[0] + ' in "' + text.slice(0, 60) + '"');
    if (english) {
      if (!parent.closest(INTERFACE)) continue;
      const bare = legal(text).replace(/[(\\uff08][^()\\uff08\\uff09]*[)\\uff09]/g, '');
      if (/[\\u3400-\\u9fff]/.test(bare)) out.chinese.push(text.slice(0, 80));
    } else {
      for (const m of technical(text).matchAll(/[A-Za-z]{2,}/g)) {
        if (ALLOWED.has(m[0])) continue;
        out.english.push(m[0] + ' in "' + text.slice(0, 60) + '"');
      }
    }
  }
  // Placeholders and titles a reader sees are interface text too.
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (el.closest(skip) || el.offsetParent === null) continue;
    for (const attr of ['placeholder', 'title', 'aria-label']) {
      const text = (el.getAttribute(attr) || '').trim();
      if (!text) continue;
      if (english) {
        const bare = legal(text).replace(/[(\\uff08][^()\\uff08\\uff09]*[)\\uff09]/g, '');
        if (/[\\u3400-\\u9fff]/.test(bare)) out.chinese.push(attr + ': ' + text.slice(0, 80));
      } else {
        for (const m of technical(text).matchAll(/[A-Za-z]{2,}/g)) {
          if (ALLOWED.has(m[0])) continue;
          out.english.push(m[0] + ' in ' + attr + ' "' + text.slice(0, 60) + '"');
        }
      }
    }
  }
  return out;
}"""
# Latin words that are Chinese interface text too: abbreviations and names of formats.
_ALLOWED_LATIN = ("PDF", "Excel", "CSV", "JSON", "API", "ID", "QR", "URL", "OFD", "PNG",
                  "JPG", "JPEG", "XLSX", "DOCX", "SQL", "HTTP", "HTTPS", "IP", "PIN", "OK",
                  "Word", "UTC", "SHA", "CA", "Debian")
_WORDS_JS = _WORDS_JS.replace("ALLOWED", f"new Set({list(_ALLOWED_LATIN)})")


class PageChecks:
    """Watches a story's pages (console errors, failed requests, 4xx/5xx answers) and, at each
    `look`, checks the layout and writes a screenshot into this run's folder."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.n = 0
        self.problems: list[str] = []
        self.shots: list[Path] = []

    def file(self, name: str) -> Path:
        """A file of this story in the run's folder (a panel's screenshot, a rendered PDF)."""
        return self.folder / f"{self.prefix}-{name}"

    def watch(self, page: Any) -> Any:
        """Record what goes wrong on this page (and every page of its context) from now on."""
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        # net::ERR_ABORTED is the browser cancelling what a page still loaded when the person
        # clicked on to the next page: not a failure of the server.
        page.on("requestfailed", lambda r: self.problems.append(
            f"request failed: {r.method} {r.url} {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 else None)
        return page

    def look(self, page: Any, name: str, *, allow_status: tuple[int, ...] = ()) -> Path:
        """Screenshot the page and check it: no overflow, the menu on one line, nothing
        squeezed to a character per line, no console error, no failed request, no 4xx/5xx."""
        page.wait_for_load_state("load")
        self.n += 1
        path = self.folder / f"{self.prefix}-{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        layout = page.evaluate(_LAYOUT_JS)
        problems = [p for p in self.problems
                    if not any(p.startswith(f"HTTP {s}:") for s in allow_status)
                    and not (allow_status and p.startswith("console error: Failed to load"))]
        self.problems.clear()
        where = f"{name} ({page.url}, screenshot {path})"
        assert not problems, f"{where}: {problems}"
        assert layout["scrollWidth"] <= layout["innerWidth"], (
            f"{where}: the page is {layout['scrollWidth']} px wide in a "
            f"{layout['innerWidth']} px window")
        assert len(set(layout["menuTops"])) <= 1 and not layout["brokenMenu"], (
            f"{where}: the main menu takes more than one line {layout}")
        assert not layout["squeezed"], f"{where}: one character per line: {layout['squeezed']}"
        words = page.evaluate(_WORDS_JS)
        assert not words["codes"], f"{where}: raw codes shown as text: {words['codes']}"
        assert not words["english"], (
            f"{where}: English words on a Chinese page: {words['english']}")
        assert not words["chinese"], (
            f"{where}: Chinese interface text on an English page: {words['chinese']}")
        self._narrow(page, where)
        return path

    def _narrow(self, page: Any, where: str) -> None:
        """The layout holds at 1280 px too: no overflow, the menu on one line."""
        size = page.viewport_size
        if not size or size["width"] <= LAPTOP["width"]:
            return  # a story on a small screen checks its own size only
        page.set_viewport_size(LAPTOP)
        try:
            layout = page.evaluate(_LAYOUT_JS)
        finally:
            page.set_viewport_size(size)
        assert layout["scrollWidth"] <= layout["innerWidth"], (
            f"{where}: at {LAPTOP['width']} px the page is {layout['scrollWidth']} px wide")
        assert len(set(layout["menuTops"])) <= 1 and not layout["brokenMenu"], (
            f"{where}: at {LAPTOP['width']} px the main menu takes more than one line {layout}")


@pytest.fixture
def checks(request: pytest.FixtureRequest, backend: dict[str, Any]) -> PageChecks:
    """The page checks of one story, its screenshots in this run's folder."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or SCREENSHOTS / RUN)
    folder.mkdir(parents=True, exist_ok=True)
    module = request.node.module
    story = module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    # A module of several stories numbers them, so that no screenshot overwrites another's.
    tests = sorted((f for name, f in vars(module).items()
                    if name.startswith("test_") and callable(f)),
                   key=lambda f: f.__code__.co_firstlineno)
    if len(tests) > 1:
        story += str(tests.index(request.function) + 1)
    return PageChecks(folder, f"{backend['name']}-{story}")


def open_signed_in(browser: Any, base_url: str, user: dict[str, Any], checks: PageChecks,
                   contexts: list[Any], viewport: dict[str, int] | None = None) -> Any:
    """A new browser window signed in through the sign-in page, typing as a person does."""
    from playwright.sync_api import expect

    context = browser.new_context(base_url=base_url, viewport=viewport or DESKTOP,
                                  locale="zh-CN")
    contexts.append(context)
    context.set_default_timeout(10_000)
    page = checks.watch(context.new_page())
    page.goto("/login")
    checks.look(page, "sign-in")
    page.get_by_label("用户名").fill(user["username"])
    page.get_by_label("密码").fill(user["password"])
    page.get_by_role("button", name="登录").click()
    expect(page.locator("nav .navbar-text")).to_contain_text(user["full_name"])
    checks.look(page, f"signed-in-{user['username']}")
    return page
