"""Every string the UI shows has a Simplified Chinese translation.

The catalogues are regenerated from the current source in a scratch copy, so
a string added without a translation fails here, not in front of a user.
"""

import ast
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["orgs", "activities", "metrics", "plans", "assessments", "notifications", "api", "dashboards"]
SKIP_DIRS = {".venv", "var", ".git", "__pycache__", "node_modules", "test-artifacts"}


def _copy_tree(dst: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP_DIRS or n.endswith((".mo", ".pyc"))}

    shutil.copytree(ROOT, dst, ignore=ignore)


def _untranslated(po_path: Path, root: Path) -> list[str]:
    missing = []
    for block in po_path.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if any(line.startswith("#~") for line in lines):
            continue
        msgid, msgstr, current = "", "", None
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        for line in lines:
            if line.startswith("msgid "):
                current, msgid = "id", ast.literal_eval(line[6:])
            elif line.startswith(("msgstr ", "msgstr[0] ")):
                current, msgstr = "str", ast.literal_eval(line.split(" ", 1)[1])
            elif line.startswith("msgid_plural") or line.startswith("msgstr["):
                current = None
            elif line.startswith('"') and current == "id":
                msgid += ast.literal_eval(line)
            elif line.startswith('"') and current == "str":
                msgstr += ast.literal_eval(line)
        if msgid and (not msgstr or fuzzy):
            missing.append(f"{po_path.relative_to(root)}: {msgid!r}")
    return missing


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext (xgettext) is not installed")
def test_every_ui_string_has_a_chinese_translation(tmp_path):
    copy = tmp_path / "src"
    _copy_tree(copy)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guanwei.settings_test", "PYTHONPATH": str(copy)}
    django_admin = str(Path(os.sys.executable).parent / "django-admin")
    for app in APPS:
        if (copy / app / "locale").is_dir():
            subprocess.run(
                [django_admin, "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
                cwd=copy / app,
                env=env,
                check=True,
            )
    ignores = [f"--ignore={d}" for d in [*APPS, "scripts", "conftest.py"]]
    subprocess.run(
        [django_admin, "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0", *ignores],
        cwd=copy,
        env=env,
        check=True,
    )
    missing = []
    for po in sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        missing += _untranslated(po, copy)
    assert missing == [], "Untranslated strings:\n" + "\n".join(missing)
