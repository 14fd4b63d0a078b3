"""The foundation as a person uses it, in Chromium."""

import re

from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot


def test_secretary_logs_in_on_a_phone_and_opens_her_college(phone_page, personas, tree):
    page = phone_page
    log_in(page, "sec_college")
    assert page.get_by_role("heading", name=re.compile("您好")).is_visible()
    screenshot(page, "home-phone")
    page.get_by_text("菜单").click()  # the phone menu opens
    page.get_by_role("link", name="组织架构").click()
    page.get_by_role("link", name=re.compile("针灸康复临床医学院关工分委")).click()
    assert page.get_by_role("heading", name="针灸康复临床医学院关工分委").is_visible()
    assert page.get_by_text("针灸学院校外辅导站").is_visible()
    assert_fits_screen(page)
    screenshot(page, "committee-phone")


def test_wrong_password_is_explained_and_keeps_the_user_name(phone_page, personas):
    page = phone_page
    log_in(page, "sec_college", password="wrong-password")
    assert page.get_by_text("用户名或密码不正确").is_visible()
    assert page.get_by_label("用户名").input_value() == "sec_college"


def test_outsider_pasting_a_link_sees_page_not_found(desktop_page, personas, tree):
    page = desktop_page
    log_in(page, "sec_sibling")
    response = page.goto(f"{page.base_url}/orgs/{tree.college.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="页面不存在").is_visible()
    assert "针灸康复临床医学院" not in page.content()


def test_admin_moving_a_committee_under_its_own_child_is_told_why(desktop_page, personas, tree):
    page = desktop_page
    log_in(page, "admin")
    page.goto(f"{page.base_url}/orgs/{tree.college.pk}/move/")
    # The committee's own subtree is not even offered.
    options = page.locator("#id_new_parent option").all_inner_texts()
    assert not any("针灸学院校外辅导站" in o for o in options)
    target = next(o for o in options if "基础医学院关工分委" in o)
    page.get_by_label("新的上级委员会").select_option(label=target)
    page.get_by_role("button", name="移动").click()
    assert page.get_by_text("委员会已移动").is_visible()
    screenshot(page, "committee-moved")


def test_desktop_shows_the_navigation_without_a_menu_button(desktop_page, personas, tree):
    page = desktop_page
    log_in(page, "leader")
    assert page.get_by_role("link", name="组织架构").is_visible()
    assert not page.get_by_text("菜单").is_visible()
    screenshot(page, "home-desktop")
