"""On a phone: a photo chosen before a mistake is still there, shown as 已选择, and saved once it is fixed."""

import pytest

from activities.models import Activity
from activities.tests.conftest import png_bytes
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_chosen_photo_survives_a_forgotten_title_on_a_phone(phone_page, personas, tree, kinds, tmp_path):
    page = phone_page
    log_in(page, "sec_college")
    page.goto(page.base_url + "/activities/new/")
    page.get_by_label("活动类型").select_option(label="报告会")
    photo = tmp_path / "报告会现场.png"
    photo.write_bytes(png_bytes())
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存").click()  # no title: the form comes back

    assert page.get_by_text("有些内容需要修改").is_visible()
    assert page.get_by_label("活动类型").input_value() == str(kinds.report.pk)  # what was chosen stays
    kept = page.locator("#pending-photos")
    assert kept.get_by_text("报告会现场.png").is_visible()
    assert kept.get_by_label("已选择").is_checked()
    assert kept.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert_fits_screen(page)
    screenshot(page, "activity-kept-photo-phone")

    page.get_by_label("标题").fill("家风家教报告会")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("活动“家风家教报告会”已保存。").is_visible()
    activity = Activity.objects.get()
    assert activity.kind == kinds.report
    assert list(activity.photos.values_list("original_name", flat=True)) == ["报告会现场.png"]
