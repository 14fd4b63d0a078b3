import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from guanwei.uploads import FileKind, check_upload


def png_bytes(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    wb = Workbook()
    wb.active.append(["名称", "编码"])
    wb.save(buf)
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_real_picture_and_workbook_pass():
    assert check_upload(upload("a.png", png_bytes()), kinds=(FileKind.IMAGE,)) == FileKind.IMAGE
    assert check_upload(upload("a.xlsx", xlsx_bytes()), kinds=(FileKind.XLSX,)) == FileKind.XLSX


def test_renamed_executable_is_not_a_photo():
    with pytest.raises(ValidationError) as err:
        check_upload(upload("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200), kinds=(FileKind.IMAGE,))
    assert err.value.code == "file_type"


def test_truncated_picture_is_refused():
    data = png_bytes()[:60]
    with pytest.raises(ValidationError):
        check_upload(upload("photo.png", data), kinds=(FileKind.IMAGE,))


def test_picture_with_absurd_dimensions_is_refused():
    # A small file that claims 20000x20000 pixels.
    data = png_bytes((20000, 20000))
    with pytest.raises(ValidationError) as err:
        check_upload(upload("bomb.png", data), kinds=(FileKind.IMAGE,))
    assert err.value.code in {"image_bomb", "file_type"}


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as err:
        check_upload(upload("bomb.xlsx", buf.getvalue()), kinds=(FileKind.XLSX,))
    assert err.value.code == "zip_bomb"


def test_entity_expansion_workbook_is_refused():
    buf = io.BytesIO()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<workbook>&lol2;</workbook>"
    )
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", laughs)
    with pytest.raises(ValidationError) as err:
        check_upload(upload("laughs.xlsx", buf.getvalue()), kinds=(FileKind.XLSX,))
    assert err.value.code == "xml_entities"


def test_word_file_is_not_an_excel_file():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    with pytest.raises(ValidationError) as err:
        check_upload(upload("plan.xlsx", buf.getvalue()), kinds=(FileKind.XLSX,))
    assert "Excel" in str(err.value.messages[0])


def test_too_large_and_empty_files_are_refused(settings):
    with pytest.raises(ValidationError) as err:
        check_upload(upload("a.png", png_bytes()), kinds=(FileKind.IMAGE,), max_bytes=10)
    assert err.value.code == "too_large"
    with pytest.raises(ValidationError) as err:
        check_upload(upload("a.png", b""), kinds=(FileKind.IMAGE,))
    assert err.value.code == "empty"


def test_messages_are_in_chinese_by_default():
    with pytest.raises(ValidationError) as err:
        check_upload(upload("photo.jpg", b"not a picture at all"), kinds=(FileKind.IMAGE,))
    assert "文件" in err.value.messages[0]
