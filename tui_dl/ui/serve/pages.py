"""The plain pages the workshop server answers with instead of the app, and the few lines it
adds to textual-serve's page so a closed seat says why."""

from __future__ import annotations

import html

from aiohttp import web

STYLE = (
    "body{background:#0c181f;color:#e8eef2;font:18px/1.5 'Roboto Mono',Menlo,monospace;"
    "display:flex;align-items:center;justify-content:center;height:100vh;margin:0}"
    "main{max-width:40em;padding:2em;background:#12232d}h1{font-size:1.3em}"
)


def page(title: str, lines: list[str], status: int) -> web.Response:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    text = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><main><h1>{html.escape(title)}</h1>{body}"
        "</main></body></html>"
    )
    return web.Response(text=text, status=status, content_type="text/html")


def refused(wrong: bool) -> web.Response:
    first = (
        "That link's token is not this workshop's."
        if wrong
        else "This workshop needs the link with its token."
    )
    return page(
        "tui-dl: not without the workshop's link",
        [first, "Ask the instructor for the link: it ends in ?token=…"],
        403,
    )


def foreign_origin() -> web.Response:
    return page(
        "tui-dl: not from another site",
        [
            "This request came from a page of another site, not from the workshop's own page.",
            "Open the workshop's link itself (it ends in ?token=…).",
        ],
        403,
    )


def bad_host() -> web.Response:
    return page(
        "tui-dl: not at that address",
        [
            "The address this page was asked for is not a plain host name and port.",
            "Use the instructor's link (or ask them to start the server with --public-url).",
        ],
        400,
    )


def full(seats: int) -> web.Response:
    return page(
        f"The workshop is full ({seats} of {seats} seats)",
        [
            f"All {seats} seats are taken. Try again when someone leaves, or ask the "
            "instructor for more seats."
        ],
        503,
    )


CLOSE_REASON = """<script>
new MutationObserver(async function () {
  if (!document.body.classList.contains("-closed")) return;
  try {
    const answer = await (await fetch("/seat", {credentials: "same-origin"})).json();
    if (answer.message) {
      document.querySelector(".closed-dialog .message").textContent = answer.message;
    }
  } catch (e) {}
}).observe(document.body, {attributes: true, attributeFilter: ["class"]});
</script>"""
"""When the page's socket closes, ask the server why (an idle seat, a full workshop)."""


def with_close_reason(text: str) -> str:
    return text.replace("</body>", CLOSE_REASON + "\n</body>", 1)
