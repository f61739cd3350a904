"""The browser fixtures of ``test_map.py`` (the service on a loopback port, Chromium, a page on the map), for every browser test module."""

from tests.browser.test_map import base_url, browser, page

__all__ = ["base_url", "browser", "page"]
