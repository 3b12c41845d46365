"""Names a module imports and never mentions again.

A plain module that imports a public name at its top level and never uses it keeps
it for others: a compatibility surface (``ansible.module_utils.basic`` still offers
``get_distribution_version`` to old modules, long after it moved to ``sys_info``).
The module's own tests then import it from there on purpose.

Read from the text, not the tree: a walk of every expression would cost a sizeable
share of the parse, while finding a name's next mention costs next to nothing (2 %
of extraction on Django). The search errs one way only: a name that also appears in
a comment or a string counts as used, so a name is never called unused when it is.
"""

from __future__ import annotations

from ssot_scan.facts import ModuleFacts


def unused_imports(text: str, facts: ModuleFacts) -> list[str]:
    """Public names bound by the module's top-level ``from`` imports that the text
    never mentions outside the import statement itself."""
    unused: list[str] = []
    for site in facts.imports:
        if site.kind != "from" or site.is_star or not site.module_level:
            continue
        if site.raw_module == "__future__":
            continue
        for imported in site.names:
            bound = imported.bound
            if bound.startswith("_") or bound in unused:
                continue
            own = 2 if imported.asname == imported.name else 1
            if not _mentioned_more_than(text, bound, own):
                unused.append(bound)
    return unused


def _mentioned_more_than(text: str, name: str, times: int) -> bool:
    """Does ``name`` stand alone in ``text`` more than ``times`` times? Not inside a
    longer name, not after a dot (``obj.name`` is another object's attribute). Stops
    at the first mention too many: a used name is usually used soon after its
    import, so most of the text is never read."""
    count, start, size, end = 0, 0, len(name), len(text)
    while (at := text.find(name, start)) >= 0:
        start = at + size
        before = text[at - 1] if at else " "
        after = text[start] if start < end else " "
        if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
            count += 1
            if count > times:
                return True
    return False
