"""The app's own inputs in the real app: values of a shared link, and the names in an
uploaded file, are shown as text that never becomes a link or an image (issue 22)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page

from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser

# Each link carries several hostile values (one per key), so that one page load checks
# them all: http://, https://, www., mailto:, a bare address, Markdown image and link
# syntax and an autolink in angle brackets, in the view's keys and in lang, year and theme.
LINKS = [
    {
        "sex": "https://evil.example/login",
        "dest": "RU,www.evil.example",
        "lang": "https://evil.example/ky",
        "year": "www.evil.example",
        "theme": "boss@evil.example",
    },
    {
        "basis": "![x](http://evil.example/x.png)",
        "direction": "mailto:boss@evil.example",
        "palette": "[login](https://evil.example/login)",
        "period": "<https://evil.example>",
        "border": "WWW.EVIL.EXAMPLE",
    },
]

# Every link on the app's page and in its map frame that leads out of the app.
OUTSIDE_LINKS = """(origin) => {
    const docs = [document];
    for (const f of document.querySelectorAll("iframe")) {
        try { if (f.contentDocument) docs.push(f.contentDocument); } catch (e) {}
    }
    const out = [];
    for (const d of docs) {
        for (const a of d.querySelectorAll("a[href]")) {
            const href = a.getAttribute("href");
            let target;
            try { target = new URL(href, location.href); } catch (e) { continue; }
            if (target.origin !== origin && target.protocol !== "javascript:") out.push(href);
        }
    }
    return out;
}"""


def outside_links(page: Page, origin: str) -> list[str]:
    """Return the hrefs of the page (and its frames) that lead out of the app, but the
    map's attribution (the Leaflet and data credits it always carries)."""
    found: list[str] = page.evaluate(OUTSIDE_LINKS, origin)
    return [href for href in found if "evil" in href or "@" in href]


def requests_out(page: Page, origin: str) -> list[str]:
    """Start recording every request the page makes to anywhere but the app; return the
    list it fills."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith((origin, "data:", "blob:", "about:")) else seen.append(r.url)
        ),
    )
    return seen


@pytest.mark.parametrize("query", LINKS, ids=["view-lang-year-theme", "markdown-mailto"])
def test_hostile_link_values_are_plain_text(
    app_page: OfflinePage, streamlit_url: str, query: dict[str, str]
) -> None:
    page = app_page.page
    seen = requests_out(page, streamlit_url)
    page.goto(f"{streamlit_url}/?{urlencode(query)}")
    warnings = page.locator("[data-testid=stAlertContentWarning]")
    warnings.nth(len(query) - 1).wait_for(timeout=60_000)
    page.frame_locator("iframe[title]").first.locator("html[data-flowmap-ready='1']").wait_for(
        state="attached", timeout=60_000
    )
    shown = "\n".join(warnings.all_inner_texts()).replace("\u2060", "")
    for key, value in query.items():
        bad = value.split(",")[-1] if key == "dest" else value
        assert f"{key}={bad.upper() if key == 'dest' else bad}" in shown
    assert outside_links(page, streamlit_url) == []
    assert (
        page.locator(
            "[data-testid=stAlertContentWarning] a, [data-testid=stAlertContentWarning] img"
        ).count()
        == 0
    )
    assert seen == []
    assert app_page.blocked == []
    assert app_page.errors == []


def test_hostile_names_in_an_upload_are_plain_text(
    app_page: OfflinePage, streamlit_url: str, tmp_path: Path
) -> None:
    """A file named like an address, with a URL and Markdown for column names and place
    ids, is refused or described in messages that hold no link."""
    upload = tmp_path / "boss@www.evil.example.csv"
    upload.write_text(
        "origin,dest,count,https://evil.example/note\n"
        "www.evil.example,![i](http://evil.example/i.png),12,x\n"
        "KG,RU,7,[x](http://evil.example/d)\n"
        "mailto:a@evil.example,b@evil.example,3,y\n",
        encoding="utf-8",
    )
    page = app_page.page
    seen = requests_out(page, streamlit_url)
    page.goto(streamlit_url)
    page.locator("iframe[title]").first.wait_for(timeout=60_000)
    page.get_by_text("Your data").first.click()
    page.get_by_text("Drop a file to start").wait_for(timeout=60_000)
    page.locator("input[type=file][accept*='.csv']").set_input_files(str(upload))
    # The file's name comes back in what the page says of it (read, or refused).
    page.wait_for_function(
        """() => {
            const main = document.querySelector("[data-testid=stMain]");
            const text = main ? main.innerText.replaceAll("\\u2060", "") : "";
            return text.includes("boss@www.evil.example.csv") &&
                document.querySelector("[data-testid=stApp]")
                    .getAttribute("data-test-script-state") === "notRunning";
        }""",
        timeout=60_000,
    )
    page.screenshot(path=str(tmp_path / "upload.png"))
    assert outside_links(page, streamlit_url) == []
    assert seen == []
    assert app_page.blocked == []
