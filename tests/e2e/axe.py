"""axe-core over pages, as the browser tests run it: the rules, and what it finds serious on each page."""

DESKTOP = {"width": 1280, "height": 900}
# WCAG 1.4.10: content reflows at 320 CSS px without scrolling sideways.
PHONE = {"width": 320, "height": 640}

# What axe checks: WCAG 2.2 A and AA, and its best practices (unique landmarks among them).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    # WCAG 2.5.3, label in name: axe counts it experimental, so it is asked for by name.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
# Rules that fail the run whatever impact axe gives them: the accessibility findings fixed here must stay fixed.
ALWAYS = {"label-content-name-mismatch", "aria-prohibited-attr", "landmark-unique", "target-size"}


def axe_findings(page, site, paths, viewport, *, too_wide=None):
    """What axe finds serious on each page; with `too_wide`, also how far each page scrolls sideways."""
    from axe_playwright_python.sync_playwright import Axe

    # axe comes with every page the browser opens, rather than sent over again for each one.
    page.context.add_init_script(script=Axe().axe_script)
    page.set_viewport_size(viewport)
    findings = []
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200, path
        if too_wide is not None:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                too_wide.append(f"{path}: {overflow}px too wide")
        for violation in page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]:
            if violation["impact"] in ("serious", "critical") or violation["id"] in ALWAYS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                findings.append(
                    f"{path} [{violation['impact']}] {violation['id']}: {len(violation['nodes'])} {targets}"
                )
    return findings
