"""axe-core over pages, as the browser tests run it: the rules, and what it finds serious on each page."""

import re
from pathlib import Path

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

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
# A pseudo-element (`li::before`, or the older `li:before`) is no element the page can be asked for: its element is.
PSEUDO_ELEMENT = re.compile(r"::[\w-]+(\([^)]*\))?|:(before|after|first-line|first-letter)\b")
# What a text's contrast depends on: its colours, its size and weight (large text needs less), and whether it shows.
CONTRAST_PROPERTIES = ("color", "background", "opacity", "filter", "mix-blend-mode", "font", "display", "visibility")


def restyled_when_narrow(css=None):
    """The selectors the stylesheet gives, at narrow widths only, anything a text's contrast depends on.

    Colour contrast is most of what axe takes on a long page, and a page's colours are the same at every width
    but where a narrow-width rule changes them: at a phone's width, contrast is checked on these elements, every
    other rule on the whole page.
    """
    css = SITE_CSS.read_text() if css is None else css
    selectors = []
    for media in re.finditer(r"@media([^{]*)\{", css):
        depth, start = 1, media.end()
        end = start
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        if "max-width" not in media.group(1):
            continue
        for selector, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", css[start : end - 1]):
            properties = [part.split(":")[0].strip() for part in declarations.split(";") if ":" in part]
            if any(name.startswith(CONTRAST_PROPERTIES) for name in properties):
                selectors += [PSEUDO_ELEMENT.sub("", name).strip() for name in selector.split(",")]
    return selectors


def axe_findings(page, site, paths, viewport, *, too_wide=None, contrast_within=None):
    """What axe finds serious on each page; with `too_wide`, also how far each page scrolls sideways; with
    `contrast_within` (selectors), colour contrast only on the elements they select."""
    from axe_playwright_python.sync_playwright import Axe

    # axe comes with every page the browser opens, rather than sent over again for each one.
    page.context.add_init_script(script=Axe().axe_script)
    page.set_viewport_size(viewport)
    options = AXE_OPTIONS
    if contrast_within is not None:
        options = AXE_OPTIONS | {"rules": AXE_OPTIONS["rules"] | {"color-contrast": {"enabled": False}}}
    findings = []
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200, path
        if too_wide is not None:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                too_wide.append(f"{path}: {overflow}px too wide")
        violations = page.evaluate("options => axe.run(document, options)", options)["violations"]
        if contrast_within is not None:
            violations += page.evaluate(
                """selectors => {
                    const present = selectors.filter((s) => document.querySelector(s));
                    if (!present.length) return {violations: []};
                    return axe.run({include: present.map((s) => [s])},
                                   {runOnly: {type: "rule", values: ["color-contrast"]}, resultTypes: ["violations"]});
                }""",
                contrast_within,
            )["violations"]
        for violation in violations:
            if violation["impact"] in ("serious", "critical") or violation["id"] in ALWAYS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                findings.append(
                    f"{path} [{violation['impact']}] {violation['id']}: {len(violation['nodes'])} {targets}"
                )
    return findings
