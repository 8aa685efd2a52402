"""Write minimal but real PDF files: pages of text lines in Helvetica, WinAnsi-encoded.

Transcription services send PDFs; the tests build theirs from readable source text here, so
every PDF fixture is fresh and its text layer is known line by line. Helvetica is one of the
standard Type1 fonts every reader knows without embedding, and ``/WinAnsiEncoding`` (Windows
code page 1252) covers å ä ö æ ø and curly quotes.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

_TOP = 800
_LEADING = 14
_LEFT = 56


def _literal(line: str) -> bytes:
    """A PDF string literal of ``line`` in WinAnsi bytes, with ``\\``, ``(`` and ``)`` escaped."""
    raw = line.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content(lines: list[str]) -> bytes:
    """Draw ``lines`` top to bottom, one ``Tj`` per line, each moved down by ``T*``."""
    out = [b"BT", b"/F1 11 Tf", f"{_LEADING} TL".encode(), f"{_LEFT} {_TOP} Td".encode()]
    for line in lines:
        out.append(_literal(line) + b" Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


_IMAGE = b"q 400 0 0 500 96 200 cm /Im1 Do Q"


def pdf_bytes(
    pages: list[list[str] | None],
    *,
    compress: bool = False,
    stray_xref_entry: bool = False,
    aes_empty_password: bool = False,
) -> bytes:
    """A PDF with one page per item of ``pages``: its text lines, or ``None`` for a picture only.

    ``compress`` deflates the content streams (as real writers do). ``stray_xref_entry``
    adds a cross-reference entry that points at offset 0, which readers tolerate with a
    warning ("Ignoring wrong pointing object"). ``aes_empty_password`` declares the file
    encrypted with AES-128 under an empty user password (the standard security handler,
    revision 4); its strings and streams are left as they are, so only a reader that
    checks the password and then needs AES to go on can be tested with it.
    """
    objects: dict[int, bytes] = {}
    font, image, pages_id = 3, 4, 2
    objects[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    pixels = bytes(range(0, 256, 16)) * 16
    objects[image] = (
        b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length " + str(len(pixels)).encode() + b" >>\nstream\n" + pixels + b"\nendstream"
    )
    kids: list[int] = []
    next_id = 5
    for lines in pages:
        content = _IMAGE if lines is None else _content(lines)
        extra = b""
        if compress:
            content = zlib.compress(content)
            extra = b" /Filter /FlateDecode"
        stream_id, page_id = next_id, next_id + 1
        next_id += 2
        objects[stream_id] = (
            b"<< /Length " + str(len(content)).encode() + extra + b" >>\nstream\n" + content + b"\nendstream"
        )
        objects[page_id] = (
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> "
            f"/Contents {stream_id} 0 R >>"
        ).encode()
        kids.append(page_id)
    objects[1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>").encode()
    trailer = ""
    if aes_empty_password:
        objects[next_id] = _aes_encrypt_dictionary()
        trailer = f" /Encrypt {next_id} 0 R /ID [<{_FILE_ID.hex()}> <{_FILE_ID.hex()}>]"
        next_id += 1
    return _assemble(objects, next_id, stray_xref_entry, trailer)


_FILE_ID = bytes(range(16))
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_PERMISSIONS = -4


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _md5_50(data: bytes) -> bytes:
    digest = hashlib.md5(data).digest()
    for _ in range(50):
        digest = hashlib.md5(digest).digest()
    return digest


def _rc4_20(key: bytes, data: bytes) -> bytes:
    for i in range(20):
        data = _rc4(bytes(b ^ i for b in key), data)
    return data


def _aes_encrypt_dictionary() -> bytes:
    """/O and /U for user password "" and owner password "owner" (ISO 32000-1, 7.6.3.3–4)."""
    owner = _rc4_20(_md5_50((b"owner" + _PAD)[:32]), _PAD)
    key = _md5_50(_PAD + owner + _PERMISSIONS.to_bytes(4, "little", signed=True) + _FILE_ID)
    user = _rc4_20(key, hashlib.md5(_PAD + _FILE_ID).digest()) + bytes(16)
    return (
        "<< /Filter /Standard /V 4 /R 4 /Length 128 "
        "/CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> "
        f"/StmF /StdCF /StrF /StdCF /O <{owner.hex()}> /U <{user.hex()}> /P {_PERMISSIONS} >>"
    ).encode()


def _assemble(objects: dict[int, bytes], size: int, stray_xref_entry: bool, trailer: str) -> bytes:
    """The file: header, the objects in order, a cross-reference table and the trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    if stray_xref_entry:
        offsets[size] = 0
        size += 1
    xref = len(out)
    out += f"xref\n0 {size}\n".encode() + b"0000000000 65535 f \n"
    for number in range(1, size):
        if number in offsets:
            out += f"{offsets[number]:010d} 00000 n \n".encode()
        else:
            out += b"0000000000 65535 f \n"
    out += f"trailer\n<< /Size {size} /Root 1 0 R{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str] | None], **options: bool) -> Path:
    """Write ``pdf_bytes(pages, **options)`` to ``path`` and return the path."""
    path.write_bytes(pdf_bytes(pages, **options))
    return path
