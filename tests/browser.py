"""Headless Chromium for the report tests and the screenshot script (dev/screenshot.py),
and a small reader of the PDFs it prints.

Uses Playwright's Python client with the system's Chromium (Debian's `chromium`
package; `.ci/run` installs it when missing), not a browser Playwright downloads.

`pdf_pages` reads back what Chromium printed: each page's text, where it stands
and which element of the page it came from (a heading, a table's header row or
body cell), from the tagged PDF's structure tree. It reads the PDFs Chromium
(Skia) writes, not PDFs in general, and needs no PDF library.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass, field

# The machine's network is closed: without these, Chromium keeps trying to
# reach Google's services in the background and logs failures.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """$GONGFU_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH."""
    explicit = os.environ.get("GONGFU_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def has_cjk_font() -> bool:
    """Whether fontconfig knows a font with Chinese glyphs (without one, Chinese prints
    as boxes, and neither page breaks nor the printed text can be checked)."""
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def launch(playwright):
    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found: apt-get install chromium, or set GONGFU_CHROMIUM")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def print_pdf(page) -> bytes:
    """The page printed as a leader would print it: the page's own size and margins
    (@page), backgrounds, and tagged, so that `pdf_pages` can tell what each text is."""
    return page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)


# ---------------------------------------------------------------------------
# reading the PDF back


@dataclass
class Run:
    """Text drawn at one place: its position from the page's top left (points), and the
    roles of the elements it belongs to, innermost first (NonStruct, TD, TR, …, Table)."""

    x: float
    y: float
    text: str
    roles: tuple[str, ...] = ()
    table: int | None = None  # the structure element of its table, if in one

    def within(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


@dataclass
class PdfPage:
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)  # top to bottom, left to right

    @property
    def content(self) -> list[Run]:
        """Runs of the page's content (tagged), without the page margin's page number."""
        return [run for run in self.runs if run.roles]

    @property
    def margin(self) -> list[Run]:
        """Untagged runs: what @page prints in the margin."""
        return [run for run in self.runs if not run.roles]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def lines(self, runs: list[Run] | None = None) -> list[str]:
        """Text by line (runs within 2 points of height are one line), spaces dropped."""
        lines: list[tuple[float, list[Run]]] = []
        for run in self.runs if runs is None else runs:
            if lines and abs(lines[-1][0] - run.y) <= 2:
                lines[-1][1].append(run)
            else:
                lines.append((run.y, [run]))
        return ["".join(r.text for r in sorted(line, key=lambda r: r.x)) for _, line in lines]


_OBJECT = re.compile(rb"(\d+) 0 obj\b")
_TOKEN = re.compile(
    rb"%[^\r\n]*|/[^\s/\[\]<>(){}%]*|<<|>>|\[|\]|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)"
    rb"|[+-]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+"
)


class _Pdf:
    def __init__(self, data: bytes):
        self.data = data
        self.objects: dict[int, bytes] = {}
        starts = [(int(m.group(1)), m.end()) for m in _OBJECT.finditer(data)]
        for number, start in starts:
            self.objects.setdefault(number, self._object_at(start))

    def _object_at(self, start: int) -> bytes:
        """The object's text; a stream's bytes are taken by /Length, never searched."""
        stream = re.compile(rb"stream\r?\n").search(self.data, start)
        end = self.data.find(b"endobj", start)
        if stream is None or stream.start() > end:
            return self.data[start:end]
        head = self.data[start : stream.start()]
        length = self._int(head, b"Length")
        body = self.data[stream.end() : stream.end() + length]
        return head + b"stream\n" + body

    def _int(self, text: bytes, key: bytes) -> int:
        found = re.search(rb"/" + key + rb"\s+(\d+)(\s+0\s+R)?", text)
        assert found is not None, key
        if found.group(2):
            return int(self.objects[int(found.group(1))].strip())
        return int(found.group(1))

    def ref(self, text: bytes, key: bytes) -> int | None:
        found = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", text)
        return int(found.group(1)) if found else None

    def stream(self, number: int) -> bytes:
        head, _, body = self.objects[number].partition(b"stream\n")
        return zlib.decompress(body) if b"FlateDecode" in head else body

    def dictionary(self, text: bytes, key: bytes) -> bytes:
        """The << … >> after /key, inline or referenced."""
        found = re.search(rb"/" + key + rb"\s*(<<|(\d+)\s+0\s+R)", text)
        if found is None:
            return b""
        if found.group(2):
            return self.objects[int(found.group(2))]
        depth, i = 0, found.start(1)
        while i < len(text):
            if text.startswith(b"<<", i):
                depth, i = depth + 1, i + 2
            elif text.startswith(b">>", i):
                depth, i = depth - 1, i + 2
                if depth == 0:
                    return text[found.start(1) : i]
            else:
                i += 1
        return text[found.start(1) :]


def _cmap(text: bytes) -> tuple[dict[bytes, str], int]:
    """A ToUnicode CMap: code bytes → text, and the length of a code in bytes."""
    mapping: dict[bytes, str] = {}
    width = 1

    def utf16(hex_text: bytes) -> str:
        return bytes.fromhex(hex_text.decode()).decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            code = bytes.fromhex(src.decode())
            width = len(code)
            mapping[code] = utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        entries = re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block
        )
        for low, high, dst in entries:
            first, last = int(low, 16), int(high, 16)
            width = len(low) // 2
            targets = re.findall(rb"<([0-9A-Fa-f]*)>", dst)
            for offset, code in enumerate(range(first, last + 1)):
                key = code.to_bytes(width, "big")
                if dst.startswith(b"["):
                    if offset < len(targets):
                        mapping[key] = utf16(targets[offset])
                else:
                    base = bytes.fromhex(targets[0].decode())
                    value = int.from_bytes(base, "big") + offset
                    mapping[key] = value.to_bytes(len(base), "big").decode("utf-16-be", "replace")
    return mapping, width


def _string_bytes(token: bytes) -> bytes:
    if token.startswith(b"<"):
        return bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
    raw, out, i = token[1:-1], bytearray(), 0
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(raw):
        if raw[i : i + 1] == b"\\" and i + 1 < len(raw):
            nxt = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += escapes.get(nxt, nxt)
            i += 2
        else:
            out += raw[i : i + 1]
            i += 1
    return bytes(out)


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The PDF matrix a × b (each [a b c d e f])."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _structure(pdf: _Pdf) -> dict[tuple[int, int], int]:
    """(page object, marked-content id) → the structure element that holds it; and
    pdf.parents / pdf.roles for walking up from it."""
    roles: dict[int, str] = {}
    parents: dict[int, int | None] = {}
    pages: dict[int, int | None] = {}
    kids: dict[int, list[int]] = {}
    for number, text in pdf.objects.items():
        if b"/StructElem" not in text[:200]:
            continue
        role = re.search(rb"/S\s*/([^\s/<>\[\]]+)", text)
        roles[number] = role.group(1).decode() if role else ""
        parents[number] = pdf.ref(text, b"P")
        pages[number] = pdf.ref(text, b"Pg")
        found = re.search(rb"/K\s*(\[[^\]]*\]|\d+\s+0\s+R|\d+)", text)
        if found:
            ids = re.sub(rb"\d+\s+0\s+R", b"", found.group(1))
            kids[number] = [int(n) for n in re.findall(rb"\d+", ids)]
    pdf.roles, pdf.parents = roles, parents  # type: ignore[attr-defined]

    def page_of(number: int | None) -> int | None:
        while number is not None:
            if pages.get(number) is not None:
                return pages[number]
            number = parents.get(number)
        return None

    owners: dict[tuple[int, int], int] = {}
    for number, mcids in kids.items():
        page = page_of(number)
        if page is not None:
            for mcid in mcids:
                owners[(page, mcid)] = number
    return owners


def pdf_pages(data: bytes) -> list[PdfPage]:
    """Each page of a PDF Chromium printed, with its text runs in reading position."""
    pdf = _Pdf(data)
    owners = _structure(pdf)
    trailer_root = re.findall(rb"/Root\s+(\d+)\s+0\s+R", data)
    catalog = pdf.objects[int(trailer_root[-1])]

    def leaves(number: int) -> list[int]:
        text = pdf.objects[number]
        if re.search(rb"/Type\s*/Pages\b", text):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", text)
            assert kids is not None
            found = [int(n) for n in re.findall(rb"(\d+)\s+0\s+R", kids.group(1))]
            return [leaf for kid in found for leaf in leaves(kid)]
        return [number]

    root = pdf.ref(catalog, b"Pages")
    assert root is not None
    return [_page(pdf, number, owners) for number in leaves(root)]


def _page(pdf: _Pdf, number: int, owners: dict[tuple[int, int], int]) -> PdfPage:
    text = pdf.objects[number]
    box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", text)
    assert box is not None
    _, _, width, height = (float(v) for v in box.group(1).split())
    resources = pdf.dictionary(text, b"Resources")
    fonts = {
        name.decode(): _cmap(pdf.stream(ref)) if ref else ({}, 1)
        for name, font in re.findall(
            rb"/([^\s/<>]+)\s+(\d+)\s+0\s+R", pdf.dictionary(resources, b"Font")
        )
        for ref in [pdf.ref(pdf.objects[int(font)], b"ToUnicode")]
    }
    contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)", text)
    assert contents is not None
    stream = b"\n".join(
        pdf.stream(int(n)) for n in re.findall(rb"(\d+)\s+0\s+R", contents.group(1))
    )
    page = PdfPage(width, height)
    roles: dict[int, str] = pdf.roles  # type: ignore[attr-defined]
    parents: dict[int, int | None] = pdf.parents  # type: ignore[attr-defined]

    def chain(element: int | None) -> tuple[tuple[str, ...], int | None]:
        found, table = [], None
        while element is not None:
            found.append(roles.get(element, ""))
            if roles.get(element) == "Table" and table is None:
                table = element
            element = parents.get(element)
        return tuple(found), table

    ctm, saved = [1.0, 0, 0, 1.0, 0, 0], []
    tm = tlm = [1.0, 0, 0, 1.0, 0, 0]
    font, leading = "", 0.0
    operands: list[bytes] = []
    marks: list[tuple[int | None, str | None]] = []  # (mcid, ActualText) of open sequences
    actual_shown: set[int] = set()

    def show(raw: bytes) -> None:
        mapping, size = fonts.get(font, ({}, 1))
        mcid = next((m for m, _ in reversed(marks) if m is not None), None)
        actual_index = next((i for i, (_, a) in enumerate(marks) if a is not None), None)
        if actual_index is not None:
            if actual_index in actual_shown:
                return
            actual_shown.add(actual_index)
            shown = marks[actual_index][1] or ""
        else:
            shown = "".join(
                mapping.get(raw[i : i + size], "") for i in range(0, len(raw) - size + 1, size)
            )
        matrix = _multiply(tm, ctm)
        element = owners.get((number, mcid)) if mcid is not None else None
        found_roles, table = chain(element) if element is not None else ((), None)
        page.runs.append(Run(matrix[4], height - matrix[5], shown, found_roles, table))

    for token in _TOKEN.findall(stream):
        if token.startswith(b"%"):
            continue
        if re.fullmatch(rb"[A-Za-z'\"*]+", token) and token not in (b"true", b"false", b"null"):
            op = token.decode()
            numbers = [float(t) for t in operands if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", t)]
            if op == "q":
                saved.append(ctm)
            elif op == "Q" and saved:
                ctm = saved.pop()
            elif op == "cm" and len(numbers) >= 6:
                ctm = _multiply(numbers[-6:], ctm)
            elif op == "BT":
                tm = tlm = [1.0, 0, 0, 1.0, 0, 0]
            elif op == "Tf":
                font = next((t[1:].decode() for t in operands if t.startswith(b"/")), font)
            elif op == "TL" and numbers:
                leading = numbers[-1]
            elif op == "Tm" and len(numbers) >= 6:
                tm = tlm = numbers[-6:]
            elif op in ("Td", "TD") and len(numbers) >= 2:
                if op == "TD":
                    leading = -numbers[-1]
                tm = tlm = _multiply([1, 0, 0, 1, numbers[-2], numbers[-1]], tlm)
            elif op == "T*":
                tm = tlm = _multiply([1, 0, 0, 1, 0, -leading], tlm)
            elif op in ("Tj", "'", '"', "TJ"):
                if op in ("'", '"'):
                    tm = tlm = _multiply([1, 0, 0, 1, 0, -leading], tlm)
                strings = [t for t in operands if t.startswith((b"<", b"(")) and t != b"<<"]
                show(b"".join(_string_bytes(s) for s in strings))
            elif op in ("BDC", "BMC"):
                joined = b" ".join(operands)
                mcid = re.search(rb"/MCID\s+(\d+)", joined)
                actual = re.search(rb"/ActualText\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", joined)
                actual_text = None
                if actual:
                    raw = _string_bytes(actual.group(1))
                    actual_text = (
                        raw[2:].decode("utf-16-be", "replace")
                        if raw.startswith(b"\xfe\xff")
                        else raw.decode("latin-1")
                    )
                marks.append((int(mcid.group(1)) if mcid else None, actual_text))
            elif op == "EMC" and marks:
                actual_shown.discard(len(marks) - 1)
                marks.pop()
            operands = []
        else:
            operands.append(token)
    page.runs.sort(key=lambda run: (round(run.y), run.x))
    return page
