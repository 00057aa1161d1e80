"""Reaching a page through the grouped main navigation, as a user does: open the area's
menu (unless the area is a single link), then click the entry."""

from __future__ import annotations


def nav_link(page, label: str):
    """The main navigation's link called ``label`` (exact text)."""
    return page.locator("nav.mainnav").get_by_role(
        "link", name=label, exact=True, include_hidden=True
    )


def open_menu_of(page, label: str):
    """Open the menu holding the link ``label`` (if it is in one) and return the link."""
    link = nav_link(page, label)
    if not link.is_visible():
        # ``has`` is matched inside each menu, so it is the bare link, not nav_link's
        inner = page.get_by_role("link", name=label, exact=True, include_hidden=True)
        page.locator("nav.mainnav details.nav-menu", has=inner).locator("summary").click()
    link.wait_for(state="visible")
    return link


def nav_to(page, label: str) -> None:
    """Go to the page ``label`` of the main navigation by clicking."""
    open_menu_of(page, label).click()
