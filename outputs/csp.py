"""A Content-Security-Policy on every page `kompass serve` answers (ASGI middleware).

Scripts run only from the server itself and from the inline <script> elements the project ships:
those written in the templates of Datasette and of this project, and those its plugins add to every
page (`extra_body_script`), each allowed by its sha256. The set is fixed when the server starts
(`shipped_scripts`), from the program's own files, never from a page: an inline script that reaches a
page any other way (a value stored in the database and rendered without escaping) is not in it and
does not run. No inline event handler (`onerror=`), no `javascript:` URL, no script from elsewhere,
and no markup a page's own JavaScript inserts later (the dashboard's tables use innerHTML) can run
code either. Every value is escaped where it is rendered; this policy is the second wall.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)
MAX_BUFFERED_HTML = 32 * 1024 * 1024  # larger pages are sent without their inline scripts allowed
PAGE_POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
OTHER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"


TEMPLATE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)
EXPRESSION = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z_0-9]*)\s*\}\}")
# The values a template variable inside a shipped inline script can take (Datasette's table.html).
SCRIPT_VARIABLES = {"datasette_allow_facet": ("true", "false")}
PAGE_TEMPLATES = ("index.html", "database.html", "table.html", "row.html", "query.html", "show_json.html",
                  "error.html", "logout.html", "messages_debug.html", "patterns.html")


def script_hash(body: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"


def template_scripts(template_dirs: list[Path]) -> set[bytes]:
    """The inline script bodies written in the templates: those without template expressions as they
    are; those whose only expressions are known variables, with every value those can take."""
    bodies: set[bytes] = set()
    for folder in template_dirs:
        for template in sorted(Path(folder).rglob("*.html")):
            for body in TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8")):
                if "{{" not in body and "{%" not in body and body.strip():
                    bodies.add(body.encode("utf-8"))
                    continue
                names = EXPRESSION.findall(body)
                if "{%" in body or not names or EXPRESSION.sub("", body).count("{{") \
                        or not all(name in SCRIPT_VARIABLES for name in names):
                    continue  # rendered from data: not allowed by hash
                variants = [body]
                for name in dict.fromkeys(names):
                    pattern = re.compile(r"\{\{\s*" + name + r"\s*\}\}")
                    variants = [pattern.sub(value, v) for v in variants for value in SCRIPT_VARIABLES[name]]
                bodies.update(v.encode("utf-8") for v in variants)
    return bodies


async def plugin_body_scripts(datasette) -> set[bytes]:
    """What the installed plugins add to every page as inline scripts (`extra_body_script`), asked once
    for each kind of page with no request: scripts that depend on a page's data are not included."""
    from datasette.plugins import pm
    from datasette.utils import await_me_maybe

    bodies: set[bytes] = set()
    for template in PAGE_TEMPLATES:
        try:
            for script in pm.hook.extra_body_script(template=template, database=None, table=None, columns=None,
                                                    view_name=template.split(".")[0], request=None,
                                                    datasette=datasette):
                script = await await_me_maybe(script)
                text = script.get("script") if isinstance(script, dict) else script
                if isinstance(text, str) and text.strip():
                    bodies.add(text.encode("utf-8"))
        except Exception:  # noqa: BLE001 — a plugin that needs a request adds nothing here
            continue
    return bodies


async def shipped_scripts(datasette) -> frozenset[str]:
    """The sha256 sources of every inline script the project ships (templates and plugins' body scripts)."""
    import datasette as datasette_package

    folders = [Path(datasette_package.__file__).parent / "templates"]
    if getattr(datasette, "template_dir", None):
        folders.append(Path(datasette.template_dir))
    try:
        from datasette.plugins import get_plugins

        folders.extend(Path(p["templates_path"]) for p in get_plugins() if p.get("templates_path"))
    except Exception:  # noqa: BLE001 — no plugin templates then
        pass
    bodies = template_scripts(folders) | await plugin_body_scripts(datasette)
    return frozenset(script_hash(body) for body in bodies)


# The one shipped inline script whose text depends on the request: datasette-dashboards' chart calls
# (dashboard_view.html / dashboard_chart.html), one per line. Allowed only in exactly that shape: a chart
# slug, a JSON object (data, parsed in full), and the query string and page address with no quote,
# backslash or parenthesis, so nothing in them can leave its string (the template puts the query string
# there unescaped: `?x=');alert(1)//` would otherwise run).
_CHART_CALL = re.compile(
    rb"renderChart\('[A-Za-z0-9_-]+', (\{.*\}), '[A-Za-z0-9_\-.~%=&+*!,;:@/]*', "
    rb"'https?://[A-Za-z0-9_\-.~%/:?=&+*!,;@\[\]]*'(?:, true)?\)")
_AUTOREFRESH = re.compile(rb"autorefresh\(\d+(?:\.\d+)?\)")


def _dashboard_script(body: bytes) -> bool:
    """Whether an inline script is datasette-dashboards' chart calls and nothing else."""
    import json

    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if not lines:
        return False
    for line in lines:
        if _AUTOREFRESH.fullmatch(line):
            continue
        call = _CHART_CALL.fullmatch(line)
        if call is None:
            return False
        try:
            if not isinstance(json.loads(call.group(1)), dict):
                return False
        except ValueError:
            return False
    return True


def page_policy(html: bytes, allowed: frozenset[str] = frozenset()) -> str:
    """The policy for one HTML page: those of its inline scripts the project ships allowed by hash,
    nothing else inline."""
    hashes = dict.fromkeys(script_hash(body) for body in INLINE_SCRIPT.findall(html)
                           if script_hash(body) in allowed or _dashboard_script(body))
    return PAGE_POLICY.format(hashes="".join(" " + h for h in hashes))


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers)


def _with(headers: list[tuple[bytes, bytes]], policy: str) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in (b"content-security-policy", b"x-content-type-options")]
    return [*kept, (b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff")]


def content_security_policy(app, datasette=None):
    """Wrap an ASGI app so every HTTP response carries a Content-Security-Policy; inline scripts are
    allowed only when `datasette` (its templates and plugins) ships them."""
    shipped: list[frozenset[str]] = []
    lock = asyncio.Lock()

    async def allowed() -> frozenset[str]:
        if not shipped:
            async with lock:
                if not shipped:
                    shipped.append(await shipped_scripts(datasette) if datasette is not None else frozenset())
        return shipped[0]

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        allow = await allowed()
        start: dict | None = None
        body = bytearray()

        async def send_with_policy(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not _is_html(headers):
                    return await send(dict(message, headers=_with(headers, OTHER_POLICY)))
                start = dict(message, headers=headers)  # held until the page is complete
                return None
            if start is None or message["type"] != "http.response.body":
                return await send(message)
            body.extend(message.get("body", b""))
            if message.get("more_body") and len(body) <= MAX_BUFFERED_HTML:
                return None
            policy = page_policy(bytes(body), allow) if len(body) <= MAX_BUFFERED_HTML else PAGE_POLICY.format(hashes="")
            await send(dict(start, headers=_with(start["headers"], policy)))
            start = None
            await send({"type": "http.response.body", "body": bytes(body), "more_body": message.get("more_body", False)})
            body.clear()
            return None

        await app(scope, receive, send_with_policy)

    return wrapped
