"use strict";
// Django's autocomplete boxes (select2) name neither themselves nor their search field, and put a button
// in their list of choices: screen readers announce an unnamed box. Each box is given its field's label,
// again whenever select2 redraws it.
(function () {
    function labelText(select) {
        const label = document.querySelector('label[for="' + select.id + '"]');
        return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
    }

    function nameBox(select, container) {
        const name = labelText(select);
        const label = document.querySelector('label[for="' + select.id + '"]');
        container.querySelectorAll('[role="combobox"]').forEach(function (box) {
            const shown = box.querySelector(".select2-selection__rendered");
            if (label && shown && shown.id) {
                label.id = label.id || select.id + "_label";
                box.setAttribute("aria-labelledby", label.id + " " + shown.id);
            } else {
                box.removeAttribute("aria-labelledby");
                box.setAttribute("aria-label", name);
            }
            if (shown) {
                shown.removeAttribute("role");
                shown.removeAttribute("aria-readonly");
                // The button that clears a choice belongs beside the list of choices, not in it.
                shown.querySelectorAll(":scope > .select2-selection__clear").forEach(function (button) {
                    shown.before(button);
                });
            }
        });
        container.querySelectorAll(".select2-search__field").forEach(function (field) {
            if (field.getAttribute("aria-label") !== name) {
                field.setAttribute("aria-label", name);
            }
        });
    }

    function nameAll() {
        document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            const container = select.nextElementSibling;
            if (container && container.classList.contains("select2")) {
                nameBox(select, container);
            }
        });
    }

    // select2 draws its boxes when jQuery is ready, and again at each choice: name them whenever it does.
    new MutationObserver(nameAll).observe(document.documentElement, {childList: true, subtree: true});
})();
