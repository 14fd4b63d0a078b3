"""Files that are pictures and something else at once, for the tests of every upload field.

Each is a real picture that passes the content checks, carrying a script or a page the
way an attacker would hide one: in a GIF comment block, in a GIF that is also valid
JavaScript, after the end of a PNG. A photo from a phone with its GPS position is here
too. `assert_inert` checks what a browser would be told about the stored copy.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SCRIPT = b'<script>document.title="pwned";fetch("/api/people/")</script>'
# The names under which an attacker hopes the server will serve the file back as code.
HOSTILE_NAMES = ("evil.html", "evil.js", "evil.svg")
GPS_IFD = 0x8825


def gif_with_script() -> bytes:
    """A valid GIF whose comment block is an HTML script tag (opened as text/html, it runs)."""
    buf = io.BytesIO()
    Image.new("P", (16, 16), 3).save(buf, format="GIF", comment=SCRIPT + b"<!--")
    return buf.getvalue()


def gif_javascript_polyglot() -> bytes:
    """A GIF that is also a JavaScript program: `GIF89a` followed by `=1;` is an assignment.

    The logical screen width bytes are '/*' and the script sits in a comment block closed by
    '*/', the classic shape; Pillow still reads it as a 2-colour picture.
    """
    buf = io.BytesIO()
    Image.new("P", (8, 8), 1).save(buf, format="GIF", comment=b"*/=1;document.title='pwned';/*")
    data = bytearray(buf.getvalue())
    data[6:8] = b"/*"  # width 0x2a2f: still a GIF, now also the start of a JS comment
    return bytes(data) + b"*/"  # after the GIF trailer: closes the last JS comment


def png_with_page_appended() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(buf, format="PNG")
    return buf.getvalue() + b"<html><body>" + SCRIPT + b"</body></html>"


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A phone photo: EXIF with a camera, an orientation and a GPS position (Huai'an)."""
    img = Image.new("RGB", size, (90, 160, 60))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90° clockwise
    gps = {1: "N", 2: (33.0, 36.0, 0.0), 3: "E", 4: (119.0, 1.0, 0.0)}
    exif[GPS_IFD] = gps
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def hostile_uploads() -> list[SimpleUploadedFile]:
    """Every picture-with-a-payload under every hostile name."""
    files = []
    for name in HOSTILE_NAMES:
        for i, data in enumerate((gif_with_script(), gif_javascript_polyglot(), png_with_page_appended())):
            stem, ext = name.rsplit(".", 1)
            files.append(SimpleUploadedFile(f"{stem}{i}.{ext}", data, content_type="text/html"))
    return files


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_inert(response: Any, *, inline: bool) -> bytes:
    """What a browser gets is a plain picture (or a download), never a page or a script."""
    assert response.status_code == 200
    content_type = response["Content-Type"]
    data = body(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert not content_type.startswith(("text/", "application/javascript", "image/svg"))
    disposition = response.get("Content-Disposition", "")
    if inline:
        assert content_type in ("image/jpeg", "image/png")
        assert disposition.startswith("inline")
        Image.open(io.BytesIO(data)).verify()
    else:
        assert disposition.startswith("attachment")
    assert b"<script" not in data and b"pwned" not in data
    for bad in (".html", ".js", ".svg"):
        assert bad not in disposition
    return data
