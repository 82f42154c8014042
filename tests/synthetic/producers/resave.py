"""Re-saving an existing PDF through other tools, as reports pass through print servers, archives and
optimisers: Ghostscript (pdfwrite), qpdf (object streams, linearised), pdftocairo, mutool; and two
damaging round trips real files go through: printed to PostScript and distilled back (the fonts lose
their Unicode maps), and a font whose encoding is an embedded CMap (pdfminer.six cannot read it).
"""
from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from pathlib import Path

from tests.synthetic.producers.tools import DEFAULT_TIMEOUT, ToolFailed, deterministic_env, run_tool, tool

GS_SETTINGS = ("/default", "/prepress", "/ebook", "/printer")
QPDF_MODES = {"object-streams": ["--object-streams=generate"], "linearize": ["--linearize"],
              "both": ["--object-streams=generate", "--linearize", "--compress-streams=y"]}
MUTOOL_MODES = ("clean", "convert")


def ghostscript(src: Path, dst: Path, settings: str = "/default") -> Path:
    """`gs -sDEVICE=pdfwrite`: every font re-subset and re-encoded, content streams rewritten."""
    if settings not in GS_SETTINGS:
        raise ValueError(f"settings={settings!r}: choose one of {', '.join(GS_SETTINGS)}")
    return run_tool(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                     f"-dPDFSETTINGS={settings}", f"-sOutputFile={dst}", str(src)], dst)


def qpdf(src: Path, dst: Path, mode: str = "object-streams") -> Path:
    """qpdf's structural rewrites: object streams, linearisation (fast web view), or both."""
    if mode not in QPDF_MODES:
        raise ValueError(f"mode={mode!r}: choose one of {', '.join(QPDF_MODES)}")
    return run_tool(["qpdf", "--deterministic-id", *QPDF_MODES[mode], str(src), str(dst)], dst)


def pdftocairo(src: Path, dst: Path) -> Path:
    """poppler's cairo backend writes a new PDF from the rendering: fonts re-embedded by cairo."""
    return run_tool(["pdftocairo", "-pdf", str(src), str(dst)], dst)


def mutool(src: Path, dst: Path, mode: str = "clean") -> Path:
    """MuPDF: `mutool clean -gggz` (garbage-collect, compact, recompress) or `mutool convert`."""
    if mode not in MUTOOL_MODES:
        raise ValueError(f"mode={mode!r}: choose one of {', '.join(MUTOOL_MODES)}")
    if mode == "clean":
        return run_tool(["mutool", "clean", "-gggz", str(src), str(dst)], dst)
    return run_tool(["mutool", "convert", "-F", "pdf", "-o", str(dst), str(src)], dst)


def postscript_round_trip(src: Path, dst: Path) -> Path:
    """`pdftops` then `ps2pdf`: CID TrueType fonts come back as simple fonts without a Unicode map,
    so the text layer decodes to garbage (what printing to a PostScript printer driver and
    distilling does)."""
    with tempfile.TemporaryDirectory(prefix="ps-") as work:
        ps = Path(work) / "printed.ps"
        run_tool(["pdftops", str(src), str(ps)], ps)
        return run_tool(["ps2pdf", str(ps), str(dst)], dst)


CMAP_NAME = "Custom-Identity-H"
_CMAP = f"""%!PS-Adobe-3.0 Resource-CMap
%%DocumentNeededResources: ProcSet (CIDInit)
%%IncludeResource: ProcSet (CIDInit)
%%BeginResource: CMap ({CMAP_NAME})
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def
/CMapName /{CMAP_NAME} def
/CMapType 1 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 begincidrange
<0000> <FFFF> 0
endcidrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
%%EndResource
%%EOF
""".encode("ascii")


def _qpdf_json(src: Path) -> dict:
    try:
        result = subprocess.run([tool("qpdf"), "--json-output=2", "--json-stream-data=none", str(src), "-"],
                                capture_output=True, timeout=DEFAULT_TIMEOUT, env=deterministic_env(), check=False)
    except subprocess.TimeoutExpired:
        raise ToolFailed("qpdf --json-output did not finish in time") from None
    if result.returncode not in (0, 3):
        raise ToolFailed(f"qpdf --json-output failed: {result.stderr.decode(errors='replace').strip()[:200]}")
    return json.loads(result.stdout)


def embedded_cmap(src: Path, dst: Path) -> Path:
    """Every Type0 (CID) font of `src` gets its encoding as an embedded CMap stream named
    /Custom-Identity-H (the same code→CID mapping as /Identity-H), as producers that embed their own
    CMaps write it. pdfium parses the embedded CMap; pdfminer.six only looks the name up among its
    predefined CMaps, finds nothing and drops every character of those fonts (pdfminer.six issue 1072)."""
    data = _qpdf_json(Path(src))
    header, objects = data["qpdf"][0], data["qpdf"][1]
    cmap_id = header["maxobjectid"] + 1
    update = {f"obj:{cmap_id} 0 R": {"stream": {
        "dict": {"/Type": "/CMap", "/CMapName": f"/{CMAP_NAME}",
                 "/CIDSystemInfo": {"/Registry": "u:Adobe", "/Ordering": "u:Identity", "/Supplement": 0}},
        "data": base64.b64encode(_CMAP).decode("ascii")}}}
    for key, entry in objects.items():
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, dict) and value.get("/Subtype") == "/Type0" and value.get("/Encoding") == "/Identity-H":
            update[key] = {"value": {**value, "/Encoding": f"{cmap_id} 0 R"}}
    if len(update) == 1:
        raise ToolFailed(f"{Path(src).name}: no Type0 font with /Identity-H encoding to re-encode")
    with tempfile.TemporaryDirectory(prefix="cmap-") as work:
        patch = Path(work) / "update.json"
        patch.write_text(json.dumps({"qpdf": [{**header, "maxobjectid": cmap_id}, update]}), encoding="utf-8")
        return run_tool(["qpdf", "--deterministic-id", str(src), f"--update-from-json={patch}", str(dst)], dst)
