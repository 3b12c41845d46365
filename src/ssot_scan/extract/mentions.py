"""Names a module imports and never mentions again.

A plain module that imports a public name at its top level and never uses it keeps
it for others: a compatibility surface (``ansible.module_utils.basic`` still offers
``get_distribution_version`` to old modules, long after it moved to ``sys_info``).
The module's own tests then import it from there on purpose.

Read from the text, not the tree: a walk of every expression would cost a sizeable
share of the parse, while counting a name's occurrences costs next to nothing. The
count errs one way only: a name that also appears in a comment, a string or inside a
longer name counts as used, so a name is never called unused when it is used.
"""

from __future__ import annotations

import re

from ssot_scan.facts import ModuleFacts

# Above this many occurrences a name is taken as used without looking closer: only
# the few names that appear just a handful of times are checked word by word.
_CLOSER_LOOK = 4


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
            mentions = text.count(bound)
            if mentions > _CLOSER_LOOK:
                continue
            own = 2 if imported.asname == imported.name else 1
            if mentions > own:
                mentions = len(re.findall(rf"(?<![\w.]){re.escape(bound)}(?!\w)", text))
            if mentions <= own:
                unused.append(bound)
    return unused
